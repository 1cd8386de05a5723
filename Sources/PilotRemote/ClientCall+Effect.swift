import PilotLink

extension ClientCall {
    /// Whether the call creates something (services, pilots, units): when
    /// the link dies while it is in flight, the coordinator may have done it
    /// before dying, and repeating it blindly would do it twice.
    var creates: Bool {
        switch self {
        case .createPilotComputeService, .createComputeDataService, .createPilot, .submit: true
        default: false
        }
    }
}
