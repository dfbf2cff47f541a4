import Foundation

/// The Slurm client commands (`sbatch`, `squeue`, `sacct`), found on PATH and run as child
/// processes: ntsbuild only submits and asks; the scheduler owns the queue.
public struct SlurmCommands: Sendable {
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The tool's path on PATH, or nil.
    public func locate(_ tool: String) -> String? {
        for folder in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = folder + "/" + tool
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Submits a batch script (on sbatch's stdin); returns its job id.
    public func submit(_ script: String) throws -> String {
        let answer = try run("sbatch", ["--parsable"], input: script).trimmingCharacters(in: .whitespacesAndNewlines)
        // `--parsable` prints `id` or `id;cluster`.
        let id = String(answer.split(separator: ";").first ?? "")
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else { throw SlurmError.unexpectedAnswer("sbatch", answer: answer) }
        return id
    }

    /// Every task of the jobs the controller still knows (finished ones for a few minutes,
    /// `MinJobAge`), as `(job id, state)`: an array job's tasks each under its own job id.
    public func queueStates(of jobs: [String]) throws -> [(job: String, state: String)] {
        let text = try run("squeue", ["-h", "-r", "-t", "all", "-j", jobs.joined(separator: ","), "-o", "%F %T"], input: nil)
        return Self.pairs(text)
    }

    /// The final state of jobs the controller has forgotten, from accounting; empty when the
    /// cluster keeps none.
    public func accountedStates(of jobs: [String]) -> [(job: String, state: String)] {
        guard let text = try? run("sacct", ["-n", "-X", "-P", "-j", jobs.joined(separator: ","), "-o", "JobID,State"], input: nil) else { return [] }
        return Self.pairs(text.replacingOccurrences(of: "|", with: " ")).map { (String($0.job.split(separator: "_").first ?? ""), $0.state) }
    }

    static func pairs(_ text: String) -> [(job: String, state: String)] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2 else { return nil }
            return (String(fields[0]), String(fields[1]))
        }
    }

    /// Runs a Slurm tool and returns its stdout; a non-zero exit is an error with its stderr.
    func run(_ tool: String, _ arguments: [String], input: String?) throws -> String {
        guard let path = locate(tool) else { throw SlurmError.missingTool(tool) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        // Slurm's tools say little: stdout is read to its end first, then stderr.
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errData, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw SlurmError.commandFailed(tool, status: process.terminationStatus, message: message)
        }
        return String(decoding: outData, as: UTF8.self)
    }
}
