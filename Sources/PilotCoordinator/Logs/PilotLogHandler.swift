import Glibc
import Logging
import PilotModel
import Synchronization

/// A swift-log handler that formats logfmt lines (`time=... level=error
/// pilot=bj-... unit=cu-... msg="exited with code 3"`) for a pilot's log
/// into `lines`, which its caller writes to the file in one append.
struct PilotLogHandler: LogHandler {
    let lines: LogLines
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }
        let time = fields["time"].flatMap { Double("\($0)") } ?? WallClock.now()
        var line = "time=\(Self.timestamp(time)) level=\(event.level.rawValue)"
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) where key != "time" {
            line += " \(key)=\(Self.quoted("\(value)"))"
        }
        lines.add(line + " msg=\(Self.quoted(event.message.description))\n")
    }

    /// A logfmt value: bare when it has no space, quote, equals sign or
    /// control character; otherwise quoted with those escaped.
    static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "=" && $0 != "\\" }
        guard !plain else { return value }
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20: escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    /// `seconds` since 1970 as UTC ISO 8601 with milliseconds: 2026-12-01T04:21:43.123Z.
    static func timestamp(_ seconds: Double) -> String {
        var time = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let milliseconds = Int((seconds - seconds.rounded(.down)) * 1000)
        let fraction = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }
}

/// Formatted log lines waiting to be written together.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    func add(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    /// The lines so far, joined.
    var text: String {
        lines.withLock { $0.joined() }
    }
}
