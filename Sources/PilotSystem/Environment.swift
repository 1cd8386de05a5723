import Glibc

/// This process's environment: the one place variables are read.
package enum Environment {
    /// The value of variable `name`; nil when unset or empty.
    package static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }

    /// Every variable as `NAME=value` strings.
    package static func current() -> [String] {
        var entries: [String] = []
        var cursor = environ
        while let pointer = cursor.pointee {
            entries.append(String(cString: pointer))
            cursor += 1
        }
        return entries
    }

    /// The user's home directory: `$HOME`, else the password database's
    /// entry, else the current directory (coordinator and agent agree).
    package static var home: String {
        if let home = value("HOME") { return home }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir {
            let home = String(cString: directory)
            if !home.isEmpty { return home }
        }
        return FileSystem.currentDirectory()
    }

    /// The user's name: `$USER`, else the password database's entry for
    /// this process's user (CI and cron run without USER); nil if neither.
    package static var userName: String? {
        if let user = value("USER") { return user }
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        let user = String(cString: name)
        return user.isEmpty ? nil : user
    }

    /// Where temporary files go: `$TMPDIR`, else /tmp.
    package static var temporaryDirectory: String {
        value("TMPDIR") ?? "/tmp"
    }
}
