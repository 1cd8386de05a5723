import PilotModel

/// What units' `input_data` and `output_data` become: staging directives
/// to and from the data units' primary replicas.
extension DataStore {
    /// Parses a unit description and adds the staging its data units ask
    /// for. An input data unit still being filled is waited for (unless
    /// `waitingForInputs` is false: a restart re-reads journaled units); one
    /// that is not Running then refuses the unit. A unit without affinity labels of its own
    /// takes those of its first input's pilot data (early binding then
    /// places it near its data).
    func describe(_ json: JSONValue, waitingForInputs: Bool = true) throws(PilotError) -> UnitDescription {
        var description = try UnitDescription(json: json)
        guard !description.inputData.isEmpty || !description.outputData.isEmpty else { return description }
        for id in description.inputData where waitingForInputs {
            let state = try wait(id, timeout: nil)
            guard state == .running else { throw PilotError(.invalidState, "input data unit \(id) is \(state.name); a unit cannot read it") }
        }
        let resolved = try locked { contents throws(PilotError) -> (inputs: [String], outputs: [String: [String]], labels: PilotDataDescription?) in
            var inputs: [String] = []
            var labels: PilotDataDescription?
            for id in description.inputData {
                let unit = try record(id, .dataUnit, in: contents).get()
                guard let primary = unit.replicas.first ?? unit.filling.first, let place = directory(of: unit, in: primary, contents) else {
                    throw PilotError(.invalidState, "input data unit \(id) has no replica")
                }
                inputs.append(place)
                if labels == nil, let pilotData = contents.records[primary] { labels = try? PilotDataDescription(json: pilotData.description) }
            }
            var outputs: [String: [String]] = [:]
            for output in description.outputData {
                let unit = try record(output.dataUnit, .dataUnit, in: contents).get()
                let places = (unit.replicas + unit.filling).compactMap { directory(of: unit, in: $0, contents) }
                guard unit.state == .running || unit.state == .pending, !places.isEmpty else {
                    throw PilotError(.invalidState, "output data unit \(output.dataUnit) is \(unit.state.name); a unit cannot write to it")
                }
                outputs[output.dataUnit] = places
            }
            return (inputs, outputs, labels)
        }
        description.staging.input += resolved.inputs.map { StagingDirective(source: $0 + "/*", target: "./", action: .link) }
        // Outputs go to every replica the data unit has now: copied to all but the last, moved to the last.
        for output in description.outputData {
            guard let places = resolved.outputs[output.dataUnit] else { continue }
            for (index, place) in places.enumerated() {
                let action: StagingAction = index == places.count - 1 ? .move : .copy
                description.staging.output += output.patterns.map { StagingDirective(source: $0, target: place + "/", action: action) }
            }
        }
        if description.affinityDatacenterLabel == nil && description.affinityMachineLabel == nil, let labels = resolved.labels {
            description.affinityDatacenterLabel = labels.affinityDatacenterLabel
            description.affinityMachineLabel = labels.affinityMachineLabel
        }
        return description
    }
}
