import NIOCore
import PilotLink
import PilotSystem

/// Writes to client links from threads other than the server's event loop
/// (replies of blocking calls, streamed events) pass through here. Once the
/// server shuts down the gate is closed, under its lock, before the loop
/// stops: a write then is dropped instead of being handed to a loop that is
/// gone (which SwiftNIO reports, and will one day trap on).
final class WriteGate: Sendable {
    private let open = Monitor(true)

    /// Writes `message` on `channel` unless the gate is closed.
    func write(_ message: ServerMessage, on channel: Channel) {
        open.withLock { open in
            if open { channel.writeAndFlush(message, promise: nil) }
        }
    }

    /// Drops every later write.
    func close() {
        open.withLock { $0 = false }
    }
}
