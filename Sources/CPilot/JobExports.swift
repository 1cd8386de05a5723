import Pilot

private func jobs(_ handle: OpaquePointer?) throws(PilotError) -> JobSession {
    try HandleTable.shared.lookup(handle, as: .jobService, JobSession.self)
}

/// `pilot_job_service_open`.
@_cdecl("pilot_job_service_open")
public func pilot_job_service_open(_ url: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_service")
        out.pointee = HandleTable.shared.insert(try JobSession(url: try text(url, "url")), kind: .jobService)
    }
}

/// `pilot_job_service_release`.
@_cdecl("pilot_job_service_release")
public func pilot_job_service_release(_ handle: OpaquePointer?) -> Int32 {
    status { () throws(PilotError) in try HandleTable.shared.remove(handle, kind: .jobService) }
}

/// `pilot_job_submit`.
@_cdecl("pilot_job_submit")
public func pilot_job_submit(
    _ handle: OpaquePointer?, _ job: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_id")
        let description = try JobDescription(json: try json(job, "job_json"))
        try give(try jobs(handle).submit(description), to: out)
    }
}

/// `pilot_job_submit_array`.
@_cdecl("pilot_job_submit_array")
public func pilot_job_submit_array(
    _ handle: OpaquePointer?, _ job: UnsafePointer<CChar>?, _ begin: Int32, _ end: Int32, _ step: Int32,
    _ maxParallel: Int32, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_ids_json")
        let description = try JobDescription(json: try json(job, "job_json"))
        let array = JobArray(begin: Int(begin), end: Int(end), step: Int(step), maxParallel: maxParallel == 0 ? nil : Int(maxParallel))
        try give(JSON.text(try jobs(handle).submit(description, array: array)), to: out)
    }
}

/// `pilot_job_status`.
@_cdecl("pilot_job_status")
public func pilot_job_status(
    _ handle: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<Int32>?,
    _ native: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_state")
        let status = try jobs(handle).status(of: try text(id, "id"))
        out.pointee = status.state.code
        if let native { try give(status.native, to: native) }
    }
}

/// `pilot_job_info`.
@_cdecl("pilot_job_info")
public func pilot_job_info(
    _ handle: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_json")
        try give(JSON.text(JobInfoJSON(info: try jobs(handle).info(of: try text(id, "id")))), to: out)
    }
}

/// `pilot_job_control`.
@_cdecl("pilot_job_control")
public func pilot_job_control(_ handle: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ action: Int32) -> Int32 {
    status { () throws(PilotError) in
        try jobs(handle).control(try JobControl(code: action), try text(id, "id"))
    }
}

/// `pilot_job_wait`.
@_cdecl("pilot_job_wait")
public func pilot_job_wait(
    _ handle: OpaquePointer?, _ ids: UnsafePointer<CChar>?, _ mask: UInt32, _ seconds: Double,
    _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    status { () throws(PilotError) in
        guard case .array(let values) = try json(ids, "ids_json") else {
            throw PilotError(.invalidArgument, "ids_json must be a JSON list of job ids")
        }
        let list = try values.map { value throws(PilotError) -> String in
            guard case .string(let id) = value else { throw PilotError(.invalidArgument, "ids_json must hold strings, got \(value.typeName)") }
            return id
        }
        let statuses = try jobs(handle).wait(for: list, until: try JobState.states(inMask: mask), timeout: seconds)
        if let out { try give(JSON.text(statuses.mapValues(\.state.code)), to: out) }
    }
}

/// `pilot_job_delete`.
@_cdecl("pilot_job_delete")
public func pilot_job_delete(_ handle: OpaquePointer?, _ id: UnsafePointer<CChar>?) -> Int32 {
    status { () throws(PilotError) in try jobs(handle).delete(try text(id, "id")) }
}

/// `pilot_job_list`.
@_cdecl("pilot_job_list")
public func pilot_job_list(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in
        try give(JSON.text(try jobs(handle).jobs()), to: try required(out, "out_ids_json"))
    }
}

/// `pilot_job_queues`.
@_cdecl("pilot_job_queues")
public func pilot_job_queues(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in
        try give(JSON.text(try jobs(handle).queues()), to: try required(out, "out_json"))
    }
}

/// `pilot_job_resource_status`.
@_cdecl("pilot_job_resource_status")
public func pilot_job_resource_status(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    status { () throws(PilotError) in
        try give(JSON.text(try jobs(handle).resourceStatus()), to: try required(out, "out_json"))
    }
}

/// `pilot_job_output_files`.
@_cdecl("pilot_job_output_files")
public func pilot_job_output_files(
    _ handle: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_json")
        try give(JSON.text(try jobs(handle).outputFiles(of: try text(id, "id"))), to: out)
    }
}

/// `pilot_job_peek`.
@_cdecl("pilot_job_peek")
public func pilot_job_peek(
    _ handle: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ offset: Int64, _ size: Int64,
    _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    status { () throws(PilotError) in
        let out = try required(out, "out_text")
        guard size >= 0 else { throw PilotError(.invalidArgument, "size \(size) must not be negative") }
        try give(try jobs(handle).peek(try text(path, "path"), offset: Int(offset), size: Int(size)), to: out)
    }
}
