/// Lanes for intervals, as a Gantt chart draws them: the journal records
/// no slot index, so intervals that overlap in time go to separate lanes.
package enum LanePacking {
    /// The lane of each interval (in input order) and the number of lanes.
    /// Intervals are taken by start time (ties in input order); each goes
    /// to the lowest-numbered lane free at its start, that is, whose last
    /// interval ended at or before it. This uses as many lanes as the most
    /// intervals open at one moment.
    package static func pack(_ intervals: [(start: Double, end: Double)]) -> (lanes: [Int], count: Int) {
        let order = intervals.indices.sorted { left, right in
            intervals[left].start != intervals[right].start
                ? intervals[left].start < intervals[right].start : left < right
        }
        var lanes = [Int](repeating: 0, count: intervals.count)
        var laneEnds: [Double] = []
        for index in order {
            let interval = intervals[index]
            if let free = laneEnds.firstIndex(where: { $0 <= interval.start }) {
                laneEnds[free] = interval.end
                lanes[index] = free
            } else {
                laneEnds.append(interval.end)
                lanes[index] = laneEnds.count - 1
            }
        }
        return (lanes, laneEnds.count)
    }
}
