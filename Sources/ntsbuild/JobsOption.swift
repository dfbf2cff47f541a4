import ArgumentParser
import Foundation

/// `-j/--jobs`, shared by the commands that build. Optional, so help says "the number of cores"
/// instead of this machine's count.
struct JobsOption: ParsableArguments {
    @Option(name: [.customShort("j", allowingJoined: true), .long], help: "Parallel jobs (default: the number of cores).")
    var jobs: Int?

    var count: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }
}
