import Pilot

private func pds(_ handle: OpaquePointer?) throws(PilotError) -> PilotDataService {
    try HandleTable.shared.lookup(handle, as: .pds, PilotDataService.self)
}

private func pilotData(_ handle: OpaquePointer?) throws(PilotError) -> PilotData {
    try HandleTable.shared.lookup(handle, as: .pilotData, PilotData.self)
}

private func dataUnit(_ handle: OpaquePointer?) throws(PilotError) -> DataUnit {
    try HandleTable.shared.lookup(handle, as: .dataUnit, DataUnit.self)
}

/// A JSON array of strings passed in, or the error naming `name`.
private func strings(_ json: UnsafePointer<CChar>?, _ name: String) throws(PilotError) -> [String] {
    guard case .array(let items) = try CPilot.json(json, name) else {
        throw PilotError(.invalidArgument, "\(name) must be a JSON array of strings")
    }
    var texts: [String] = []
    for item in items {
        guard case .string(let text) = item else { throw PilotError(.invalidArgument, "\(name) must be a JSON array of strings") }
        texts.append(text)
    }
    return texts
}

/// `pilot_pds_create`.
@_cdecl("pilot_pds_create")
public func pilot_pds_create(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_pds")
        out.pointee = HandleTable.shared.insert(try session(handle).createPilotDataService(), kind: .pds)
    }
}

/// `pilot_session_find_pds`.
@_cdecl("pilot_session_find_pds")
public func pilot_session_find_pds(_ handle: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_pds")
        out.pointee = HandleTable.shared.insert(try session(handle).pilotDataService(id: try text(id, "pds_id")), kind: .pds)
    }
}

/// `pilot_session_find_pilot_data`.
@_cdecl("pilot_session_find_pilot_data")
public func pilot_session_find_pilot_data(_ handle: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_pilot_data")
        out.pointee = HandleTable.shared.insert(try session(handle).pilotData(id: try text(id, "pilot_data_id")), kind: .pilotData)
    }
}

/// `pilot_session_find_du`.
@_cdecl("pilot_session_find_du")
public func pilot_session_find_du(_ handle: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_du")
        out.pointee = HandleTable.shared.insert(try session(handle).dataUnit(id: try text(id, "du_id")), kind: .dataUnit)
    }
}

/// `pilot_pds_id`.
@_cdecl("pilot_pds_id")
public func pilot_pds_id(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(try pds(handle).id, to: try required(out, "out_id")) }
}

/// `pilot_pds_create_pilot_data`.
@_cdecl("pilot_pds_create_pilot_data")
public func pilot_pds_create_pilot_data(
    _ handle: OpaquePointer?, _ description: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_pilot_data")
        let created = try pds(handle).createPilotData(try json(description, "description_json"))
        out.pointee = HandleTable.shared.insert(created, kind: .pilotData)
    }
}

/// `pilot_pds_details`.
@_cdecl("pilot_pds_details")
public func pilot_pds_details(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(JSON.text(try pds(handle).details()), to: try required(out, "out_json")) }
}

/// `pilot_pds_cancel`.
@_cdecl("pilot_pds_cancel")
public func pilot_pds_cancel(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try pds(handle).cancel() }
}

/// `pilot_pds_release`.
@_cdecl("pilot_pds_release")
public func pilot_pds_release(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try HandleTable.shared.remove(handle, kind: .pds) }
}

/// `pilot_data_id`.
@_cdecl("pilot_data_id")
public func pilot_data_id(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(try pilotData(handle).id, to: try required(out, "out_id")) }
}

/// `pilot_data_submit`.
@_cdecl("pilot_data_submit")
public func pilot_data_submit(
    _ handle: OpaquePointer?, _ description: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_du")
        out.pointee = HandleTable.shared.insert(try pilotData(handle).submit(try json(description, "du_json")), kind: .dataUnit)
    }
}

/// `pilot_data_replicate`.
@_cdecl("pilot_data_replicate")
public func pilot_data_replicate(_ handle: OpaquePointer?, _ duHandle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try pilotData(handle).replicate(try dataUnit(duHandle)) }
}

/// `pilot_data_details`.
@_cdecl("pilot_data_details")
public func pilot_data_details(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(JSON.text(try pilotData(handle).details()), to: try required(out, "out_json")) }
}

/// `pilot_data_cancel`.
@_cdecl("pilot_data_cancel")
public func pilot_data_cancel(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try pilotData(handle).cancel() }
}

/// `pilot_data_release`.
@_cdecl("pilot_data_release")
public func pilot_data_release(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try HandleTable.shared.remove(handle, kind: .pilotData) }
}

/// `pilot_cds_add_pds`.
@_cdecl("pilot_cds_add_pds")
public func pilot_cds_add_pds(_ handle: OpaquePointer?, _ pdsHandle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try cds(handle).add(try pds(pdsHandle)) }
}

/// `pilot_cds_remove_pds`.
@_cdecl("pilot_cds_remove_pds")
public func pilot_cds_remove_pds(_ handle: OpaquePointer?, _ pdsHandle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try cds(handle).remove(try pds(pdsHandle)) }
}

/// `pilot_cds_submit_data`.
@_cdecl("pilot_cds_submit_data")
public func pilot_cds_submit_data(
    _ handle: OpaquePointer?, _ description: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_du")
        out.pointee = HandleTable.shared.insert(try cds(handle).submit(data: try json(description, "du_json")), kind: .dataUnit)
    }
}

/// `pilot_cds_list_pds`.
@_cdecl("pilot_cds_list_pds")
public func pilot_cds_list_pds(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(idList(try cds(handle).pilotDataServices().map(\.id)), to: try required(out, "out_ids_json")) }
}

/// `pilot_cds_list_data_units`.
@_cdecl("pilot_cds_list_data_units")
public func pilot_cds_list_data_units(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(idList(try cds(handle).dataUnits().map(\.id)), to: try required(out, "out_ids_json")) }
}

/// `pilot_du_id`.
@_cdecl("pilot_du_id")
public func pilot_du_id(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(try dataUnit(handle).id, to: try required(out, "out_id")) }
}

/// `pilot_du_details`.
@_cdecl("pilot_du_details")
public func pilot_du_details(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(JSON.text(try dataUnit(handle).details()), to: try required(out, "out_json")) }
}

/// `pilot_du_wait`.
@_cdecl("pilot_du_wait")
public func pilot_du_wait(_ handle: OpaquePointer?, _ seconds: Double, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    status { () throws(PilotError) in
        let state = try dataUnit(handle).wait(timeout: seconds)
        out?.pointee = state.rawValue
    }
}

/// `pilot_du_add_files`.
@_cdecl("pilot_du_add_files")
public func pilot_du_add_files(_ handle: OpaquePointer?, _ urls: UnsafePointer<CChar>?) -> Int32 {
    status { () throws(PilotError) in try dataUnit(handle).add(files: try strings(urls, "urls_json")) }
}

/// `pilot_du_remove_files`.
@_cdecl("pilot_du_remove_files")
public func pilot_du_remove_files(_ handle: OpaquePointer?, _ names: UnsafePointer<CChar>?) -> Int32 {
    status { () throws(PilotError) in try dataUnit(handle).remove(files: try strings(names, "names_json")) }
}

/// `pilot_du_list`.
@_cdecl("pilot_du_list")
public func pilot_du_list(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in try give(JSON.text(try dataUnit(handle).list()), to: try required(out, "out_names_json")) }
}

/// `pilot_du_export`.
@_cdecl("pilot_du_export")
public func pilot_du_export(_ handle: OpaquePointer?, _ directory: UnsafePointer<CChar>?) -> Int32 {
    status { () throws(PilotError) in try dataUnit(handle).export(to: try text(directory, "directory")) }
}

/// `pilot_du_cancel`.
@_cdecl("pilot_du_cancel")
public func pilot_du_cancel(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try dataUnit(handle).cancel() }
}

/// `pilot_du_release`.
@_cdecl("pilot_du_release")
public func pilot_du_release(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try HandleTable.shared.remove(handle, kind: .dataUnit) }
}
