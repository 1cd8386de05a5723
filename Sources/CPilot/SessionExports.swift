import Pilot

/// `pilot_event_fn`: user data, kind, id, state, previous state, reason.
public typealias PilotEventFunction = @convention(c) (
    UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, Int32, Int32, UnsafePointer<CChar>?
) -> Void

/// A C callback and its user data, called from the delivery thread. The
/// caller promises the user data may be used from that thread.
private struct EventCallback: @unchecked Sendable {
    let function: PilotEventFunction
    let userData: UnsafeMutableRawPointer?

    func deliver(_ event: StateEvent) {
        event.id.withCString { id in
            if let reason = event.reason {
                reason.withCString { function(userData, event.kind.rawValue, id, event.state.rawValue, event.previousState.rawValue, $0) }
            } else {
                function(userData, event.kind.rawValue, id, event.state.rawValue, event.previousState.rawValue, nil)
            }
        }
    }
}

func session(_ handle: OpaquePointer?) throws(PilotError) -> Session {
    try HandleTable.shared.lookup(handle, as: .session, Session.self)
}

/// `pilot_session_open`.
@_cdecl("pilot_session_open")
public func pilot_session_open(_ options: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_session")
        let parsed = try options.map { pointer throws(PilotError) in try json(pointer, "options_json") }
        let opened = try Session(options: SessionOptions(json: parsed))
        out.pointee = HandleTable.shared.insert(opened, kind: .session)
    }
}

/// `pilot_session_close`.
@_cdecl("pilot_session_close")
public func pilot_session_close(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in
        guard handle != nil else { return }
        let closing = try session(handle)
        try HandleTable.shared.remove(handle, kind: .session)
        closing.close()
    }
}

/// `pilot_session_id`.
@_cdecl("pilot_session_id")
public func pilot_session_id(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_id")
        try give(try session(handle).id, to: out)
    }
}

/// `pilot_session_coordination_url`.
@_cdecl("pilot_session_coordination_url")
public func pilot_session_coordination_url(
    _ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_url")
        let opened = try session(handle)
        if let url = opened.coordinationURL {
            try give(url, to: out)
        } else {
            out.pointee = nil
        }
    }
}

/// `pilot_session_connected`.
@_cdecl("pilot_session_connected")
public func pilot_session_connected(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_connected")
        out.pointee = try session(handle).isConnected ? 1 : 0
    }
}

/// `pilot_session_subscribe`.
@_cdecl("pilot_session_subscribe")
public func pilot_session_subscribe(
    _ handle: OpaquePointer?, _ function: PilotEventFunction?, _ userData: UnsafeMutableRawPointer?,
    _ out: UnsafeMutablePointer<UInt64>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_subscription")
        guard let function else { throw PilotError(.invalidArgument, "fn is NULL; pass a pilot_event_fn") }
        let callback = EventCallback(function: function, userData: userData)
        out.pointee = try session(handle).subscribe { callback.deliver($0) }
    }
}

/// `pilot_session_unsubscribe`.
@_cdecl("pilot_session_unsubscribe")
public func pilot_session_unsubscribe(_ handle: OpaquePointer?, _ subscription: UInt64) -> Int32 {
    status { () throws(PilotError) in
        try session(handle).unsubscribe(subscription)
    }
}

/// `pilot_session_find_pilot`.
@_cdecl("pilot_session_find_pilot")
public func pilot_session_find_pilot(
    _ handle: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_pilot")
        let pilot = try session(handle).pilot(id: try text(id, "pilot_id"))
        out.pointee = HandleTable.shared.insert(pilot, kind: .pilot)
    }
}

/// `pilot_session_find_unit`.
@_cdecl("pilot_session_find_unit")
public func pilot_session_find_unit(
    _ handle: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_unit")
        let unit = try session(handle).unit(id: try text(id, "unit_id"))
        out.pointee = HandleTable.shared.insert(unit, kind: .unit)
    }
}

/// `pilot_session_find_pcs`.
@_cdecl("pilot_session_find_pcs")
public func pilot_session_find_pcs(
    _ handle: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_pcs")
        let service = try session(handle).pilotComputeService(id: try text(id, "pcs_id"))
        out.pointee = HandleTable.shared.insert(service, kind: .pcs)
    }
}

/// `pilot_session_find_cds`.
@_cdecl("pilot_session_find_cds")
public func pilot_session_find_cds(
    _ handle: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_cds")
        let service = try session(handle).computeDataService(id: try text(id, "cds_id"))
        out.pointee = HandleTable.shared.insert(service, kind: .cds)
    }
}

/// `pilot_pcs_create`.
@_cdecl("pilot_pcs_create")
public func pilot_pcs_create(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_pcs")
        out.pointee = HandleTable.shared.insert(try session(handle).createPilotComputeService(), kind: .pcs)
    }
}

/// `pilot_cds_create`.
@_cdecl("pilot_cds_create")
public func pilot_cds_create(_ handle: OpaquePointer?, _ binding: Int32, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_cds")
        guard let binding = Binding(rawValue: binding) else {
            throw PilotError(.invalidArgument, "binding \(binding) is not a pilot_binding; use PILOT_BINDING_LATE (0) or PILOT_BINDING_EARLY (1)")
        }
        out.pointee = HandleTable.shared.insert(try session(handle).createComputeDataService(binding: binding), kind: .cds)
    }
}
