/// A first-in first-out queue with O(1) amortised push and pop: an array
/// read from a moving head, compacted once the dead prefix dominates.
package struct FIFO<Element> {
    private var items: [Element?] = []
    private var head = 0

    /// Creates an empty queue.
    package init() {}

    /// Number of elements queued.
    package var count: Int { items.count - head }

    /// Whether nothing is queued.
    package var isEmpty: Bool { head >= items.count }

    /// The element that comes out next.
    package var first: Element? { head < items.count ? items[head] : nil }

    /// Adds `element` at the end.
    package mutating func append(_ element: Element) {
        items.append(element)
    }

    /// Takes the first element out.
    @discardableResult
    package mutating func popFirst() -> Element? {
        guard head < items.count else { return nil }
        let element = items[head]
        items[head] = nil
        head += 1
        if head >= 4096 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Removes every element, keeping the storage.
    package mutating func removeAll() {
        items.removeAll(keepingCapacity: true)
        head = 0
    }

    /// The queued elements in order.
    package var elements: [Element] { items[head...].compactMap { $0 } }
}
