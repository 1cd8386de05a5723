import PilotModel
import PilotSystem

/// Descriptions in JSON or YAML files (YAML unless the name ends in .json).
package enum DescriptionFile {
    /// The unit descriptions in the file at `path` (`-`: standard input): a
    /// list of descriptions, an object whose "units" is that list, or one description.
    package static func units(at path: String) throws(PilotError) -> [JSONValue] {
        try descriptions(in: read(path), path: path)
    }

    /// The document in the file at `path` (`-`: standard input).
    package static func read(_ path: String) throws(PilotError) -> JSONValue {
        let text: String
        if path == "-" {
            text = FileSystem.readAll(0)
        } else {
            guard FileSystem.exists(path), !FileSystem.isDirectory(path), let contents = FileSystem.read(path) else {
                throw PilotError(.notFound, "cannot read \(path): no such file (or not readable); pass a JSON or YAML file of descriptions")
            }
            text = contents
        }
        return path.hasSuffix(".json")
            ? try JSONText.parse(text, what: "the file \(path)")
            : try YAMLReader.parse(text, name: "the file \(path)")
    }

    private static func descriptions(in document: JSONValue, path: String) throws(PilotError) -> [JSONValue] {
        let units: [JSONValue]
        switch document {
        case .array(let list): units = list
        case .object(let fields) where fields["units"] != nil:
            guard case .array(let list)? = fields["units"] else {
                throw PilotError(.invalidArgument, "\"units\" in the unit file \(path) is not a list; make it a list of unit descriptions")
            }
            units = list
        case .object: units = [document]
        default:
            throw PilotError(.invalidArgument, "the unit file \(path) holds \(JSONText.render(document)), not unit descriptions; write a list of objects such as {\"executable\": \"/bin/date\"}")
        }
        guard !units.isEmpty else {
            throw PilotError(.invalidArgument, "the unit file \(path) holds no units; list at least one description")
        }
        return units
    }
}
