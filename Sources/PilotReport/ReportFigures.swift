import PilotModel

/// The report's key figures, each derived from the journal alone; the
/// HTML page carries them as JSON too, for programs that check them.
package struct ReportFigures: Sendable, Encodable {
    /// A distribution's count and order statistics (nil without values).
    package struct Summary: Sendable, Equatable, Encodable {
        package var count: Int
        package var median: Double?
        package var p95: Double?
        package var max: Double?

        init(_ distribution: Distribution) {
            count = distribution.count
            median = distribution.median
            p95 = distribution.p95
            max = distribution.maximum
        }
    }

    package var sessionID: String
    package var spanStart: Double
    package var spanEnd: Double
    package var spanSeconds: Double
    package var units: Int
    /// Units per state name, for the states that have any.
    package var states: [String: Int]
    /// Units in a final state per second of the span (nil for an empty span).
    package var throughput: Double?
    /// Lanes drawn in the Gantt chart.
    package var lanes: Int
    /// The pilots' lanes (see `Timeline.capacity`).
    package var capacity: Int
    package var utilisationMean: Double?
    /// Seconds from submission to start.
    package var wait: Summary
    /// Seconds from start to the final state.
    package var run: Summary
    package var stagingInput: Summary
    package var stagingOutput: Summary
    package var failures: [FailureGroup]

    /// The figures of `journal`, laid out as `timeline`.
    package init(_ journal: SessionJournal, _ timeline: Timeline, _ utilisation: Utilisation, _ distributions: Distributions) {
        let units = journal.units
        sessionID = journal.sessionID
        spanStart = timeline.start
        spanEnd = timeline.end
        spanSeconds = timeline.span
        self.units = units.count
        states = Dictionary(grouping: units, by: \.state.name).mapValues(\.count)
        let final = units.filter(\.state.isFinal).count
        throughput = timeline.span > 0 ? Double(final) / timeline.span : nil
        lanes = timeline.laneCount
        capacity = timeline.capacity
        utilisationMean = utilisation.mean
        wait = Summary(distributions.wait)
        run = Summary(distributions.run)
        stagingInput = Summary(distributions.stagingInput)
        stagingOutput = Summary(distributions.stagingOutput)
        failures = FailureGroup.groups(of: units)
    }

    enum CodingKeys: String, CodingKey {
        case states, throughput, lanes, capacity, wait, run, failures
        case sessionID = "session_id", spanStart = "span_start", spanEnd = "span_end", spanSeconds = "span_seconds"
        case units, utilisationMean = "utilisation_mean", stagingInput = "staging_input", stagingOutput = "staging_output"
    }
}

/// The duration distributions a report shows.
package struct Distributions: Sendable {
    package var wait: Distribution
    package var run: Distribution
    package var stagingInput: Distribution
    package var stagingOutput: Distribution

    /// The distributions of `units`' durations, each over the units that have it.
    package init(_ units: [SessionJournal.Unit]) {
        wait = Distribution(units.compactMap(\.wait))
        run = Distribution(units.compactMap(\.run))
        stagingInput = Distribution(units.compactMap(\.stagedIn))
        stagingOutput = Distribution(units.compactMap(\.stagedOut))
    }
}
