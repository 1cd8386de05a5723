import PilotLink
import PilotModel
import PilotSystem

extension Coordinator {
    /// Where a source's file is and who can read it.
    private struct OutputPlace {
        var path: String?
        var node: String?
        var agent: (link: any AgentLink, id: LinkID)?
        var growing: Bool
    }

    /// Up to `limit` bytes (at most 1 MiB) of `source` from `offset`. A
    /// running unit's output is read by its agent, on the node the unit
    /// runs on; an ended one's here, where its pilot's sandbox may be
    /// shared. A unit that has not started has no output yet.
    package func output(of source: OutputSource, offset: Int64, limit: Int) throws(PilotError) -> OutputChunk {
        guard offset >= 0, limit >= 0 else {
            throw PilotError(.invalidArgument, "offset and limit must not be negative (got \(offset), \(limit))")
        }
        let place = try locate(source)
        guard let path = place.path else { return OutputChunk(bytes: [], size: 0, growing: place.growing) }
        let chunk: FileChunk
        if let agent = place.agent {
            chunk = try state.reads.read(FileRead(request: 0, path: path, node: place.node, offset: offset, limit: min(limit, 1 << 20)),
                                         from: agent.link, id: agent.id)
        } else {
            switch FileWindow.read(path, offset: offset, limit: min(limit, 1 << 20)) {
            case .success(let window): chunk = FileChunk(request: 0, bytes: window.bytes, size: window.size, problem: nil)
            case .failure(let error): throw PilotError(.backend, error.message)
            }
            if chunk.size == 0, let node = place.node, node != FileSystem.hostName() {
                throw PilotError(.unsupported, "\(path) is on \(node) and its pilot has ended: no agent there can read it")
            }
        }
        return OutputChunk(bytes: chunk.bytes, size: chunk.size, growing: place.growing)
    }

    private func locate(_ source: OutputSource) throws(PilotError) -> OutputPlace {
        switch source {
        case .unit(let id, let error):
            return try read(unit: id) { registry, unit in
                let name = error ? unit.description.error : unit.description.output
                let path = unit.workingDirectory.map { name.hasPrefix("/") ? name : $0 + "/" + name }
                let link = unit.pilot.flatMap { $0.state.isFinal ? nil : $0.link }
                let agent = link.flatMap { id in state.links[id].map { (link: $0, id: id) } }
                return OutputPlace(path: path, node: unit.host, agent: agent, growing: !unit.state.isFinal)
            }
        case .agentLog(let id):
            return try read(pilot: id) { _, pilot in
                OutputPlace(path: PilotLogs.path(pilotID: id, workingDirectory: pilot.description.workingDirectory),
                            node: nil, agent: nil, growing: !pilot.state.isFinal)
            }
        }
    }
}
