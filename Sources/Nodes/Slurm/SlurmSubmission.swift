/// A plan's jobs handed to sbatch in one burst, each naming the ids of the jobs before it that
/// it waits for: from then on the scheduler owns the order, the queue and the failures.
public enum SlurmSubmission {
    /// The scripts `--dry-run` shows: dependencies written as the jobs' names, `<features-one>`.
    public static func scripts(_ plan: SlurmPlan, settings: SlurmTaskSettings) -> [String] {
        plan.jobs.map { job in
            SlurmScript.text(for: job, settings: settings, dependencies: job.dependencies.map { "<\(plan.jobs[$0].name)>" })
        }
    }

    /// Submits every job in plan order (a job's dependencies have ids by then). If sbatch fails
    /// part way, the error says so; the jobs already queued stay (a later submit skips what they make).
    public static func submit(_ plan: SlurmPlan, settings: SlurmTaskSettings, commands: SlurmCommands) throws -> [SubmittedJob] {
        var submitted: [SubmittedJob] = []
        for job in plan.jobs {
            let dependencies = job.dependencies.map { submitted[$0].id }
            let id = try commands.submit(SlurmScript.text(for: job, settings: settings, dependencies: dependencies))
            submitted.append(SubmittedJob(job: job, id: id, dependencies: dependencies))
        }
        return submitted
    }
}
