import Pilot

private func unit(_ handle: OpaquePointer?) throws(PilotError) -> ComputeUnit {
    try HandleTable.shared.lookup(handle, as: .unit, ComputeUnit.self)
}

/// `pilot_unit_id`.
@_cdecl("pilot_unit_id")
public func pilot_unit_id(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(try unit(handle).id, to: try required(out, "out_id")) }
}

/// `pilot_unit_state`.
@_cdecl("pilot_unit_state")
public func pilot_unit_state(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_state")
        out.pointee = try unit(handle).state().rawValue
    }
}

/// `pilot_unit_details`.
@_cdecl("pilot_unit_details")
public func pilot_unit_details(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_json")
        try give(JSON.text(try unit(handle).details()), to: out)
    }
}

/// `pilot_unit_wait`.
@_cdecl("pilot_unit_wait")
public func pilot_unit_wait(_ handle: OpaquePointer?, _ seconds: Double, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    status { () throws(PilotError) in
        let state = try unit(handle).wait(timeout: seconds)
        out?.pointee = state.rawValue
    }
}

/// `pilot_unit_cancel`.
@_cdecl("pilot_unit_cancel")
public func pilot_unit_cancel(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try unit(handle).cancel() }
}

/// `pilot_unit_release`.
@_cdecl("pilot_unit_release")
public func pilot_unit_release(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try HandleTable.shared.remove(handle, kind: .unit) }
}
