import Pilot

private func pcs(_ handle: OpaquePointer?) throws(PilotError) -> PilotComputeService {
    try HandleTable.shared.lookup(handle, as: .pcs, PilotComputeService.self)
}

func cds(_ handle: OpaquePointer?) throws(PilotError) -> ComputeDataService {
    try HandleTable.shared.lookup(handle, as: .cds, ComputeDataService.self)
}

/// A JSON array of strings.
func idList(_ ids: [String]) -> String {
    JSON.text(ids)
}

/// `pilot_pcs_id`.
@_cdecl("pilot_pcs_id")
public func pilot_pcs_id(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(try pcs(handle).id, to: try required(out, "out_id")) }
}

/// `pilot_pcs_create_pilot`.
@_cdecl("pilot_pcs_create_pilot")
public func pilot_pcs_create_pilot(
    _ handle: OpaquePointer?, _ description: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_pilot")
        let pilot = try pcs(handle).createPilot(try json(description, "description_json"))
        out.pointee = HandleTable.shared.insert(pilot, kind: .pilot)
    }
}

/// `pilot_pcs_list_pilots`.
@_cdecl("pilot_pcs_list_pilots")
public func pilot_pcs_list_pilots(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_ids_json")
        try give(idList(try pcs(handle).pilots().map(\.id)), to: out)
    }
}

/// `pilot_pcs_cancel`.
@_cdecl("pilot_pcs_cancel")
public func pilot_pcs_cancel(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try pcs(handle).cancel() }
}

/// `pilot_pcs_release`.
@_cdecl("pilot_pcs_release")
public func pilot_pcs_release(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try HandleTable.shared.remove(handle, kind: .pcs) }
}

/// `pilot_cds_id`.
@_cdecl("pilot_cds_id")
public func pilot_cds_id(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(try cds(handle).id, to: try required(out, "out_id")) }
}

/// `pilot_cds_add_pcs`.
@_cdecl("pilot_cds_add_pcs")
public func pilot_cds_add_pcs(_ handle: OpaquePointer?, _ pcsHandle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try cds(handle).add(try pcs(pcsHandle)) }
}

/// `pilot_cds_remove_pcs`.
@_cdecl("pilot_cds_remove_pcs")
public func pilot_cds_remove_pcs(_ handle: OpaquePointer?, _ pcsHandle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try cds(handle).remove(try pcs(pcsHandle)) }
}

/// `pilot_cds_submit`.
@_cdecl("pilot_cds_submit")
public func pilot_cds_submit(
    _ handle: OpaquePointer?, _ description: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_unit")
        let unit = try cds(handle).submit(try json(description, "unit_json"))
        out.pointee = HandleTable.shared.insert(unit, kind: .unit)
    }
}

/// `pilot_cds_submit_many`.
@_cdecl("pilot_cds_submit_many")
public func pilot_cds_submit_many(
    _ handle: OpaquePointer?, _ descriptions: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_ids_json")
        guard case .array(let list) = try json(descriptions, "units_json") else {
            throw PilotError(.invalidArgument, "units_json must be a JSON array of unit descriptions")
        }
        try give(idList(try cds(handle).submit(many: list).map(\.id)), to: out)
    }
}

/// `pilot_cds_wait`.
@_cdecl("pilot_cds_wait")
public func pilot_cds_wait(_ handle: OpaquePointer?, _ seconds: Double) -> Int32 {
    status { () throws(PilotError) in try cds(handle).wait(timeout: seconds) }
}

/// `pilot_cds_cancel`.
@_cdecl("pilot_cds_cancel")
public func pilot_cds_cancel(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try cds(handle).cancel() }
}

/// `pilot_cds_details`.
@_cdecl("pilot_cds_details")
public func pilot_cds_details(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_json")
        try give(JSON.text(try cds(handle).details()), to: out)
    }
}

/// `pilot_cds_list_units`.
@_cdecl("pilot_cds_list_units")
public func pilot_cds_list_units(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_ids_json")
        try give(idList(try cds(handle).units().map(\.id)), to: out)
    }
}

/// `pilot_cds_release`.
@_cdecl("pilot_cds_release")
public func pilot_cds_release(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try HandleTable.shared.remove(handle, kind: .cds) }
}
