import ArgumentParser
import Foundation
import Graph

/// `ntsbench remote`: what the HTTP remote cache costs, against an nginx started for the run
/// (scripts/nginx_cache.sh) — a no-op build with and without the remote (median of several),
/// a build on an empty machine that fetches everything (per node, MB/s), the cache's own upload
/// of every object (streamed from disk, chunked), and curl moving the same objects to and from the
/// same server as the reference for transfer speed.
struct RemoteBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "Time the HTTP remote cache (no-op and fetch-everything builds) against curl on the same nginx.")

    @Option(help: "The project to build (a copy is made; default: the repository's demo album).") var project = FileManager.default.currentDirectoryPath
    @Option(help: "The ntsbuild binary.") var binary = FileManager.default.currentDirectoryPath + "/.build/release/ntsbuild"
    @Option(name: .customLong("set"), help: "Passed to every build (default: a 320x180 render).") var sets = ["output.width=320", "output.height=180"]
    @Option(help: "No-op builds of each kind; the median is reported.") var repeats = 5
    @Option var port = 28_000 + Int.random(in: 0..<2_000)

    struct Run { var seconds: Double; var stdout: String; var stderr: String }

    func run() throws {
        let scratch = NSTemporaryDirectory() + "ntsbench-remote-" + UUID().uuidString
        let server = scratch + "/nginx", url = "http://127.0.0.1:\(port)/cache"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/scripts/nginx_cache.sh"
        _ = try command(script, ["start", server, String(port)])
        defer { _ = try? command(script, ["stop", server]) }

        let first = try copyProject(to: scratch + "/first"), second = try copyProject(to: scratch + "/second")
        let options = sets.flatMap { ["--set", $0] } + ["-j2", "album"]
        let made = try build(first, options + ["--remote-cache", url])
        print(String(format: "first build with uploads: %.1f s — %@", made.seconds, last(made.stderr)))

        var local: [Double] = [], remote: [Double] = []
        for _ in 0..<max(1, repeats) {
            local.append(try build(first, options).seconds)
            remote.append(try build(first, options + ["--remote-cache", url]).seconds)
        }
        let (l, r) = (median(local), median(remote))
        print(String(format: "no-op build: %.3f s local, %.3f s with the remote cache (median of %d; +%.0f ms)", l, r, local.count, (r - l) * 1000))

        let fetched = try build(second, options + ["--remote-cache", url, "--json"])
        let events = fetched.stdout.split(separator: "\n").filter { $0.contains("\"event\":\"fetched\"") }
        let objects = try FileManager.default.contentsOfDirectory(atPath: server + "/data/cache/cas").map { server + "/data/cache/cas/" + $0 }
        let bytes = objects.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        let mb = Double(bytes) / 1e6
        print(String(format: "fetch everything: %d nodes, %.1f MB in %.2f s: %.1f ms per node, %.1f MB/s — %@",
                     events.count, mb, fetched.seconds, fetched.seconds * 1000 / Double(max(1, events.count)), mb / fetched.seconds, last(fetched.stderr)))

        // curl, one process and one connection for all objects, down then up.
        let down = scratch + "/curl-down"
        try FileManager.default.createDirectory(atPath: down, withIntermediateDirectories: true)
        let getArguments = objects.flatMap { ["-o", down + "/" + ($0 as NSString).lastPathComponent, url + "/cas/" + ($0 as NSString).lastPathComponent] }
        let get = try timed { _ = try command("/usr/bin/curl", ["-sf"] + getArguments) }
        let putArguments = objects.flatMap { ["-T", $0, url + "/curl-up/" + ($0 as NSString).lastPathComponent] }
        let put = try timed { _ = try command("/usr/bin/curl", ["-sf"] + putArguments) }
        print(String(format: "curl: %.1f MB down in %.2f s (%.1f MB/s), up in %.2f s (%.1f MB/s)", mb, get, mb / get, put, mb / put))
        print(String(format: "ratio ntsbuild fetch-everything / curl download: %.2f (the build also re-hashes, stores and publishes)", fetched.seconds / get))

        // The cache's own upload of the same objects, one after another as the build's upload
        // thread sends them, under another prefix so nothing the builds use is replaced.
        let uploader = HTTPRemoteCache(base: URL(string: url + "/upload-bench")!, environment: [:])
        let sent = try timed {
            for object in objects {
                // Every object counted in `mb` goes up, or the rate would be overstated.
                guard let digest = Digest(hex: (object as NSString).lastPathComponent) else {
                    throw ValidationError("\(object) is not named by a digest: not a cache object")
                }
                try uploader.upload(object, as: digest, replacing: true)
            }
        }
        print(String(format: "HTTPRemoteCache upload (streamed, chunked): %.1f MB in %.2f s (%.1f MB/s); ratio to curl up: %.2f",
                     mb, sent, mb / sent, sent / put))
    }

    func copyProject(to path: String) throws -> String {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for item in ["Buildfile.yaml", "album", "presets", "models", "styles"] where FileManager.default.fileExists(atPath: project + "/" + item) {
            try FileManager.default.copyItem(atPath: project + "/" + item, toPath: path + "/" + item)
        }
        return path
    }

    func build(_ directory: String, _ arguments: [String]) throws -> Run {
        var output = ("", "")
        let seconds = try timed { output = try command(binary, ["-C", directory] + arguments) }
        return Run(seconds: seconds, stdout: output.0, stderr: output.1)
    }

    func last(_ text: String) -> String { text.split(separator: "\n").last.map(String.init) ?? "" }

    func timed(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    /// Runs a program to its end; its stdout and stderr, or an error naming it.
    func command(_ path: String, _ arguments: [String]) throws -> (String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes are read at once, so a chatty child never blocks on a full one.
        nonisolated(unsafe) var outData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let result = (String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
        guard process.terminationStatus == 0 else {
            throw ValidationError("\((path as NSString).lastPathComponent) \(arguments.prefix(4).joined(separator: " ")) … exited \(process.terminationStatus): \(last(result.1))")
        }
        return result
    }
}
