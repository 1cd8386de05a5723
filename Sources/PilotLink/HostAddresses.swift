import NIOCore
import PilotModel

/// The addresses other hosts may reach this one at.
package enum HostAddresses {
    /// What to tell peers for a listener bound to `bound`: for a wildcard
    /// (`0.0.0.0`, `::`) every IPv4 address of this host's interfaces but
    /// loopback (a peer tries them in order), else the bound address itself.
    package static func advertised(for bound: NetworkAddress) -> [NetworkAddress] {
        guard bound.host == "0.0.0.0" || bound.host == "::" else { return [bound] }
        let devices = (try? System.enumerateDevices()) ?? []
        var seen = Set<String>()
        let hosts = devices.compactMap { device -> String? in
            guard case .v4 = device.address, let ip = device.address?.ipAddress, !ip.hasPrefix("127.") else { return nil }
            return ip
        }.filter { seen.insert($0).inserted }
        return (hosts.isEmpty ? ["127.0.0.1"] : hosts).map { NetworkAddress(host: $0, port: bound.port) }
    }
}
