/// How far the units a wait covers have come: what progress lines and
/// progress callbacks show.
public struct WaitProgress: Sendable, Equatable {
    /// Units covered.
    public var total: Int
    /// Units Done.
    public var done: Int
    /// Units Failed.
    public var failed: Int
    /// Units Canceled.
    public var canceled: Int
    /// Units running (or staging files).
    public var running: Int
    /// Units not yet started (New, Pending).
    public var queued: Int
    /// Seconds since the wait began.
    public var elapsed: Double
    /// Units that became final per second since the wait began.
    public var rate: Double

    /// The progress of units counted `counts`, `elapsed` seconds into a wait
    /// that began with `finalAtStart` of them final.
    public init(counts: [State: Int], elapsed: Double, finalAtStart: Int) {
        func count(_ state: State) -> Int { counts[state] ?? 0 }
        total = counts.values.reduce(0, +)
        done = count(.done)
        failed = count(.failed)
        canceled = count(.canceled)
        running = count(.running) + count(.staging)
        queued = count(.new) + count(.pending) + count(.unknown)
        self.elapsed = elapsed
        rate = elapsed > 0 ? Double(max(0, done + failed + canceled - finalAtStart)) / elapsed : 0
    }

    /// Units in a final state.
    public var final: Int { done + failed + canceled }

    /// Seconds until every unit is final at the current rate; nil before any finished.
    public var estimatedRemaining: Double? {
        rate > 0 ? Double(total - final) / rate : nil
    }

    /// One line: "5230/10000 done, 3 failed, 4 running, 4763 queued, 2380/s, ETA 2 s".
    public var line: String {
        var parts = ["\(done)/\(total) done"]
        if failed > 0 { parts.append("\(failed) failed") }
        if canceled > 0 { parts.append("\(canceled) canceled") }
        parts.append("\(running) running")
        parts.append("\(queued) queued")
        parts.append("\(Self.rateText(rate))/s")
        if let remaining = estimatedRemaining { parts.append("ETA \(durationText(max(1, remaining.rounded())))") }
        return parts.joined(separator: ", ")
    }

    /// The closing line: "10000 units: 9990 Done, 10 Failed in 4.2 s (2380 units/s)".
    public var summary: String {
        let states = [(done, State.done.name), (failed, State.failed.name), (canceled, State.canceled.name),
                      (running, "running"), (queued, "queued")].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        let seconds = (elapsed * 10).rounded() / 10
        return "\(total) units: \(states.isEmpty ? "none" : states.joined(separator: ", ")) in \(seconds) s (\(Self.rateText(rate)) units/s)"
    }

    private static func rateText(_ rate: Double) -> String {
        rate >= 10 ? String(Int(rate.rounded())) : String((rate * 10).rounded() / 10)
    }
}
