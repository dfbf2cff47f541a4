/// How every task of a submission runs ntsbuild, and the `#SBATCH` options all its jobs share.
public struct SlurmTaskSettings: Sendable {
    /// The ntsbuild binary, by an absolute path every compute node has.
    public var executable: String
    /// The project folder (on a shared path), where each task runs.
    public var projectRoot: String
    /// What every task's build is given after its targets: the Buildfile, `--set`, `--preset`,
    /// `--remote-cache` (absolute paths, so they mean the same from any folder).
    public var buildArguments: [String]
    public var partition: String?
    public var cpusPerTask: Int
    /// At most this many tasks of one array job run at once (`%K`).
    public var arrayLimit: Int?
    /// `--sbatch-arg`s, written as `#SBATCH` lines of every job.
    public var extraOptions: [String]
    /// Where the jobs' output goes (Slurm does not make the folder).
    public var logDirectory: String

    public init(executable: String, projectRoot: String, buildArguments: [String], partition: String? = nil, cpusPerTask: Int = 1,
                arrayLimit: Int? = nil, extraOptions: [String] = [], logDirectory: String) {
        self.executable = executable
        self.projectRoot = projectRoot
        self.buildArguments = buildArguments
        self.partition = partition
        self.cpusPerTask = cpusPerTask
        self.arrayLimit = arrayLimit
        self.extraOptions = extraOptions
        self.logDirectory = logDirectory
    }

    /// The folders written into `#SBATCH` lines must be ones sbatch can read back: it splits
    /// those lines at blanks outside double quotes and has no escape for a double quote.
    public func validate() throws {
        for (what, path) in [("project folder", projectRoot), ("log folder", logDirectory)] {
            if let bad = path.unicodeScalars.first(where: { $0 == "\"" || $0.properties.generalCategory == .control }) {
                throw SlurmError.unsubmittablePath(what, path: path, character: bad)
            }
        }
    }
}

/// The batch script of one job. Its dependencies are written in as given: job ids when it is
/// submitted, job names (`<features-one>`) when `--dry-run` shows it.
public enum SlurmScript {
    public static func text(for job: SlurmJob, settings: SlurmTaskSettings, dependencies: [String]) -> String {
        // A '%' of the folder is doubled: sbatch reads --output as a pattern (%j, %A, %a).
        let logs = settings.logDirectory.replacingOccurrences(of: "%", with: "%%")
        var options = ["--job-name=ntsbuild-\(job.name)", "--chdir=" + sbatchValue(settings.projectRoot), "--cpus-per-task=\(settings.cpusPerTask)",
                       "--output=" + sbatchValue("\(logs)/ntsbuild-\(job.name)-" + (job.shards == nil ? "%j.log" : "%A_%a.log"))]
        if let partition = settings.partition { options.append("--partition=\(partition)") }
        if let ranges = job.arrayRanges { options.append("--array=" + ranges + (settings.arrayLimit.map { "%\($0)" } ?? "")) }
        if !dependencies.isEmpty {
            // A failed job's dependents could never start; the scheduler drops them instead of keeping them queued.
            options += ["--dependency=afterok:" + dependencies.joined(separator: ":"), "--kill-on-invalid-dep=yes"]
        }
        options += settings.extraOptions
        var lines = ["#!/bin/bash"] + options.map { "#SBATCH " + $0 }
        lines.append("# ntsbuild: " + job.nodes.map(\.raw).joined(separator: " "))
        lines.append("set -eu")
        lines.append("cd " + quoted(settings.projectRoot))
        var targets = job.targets(shardVariable: "").map(quoted)
        if job.shards != nil {
            // The task number is the shard number; ids spell it with four digits (track ids
            // hold only [a-z0-9-], so the id can sit in double quotes).
            lines.append("shard=$(printf %04d \"$SLURM_ARRAY_TASK_ID\")")
            targets = job.targets(shardVariable: "$shard").map { "\"" + $0 + "\"" }
        }
        let command = [quoted(settings.executable), "build"] + targets + ["--no-publish", "-j", "\"${SLURM_CPUS_PER_TASK:-1}\""]
            + settings.buildArguments.map(quoted)
        lines.append("exec " + command.joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// An `#SBATCH` option's value: in double quotes if it holds a blank (sbatch splits there).
    /// `SlurmTaskSettings.validate` has refused double quotes and control characters.
    static func sbatchValue(_ value: String) -> String {
        value.contains(where: \.isWhitespace) ? "\"" + value + "\"" : value
    }

    /// One shell word, whatever it holds.
    static func quoted(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { $0.properties.isAlphabetic && $0.isASCII || "0123456789-_./:=@%+,".unicodeScalars.contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
