/// What can go wrong talking to Slurm, each said in one line.
public enum SlurmError: Error, CustomStringConvertible, Equatable {
    /// A Slurm command is not on PATH (this machine is no Slurm client).
    case missingTool(String)
    /// A Slurm command ended with an error (its last line of stderr).
    case commandFailed(String, status: Int32, message: String)
    /// `sbatch --parsable` answered something that is not a job id.
    case unexpectedAnswer(String, answer: String)
    /// Jobs that ended other than COMPLETED, as `name (id): STATE`.
    case jobsFailed([String])
    /// A folder that cannot be written into an `#SBATCH` line (what it is, the path, the character).
    case unsubmittablePath(String, path: String, character: Unicode.Scalar)

    public var description: String {
        switch self {
        case .missingTool(let tool): return "\(tool) not found on PATH: submitting needs a Slurm client (slurm-client, munge) on this machine"
        case .commandFailed(let tool, let status, let message): return "\(tool) failed (exit status \(status)): \(message)"
        case .unexpectedAnswer(let tool, let answer): return "\(tool) answered '\(answer)', not a job id"
        case .jobsFailed(let jobs): return "\(jobs.count) job\(jobs.count == 1 ? "" : "s") did not complete: " + jobs.joined(separator: ", ")
        case .unsubmittablePath(let what, let path, let character):
            let shown = character.properties.generalCategory == .control ? "a control character" : "'\(character)'"
            return "\(what) \(path.debugDescription) holds \(shown), which sbatch cannot read in an #SBATCH line: move or rename it to submit"
        }
    }
}
