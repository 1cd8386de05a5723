import NIOCore
import NIOPosix
import PilotSystem

/// Why connecting a link failed, as a short sentence: the system's text
/// for the error number when there is one (`Connection refused`), rather
/// than SwiftNIO's description of the call that failed; for a network
/// link's handshake, what went wrong in it.
package func connectFailure(_ error: Error) -> String {
    if let failure = error as? IOError { return FileSystem.errorText(failure.errnoCode) }
    if let failure = error as? SecureLinkError { return failure.message }
    if let failure = error as? NIOConnectionError {
        if let lookup = failure.dnsAError ?? failure.dnsAAAAError { return "cannot resolve \(failure.host): \(lookup)" }
        if let first = failure.connectionErrors.first { return connectFailure(first.error) }
    }
    return "\(error)"
}
