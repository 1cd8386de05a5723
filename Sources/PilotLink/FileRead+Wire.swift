import PilotModel

extension FileRead {
    func write(to writer: inout WireWriter) {
        writer.integer(request)
        writer.string(path)
        writer.optional(node) { $0.string($1) }
        writer.integer(offset)
        writer.int(limit)
    }

    init(from reader: inout WireReader) throws {
        self.init(request: try reader.integer(UInt64.self, "request"), path: try reader.string("path"),
                  node: try reader.optional("node") { try $0.string("node") }, offset: try reader.integer(Int64.self, "offset"),
                  limit: try reader.int("limit"))
    }
}

extension FileChunk {
    func write(to writer: inout WireWriter) {
        writer.integer(request)
        writer.bytes(bytes)
        writer.integer(size)
        writer.optional(problem) { $0.string($1) }
    }

    init(from reader: inout WireReader) throws {
        self.init(request: try reader.integer(UInt64.self, "request"), bytes: try reader.bytes("file bytes"),
                  size: try reader.integer(Int64.self, "file size"), problem: try reader.optional("problem") { try $0.string("problem") })
    }
}
