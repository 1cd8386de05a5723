import Glibc
import PilotModel
import PilotSystem
import Synchronization

/// Delivers state events to subscribers on one thread, in the order they
/// were recorded, holding no lock while a handler runs (handlers may call
/// back into the API). Started with the first subscription.
package final class EventDelivery: Sendable {
    /// A subscriber's handler.
    package typealias Handler = @Sendable (StateEvent) -> Void

    private final class Subscriber: Sendable {
        let handler: Handler
        let active = Atomic<Bool>(true)
        init(_ handler: @escaping Handler) { self.handler = handler }
    }

    private struct Shared {
        var pending = FIFO<StateEvent>()
        var subscribers: [(id: UInt64, subscriber: Subscriber)] = []
        var nextID: UInt64 = 1
        var threadStarted = false
        var delivering = false
        var stopped = false
        var thread: pthread_t?
    }

    private let shared = Monitor(Shared())

    /// Creates a delivery; its thread starts with the first subscription.
    package init() {}

    /// Whether anyone listens (checked by the registry before recording events).
    package var hasSubscribers: Bool { shared.withLock { !$0.subscribers.isEmpty } }

    /// Adds `handler`; returns its subscription id, or nil if no thread could start.
    package func subscribe(_ handler: @escaping Handler) -> UInt64? {
        let needsThread = shared.withLock { state -> Bool in
            defer { state.threadStarted = true }
            return !state.threadStarted
        }
        if needsThread {
            guard startThread({ [self] in run() }) else {
                shared.withLock { $0.threadStarted = false }
                return nil
            }
        }
        return shared.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.subscribers.append((id, Subscriber(handler)))
            return id
        }
    }

    /// Removes a subscription. Off the delivery thread, returns only once no
    /// handler of it can be running; false if `id` was not subscribed.
    package func unsubscribe(_ id: UInt64) -> Bool {
        let onDeliveryThread = shared.withLock { state in
            state.thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
        }
        let found = shared.withLock { state -> Bool in
            guard let index = state.subscribers.firstIndex(where: { $0.id == id }) else { return false }
            state.subscribers[index].subscriber.active.store(false, ordering: .sequentiallyConsistent)
            state.subscribers.remove(at: index)
            return true
        }
        if found && !onDeliveryThread {
            _ = shared.wait(until: nil) { state in state.delivering ? nil : () }
        }
        return found
    }

    /// Queues events for delivery (called under the registry lock, which
    /// keeps them in the order the registry recorded them).
    package func post(_ events: [StateEvent]) {
        guard !events.isEmpty else { return }
        shared.withLock { state in
            for event in events { state.pending.append(event) }
        }
        shared.broadcast()
    }

    /// Delivers what is queued (waiting up to 10 s), then stops the thread.
    /// No handler is called after this returns, even if a slow one kept the
    /// queue from draining: the host may be tearing down (an interpreter
    /// finalizing) and must not be called into.
    package func stop() {
        let onDeliveryThread = shared.withLock { state in
            state.thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
        }
        shared.withLock { $0.stopped = true }
        shared.broadcast()
        if !onDeliveryThread {
            _ = shared.wait(until: WallClock.monotonic() + 10) { state in
                state.pending.isEmpty && !state.delivering ? () : nil
            }
        }
        shared.withLock { state in
            for (_, subscriber) in state.subscribers { subscriber.active.store(false, ordering: .sequentiallyConsistent) }
            state.subscribers.removeAll()
        }
    }

    private func run() {
        shared.withLock { $0.thread = pthread_self() }
        while true {
            let batch = shared.wait(until: nil) { state -> ([StateEvent], [Subscriber])? in
                if state.pending.isEmpty {
                    return state.stopped ? ([], []) : nil
                }
                var events: [StateEvent] = []
                events.reserveCapacity(state.pending.count)
                while let event = state.pending.popFirst() { events.append(event) }
                state.delivering = true
                return (events, state.subscribers.map(\.subscriber))
            }
            guard let (events, subscribers) = batch, !events.isEmpty else { return }
            for event in events {
                for subscriber in subscribers where subscriber.active.load(ordering: .relaxed) {
                    subscriber.handler(event)
                }
            }
            shared.withLock { $0.delivering = false }
            shared.broadcast()
        }
    }
}
