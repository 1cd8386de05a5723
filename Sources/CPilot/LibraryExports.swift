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

/// `pilot_string_free`: frees a string the library returned.
@_cdecl("pilot_string_free")
public func pilot_string_free(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}
