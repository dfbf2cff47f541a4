import ArgumentParser
import Foundation
import Graph
import Nodes

/// `ntsbuild submit --slurm`: what is missing here and in the remote cache, as Slurm jobs
/// submitted at once with their dependencies; the tasks share their outputs through the remote
/// cache. `--wait` then waits for them and fetches the results into renders/.
struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Build targets on a Slurm cluster: one job per stage of each track (an array job of its shards), linked by afterok.")

    @Argument(help: "Targets, as for build (default: album).", completion: .custom(Completions.targets))
    var targets: [String] = []

    @OptionGroup var project: ProjectOptions

    @OptionGroup var remoteCache: RemoteCacheOption

    @Flag(help: "Submit to Slurm with sbatch (the one batch system submit knows).")
    var slurm = false

    @Option(help: "The Slurm partition of every job.")
    var partition: String?

    @Option(help: "At most K tasks of one track's shard array run at once.")
    var arrayLimit: Int?

    @Option(help: "CPUs per task; each task builds with as many jobs.")
    var cpusPerTask = 1

    @Option(name: .customLong("sbatch-arg"), parsing: .unconditionalSingleValue, help: ArgumentHelp("An sbatch option for every job, e.g. --sbatch-arg --time=1:00:00 (repeatable).", valueName: "ARG"))
    var sbatchArguments: [String] = []

    @Flag(name: .customLong("dry-run"), help: "Print the batch scripts (dependencies by job name) and submit nothing.")
    var dryRun = false

    @Flag(help: "Wait for the jobs to end, then fetch their outputs into the local cache and renders/.")
    var wait = false

    @Flag(help: "One JSON object per submitted job on stdout.")
    var json = false

    func validate() throws {
        if let arrayLimit, arrayLimit < 1 { throw ValidationError("--array-limit must be at least 1") }
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1") }
    }

    func run() throws {
        try reportingErrors(json: json) {
            guard slurm else { throw UsageError("submit needs a batch system: --slurm") }
            let workspace = try project.workspace()
            let nodes = try workspace.resolve(targets)
            guard let location = try remoteCache.resolvedLocation(for: workspace.project) else {
                throw UsageError("submit needs a remote cache every compute node reaches: --remote-cache URL|PATH (or NTSBUILD_REMOTE_CACHE)")
            }
            let plan = try plan(nodes, in: workspace)
            if plan.isEmpty {
                FileHandle.standardError.write(Data("ntsbuild: nothing to submit: every target is fresh here or in the remote cache\n".utf8))
                if json { JSONEventStream.writeLine(["event": "nothing_to_submit"]) }
            } else {
                let settings = try settings(workspace, remote: location)
                if dryRun {
                    print(SlurmSubmission.scripts(plan, settings: settings).joined(separator: "\n"), terminator: "")
                    return
                }
                try submitAndWait(plan, settings: settings)
            }
            if wait && !dryRun { try fetchResults(remote: location) }
        }
    }

    /// A dry run with the remote cache, from the targets down to what neither has.
    func plan(_ nodes: [NodeID], in workspace: Workspace) throws -> SlurmPlan {
        workspace.engine.useRemote(try remoteCache.options(for: workspace.project))
        try workspace.engine.lock.acquire(.shared, onWait: waitingForLockMessage)
        defer { workspace.engine.close() }
        let result = try workspace.build(nodes, options: BuildOptions(jobs: 1, dryRun: true))
        let needed = ClusterWork.needed(targets: nodes, plan: result, graph: workspace.album.graph)
        return SlurmPlan(needed: needed, trackOrder: workspace.project.tracks.map(\.id))
    }

    func settings(_ workspace: Workspace, remote: String) throws -> SlurmTaskSettings {
        let settings = SlurmTaskSettings(executable: Self.executablePath, projectRoot: workspace.project.root,
                                         buildArguments: ["-f", workspace.project.buildfile] + forwardedOptions + ["--remote-cache", remote],
                                         partition: partition, cpusPerTask: cpusPerTask, arrayLimit: arrayLimit, extraOptions: sbatchArguments,
                                         logDirectory: workspace.rendersDirectory + "/slurm")
        try settings.validate()
        return settings
    }

    /// The overlays every task's build must see, so its keys are the plan's.
    var forwardedOptions: [String] {
        project.sets.flatMap { ["--set", $0] } + project.presets.flatMap { ["--preset", $0] } + (project.draft ? ["--draft"] : [])
    }

    func submitAndWait(_ plan: SlurmPlan, settings: SlurmTaskSettings) throws {
        let commands = SlurmCommands()
        guard commands.locate("sbatch") != nil else { throw SlurmError.missingTool("sbatch") }
        // Slurm writes each job's output there but does not make the folder.
        try FileManager.default.createDirectory(atPath: settings.logDirectory, withIntermediateDirectories: true)
        let submitted = try SlurmSubmission.submit(plan, settings: settings, commands: commands)
        for job in submitted {
            if json { JSONEventStream.writeLine(Self.json(job)) } else { FileHandle.standardOutput.write(Data((Self.line(job) + "\n").utf8)) }
        }
        guard wait else { return }
        let failed = try SlurmWait(commands: commands).untilEnded(submitted) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        if !failed.isEmpty { throw SlurmError.jobsFailed(failed) }
    }

    /// The targets built here with the remote cache: nothing runs; outputs come down and are published.
    func fetchResults(remote: String) throws {
        var arguments = targets + ["-f", project.buildfile, "--remote-cache", remote] + forwardedOptions
        if json { arguments.append("--json") }
        var build = try BuildCommand.parse(arguments)
        try build.run()
    }

    /// `submitted 12 frames-one array 0-8%2 after 11: frames:one:0000 … rows:one:0008 (18 nodes)`
    static func line(_ submitted: SubmittedJob) -> String {
        var text = "submitted \(submitted.id) \(submitted.job.name)"
        if let ranges = submitted.job.arrayRanges { text += " array \(ranges)" }
        if !submitted.dependencies.isEmpty { text += " after " + submitted.dependencies.joined(separator: ",") }
        let nodes = submitted.job.nodes.map(\.raw)
        text += ": " + (nodes.count <= 3 ? nodes.joined(separator: " ") : "\(nodes[0]) … \(nodes[nodes.count - 1]) (\(nodes.count) nodes)")
        return text
    }

    static func json(_ submitted: SubmittedJob) -> [String: Any] {
        var object: [String: Any] = ["event": "submitted", "job_id": submitted.id, "name": submitted.job.name,
                                     "nodes": submitted.job.nodes.map(\.raw), "dependencies": submitted.dependencies]
        object["array"] = submitted.job.arrayRanges
        return object
    }

    /// This binary by its absolute path, for the tasks to run (compute nodes need it at the same path).
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
