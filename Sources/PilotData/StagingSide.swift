import Glibc
import PilotModel
import PilotSystem

/// One end of a staging step: this host's file system, or a remote host
/// over its ssh connection. Sets of files travel between ends as one tar
/// stream, land in a hidden partial directory beside their target, are
/// checked against the source's manifest (each file's POSIX `cksum`: CRC
/// and size, computed by the same tool at both ends), and only then are
/// renamed into place: a partial copy is never visible under its name.
enum StagingSide {
    case local
    case remote(SshConnection)

    /// The entries `pattern` (a name or glob) matches in `directory`, and
    /// the manifest of their files.
    func describe(_ pattern: String, in directory: String) -> Result<(names: [String], manifest: Manifest), StagingFailure> {
        // Links are followed (their contents travel, see `pack`); a name with a line break cannot be listed line by line.
        let script = "cd -- \(ShellLine.quoted(directory)) || exit 2\nset -- ./\(Self.glob(pattern))\n"
            + "[ -e \"$1\" ] || [ -L \"$1\" ] || { echo \"no file matches \(Self.quotedForEcho(pattern)) in \(Self.quotedForEcho(directory))\" >&2; exit 2; }\n"
            + "nl=$(printf '\\n.'); nl=${nl%.}; cr=$(printf '\\r')\n"
            + "bad=$(find -L \"$@\" \\( -name \"*$nl*\" -o -name \"*$cr*\" \\) -print | head -n 1)\n"
            + "[ -z \"$bad\" ] || { echo \"a file name holds a line break, which staging cannot carry: rename it\" >&2; exit 3; }\n"
            + "for n; do printf 'N %s\\n' \"$n\"; done\nfind -L \"$@\" -type f -exec cksum -- {} + || exit 2\n"
        return run(script, doing: "read \(directory)/\(pattern)").map { output in
            let names = output.split(separator: "\n").filter { $0.hasPrefix("N ./") }.map { String($0.dropFirst(4)) }
            return (names, Manifest(cksum: output))
        }
    }

    /// Runs POSIX sh `script` at this end (read from stdin: any length); its output, or what went wrong.
    private func run(_ script: String, doing what: String) -> Result<String, StagingFailure> {
        switch self {
        case .local:
            switch Subprocess.run(["sh", "-s"], input: script, timeout: 3600) {
            case .failure(let failure): return .failure(StagingFailure("cannot \(what): \(failure.reason)"))
            case .success(let result) where !result.succeeded:
                return .failure(StagingFailure("cannot \(what): \(result.message.isEmpty ? "\(result.status)" : result.message)"))
            case .success(let result): return .success(result.output)
            }
        case .remote(let connection):
            switch connection.run(script) {
            case .failure(let failure): return .failure(failure)
            case .success(let result) where !result.succeeded: return .failure(connection.failure(result, doing: what))
            case .success(let result): return .success(result.output)
            }
        }
    }

    /// The argv that writes `names` of `directory` (matched by `pattern`) as a tar stream on stdout.
    func pack(_ names: [String], pattern: String, in directory: String) -> [String] {
        switch self {
        case .local:
            // -h: a symbolic link travels as what it points to (a link would dangle on another host, or be moved over its target).
            return ["tar", "-C", directory, "-chf", "-", "--"] + names.map { "./" + $0 }
        case .remote(let connection):
            // The pattern, not the names: one argument of sh -c holds at most 128 KiB.
            return connection.command("cd -- \(ShellLine.quoted(directory)) && exec tar -chf - -- ./\(Self.glob(pattern))")
        }
    }

    /// The argv that unpacks a tar stream from stdin into directory
    /// `partial` (made here) and then prints the manifest of what arrived
    /// (the check costs no round trip of its own).
    func unpack(into partial: String) -> [String] {
        let script = "mkdir -p -- \(ShellLine.quoted(partial)) && cd -- \(ShellLine.quoted(partial)) && tar -xf - && exec find . -type f -exec cksum -- {} +"
        switch self {
        case .local: return ["sh", "-c", script]
        case .remote(let connection): return connection.command(script)
        }
    }

    /// Makes directory `path` (and its parents).
    func makeDirectory(_ path: String) -> StagingFailure? {
        switch self {
        case .local:
            return FileSystem.makeDirectories(path).map { StagingFailure($0) }
        case .remote(let connection):
            return run("mkdir -p -- \(ShellLine.quoted(path))", on: connection, doing: "make \(path)")
        }
    }

    /// Renames `names` from `partial` into `directory` (replacing what has
    /// those names), or the one name to `renamed` when given; then removes `partial`.
    func commit(_ names: [String], from partial: String, into directory: String, renamed: String?) -> StagingFailure? {
        let moves = names.map { name in (partial + "/" + name, renamed ?? directory + "/" + name) }
        switch self {
        case .local:
            for (from, to) in moves {
                if rename(from, to) != 0 {
                    FileSystem.removeTree(to)
                    guard rename(from, to) == 0 else { return StagingFailure("cannot move \(from) to \(to): \(FileSystem.errorText(errno))") }
                }
            }
            FileSystem.removeTree(partial)
            return nil
        case .remote(let connection):
            // One rm and one mv for any number of names (a command each would be 40,000 processes for 20,000 files).
            let targets = moves.map { ShellLine.quoted($0.1) }.joined(separator: " ")
            let sources = names.map { ShellLine.quoted("./" + $0) }.joined(separator: " ")
            let move = renamed.map { "mv -f -- \(sources) \(ShellLine.quoted($0))" } ?? "mv -f -- \(sources) \(ShellLine.quoted(directory + "/"))"
            let script = "cd -- \(ShellLine.quoted(partial)) || exit 2\nrm -rf -- \(targets) || exit 2\n\(move) || exit 2\n"
                + "cd / && rm -rf -- \(ShellLine.quoted(partial))\n"
            return run(script, on: connection, doing: "move the files into \(directory)")
        }
    }

    /// Removes `partial` after a failed attempt (best effort).
    func discard(_ partial: String) {
        switch self {
        case .local: FileSystem.removeTree(partial)
        case .remote(let connection): _ = connection.run("rm -rf -- \(ShellLine.quoted(partial))")
        }
    }

    /// The names in `directory`.
    func list(_ directory: String) -> Result<[String], StagingFailure> {
        switch self {
        case .local:
            guard let names = FileSystem.entries(of: directory) else {
                return .failure(StagingFailure("cannot list \(directory): \(FileSystem.errorText(errno))"))
            }
            return .success(names)
        case .remote(let connection):
            switch connection.run("cd -- \(ShellLine.quoted(directory)) && ls -A") {
            case .failure(let failure): return .failure(failure)
            case .success(let result) where !result.succeeded: return .failure(connection.failure(result, doing: "list \(directory)"))
            case .success(let result): return .success(result.output.split(separator: "\n").map(String.init))
            }
        }
    }

    /// Removes `names` from `directory` (the source of a move).
    func remove(_ names: [String], in directory: String) -> StagingFailure? {
        switch self {
        case .local:
            for name in names { FileSystem.removeTree(directory + "/" + name) }
            return nil
        case .remote(let connection):
            let words = names.map { ShellLine.quoted("./" + $0) }.joined(separator: " ")
            return run("cd -- \(ShellLine.quoted(directory)) && rm -rf -- \(words)", on: connection, doing: "remove the moved files from \(directory)")
        }
    }

    private func run(_ script: String, on connection: SshConnection, doing what: String) -> StagingFailure? {
        switch connection.run(script) {
        case .failure(let failure): return failure
        case .success(let result): return result.succeeded ? nil : connection.failure(result, doing: what)
        }
    }

    /// `pattern` as a sh word: glob characters bare, everything else quoted.
    static func glob(_ pattern: String) -> String {
        var word = ""
        var literal = ""
        for character in pattern {
            if character == "*" || character == "?" || character == "[" || character == "]" {
                if !literal.isEmpty { word += ShellLine.quoted(literal) }
                literal = ""
                word.append(character)
            } else {
                literal.append(character)
            }
        }
        return literal.isEmpty ? word : word + ShellLine.quoted(literal)
    }

    /// `text` safe inside a double-quoted echo argument.
    private static func quotedForEcho(_ text: String) -> String {
        String(text.unicodeScalars.filter { !"\"$`\\\n".unicodeScalars.contains($0) }.map(Character.init))
    }
}
