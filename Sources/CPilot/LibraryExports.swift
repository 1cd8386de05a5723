import CPilotHeader
import Glibc
import Pilot

/// The header's PILOT_VERSION: the library reports the version it was built with.
nonisolated(unsafe) private let versionText: UnsafeMutablePointer<CChar>? = strdup(PILOT_VERSION)
nonisolated(unsafe) private let stateNames: [UnsafeMutablePointer<CChar>?] = State.allCases.map { strdup($0.name) }

/// `pilot_version`: the library version, static storage.
@_cdecl("pilot_version")
public func pilot_version() -> UnsafePointer<CChar>? {
    UnsafePointer(versionText)
}

/// `pilot_last_error`: the calling thread's last error message.
@_cdecl("pilot_last_error")
public func pilot_last_error() -> UnsafePointer<CChar>? {
    LastError.current()
}

/// `pilot_state_name`: the contract's name of a state.
@_cdecl("pilot_state_name")
public func pilot_state_name(_ state: Int32) -> UnsafePointer<CChar>? {
    let index = Int(State(rawValue: state)?.rawValue ?? 0)
    return stateNames.indices.contains(index) ? UnsafePointer(stateNames[index]) : nil
}

/// `pilot_status_name`'s texts, made once (static storage): every
/// pilot_status of the header, and one text for any other value.
nonisolated(unsafe) private let statusNames: [Int32: UnsafeMutablePointer<CChar>?] = Dictionary(
    uniqueKeysWithValues: [(PILOT_OK.rawValue, strdup("success"))] + PilotError.Code.allCases.map { ($0.rawValue, strdup($0.meaning)) })
nonisolated(unsafe) private let unknownStatusName = strdup("unknown status")

extension PilotError.Code {
    /// What the status means, in the words of the header's comment on it.
    var meaning: String {
        switch self {
        case .invalidArgument: "malformed argument or description"
        case .invalidState: "the object's state forbids the call"
        case .notFound: "unknown handle, id or subscription"
        case .timeout: "a wait ran out of time"
        case .denied: "not allowed"
        case .backend: "the resource manager or OS refused"
        case .internal: "a fault inside libpilot"
        case .unsupported: "not available in this build"
        case .interrupted: "the caller's progress function stopped the wait"
        }
    }
}

/// `pilot_status_name`: what a status code means; "unknown status" for a
/// value that is none.
@_cdecl("pilot_status_name")
public func pilot_status_name(_ status: Int32) -> UnsafePointer<CChar>? {
    UnsafePointer(statusNames[status] ?? unknownStatusName)
}

/// `pilot_capabilities`: the schemes and features of this build, as JSON.
@_cdecl("pilot_capabilities")
public func pilot_capabilities(_ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(JSON.text(Capabilities.current), to: try required(out, "out_json")) }
}

/// `pilot_string_free`: frees a string the library returned.
@_cdecl("pilot_string_free")
public func pilot_string_free(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}
