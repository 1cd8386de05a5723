/// A session's units laid out in time: lanes per pilot and host, one bar
/// per unit that started, and the span the session's units cover.
package struct Timeline: Sendable {
    /// The lanes of one pilot on one host.
    package struct Group: Sendable, Equatable {
        package var pilotID: String
        package var host: String
        /// Its first lane among all the timeline's lanes.
        package var firstLane: Int
        package var laneCount: Int
    }

    /// One unit's run, from its start to its final state (or, still
    /// running, to the end of the span).
    package struct Bar: Sendable, Equatable {
        /// Its index in the journal's units.
        package var unit: Int
        /// Its lane among all the timeline's lanes.
        package var lane: Int
        package var start: Double
        package var end: Double
    }

    /// The earliest submission.
    package let start: Double
    /// The latest time any unit records (its end, start, binding or submission).
    package let end: Double
    /// In order of pilot id, then host.
    package let groups: [Group]
    package let bars: [Bar]
    /// Each unit's lane within its group (nil: it never started).
    package let unitLanes: [Int?]
    /// Lanes the pilots had: each pilot's slots, or the lanes its units
    /// used where that is more or its slots are not known.
    package let capacity: Int

    /// Lays out `journal`'s units.
    package init(_ journal: SessionJournal) {
        let units = journal.units
        start = units.map(\.submitted).min() ?? 0
        end = units.map { $0.finished ?? $0.started ?? $0.bound ?? $0.submitted }.max() ?? start
        let spanEnd = end
        let started = units.indices.filter { units[$0].started != nil }
        let keyed = Dictionary(grouping: started) { index in
            GroupKey(pilotID: units[index].pilotID ?? "-", host: units[index].host ?? "-")
        }
        var groups: [Group] = []
        var bars: [Bar] = []
        var unitLanes = [Int?](repeating: nil, count: units.count)
        var lanesByPilot: [String: Int] = [:]
        for key in keyed.keys.sorted() {
            let members = keyed[key] ?? []
            let intervals = members.map { index in
                let begin = units[index].started ?? spanEnd
                return (start: begin, end: max(units[index].finished ?? spanEnd, begin))
            }
            let packed = LanePacking.pack(intervals)
            let firstLane = groups.last.map { $0.firstLane + $0.laneCount } ?? 0
            groups.append(Group(pilotID: key.pilotID, host: key.host, firstLane: firstLane, laneCount: packed.count))
            for (position, index) in members.enumerated() {
                let lane = packed.lanes[position]
                unitLanes[index] = lane
                bars.append(Bar(unit: index, lane: firstLane + lane,
                                start: intervals[position].start, end: intervals[position].end))
            }
            lanesByPilot[key.pilotID, default: 0] += packed.count
        }
        var capacity = 0
        for pilot in journal.pilots {
            capacity += max(pilot.slots ?? 0, lanesByPilot.removeValue(forKey: pilot.id) ?? 0)
        }
        self.capacity = capacity + lanesByPilot.values.reduce(0, +)
        self.groups = groups
        self.bars = bars
        self.unitLanes = unitLanes
    }

    /// Seconds from the first submission to the latest recorded time.
    package var span: Double { end - start }

    /// Lanes drawn: every group's.
    package var laneCount: Int { groups.last.map { $0.firstLane + $0.laneCount } ?? 0 }

    private struct GroupKey: Hashable, Comparable {
        var pilotID: String
        var host: String

        static func < (left: GroupKey, right: GroupKey) -> Bool {
            (left.pilotID, left.host) < (right.pilotID, right.host)
        }
    }
}
