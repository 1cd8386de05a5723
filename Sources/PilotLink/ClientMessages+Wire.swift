import FoundationEssentials
import PilotModel

extension ClientRequest: WireMessage {
    package func write(to writer: inout WireWriter) {
        writer.integer(serial)
        call.write(to: &writer)
    }

    package init(from reader: inout WireReader) throws {
        self.init(serial: try reader.integer(UInt64.self, "serial"), call: try ClientCall(from: &reader))
    }
}

extension ClientCall {
    func write(to writer: inout WireWriter) {
        func timed(_ tag: UInt8, _ id: String, _ timeout: Double?) {
            writer.tag(tag)
            writer.string(id)
            writer.optional(timeout) { $0.double($1) }
        }
        func named(_ tag: UInt8, _ id: String) {
            writer.tag(tag)
            writer.string(id)
        }
        switch self {
        case .hello(let secret, let version):
            writer.tag(0)
            writer.string(secret)
            writer.int(version)
        case .createPilotComputeService: writer.tag(1)
        case .createComputeDataService(let binding):
            writer.tag(2)
            writer.enumeration(binding)
        case .computeServiceDetails(let id): named(3, id)
        case .add(let pilotService, let computeService):
            named(4, pilotService)
            writer.string(computeService)
        case .remove(let pilotService, let computeService):
            named(5, pilotService)
            writer.string(computeService)
        case .createPilot(let pilotService, let description):
            named(6, pilotService)
            description.write(to: &writer)
        case .pilots(let id): named(7, id)
        case .pilotDetails(let id): named(8, id)
        case .cancelPilot(let id): named(9, id)
        case .cancelPilotService(let id): named(10, id)
        case .waitPilotStarted(let id, let timeout): timed(11, id, timeout)
        case .waitPilot(let id, let timeout): timed(12, id, timeout)
        case .submit(let target, let descriptions, let many):
            switch target {
            case .service(let id): named(13, id)
            case .pilot(let id): named(14, id)
            }
            writer.list(descriptions) { writer, description in description.write(to: &writer) }
            writer.bool(many)
        case .unitDetails(let id): named(15, id)
        case .unitState(let id): named(16, id)
        case .waitUnit(let id, let timeout): timed(17, id, timeout)
        case .waitComputeService(let id, let timeout): timed(18, id, timeout)
        case .cancelUnits(let ids):
            writer.tag(19)
            writer.list(ids) { $0.string($1) }
        case .cancelComputeService(let id): named(20, id)
        case .unitsOfComputeService(let id): named(21, id)
        case .unitsOfPilot(let id): named(22, id)
        case .events(let on):
            writer.tag(23)
            writer.bool(on)
        case .data(let request):
            writer.tag(24)
            writer.string(JSONText.render(request))
        case .overview(let scope, let listing):
            writer.tag(25)
            writer.optional(scope) { $0.string($1) }
            listing.write(to: &writer)
        case .output(let source, let offset, let limit):
            writer.tag(26)
            source.write(to: &writer)
            writer.integer(offset)
            writer.int(limit)
        }
    }

    init(from reader: inout WireReader) throws {
        let tag = try reader.tag("client call")
        func id() throws -> String { try reader.string("object id") }
        func timeout() throws -> Double? { try reader.optional("timeout") { try $0.double("timeout") } }
        func descriptions() throws -> [JSONValue] { try reader.list("descriptions") { try JSONValue(from: &$0) } }
        switch tag {
        case 0: self = .hello(secret: try reader.string("secret"), protocolVersion: try reader.int("protocol version"))
        case 1: self = .createPilotComputeService
        case 2: self = .createComputeDataService(try reader.enumeration(Binding.self, "binding"))
        case 3: self = .computeServiceDetails(try id())
        case 4: self = .add(pilotService: try id(), computeService: try id())
        case 5: self = .remove(pilotService: try id(), computeService: try id())
        case 6: self = .createPilot(pilotService: try id(), description: try JSONValue(from: &reader))
        case 7: self = .pilots(pilotService: try id())
        case 8: self = .pilotDetails(try id())
        case 9: self = .cancelPilot(try id())
        case 10: self = .cancelPilotService(try id())
        case 11: self = .waitPilotStarted(try id(), timeout: try timeout())
        case 12: self = .waitPilot(try id(), timeout: try timeout())
        case 13: self = .submit(.service(try id()), try descriptions(), many: try reader.bool("many"))
        case 14: self = .submit(.pilot(try id()), try descriptions(), many: try reader.bool("many"))
        case 15: self = .unitDetails(try id())
        case 16: self = .unitState(try id())
        case 17: self = .waitUnit(try id(), timeout: try timeout())
        case 18: self = .waitComputeService(try id(), timeout: try timeout())
        case 19: self = .cancelUnits(try reader.list("unit ids") { try $0.string("unit id") })
        case 20: self = .cancelComputeService(try id())
        case 21: self = .unitsOfComputeService(try id())
        case 22: self = .unitsOfPilot(try id())
        case 23: self = .events(try reader.bool("events"))
        case 24: self = .data(try Self.decoded(DataRequest.self, from: try reader.string("data call")))
        case 25: self = .overview(scope: try reader.optional("scope") { try $0.string("scope") }, listing: try UnitListing(from: &reader))
        case 26: self = .output(try OutputSource(from: &reader), offset: try reader.integer(Int64.self, "offset"), limit: try reader.int("limit"))
        default: throw LinkError.malformedMessage("unknown client call \(tag)")
        }
    }
}

extension ServerMessage: WireMessage {
    package func write(to writer: inout WireWriter) {
        switch self {
        case .reply(let serial, let reply):
            writer.tag(0)
            writer.integer(serial)
            reply.write(to: &writer)
        case .event(let event):
            writer.tag(1)
            event.write(to: &writer)
        case .heartbeat:
            writer.tag(2)
        }
    }

    package init(from reader: inout WireReader) throws {
        switch try reader.tag("server message") {
        case 0: self = .reply(serial: try reader.integer(UInt64.self, "serial"), try ClientReply(from: &reader))
        case 1: self = .event(try StateEvent(from: &reader))
        case 2: self = .heartbeat
        case let tag: throw LinkError.malformedMessage("unknown server message \(tag)")
        }
    }
}

extension ClientReply {
    func write(to writer: inout WireWriter) {
        switch self {
        case .welcome(let sessionID):
            writer.tag(0)
            writer.string(sessionID)
        case .done: writer.tag(1)
        case .identifier(let id):
            writer.tag(2)
            writer.string(id)
        case .identifiers(let ids):
            writer.tag(3)
            writer.list(ids) { $0.string($1) }
        case .state(let state):
            writer.tag(4)
            writer.enumeration(state)
        case .computeServiceDetails(let details):
            writer.tag(5)
            details.write(to: &writer)
        case .pilotDetails(let details):
            writer.tag(6)
            details.write(to: &writer)
        case .unitDetails(let details):
            writer.tag(7)
            details.write(to: &writer)
        case .failure(let error):
            writer.tag(8)
            writer.enumeration(error.code)
            writer.string(error.message)
        case .data(let reply):
            writer.tag(9)
            writer.string(JSONText.render(reply))
        case .overview(let overview):
            writer.tag(10)
            overview.write(to: &writer)
        case .output(let chunk):
            writer.tag(11)
            writer.bytes(chunk.bytes)
            writer.integer(chunk.size)
            writer.bool(chunk.growing)
        }
    }

    init(from reader: inout WireReader) throws {
        switch try reader.tag("client reply") {
        case 0: self = .welcome(sessionID: try reader.string("session id"))
        case 1: self = .done
        case 2: self = .identifier(try reader.string("id"))
        case 3: self = .identifiers(try reader.list("ids") { try $0.string("id") })
        case 4: self = .state(try reader.enumeration(State.self, "state"))
        case 5: self = .computeServiceDetails(try ComputeServiceDetails(from: &reader))
        case 6: self = .pilotDetails(try PilotDetails(from: &reader))
        case 7: self = .unitDetails(try UnitDetails(from: &reader))
        case 8: self = .failure(PilotError(try reader.enumeration(PilotError.Code.self, "error code"), try reader.string("error message")))
        case 9: self = .data(try ClientCall.decoded(DataReply.self, from: try reader.string("data reply")))
        case 10: self = .overview(try SessionOverview(from: &reader))
        case 11:
            self = .output(OutputChunk(bytes: try reader.bytes("output bytes"), size: try reader.integer(Int64.self, "file size"),
                                       growing: try reader.bool("growing")))
        case let tag: throw LinkError.malformedMessage("unknown client reply \(tag)")
        }
    }
}

extension ClientCall {
    /// A Pilot-Data call or reply from the JSON text it travels as.
    static func decoded<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw LinkError.malformedMessage("a Pilot-Data message is not valid: \(error)")
        }
    }
}
