import Glibc
import NIOCore
import NIOPosix
import PilotSystem

/// Reaps the agent's children on its event loop: SIGCHLD arrives through a
/// signalfd registered as a pipe channel, and every read reaps all children
/// that ended. Every child the agent starts is a unit; what is left of a
/// unit's process group is killed when its main process is reaped.
final class ChildExits: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let exited: (pid_t, Int32) -> Void

    private init(exited: @escaping (pid_t, Int32) -> Void) {
        self.exited = exited
    }

    /// Watches `descriptor` (from `ChildSignal.makeDescriptor`) on `eventLoop`;
    /// `exited` runs on that loop for each child.
    static func watch(_ descriptor: Int32, on eventLoop: EventLoop,
                      exited: @escaping (pid_t, Int32) -> Void) -> EventLoopFuture<Channel> {
        let handler = NIOLoopBound(ChildExits(exited: exited), eventLoop: eventLoop)
        return NIOPipeBootstrap(group: eventLoop)
            // A signalfd read must hold at least one 128-byte record.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 4096))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler.value) }
            }
            .takingOwnershipOfDescriptor(input: descriptor)
    }

    /// The descriptor `watch` takes, made with SIGCHLD blocked in this
    /// thread: call before any thread starts (they must all inherit the
    /// mask). Nil, with the reason logged, if it cannot be made.
    static func descriptor(log: AgentLog) -> Int32? {
        switch ChildSignal.makeDescriptor() {
        case .success(let descriptor): return descriptor
        case .failure(let failure):
            log.error(failure.reason)
            return nil
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        ChildSignal.reapExited { pid, status in
            kill(-pid, SIGKILL)
            exited(pid, status)
        }
    }
}
