import PilotModel

extension UnitListing {
    func write(to writer: inout WireWriter) {
        switch self {
        case .none: writer.tag(0)
        case .all: writer.tag(1)
        case .states(let states):
            writer.tag(2)
            writer.list(states.sorted { $0.rawValue < $1.rawValue }) { $0.enumeration($1) }
        }
    }

    init(from reader: inout WireReader) throws {
        switch try reader.tag("unit listing") {
        case 0: self = .none
        case 1: self = .all
        case 2: self = .states(Set(try reader.list("states") { try $0.enumeration(State.self, "state") }))
        case let tag: throw LinkError.malformedMessage("unknown unit listing \(tag)")
        }
    }
}

extension SessionOverview {
    func write(to writer: inout WireWriter) {
        writer.list(pilotServices) { $0.string($1) }
        writer.list(computeServices) { $0.string($1) }
        writer.list(pilots) { details, pilot in pilot.write(to: &details) }
        writer.list(unitCounts.sorted { $0.key.rawValue < $1.key.rawValue }) { writer, count in
            writer.enumeration(count.key)
            writer.int(count.value)
        }
        writer.list(units) { details, unit in unit.write(to: &details) }
    }

    init(from reader: inout WireReader) throws {
        let pilotServices = try reader.list("pilot services") { try $0.string("pilot service id") }
        let computeServices = try reader.list("compute services") { try $0.string("compute service id") }
        let pilots = try reader.list("pilots") { try PilotDetails(from: &$0) }
        let counts = try reader.list("unit counts") { (try $0.enumeration(State.self, "state"), try $0.int("unit count")) }
        let units = try reader.list("units") { try UnitDetails(from: &$0) }
        self.init(pilotServices: pilotServices, computeServices: computeServices, pilots: pilots,
                  unitCounts: Dictionary(counts, uniquingKeysWith: +), units: units)
    }
}

extension OutputSource {
    func write(to writer: inout WireWriter) {
        switch self {
        case .unit(let id, let error):
            writer.tag(0)
            writer.string(id)
            writer.bool(error)
        case .agentLog(let id):
            writer.tag(1)
            writer.string(id)
        }
    }

    init(from reader: inout WireReader) throws {
        switch try reader.tag("output source") {
        case 0: self = .unit(try reader.string("unit id"), error: try reader.bool("standard error"))
        case 1: self = .agentLog(try reader.string("pilot id"))
        case let tag: throw LinkError.malformedMessage("unknown output source \(tag)")
        }
    }
}
