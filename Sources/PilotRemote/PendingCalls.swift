import NIOCore
import PilotLink
import PilotModel
import PilotSystem

/// The calls a client has sent and not had answered, by serial. When the
/// link ends, every one of them (and every later call) fails with an error
/// naming the coordinator, so no caller waits forever.
final class PendingCalls: Sendable {
    private struct Table {
        var nextSerial: UInt64 = 1
        var waiting: [UInt64: EventLoopPromise<ClientReply>] = [:]
        var lost: String?
        var refusal: SecureLinkError?
    }

    private let table = Monitor(Table())
    private let url: CoordinationURL

    init(url: CoordinationURL) {
        self.url = url
    }

    /// Sends `call` and blocks until its reply; a `.failure` reply is thrown.
    func call(_ call: ClientCall, on channel: Channel) throws(PilotError) -> ClientReply {
        let promise = channel.eventLoop.makePromise(of: ClientReply.self)
        let serial = table.withLock { table -> UInt64? in
            guard table.lost == nil else { return nil }
            let serial = table.nextSerial
            table.nextSerial += 1
            table.waiting[serial] = promise
            return serial
        }
        guard let serial else {
            promise.fail(LinkError.malformedMessage("link lost"))
            throw lostError()
        }
        channel.writeAndFlush(ClientRequest(serial: serial, call: call)).whenFailure { [self] _ in
            table.withLock { $0.waiting.removeValue(forKey: serial) }?.fail(LinkError.malformedMessage("write failed"))
        }
        let reply: ClientReply
        do {
            reply = try promise.futureResult.wait()
        } catch {
            throw lostError(inFlight: call)
        }
        if case .failure(let failure) = reply { throw failure }
        return reply
    }

    /// Completes the call with `serial`.
    func answer(_ serial: UInt64, with reply: ClientReply) {
        table.withLock { $0.waiting.removeValue(forKey: serial) }?.succeed(reply)
    }

    /// Fails every waiting call and every later one.
    func linkEnded(_ reason: String) {
        let waiting = table.withLock { table -> [EventLoopPromise<ClientReply>] in
            if table.lost == nil { table.lost = reason }
            defer { table.waiting.removeAll() }
            return Array(table.waiting.values)
        }
        for promise in waiting { promise.fail(LinkError.malformedMessage(reason)) }
    }

    /// The network link's handshake failed (the peer refused us, or could
    /// not prove the session's key).
    func refused(_ error: SecureLinkError) {
        table.withLock { $0.refusal = $0.refusal ?? error }
    }

    /// Why the network link's handshake failed, if it did.
    var refusal: SecureLinkError? { table.withLock { $0.refusal } }

    /// Whether the link has ended.
    var isLost: Bool { table.withLock { $0.lost != nil } }

    /// The error for a call made after the link died, or (`inFlight`) lost with it.
    private func lostError(inFlight call: ClientCall? = nil) -> PilotError {
        let reason = table.withLock { $0.lost } ?? "the link failed"
        let maybeDone = call?.creates == true
            ? "; the call was under way and may have taken effect: after reconnecting, look (list the service's units, the pilots) before repeating it"
            : ""
        let restart = url.sessionDirectory.map { "`pilotctl serve --session-directory \($0)`" } ?? "`pilotctl serve` on its session directory and address"
        return PilotError(.backend, "lost the coordinator at \(url.text) (\(reason)); restart it with \(restart) and reconnect\(maybeDone)")
    }
}
