import Glibc
import PilotModel
import PilotSystem

/// Reverse forwards from login hosts back to this coordinator, for
/// `AgentRelay`: one `ssh -R 127.0.0.1:0:<coordinator> <login> cat` per
/// login host and coordinator address, made with the first `+ssh` pilot
/// there and kept while it lives. Its stdin is a pipe only this process
/// holds: however the process ends, the remote `cat` then reads end of
/// file, and the ssh and its forward end with it.
package final class LoginTunnels: Sendable {
    /// The tunnels of this process.
    package static let shared = LoginTunnels()

    private struct Tunnel {
        let pid: pid_t
        let port: Int
    }

    /// Seconds ssh may take to report the port it was given.
    static let startLimit = 20.0

    private let tunnels = Monitor<[String: Tunnel]>([:])

    /// The port on `ssh`'s host that forwards to `target`, made on first use
    /// (or again if the ssh that held it has ended).
    func port(over ssh: SshCommand, to target: NetworkAddress) -> Result<Int, PilotError> {
        let key = ssh.arguments().joined(separator: " ") + " -> " + target.text
        if let tunnel = tunnels.withLock({ $0[key] }), Self.isRunning(tunnel.pid) { return .success(tunnel.port) }
        let started = Self.start(over: ssh, to: target)
        if case .success(let tunnel) = started { tunnels.withLock { $0[key] = tunnel } }
        return started.map(\.port)
    }

    private static func isRunning(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    private static func start(over ssh: SshCommand, to target: NetworkAddress) -> Result<Tunnel, PilotError> {
        let failed = { (reason: String) in
            PilotError(.backend, "\(ssh.destination): cannot forward a port back to this coordinator for agents that cannot reach it: \(reason)")
        }
        let log = Environment.temporaryDirectory + "/pilot-tunnel-\(getpid())-\(Secret.make().prefix(8)).log"
        defer { unlink(log) }
        let input: (read: Int32, write: Int32)
        switch ProcessSpawner.makePipe() {
        case .success(let pipe): input = pipe
        case .failure(let failure): return .failure(failed(failure.reason))
        }
        let forward = "127.0.0.1:0:\(target.host):\(target.port)"
        var request = SpawnRequest(
            arguments: ssh.arguments(["-o", "ExitOnForwardFailure=yes", "-o", "ServerAliveInterval=30", "-R", forward]) + ["cat"],
            environment: Environment.current(), workingDirectory: nil, input: nil, output: "", error: log)
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        request.pipes = (input.read, null)
        let spawned = ProcessSpawner.spawn(request)
        close(input.read)
        close(null)
        // The write end stays open, unused, until this process ends.
        guard case .success(let pid) = spawned else {
            close(input.write)
            if case .failure(let failure) = spawned { return .failure(failed(failure.reason)) }
            return .failure(failed("ssh did not start"))
        }
        let deadline = WallClock.monotonic() + startLimit
        while WallClock.monotonic() < deadline {
            let text = FileSystem.read(log) ?? ""
            if let port = allocatedPort(in: text) { return .success(Tunnel(pid: pid, port: port)) }
            guard isRunning(pid) else {
                close(input.write)
                return .failure(failed(text.trimmed.isEmpty ? "ssh ended" : text.trimmed))
            }
            Sleep.seconds(0.02)
        }
        ProcessSpawner.signalGroup(pid, SIGKILL)
        close(input.write)
        return .failure(failed("ssh did not report a forwarded port within \(Int(startLimit)) s"))
    }

    /// The port in ssh's `Allocated port N for remote forward to HOST:PORT`.
    static func allocatedPort(in text: String) -> Int? {
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("Allocated port ") {
            if let port = line.dropFirst("Allocated port ".count).split(separator: " ").first.flatMap({ Int($0) }) { return port }
        }
        return nil
    }
}
