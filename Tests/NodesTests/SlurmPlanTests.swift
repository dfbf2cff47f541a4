@testable import Graph
@testable import Nodes
import XCTest

/// The Slurm planner without Slurm: which jobs a set of stale nodes makes, their arrays,
/// dependencies and scripts.
final class SlurmPlanTests: XCTestCase {
    func ids(_ raw: String...) -> [NodeID] { raw.map { NodeID($0) } }

    func shards(_ track: String, _ ks: [Int]) -> [NodeID] {
        ks.flatMap { [NodeID.rows(track: track, shard: $0), NodeID.frames(track: track, shard: $0)] }
    }

    func testAFullAlbumIsThreeJobsPerTrackAndTheAlbumAfterEveryTrack() {
        var needed: [NodeID] = [.album]
        for track in ["two", "one"] {
            needed += [.features(track: track), .trajectory(track: track), .track(track)] + shards(track, Array(0..<9))
            needed += PreviewPart.allCases.map { .preview(track: track, part: $0) }
        }
        let plan = SlurmPlan(needed: needed, trackOrder: ["one", "two"])
        XCTAssertEqual(plan.jobs.map(\.name), ["features-one", "frames-one", "track-one", "features-two", "frames-two", "track-two", "album"])
        XCTAssertEqual(plan.jobs.map(\.dependencies), [[], [0], [0, 1], [], [3], [3, 4], [2, 5]])
        XCTAssertEqual(plan.jobs[1].shards, Array(0..<9))
        XCTAssertEqual(plan.jobs[1].arrayRanges, "0-8")
        XCTAssertEqual(plan.jobs[1].nodes.count, 18)
        XCTAssertEqual(plan.jobs[2].nodes, ids("preview:one:anim", "preview:one:poster", "preview:one:sheet", "track:one"))
        XCTAssertNil(plan.jobs[0].shards)
    }

    func testOnlyTheStaleShardsAreArrayTasksAndMissingStagesAreNotWaitedFor() {
        let plan = SlurmPlan(needed: shards("one", [1, 2, 3, 7, 9]) + [.track("one"), .album], trackOrder: ["one"])
        XCTAssertEqual(plan.jobs.map(\.name), ["frames-one", "track-one", "album"])
        XCTAssertEqual(plan.jobs[0].arrayRanges, "1-3,7,9")
        XCTAssertEqual(plan.jobs.map(\.dependencies), [[], [0], [1]])
    }

    func testStylesComeFirstAndOnlyFramesWaitForThem() {
        let plan = SlurmPlan(needed: ids("style:bark", "features:one") + shards("one", [0]), trackOrder: ["one"])
        XCTAssertEqual(plan.jobs.map(\.name), ["styles", "features-one", "frames-one"])
        XCTAssertEqual(plan.jobs.map(\.dependencies), [[], [], [0, 1]])
        XCTAssertTrue(SlurmPlan(needed: [], trackOrder: ["one"]).isEmpty)
    }

    func testNeededStopsAtWhatIsFreshOrInTheRemoteCache() {
        var graph = BuildGraph()
        graph.add(FakeRecipe(id: NodeID("track:one"), inputs: ids("frames:one:0000", "frames:one:0001")))
        graph.add(FakeRecipe(id: NodeID("frames:one:0000"), inputs: ids("rows:one:0000")))
        graph.add(FakeRecipe(id: NodeID("frames:one:0001"), inputs: ids("rows:one:0001")))
        graph.add(FakeRecipe(id: NodeID("rows:one:0000"), inputs: []))
        graph.add(FakeRecipe(id: NodeID("rows:one:0001"), inputs: []))
        func result(_ id: String, _ status: NodeStatus, remote: Bool = false) -> NodeResult {
            NodeResult(id: NodeID(id), status: status, seconds: 0, reasons: remote ? [.inRemoteCache] : [.neverBuilt])
        }
        let plan = BuildResult(nodes: [result("rows:one:0000", .wouldRun), result("rows:one:0001", .wouldRun),
                                       result("frames:one:0000", .wouldRun, remote: true), result("frames:one:0001", .wouldRun),
                                       result("track:one", .wouldRun)], wallSeconds: 0, interrupted: false)
        XCTAssertEqual(ClusterWork.needed(targets: ids("track:one"), plan: plan, graph: graph), ids("frames:one:0001", "rows:one:0001", "track:one"))
    }

    func testAnArrayScriptRunsItsShardWithTheRemoteCacheAndWaitsForItsDependencies() {
        let plan = SlurmPlan(needed: [.features(track: "one"), .trajectory(track: "one")] + shards("one", [0, 1, 2]), trackOrder: ["one"])
        let settings = SlurmTaskSettings(executable: "/opt/nts build/ntsbuild", projectRoot: "/shared/album",
                                         buildArguments: ["-f", "/shared/album/Buildfile.yaml", "--set", "look.palette=#fff #000", "--remote-cache", "http://cache:8080/c"],
                                         partition: "gpu", cpusPerTask: 2, arrayLimit: 4, extraOptions: ["--hold"], logDirectory: "/shared/album/renders/slurm")
        let scripts = SlurmSubmission.scripts(plan, settings: settings)
        let script = scripts[1]
        for line in ["#SBATCH --array=0-2%4", "#SBATCH --dependency=afterok:<features-one>", "#SBATCH --kill-on-invalid-dep=yes",
                     "#SBATCH --partition=gpu", "#SBATCH --cpus-per-task=2", "#SBATCH --hold", "#SBATCH --chdir=/shared/album",
                     "#SBATCH --output=/shared/album/renders/slurm/ntsbuild-frames-one-%A_%a.log",
                     "shard=$(printf %04d \"$SLURM_ARRAY_TASK_ID\")",
                     "exec '/opt/nts build/ntsbuild' build \"frames:one:$shard\" --no-publish -j \"${SLURM_CPUS_PER_TASK:-1}\" -f /shared/album/Buildfile.yaml --set 'look.palette=#fff #000' --remote-cache http://cache:8080/c"] {
            XCTAssertTrue(script.split(separator: "\n").contains(Substring(line)), "\(line) not in\n\(script)")
        }
        XCTAssertFalse(scripts[0].contains("--dependency"), scripts[0])
        XCTAssertTrue(scripts[0].contains(" build features:one trajectory:one --no-publish"), scripts[0])
    }
    /// sbatch splits `#SBATCH` lines at blanks outside double quotes (checked on the test cluster:
    /// `--chdir="/tmp/a b"` runs the job in "/tmp/a b") and reads --output as a pattern.
    func testFoldersWithBlanksAndPercentSignsAreQuotedForSbatch() throws {
        let plan = SlurmPlan(needed: [.features(track: "one")], trackOrder: ["one"])
        let settings = SlurmTaskSettings(executable: "/usr/bin/ntsbuild", projectRoot: "/shared/My Album", buildArguments: [],
                                         logDirectory: "/shared/My Album/100% done/slurm")
        try settings.validate()
        let lines = SlurmSubmission.scripts(plan, settings: settings)[0].split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("#SBATCH --chdir=\"/shared/My Album\""), "\(lines)")
        XCTAssertTrue(lines.contains("#SBATCH --output=\"/shared/My Album/100%% done/slurm/ntsbuild-features-one-%j.log\""), "\(lines)")
        XCTAssertTrue(lines.contains("cd '/shared/My Album'"), "\(lines)")
        for bad in ["/shared/say \"hi\"", "/shared/line\nbreak"] {
            let refused = SlurmTaskSettings(executable: "/usr/bin/ntsbuild", projectRoot: bad, buildArguments: [], logDirectory: "/logs")
            XCTAssertThrowsError(try refused.validate()) { error in
                XCTAssertTrue("\(error)".hasPrefix("project folder "), "\(error)")
                XCTAssertFalse("\(error)".contains("\n"), "one line: \(error)")
            }
        }
    }
}

private struct FakeRecipe: Recipe {
    static let kind = "fake"
    static let version = 1
    let id: NodeID
    let params = 0
    let inputs: [NodeID]
    func make(_ context: BuildContext) throws -> String { "" }
}
