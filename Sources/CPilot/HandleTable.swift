import Pilot
import Synchronization

/// The objects behind C handles. A handle is a number (never an address),
/// so an unknown, released or forged handle is a lookup miss that becomes
/// PILOT_ERR_NOT_FOUND instead of a crash. Numbers are never reused.
final class HandleTable: Sendable {
    /// The kinds of handles, tagged into the low bits of each number.
    enum Kind: UInt, Sendable {
        case session = 1, pcs, pilot, cds, unit, jobService, pds, pilotData, dataUnit

        var typeName: String {
            switch self {
            case .session: "pilot_session"
            case .pcs: "pilot_pcs"
            case .pilot: "pilot_compute"
            case .cds: "pilot_cds"
            case .unit: "pilot_unit"
            case .jobService: "pilot_job_service"
            case .pds: "pilot_pds"
            case .pilotData: "pilot_data"
            case .dataUnit: "pilot_du"
            }
        }
    }

    private struct Entries {
        var objects: [UInt: any Sendable] = [:]
        var next: UInt = 1
    }

    private let entries = Mutex(Entries())

    /// The process-wide table.
    static let shared = HandleTable()

    /// Registers `object` and returns its new handle.
    func insert(_ object: any Sendable, kind: Kind) -> OpaquePointer? {
        let number = entries.withLock { (entries: inout Entries) -> UInt in
            let number = entries.next << 4 | kind.rawValue
            entries.next += 1
            entries.objects[number] = object
            return number
        }
        return OpaquePointer(bitPattern: number)
    }

    /// The object behind `handle` if it is a live handle of `kind`.
    func lookup<Object>(_ handle: OpaquePointer?, as kind: Kind, _ type: Object.Type) throws(PilotError) -> Object {
        guard let handle else {
            throw PilotError(.invalidArgument, "\(kind.typeName) handle is NULL")
        }
        let number = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(handle)))
        let object = entries.withLock { $0.objects[number] }
        guard number & 0xf == kind.rawValue, let typed = object as? Object else {
            throw PilotError(.notFound, "unknown or released \(kind.typeName) handle")
        }
        return typed
    }

    /// Forgets `handle`; NULL is a no-op.
    func remove(_ handle: OpaquePointer?, kind: Kind) throws(PilotError) {
        guard let handle else { return }
        let number = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(handle)))
        let removed = entries.withLock { (entries: inout Entries) -> Bool in
            guard number & 0xf == kind.rawValue else { return false }
            return entries.objects.removeValue(forKey: number) != nil
        }
        guard removed else { throw PilotError(.notFound, "unknown or released \(kind.typeName) handle") }
    }
}
