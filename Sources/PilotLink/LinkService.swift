import NIOCore
import PilotModel
import PilotSystem

/// What serves one kind of link: framing, the codec for its messages and
/// the handler on top, installed on a channel.
package struct LinkService: Sendable {
    private let installer: @Sendable (ChannelPipeline.SynchronousOperations) throws -> Void

    /// Links that read `Inbound` and write `Outbound`, each handled by a new `handler()`.
    package init<Inbound: WireMessage, Outbound: WireMessage>(
        reading: Inbound.Type, writing: Outbound.Type, handler: @escaping @Sendable () -> ChannelHandler
    ) {
        installer = { try $0.addLinkHandlers(reading: reading, writing: writing, then: handler()) }
    }

    /// Adds the handlers at the end of `pipeline`.
    func install(on pipeline: ChannelPipeline.SynchronousOperations) throws {
        try installer(pipeline)
    }
}

/// The roles a network listener admits, each with its key and service;
/// more may be admitted while it listens (a served session adds clients).
package final class LinkRoles: Sendable {
    private let roles: Monitor<[LinkRole: (key: LinkKey, service: LinkService)]>

    /// Admits `role` proving `key`, served by `service`.
    package init(_ role: LinkRole, key: LinkKey, service: LinkService) {
        roles = Monitor([role: (key, service)])
    }

    /// Admits `role` too (or replaces what serves it).
    package func admit(_ role: LinkRole, key: LinkKey, service: LinkService) {
        roles.withLock { $0[role] = (key, service) }
    }

    /// The keys a new link may prove.
    var keys: [LinkKey] {
        roles.withLock { $0.values.map(\.key) }.sorted { $0.role.rawValue < $1.role.rawValue }
    }

    /// What serves `role`, if admitted.
    func service(for role: LinkRole) -> LinkService? {
        roles.withLock { $0[role]?.service }
    }
}

/// Once a network link's peer has proved its role (`SecureLinkOpened`),
/// installs that role's service after itself and leaves the pipeline.
final class LinkRoleSwitch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let roles: LinkRoles

    init(roles: LinkRoles) {
        self.roles = roles
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let opened = event as? SecureLinkOpened else { return context.fireUserInboundEventTriggered(event) }
        do {
            guard let service = roles.service(for: opened.role) else { throw LinkError.malformedMessage("no service for \(opened.role.name) links") }
            try service.install(on: context.pipeline.syncOperations)
        } catch {
            context.close(promise: nil)
            return
        }
        // The role's handlers were added to a channel already active.
        context.fireChannelActive()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

/// Fired inbound by `SecureLinkHandler` on the responder once the peer has
/// proved the key of `role`.
package struct SecureLinkOpened: Sendable {
    /// The role the peer proved.
    package let role: LinkRole
}
