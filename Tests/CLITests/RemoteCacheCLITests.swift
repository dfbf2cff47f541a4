import Foundation
import XCTest

/// The remote cache behind a real HTTP server: nginx with WebDAV PUT, started by the project's
/// own script (`scripts/nginx_cache.sh`), as a team would run one.
final class RemoteCacheCLITests: XCTestCase {
    var server = ""
    var url = ""
    static let token = "tok-91c2e0-never-shown"

    override func setUpWithError() throws {
        server = NSTemporaryDirectory() + "ntsbuild-nginx-" + UUID().uuidString
        let port = 20_000 + Int.random(in: 0..<20_000)
        url = "http://127.0.0.1:\(port)/cache"
        try script("start", server, String(port))
    }

    override func tearDownWithError() throws {
        try? script("stop", server)
        try? FileManager.default.removeItem(atPath: server)
    }

    func script(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TinyRepository.root + "/scripts/nginx_cache.sh")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "nginx_cache.sh \(arguments)")
    }

    func testASecondMachineFetchesEverythingAndADamagedObjectIsRebuilt() throws {
        // The second machine names the cache in its Buildfile (cache.remote), the others on the command line.
        let first = try TestProject(), second = try TestProject(buildfile: TestProject.buildfile + "\ncache: {remote: \"\(url)\"}\n"),
            third = try TestProject()
        let made = try CLI.run(["album", "-j2", "--json", "--remote-cache", url], in: first.root, environment: ["NTSBUILD_REMOTE_TOKEN": Self.token])
        XCTAssertEqual(made.status, 0, made.stderr)
        let built = Set(made.nodes("built"))

        // The plan knows what the remote has all the way down: each fetched output gives the next key.
        let plan = try CLI.run(["-n", "--explain"], in: second.root)
        for node in ["features:one", "track:one", "album"] {
            XCTAssertTrue(plan.stdout.contains("\(node): never built; in the remote cache: would be fetched, not built"), plan.stdout)
        }
        XCTAssertTrue(plan.lastErrorLine.contains("would run (\(built.count) fetched from the remote cache)"), plan.stderr)
        let states = try CLI.run(["targets"], in: second.root)
        XCTAssertTrue(states.lastErrorLine.hasPrefix("ntsbuild: \(built.count) remote"), states.stderr)
        let fetched = try CLI.run(["album", "-j2", "--json"], in: second.root)
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        XCTAssertEqual(fetched.nodes("built"), [])
        XCTAssertEqual(Set(fetched.nodes("fetched")), built)
        XCTAssertEqual(try second.outputHashes(), try first.outputHashes())
        XCTAssertFalse(made.stdout.contains(Self.token) || made.stderr.contains(Self.token))
        XCTAssertEqual(try filesContaining(Self.token, under: first.root), [], "no secret in run.json, logs or traces")

        // A wrong object on the server is reported, built here and replaced there.
        let runJSON = try first.runJSON()
        let track = try XCTUnwrap((runJSON["nodes"] as? [[String: Any]])?.first { $0["id"] as? String == "track:one" }?["output"] as? String)
        try Data("not a video".utf8).write(to: URL(fileURLWithPath: server + "/data/cache/cas/" + track))
        let repaired = try CLI.run(["album", "-j2", "--json", "--remote-cache", url], in: third.root)
        XCTAssertEqual(repaired.status, 0, repaired.stderr)
        XCTAssertEqual(repaired.nodes("built"), ["track:one"])
        XCTAssertTrue(repaired.stdout.contains("is damaged"), repaired.stdout)
        XCTAssertEqual(try third.outputHashes(), try first.outputHashes())
        XCTAssertEqual(FileManager.default.contents(atPath: server + "/data/cache/cas/" + track),
                       FileManager.default.contents(atPath: first.latest + "/one.mp4"), "the server has the video's bytes again")
    }

    /// The demo album, small: a second working copy builds nothing and publishes the same bytes.
    func testTheDemoAlbumOnASecondMachineRunsNothing() throws {
        let first = try TestProject.demo(), second = try TestProject.demo()
        let small = ["--set", "output.width=160", "--set", "output.height=90", "--remote-cache", url, "--json", "-j2"]
        let made = try CLI.run(["album"] + small, in: first.root)
        XCTAssertEqual(made.status, 0, made.stderr)
        let fetched = try CLI.run(["album"] + small, in: second.root)
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        XCTAssertEqual(fetched.nodes("built"), [], "0 nodes run")
        XCTAssertEqual(Set(fetched.nodes("fetched")), Set(made.nodes("built")))
        XCTAssertEqual(try second.outputHashes(), try first.outputHashes())
        XCTAssertGreaterThan(try first.outputHashes().count, 3)
    }

    func testAServerThatIsDownIsOneWarningAndALocalBuild() throws {
        try script("stop", server)
        Thread.sleep(forTimeInterval: 0.3)
        let p = try TestProject()
        let result = try CLI.run(["album", "-j2", "--remote-cache", url], in: p.root)
        XCTAssertEqual(result.status, 0, result.stderr)
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("remote cache") }
        XCTAssertEqual(warnings.count, 1, result.stderr)
        XCTAssertTrue(result.lastErrorLine.contains(" run, 0 reused"), result.stderr)
    }

    func testNginxStoppedMidBuildIsOneWarningAndALocalBuild() throws {
        let p = try TestProject()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["album", "-j1", "--json", "--remote-cache", url]
        process.currentDirectoryURL = URL(fileURLWithPath: p.root)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var stdout = Data(), stopped = false
        var stderr = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { stderr = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        while case let chunk = out.fileHandleForReading.availableData, !chunk.isEmpty {
            stdout.append(chunk)
            // The server goes away once the first node is built (and on its way up).
            if !stopped, String(decoding: stdout, as: UTF8.self).contains("\"event\":\"built\"") {
                try script("stop", server)
                stopped = true
            }
        }
        group.wait()
        process.waitUntilExit()
        let text = String(decoding: stdout, as: UTF8.self) + String(decoding: stderr, as: UTF8.self)
        XCTAssertTrue(stopped)
        XCTAssertEqual(process.terminationStatus, 0, text)
        let warnings = text.split(separator: "\n").filter { $0.contains("\"warning\"") && $0.contains("remote cache") }
        XCTAssertEqual(warnings.count, 1, text)
        let result = CLI.Result(status: 0, stdout: String(decoding: stdout, as: UTF8.self), stderr: "")
        XCTAssertEqual(result.nodes("failed"), [])
        XCTAssertEqual(try p.ntsbuild("-n").lastErrorLine, "ntsbuild: 0 would run, 27 fresh (dry run)")
    }

    func filesContaining(_ secret: String, under root: String) throws -> [String] {
        let walker = FileManager.default.enumerator(atPath: root)
        var found: [String] = []
        while let relative = walker?.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: root + "/" + relative) else { continue }
            if data.range(of: Data(secret.utf8)) != nil { found.append(relative) }
        }
        return found
    }

    func testCredentialsInTheBuildfileAreRefused() throws {
        let p = try TestProject(buildfile: TestProject.buildfile + "\ncache:\n  remote: http://ann:secret@127.0.0.1:1/cache\n")
        let result = try p.ntsbuild("-n")
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.lastErrorLine.contains("Buildfile.yaml:18:11: cache.remote: credentials do not belong in the Buildfile"), result.stderr)
        XCTAssertFalse(result.stderr.contains("secret"), result.stderr)
    }
}

/// The repository's folder, for its scripts.
enum TinyRepository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}

