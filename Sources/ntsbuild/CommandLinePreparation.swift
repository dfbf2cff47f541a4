import Foundation

/// What argument-parser does not do by itself, done to the arguments before it parses them:
/// `-C DIR` (like make and git: run as if started in DIR), and options written before the
/// subcommand (`ntsbuild -j2 explain album`) moved after it, where the subcommand reads them.
enum CommandLinePreparation {
    struct DirectoryError: Error, CustomStringConvertible {
        let directory: String
        let reason: String
        var description: String { "-C \(directory): \(reason)" }
    }

    static func prepare(_ arguments: [String], subcommands: Set<String>) throws -> [String] {
        // argument-parser's own protocol with the shells' completion scripts passes untouched.
        if arguments.first?.hasPrefix("---") == true { return arguments }
        return try movingLeadingOptions(changingDirectory(arguments), subcommands: subcommands)
    }

    /// Removes every `-C DIR` (`-CDIR`, `--directory DIR`, `--directory=DIR`) before `--` and
    /// changes into each in turn, relative to the previous one, as make does.
    static func changingDirectory(_ arguments: [String]) throws -> [String] {
        var kept: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            if argument == "--" { kept += arguments[i...]; break }
            var directory: String?
            if argument == "-C" || argument == "--directory" {
                guard i + 1 < arguments.count else { throw DirectoryError(directory: "", reason: "needs a directory") }
                directory = arguments[i + 1]
                i += 1
            } else if argument.hasPrefix("--directory=") {
                directory = String(argument.dropFirst("--directory=".count))
            } else if argument.hasPrefix("-C"), argument.count > 2 {
                directory = String(argument.dropFirst(2))
            }
            if let directory {
                guard FileManager.default.changeCurrentDirectoryPath(directory) else {
                    var isDirectory: ObjCBool = false
                    let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
                    throw DirectoryError(directory: directory, reason: exists && !isDirectory.boolValue ? "not a directory" : "no such directory")
                }
            } else {
                kept.append(argument)
            }
            i += 1
        }
        return kept
    }

    /// `-j2 -f x.yaml explain album` → `explain -j2 -f x.yaml album`: when the arguments start
    /// with options and a subcommand's name follows them.
    static func movingLeadingOptions(_ arguments: [String], subcommands: Set<String>) -> [String] {
        guard let first = arguments.first, first.hasPrefix("-"), first != "--",
              let index = arguments.firstIndex(where: subcommands.contains),
              !arguments[..<index].contains("--") else { return arguments }
        return [arguments[index]] + arguments[..<index] + arguments[(index + 1)...]
    }
}
