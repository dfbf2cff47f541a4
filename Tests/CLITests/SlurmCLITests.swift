import Foundation
import XCTest

/// `ntsbuild submit --slurm` against a real one-node Slurm cluster (`scripts/slurm_cluster.sh`)
/// and a real HTTP remote cache (`scripts/nginx_cache.sh`), both started for each test. A cluster
/// that does not start fails the test: nothing here is skipped.
final class SlurmCLITests: XCTestCase {
    var cluster = ""
    var server = ""
    var url = ""
    var environment: [String: String] { ["SLURM_CONF": cluster + "/slurm.conf"] }

    override func setUpWithError() throws {
        let id = UUID().uuidString
        server = NSTemporaryDirectory() + "ntsbuild-nginx-" + id
        cluster = NSTemporaryDirectory() + "ntsbuild-slurm-" + id
        // Three ports in a row (nginx, slurmctld, slurmd); another try on other ports if one is taken.
        for attempt in 1...3 {
            let port = 11_000 + Int.random(in: 0..<6_000) * 3
            url = "http://127.0.0.1:\(port)/cache"
            do {
                try script("nginx_cache.sh", "start", server, String(port))
                try script("slurm_cluster.sh", "start", cluster, String(port + 1))
                return
            } catch where attempt < 3 {
                try? script("slurm_cluster.sh", "stop", cluster)
                try? script("nginx_cache.sh", "stop", server)
            }
        }
    }

    override func tearDownWithError() throws {
        try? script("slurm_cluster.sh", "stop", cluster)
        try? script("nginx_cache.sh", "stop", server)
        try? FileManager.default.removeItem(atPath: server)
        try? FileManager.default.removeItem(atPath: cluster)
    }

    func script(_ name: String, _ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TinyRepository.root + "/scripts/" + name)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ScriptFailed(name: name, arguments: arguments, status: process.terminationStatus) }
    }

    /// A helper script that did not start its server: the test fails (it is never skipped).
    struct ScriptFailed: Error, CustomStringConvertible {
        let name: String, arguments: [String], status: Int32
        var description: String { "scripts/\(name) \(arguments.joined(separator: " ")) exited with status \(status)" }
    }

    func submit(_ project: TestProject, _ arguments: String...) throws -> (result: CLI.Result, jobs: [[String: Any]]) {
        let result = try CLI.run(["submit", "--slurm", "--json", "--remote-cache", url] + arguments, in: project.root, environment: environment)
        let jobs = result.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]).flatMap { $0["event"] as? String == "submitted" ? $0 : nil }
        }
        return (result, jobs)
    }

    func testASubmissionBuildsEverythingAsArraysWithDependenciesAndASecondSubmitsNothing() throws {
        let project = try TestProject(), local = try TestProject()
        let (made, jobs) = try submit(project, "--wait", "--array-limit", "2")
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(jobs.map { $0["name"] as? String }, ["features-one", "frames-one", "track-one", "features-two", "frames-two", "track-two", "album"])
        let id = Dictionary(uniqueKeysWithValues: jobs.map { ($0["name"] as! String, $0["job_id"] as! String) })
        XCTAssertEqual(Set(id.values).count, 7, "one job id each")
        XCTAssertTrue(id.values.allSatisfy { Int($0) != nil }, "\(id)")
        // 36 frames of one and 24 of two (its first half second trimmed), 10 frames a shard.
        let array = Dictionary(uniqueKeysWithValues: jobs.map { ($0["name"] as! String, $0["array"] as? String) })
        XCTAssertEqual(array["frames-one"], "0-3")
        XCTAssertEqual(array["frames-two"], "0-2")
        XCTAssertNil(array["track-one"] ?? nil)
        let after = Dictionary(uniqueKeysWithValues: jobs.map { ($0["name"] as! String, $0["dependencies"] as? [String] ?? []) })
        XCTAssertEqual(after["features-one"], [])
        XCTAssertEqual(after["frames-one"], [id["features-one"]!])
        XCTAssertEqual(after["track-two"], [id["features-two"]!, id["frames-two"]!])
        XCTAssertEqual(after["album"], [id["track-one"]!, id["track-two"]!])
        XCTAssertEqual(made.nodes("built"), [], "the local build after the jobs only fetches or reuses")

        let built = try local.ntsbuild("album", "-j2")
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertEqual(try project.outputHashes(), try local.outputHashes())
        XCTAssertEqual(try project.outputHashes().count, try local.outputHashes().count)

        // Everything is in the remote cache now: neither this project nor a fresh one submits anything.
        for copy in [project, try TestProject()] {
            let (again, none) = try submit(copy)
            XCTAssertEqual(again.status, 0, again.stderr)
            XCTAssertEqual(none.count, 0, again.stdout)
            XCTAssertTrue(again.stderr.contains("nothing to submit"), again.stderr)
        }
    }

    /// The demo album (small) from a third working copy: a job array per track of exactly its
    /// shards, the album after every track, and the bytes of a local build.
    func testTheDemoAlbumThroughSlurmMatchesALocalBuild() throws {
        let small = ["--set", "output.width=160", "--set", "output.height=90"]
        let local = try TestProject.demo(), project = try TestProject.demo()
        let built = try CLI.run(["album", "-j2", "--json"] + small, in: local.root)
        XCTAssertEqual(built.status, 0, built.stderr)
        let result = try CLI.run(["submit", "--slurm", "--json", "--remote-cache", url, "--wait"] + small, in: project.root, environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        let jobs = result.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]).flatMap { $0["event"] as? String == "submitted" ? $0 : nil }
        }
        let tracks = ["null-hypothesis", "signal-path", "phase-drift"]
        XCTAssertEqual(Set(jobs.compactMap { $0["name"] as? String }), Set(tracks.flatMap { ["features-\($0)", "frames-\($0)", "track-\($0)"] } + ["album"]))
        let id = Dictionary(uniqueKeysWithValues: jobs.map { ($0["name"] as! String, $0["job_id"] as! String) })
        for track in tracks {
            let shards = built.nodes("built").filter { $0.hasPrefix("frames:\(track):") }.count
            XCTAssertGreaterThan(shards, 1)
            XCTAssertEqual(jobs.first { $0["name"] as? String == "frames-\(track)" }?["array"] as? String, "0-\(shards - 1)")
        }
        let album = jobs.first { $0["name"] as? String == "album" }
        XCTAssertEqual(Set(album?["dependencies"] as? [String] ?? []), Set(tracks.map { id["track-\($0)"]! }))
        XCTAssertEqual(result.nodes("built"), [], "the local build after the jobs only fetches")
        XCTAssertEqual(try project.outputHashes(), try local.outputHashes())
    }

    func testACancelledTaskStopsItsDependentsAndTheNextSubmitRunsOnlyWhatIsMissing() throws {
        let project = try TestProject(), local = try TestProject()
        // Held jobs, so one can be cancelled before it runs; `--wait` meanwhile in the background.
        let first = Box()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread { [self] in
            first.value = try? submit(project, "--wait", "--sbatch-arg", "--hold")
            done.signal()
        }
        let id = try queuedJobs(count: 7)
        _ = try slurm("scancel", id["track-one"]!)
        _ = try slurm("scontrol", "release", id.filter { $0.key != "track-one" }.values.sorted().joined(separator: ","))
        XCTAssertEqual(done.wait(timeout: .now() + 90), .success, "submit --wait did not end")
        let (waited, jobs) = try XCTUnwrap(first.value)
        XCTAssertEqual(waited.status, 1, waited.stderr)
        XCTAssertEqual(jobs.count, 7, waited.stdout)
        XCTAssertTrue(waited.lastErrorLine.contains("2 jobs did not complete: track-one (\(id["track-one"]!)): CANCELLED, album (\(id["album"]!)): CANCELLED"),
                      "the album waited for the cancelled track and was dropped: \(waited.stderr)")

        let (again, resubmitted) = try submit(project, "--wait")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(resubmitted.map { $0["name"] as? String }, ["track-one", "album"], again.stdout)
        XCTAssertLessThan(resubmitted.count, jobs.count, "only what the cancelled jobs would have made")
        XCTAssertEqual(resubmitted.last?["dependencies"] as? [String], [resubmitted[0]["job_id"] as! String])
        let built = try local.ntsbuild("album", "-j2")
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertEqual(try project.outputHashes(), try local.outputHashes())
    }

    /// The ids of this test's jobs by name (`track-one`), once `count` of them are queued.
    func queuedJobs(count: Int) throws -> [String: String] {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            var ids: [String: String] = [:]
            for line in try slurm("squeue", "-h", "-o", "%F %j").split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count == 2 { ids[String(fields[1].dropFirst("ntsbuild-".count))] = String(fields[0]) }
            }
            if ids.count == count { return ids }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw ScriptFailed(name: "squeue", arguments: ["(\(count) jobs never queued)"], status: 1)
    }

    func testDryRunPrintsScriptsAndAMissingRemoteCacheOrSbatchIsOneLine() throws {
        let project = try TestProject()
        let plan = try CLI.run(["submit", "--slurm", "--dry-run", "--remote-cache", url, "--partition", "debug"], in: project.root, environment: environment)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertEqual(plan.stdout.components(separatedBy: "#!/bin/bash").count - 1, 7, plan.stdout)
        XCTAssertTrue(plan.stdout.contains("#SBATCH --dependency=afterok:<track-one>:<track-two>"), plan.stdout)
        XCTAssertEqual(try slurm("squeue", "-h"), "", "a dry run submits nothing")

        let noCache = try CLI.run(["submit", "--slurm"], in: project.root, environment: environment)
        XCTAssertEqual(noCache.status, 64, noCache.stderr)
        XCTAssertEqual(noCache.stderr.split(separator: "\n").count, 1, noCache.stderr)
        let noSlurm = try CLI.run(["submit", "--slurm", "--remote-cache", url], in: project.root, environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(noSlurm.status, 69, noSlurm.stderr)
        XCTAssertTrue(noSlurm.stderr.contains("sbatch not found"), noSlurm.stderr)
    }

    /// Runs a Slurm client command against the test cluster; its stdout.
    func slurm(_ tool: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(tool) \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }
}

/// The background submit's answer, read once the semaphore says it is there.
private final class Box: @unchecked Sendable {
    var value: (result: CLI.Result, jobs: [[String: Any]])?
}
