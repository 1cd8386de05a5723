import NIOCore
import PilotLink
import PilotModel

/// An agent link carried by a NIO channel.
struct ChannelAgentLink: AgentLink {
    let channel: Channel

    func execute(_ work: @escaping @Sendable () -> Void) {
        channel.eventLoop.execute(work)
    }

    func send(_ messages: [CoordinatorMessage]) {
        for message in messages { channel.write(message, promise: nil) }
        channel.flush()
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Alarms on a NIO event loop.
struct EventLoopAlarmClock: AlarmClock {
    let loop: EventLoop

    func schedule(after seconds: Double, _ action: @escaping @Sendable () -> Void) {
        // Far-future alarms are clamped (31 years) so the nanosecond count cannot overflow.
        let delay = TimeAmount.nanoseconds(Int64(min(max(seconds, 0), 1e9) * 1e9))
        loop.scheduleTask(in: delay, action)
    }
}
