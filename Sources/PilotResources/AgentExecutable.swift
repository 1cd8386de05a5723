import Crypto
import Glibc
import PilotModel
import PilotSystem

/// Finds the `pilot-agent` executable: `$PILOT_AGENT` if set, otherwise
/// beside the binary that holds this code (libpilot.so, or the program
/// pilot is linked into), which is where builds and the Python package put
/// it. For agents on other hosts, which may have no Swift runtime, the
/// statically linked `pilot-agent-static` there comes first
/// (`.ci/build-static-agent.sh` builds it).
package enum AgentExecutable {
    /// The name of the statically linked agent beside the library.
    package static let staticName = "pilot-agent-static"

    /// The agent's path, or an error saying where it was looked for;
    /// `otherHosts`: the agent may run on a host without Swift.
    package static func locate(otherHosts: Bool = false) throws(PilotError) -> String {
        if let explicit = Environment.value("PILOT_AGENT") {
            guard access(explicit, X_OK) == 0 else {
                throw PilotError(.invalidArgument, "PILOT_AGENT=\(explicit) is not an executable file; unset it or point it at pilot-agent")
            }
            return explicit
        }
        guard let image = FileSystem.ownImagePath() else {
            throw PilotError(.internal, "cannot tell where libpilot is installed; set PILOT_AGENT to the pilot-agent executable")
        }
        let directory = image.lastIndex(of: "/").map { String(image[..<$0]) } ?? "."
        if otherHosts, access(directory + "/" + staticName, X_OK) == 0 {
            return directory + "/" + staticName
        }
        let candidate = directory + "/pilot-agent"
        guard access(candidate, X_OK) == 0 else {
            throw PilotError(.internal, "pilot-agent not found at \(candidate); build it (swift build) or set PILOT_AGENT to its path")
        }
        return candidate
    }

    /// The SHA-256 of the file at `path` as hex (read in chunks), or nil if it cannot be read.
    package static func checksum(of path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var hash = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            guard count > 0 else { return nil }
            hash.update(data: chunk[0..<count])
        }
        return Hex.text(hash.finalize())
    }
}
