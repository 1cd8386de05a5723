import Pilot

private func pilot(_ handle: OpaquePointer?) throws(PilotError) -> PilotCompute {
    try HandleTable.shared.lookup(handle, as: .pilot, PilotCompute.self)
}

/// `pilot_compute_id`.
@_cdecl("pilot_compute_id")
public func pilot_compute_id(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(try pilot(handle).id, to: try required(out, "out_id")) }
}

/// `pilot_compute_state`.
@_cdecl("pilot_compute_state")
public func pilot_compute_state(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_state")
        out.pointee = try pilot(handle).state().rawValue
    }
}

/// `pilot_compute_details`.
@_cdecl("pilot_compute_details")
public func pilot_compute_details(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_json")
        try give(JSON.text(try pilot(handle).details()), to: out)
    }
}

/// `pilot_compute_submit`.
@_cdecl("pilot_compute_submit")
public func pilot_compute_submit(
    _ handle: OpaquePointer?, _ description: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_unit")
        let unit = try pilot(handle).submit(try json(description, "unit_json"))
        out.pointee = HandleTable.shared.insert(unit, kind: .unit)
    }
}

/// `pilot_compute_wait_started`.
@_cdecl("pilot_compute_wait_started")
public func pilot_compute_wait_started(_ handle: OpaquePointer?, _ seconds: Double, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    status { () throws(PilotError) in
        let state = try pilot(handle).waitUntilStarted(timeout: seconds)
        out?.pointee = state.rawValue
    }
}

/// `pilot_compute_wait`.
@_cdecl("pilot_compute_wait")
public func pilot_compute_wait(_ handle: OpaquePointer?, _ seconds: Double, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    status { () throws(PilotError) in
        let state = try pilot(handle).wait(timeout: seconds)
        out?.pointee = state.rawValue
    }
}

/// `pilot_compute_cancel`.
@_cdecl("pilot_compute_cancel")
public func pilot_compute_cancel(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try pilot(handle).cancel() }
}

/// `pilot_compute_list_units`.
@_cdecl("pilot_compute_list_units")
public func pilot_compute_list_units(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_ids_json")
        try give(idList(try pilot(handle).units().map(\.id)), to: out)
    }
}

/// `pilot_compute_release`.
@_cdecl("pilot_compute_release")
public func pilot_compute_release(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try HandleTable.shared.remove(handle, kind: .pilot) }
}
