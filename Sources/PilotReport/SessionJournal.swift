import PilotModel

/// What a report shows of one session: its units and pilots as its journal
/// holds them, times in seconds since 1970.
package struct SessionJournal: Sendable {
    /// One unit's journal row, in the columns a report uses.
    package struct Unit: Sendable, Equatable {
        package var id: String
        package var pilotID: String?
        package var host: String?
        package var state: State
        package var reason: String?
        package var exitCode: Int32?
        package var submitted: Double
        package var bound: Double?
        package var started: Double?
        package var finished: Double?
        /// Seconds its input and output staging took, when journaled.
        package var stagedIn: Double?
        package var stagedOut: Double?

        /// A unit submitted at `submitted`; the other columns start empty.
        package init(id: String, state: State, submitted: Double) {
            self.id = id
            self.state = state
            self.submitted = submitted
        }

        /// Seconds from submission to start, once started.
        package var wait: Double? { started.map { $0 - submitted } }

        /// Seconds from start to its final state, once both are known.
        package var run: Double? {
            guard let started, let finished else { return nil }
            return finished - started
        }
    }

    /// One pilot's journal row, in the columns a report uses.
    package struct Pilot: Sendable, Equatable {
        package var id: String
        /// `number_of_processes` of its description, when that reads as a count.
        package var slots: Int?

        /// A pilot with `slots` slots (nil: not known).
        package init(id: String, slots: Int?) {
            self.id = id
            self.slots = slots
        }
    }

    package var sessionID: String
    package var pilots: [Pilot]
    /// In submission order.
    package var units: [Unit]

    /// A session's journal contents.
    package init(sessionID: String, pilots: [Pilot], units: [Unit]) {
        self.sessionID = sessionID
        self.pilots = pilots
        self.units = units
    }
}
