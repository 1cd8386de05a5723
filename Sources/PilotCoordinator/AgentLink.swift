import PilotLink
import PilotModel
import PilotSystem

/// Names one agent link within a coordinator. The registry holds these,
/// never the transport, so scheduling runs (and is tested) without sockets.
struct LinkID: Hashable, Sendable {
    let number: UInt64
}

/// What the coordinator needs of a link to an agent, whatever carries it.
protocol AgentLink: Sendable {
    /// Runs `work` in the link's own order (a socket's event loop).
    func execute(_ work: @escaping @Sendable () -> Void)
    /// Sends `messages` in order.
    func send(_ messages: [CoordinatorMessage])
    /// Closes the link; its end is reported like any other loss.
    func close()
}

/// Runs actions later: wall times, a lost agent's grace.
protocol AlarmClock: Sendable {
    /// Runs `action` once `seconds` have passed.
    func schedule(after seconds: Double, _ action: @escaping @Sendable () -> Void)
}

/// The open agent links by id.
final class AgentLinks: Sendable {
    private struct Table {
        var next: UInt64 = 1
        var links: [LinkID: any AgentLink] = [:]
    }

    private let table = Monitor(Table())

    /// Adds `link`; returns its new id.
    func add(_ link: any AgentLink) -> LinkID {
        table.withLock { table in
            let id = LinkID(number: table.next)
            table.next += 1
            table.links[id] = link
            return id
        }
    }

    /// Forgets link `id` (it closed).
    func remove(_ id: LinkID) {
        table.withLock { _ = $0.links.removeValue(forKey: id) }
    }

    /// The link with `id`, while it is open.
    subscript(id: LinkID) -> (any AgentLink)? {
        table.withLock { $0.links[id] }
    }
}
