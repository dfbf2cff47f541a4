import ArgumentParser
import Foundation
import Nodes

/// `ntsbuild verify [RUN]`: re-hashes a run's outputs against its run.json and re-renders a
/// sample of its shards, so a render can be audited long after it was made.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a run's outputs against run.json and re-render a sample of its shards.")

    @Argument(help: "The run folder (default: renders/latest beside the Buildfile).")
    var folder: String?

    // Like every other command, so `verify` and `cache verify` find a project the same way.
    @Option(name: [.customShort("f"), .customLong("buildfile")], help: "The Buildfile whose latest run to check.")
    var buildfile = "Buildfile.yaml"

    @Option(help: "How many frame shards to re-render and compare (0: hashes only).")
    var shards: Int = 2

    func validate() throws {
        guard shards >= 0 else { throw ValidationError("--shards must be 0 or more") }
    }

    func run() throws {
        try reportingErrors {
            let root = (buildfile as NSString).deletingLastPathComponent
            let verifier = try RunVerifier(runFolder: folder ?? (root.isEmpty ? "" : root + "/") + "renders/latest")
            try verifier.verifyOutputs()
            print("ntsbuild: \(verifier.outputCount) outputs of \(verifier.runID) match run.json (SHA-256)")
            for node in verifier.sampleShards(count: shards) {
                let digest = try verifier.verifyShard(node)
                print("ntsbuild: \(node) re-rendered identically (\(digest.short))")
            }
        }
    }
}
