import Glibc
import Pilot

/// The calling thread's last error message, kept in thread-local storage
/// (a pthread key whose destructor frees it when the thread ends).
enum LastError {
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        guard pthread_key_create(&key, { free($0) }) == 0 else { return nil }
        return key
    }()

    nonisolated(unsafe) private static let empty: UnsafeMutablePointer<CChar>? = strdup("")

    /// Replaces the thread's message.
    static func set(_ message: String) {
        guard let key else { return }
        free(pthread_getspecific(key))
        pthread_setspecific(key, strdup(message))
    }

    /// The thread's message, or "".
    static func current() -> UnsafePointer<CChar>? {
        guard let key, let message = pthread_getspecific(key) else { return UnsafePointer(empty) }
        return UnsafePointer(message.assumingMemoryBound(to: CChar.self))
    }
}

/// Runs one C entry point: PILOT_OK, or the error's code with its message
/// stored for pilot_last_error(). Nothing thrown escapes into C.
func status(_ body: () throws(PilotError) -> Void) -> Int32 {
    do {
        try body()
        return 0
    } catch {
        LastError.set(error.message)
        return error.code.rawValue
    }
}

/// The non-NULL out-parameter `pointer`, or an error naming it.
func required<Pointee>(_ pointer: UnsafeMutablePointer<Pointee>?, _ name: String) throws(PilotError) -> UnsafeMutablePointer<Pointee> {
    guard let pointer else {
        throw PilotError(.invalidArgument, "\(name) is NULL; pass the address of a variable to receive the result")
    }
    return pointer
}

/// The C string argument `text` as Swift text, or an error naming it.
func text(_ text: UnsafePointer<CChar>?, _ name: String) throws(PilotError) -> String {
    guard let text else { throw PilotError(.invalidArgument, "\(name) is NULL") }
    guard let value = String(validatingCString: text) else {
        throw PilotError(.invalidArgument, "\(name) is not valid UTF-8")
    }
    return value
}

/// Parses the C string argument `json` as JSON text.
func json(_ json: UnsafePointer<CChar>?, _ name: String) throws(PilotError) -> JSONValue {
    try JSON.parse(try text(json, name), what: name)
}

/// Stores a copy of `value` (freed with pilot_string_free) in `out`.
func give(_ value: String, to out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) throws(PilotError) {
    guard let copy = strdup(value) else { throw PilotError(.internal, "out of memory") }
    out.pointee = copy
}
