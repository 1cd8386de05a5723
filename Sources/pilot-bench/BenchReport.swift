import FoundationEssentials
import Glibc
import Pilot
import PilotModel
import PilotSystem

/// One benchmark's result: printed as a single JSON line on stdout.
struct BenchReport {
    private var fields: [String: JSONValue] = [:]

    init(bench: String) {
        fields["bench"] = .string(bench)
    }

    subscript(key: String) -> JSONValue? {
        get { fields[key] }
        set { fields[key] = newValue }
    }

    func print() {
        Swift.print(JSONText.render(JSONValue.object(fields)))
    }
}

/// Figures read off this process and its children.
enum Measure {
    /// The value at `fraction` (0.5: median) of `samples`, nearest rank.
    static func percentile(_ samples: [Double], _ fraction: Double) -> Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))
        return sorted[index]
    }

    /// Resident set size of process `pid` in bytes (0 if it cannot be read).
    static func residentBytes(of pid: Int32 = getpid()) -> Int {
        guard let status = FileSystem.read("/proc/\(pid)/status") else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.dropFirst("VmRSS:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) } ?? 0
            return kilobytes * 1024
        }
        return 0
    }

    /// Seconds taken by `body`.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let began = WallClock.monotonic()
        try body()
        return WallClock.monotonic() - began
    }
}
