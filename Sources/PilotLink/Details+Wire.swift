import PilotModel

extension UnitDetails {
    func write(to writer: inout WireWriter) {
        writer.string(id)
        writer.enumeration(state)
        writer.optional(reason) { $0.string($1) }
        writer.optional(pilotID) { $0.string($1) }
        writer.optional(serviceID) { $0.string($1) }
        writer.optional(exitCode) { $0.integer($1) }
        writer.optional(signal) { $0.integer($1) }
        writer.optional(pid) { $0.integer($1) }
        writer.optional(host) { $0.string($1) }
        writer.optional(workingDirectory) { $0.string($1) }
        writer.double(submitted)
        writer.optional(bound) { $0.double($1) }
        writer.optional(started) { $0.double($1) }
        writer.optional(finished) { $0.double($1) }
        writer.optional(stagedIn) { $0.double($1) }
        writer.optional(stagedOut) { $0.double($1) }
        description.write(to: &writer)
    }

    init(from reader: inout WireReader) throws {
        let id = try reader.string("unit id")
        let state = try reader.enumeration(State.self, "unit state")
        let reason = try reader.optional("reason") { try $0.string("reason") }
        let pilotID = try reader.optional("pilot id") { try $0.string("pilot id") }
        let serviceID = try reader.optional("service id") { try $0.string("service id") }
        let exitCode = try reader.optional("exit code") { try $0.integer(Int32.self, "exit code") }
        let signal = try reader.optional("signal") { try $0.integer(Int32.self, "signal") }
        let pid = try reader.optional("pid") { try $0.integer(Int32.self, "pid") }
        let host = try reader.optional("host") { try $0.string("host") }
        let workingDirectory = try reader.optional("working directory") { try $0.string("working directory") }
        let submitted = try reader.double("submission time")
        let bound = try reader.optional("bind time") { try $0.double("bind time") }
        let started = try reader.optional("start time") { try $0.double("start time") }
        let finished = try reader.optional("end time") { try $0.double("end time") }
        let stagedIn = try reader.optional("input staging time") { try $0.double("input staging time") }
        let stagedOut = try reader.optional("output staging time") { try $0.double("output staging time") }
        self.init(id: id, state: state, submitted: submitted, description: try JSONValue(from: &reader))
        (self.reason, self.pilotID, self.serviceID) = (reason, pilotID, serviceID)
        (self.exitCode, self.signal, self.pid) = (exitCode, signal, pid)
        (self.host, self.workingDirectory) = (host, workingDirectory)
        (self.bound, self.started, self.finished) = (bound, started, finished)
        (self.stagedIn, self.stagedOut) = (stagedIn, stagedOut)
    }
}

extension PilotDetails {
    func write(to writer: inout WireWriter) {
        writer.string(id)
        writer.enumeration(state)
        writer.optional(reason) { $0.string($1) }
        writer.string(serviceID)
        writer.string(serviceURL)
        writer.string(sandbox)
        writer.int(slots)
        writer.int(freeSlots)
        writer.int(openUnits)
        writer.optional(nativeID) { $0.string($1) }
        writer.optional(nativeState) { $0.string($1) }
        writer.optional(host) { $0.string($1) }
        writer.double(created)
        writer.optional(started) { $0.double($1) }
        writer.optional(finished) { $0.double($1) }
        writer.optional(lastContact) { $0.double($1) }
        writer.optional(wallTimeLeft) { $0.double($1) }
        description.write(to: &writer)
    }

    init(from reader: inout WireReader) throws {
        let id = try reader.string("pilot id")
        let state = try reader.enumeration(State.self, "pilot state")
        let reason = try reader.optional("reason") { try $0.string("reason") }
        let serviceID = try reader.string("service id")
        let serviceURL = try reader.string("service URL")
        let sandbox = try reader.string("sandbox")
        let slots = try reader.int("slots")
        let freeSlots = try reader.int("free slots")
        let openUnits = try reader.int("open units")
        let nativeID = try reader.optional("native id") { try $0.string("native id") }
        let nativeState = try reader.optional("native state") { try $0.string("native state") }
        let host = try reader.optional("host") { try $0.string("host") }
        let created = try reader.double("creation time")
        let started = try reader.optional("start time") { try $0.double("start time") }
        let finished = try reader.optional("end time") { try $0.double("end time") }
        let lastContact = try reader.optional("last contact") { try $0.double("last contact") }
        let wallTimeLeft = try reader.optional("wall time left") { try $0.double("wall time left") }
        self.init(id: id, state: state, serviceID: serviceID, serviceURL: serviceURL, sandbox: sandbox,
                  slots: slots, created: created, description: try JSONValue(from: &reader))
        (self.reason, self.freeSlots, self.openUnits, self.nativeID, self.host) = (reason, freeSlots, openUnits, nativeID, host)
        (self.started, self.finished, self.lastContact, self.wallTimeLeft) = (started, finished, lastContact, wallTimeLeft)
        self.nativeState = nativeState
    }
}

extension ComputeServiceDetails {
    func write(to writer: inout WireWriter) {
        writer.string(id)
        writer.enumeration(binding)
        writer.list(pilotServiceIDs) { $0.string($1) }
        writer.bool(canceled)
    }

    init(from reader: inout WireReader) throws {
        self.init(
            id: try reader.string("service id"), binding: try reader.enumeration(Binding.self, "binding"),
            pilotServiceIDs: try reader.list("pilot service ids") { try $0.string("pilot service id") },
            canceled: try reader.bool("canceled"))
    }
}

extension StateEvent {
    func write(to writer: inout WireWriter) {
        writer.enumeration(kind)
        writer.string(id)
        writer.enumeration(state)
        writer.enumeration(previousState)
        writer.optional(reason) { $0.string($1) }
    }

    init(from reader: inout WireReader) throws {
        self.init(
            kind: try reader.enumeration(ObjectKind.self, "object kind"), id: try reader.string("object id"),
            state: try reader.enumeration(State.self, "state"), previousState: try reader.enumeration(State.self, "previous state"),
            reason: try reader.optional("reason") { try $0.string("reason") })
    }
}
