import Foundation

/// A job as submitted: what it builds and the id Slurm gave it.
public struct SubmittedJob: Equatable, Sendable {
    public var job: SlurmJob
    public var id: String
    /// The ids of the jobs it waits for.
    public var dependencies: [String]

    public init(job: SlurmJob, id: String, dependencies: [String]) {
        self.job = job
        self.id = id
        self.dependencies = dependencies
    }
}

/// Waits for submitted jobs to end by asking the controller every `interval` seconds; nothing of
/// ours runs on the cluster meanwhile, so this can be stopped and started again at any time.
public struct SlurmWait {
    public let commands: SlurmCommands
    public var interval: Double = 1.5

    public init(commands: SlurmCommands) { self.commands = commands }

    static let ended: Set<String> = ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED",
                                     "BOOT_FAIL", "DEADLINE", "REVOKED", "SPECIAL_EXIT"]

    /// Returns once every job has ended: those that did not complete, as `name (id): STATE`.
    /// `onChange` hears a line whenever the count of running or pending tasks changes.
    public func untilEnded(_ jobs: [SubmittedJob], onChange: (String) -> Void) throws -> [String] {
        var said = ""
        var errors = 0
        while true {
            let states: [(job: String, state: String)]
            do {
                states = try commands.queueStates(of: jobs.map(\.id))
                errors = 0
            } catch {
                // A controller that is busy or restarting answers again soon; one that keeps
                // refusing (squeue refuses ids it has forgotten) leaves the answer to accounting.
                errors += 1
                if errors < 10 { Thread.sleep(forTimeInterval: interval); continue }
                states = []
            }
            let byJob = Dictionary(grouping: states, by: \.job).mapValues { $0.map(\.state) }
            let open = states.filter { !Self.ended.contains($0.state) }
            if open.isEmpty {
                return failures(jobs, byJob)
            }
            let running = open.filter { $0.state == "RUNNING" || $0.state == "COMPLETING" }.count
            let line = "ntsbuild: waiting for \(open.count) task\(open.count == 1 ? "" : "s") (\(running) running)"
            if line != said { onChange(line); said = line }
            Thread.sleep(forTimeInterval: interval)
        }
    }

    /// The jobs with a task that ended other than COMPLETED. A job the controller has already
    /// forgotten is looked up in accounting; with none, it counts as done (the build that
    /// follows would make what it did not).
    private func failures(_ jobs: [SubmittedJob], _ byJob: [String: [String]]) -> [String] {
        let forgotten = jobs.filter { byJob[$0.id] == nil }.map(\.id)
        let accounted = forgotten.isEmpty ? [:] : Dictionary(grouping: commands.accountedStates(of: forgotten), by: \.job).mapValues { $0.map(\.state) }
        return jobs.compactMap { submitted in
            let states = byJob[submitted.id] ?? accounted[submitted.id] ?? []
            guard let bad = states.first(where: { $0 != "COMPLETED" }) else { return nil }
            return "\(submitted.job.name) (\(submitted.id)): \(bad)"
        }
    }
}
