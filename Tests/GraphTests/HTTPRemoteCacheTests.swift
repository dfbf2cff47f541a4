import Foundation
import XCTest
@testable import Graph

/// The HTTP remote cache against servers that misbehave: errors, bodies cut short, wrong
/// objects. Each is a miss for the node (built here), at most one warning, nothing damaged in
/// the local cache, and no credential in any message.
final class HTTPRemoteCacheTests: XCTestCase {
    static let token = "tok-3f9a7c1e-never-shown"

    func chain(_ counter: RunCounter) -> BuildGraph {
        var g = BuildGraph()
        g.add(JoinRecipe("a:1", inputs: [.file("src.txt")], text: "a", counter: counter))
        g.add(JoinRecipe("b:1", inputs: ["a:1"], text: "b", counter: counter))
        return g
    }

    func build(_ s: Sandbox, _ counter: RunCounter, remote: RemoteCache?, recorder: Recorder) throws -> BuildResult {
        let engine = s.engine()
        engine.useRemote(remote.map { RemoteCacheOptions(cache: $0) })
        return try engine.build(chain(counter), targets: ["b:1"], options: BuildOptions(jobs: 1), observer: recorder)
    }

    func warnings(_ recorder: Recorder) -> [String] {
        recorder.events.compactMap { if case .warning(_, let m) = $0 { m } else { nil } }
    }

    /// What a clean local build makes, for servers that pretend to have it.
    func reference() throws -> (key: [NodeID: Digest], output: [NodeID: Digest]) {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        let result = try build(s, counter, remote: nil, recorder: Recorder())
        var keys: [NodeID: Digest] = [:], outputs: [NodeID: Digest] = [:]
        for id: NodeID in ["a:1", "b:1"] {
            keys[id] = result.result(for: id)?.key
            outputs[id] = result.result(for: id)?.output
        }
        return (keys, outputs)
    }

    func assertLocalCacheIntact(_ s: Sandbox, file: StaticString = #filePath, line: UInt = #line) throws {
        let report = try CacheMaintenance(engine: s.engine()).verify()
        XCTAssertEqual(report.corrupt, [], "nothing damaged in the local cache", file: file, line: line)
    }

    func testAServerAnswering500IsOneWarningAndALocalBuild() throws {
        let server = try ScriptedHTTPServer { _ in ScriptedHTTPServer.response(500, Array("oops".utf8)) }
        defer { server.stop() }
        let s = Sandbox(), counter = RunCounter(), recorder = Recorder()
        s.write("src.txt", "hello")
        let result = try build(s, counter, remote: HTTPRemoteCache(base: server.url, environment: ["NTSBUILD_REMOTE_TOKEN": Self.token]), recorder: recorder)
        XCTAssertEqual(result.failures.map(\.id), [])
        XCTAssertEqual(counter.total, 2, "both built here")
        XCTAssertEqual(warnings(recorder).count, 1, "\(warnings(recorder))")
        XCTAssertTrue(warnings(recorder)[0].contains("HTTP 500"), warnings(recorder)[0])
        XCTAssertEqual(server.requests.count, HTTPRemoteCache.attempts, "retried, then left alone for the rest of the build")
        XCTAssertEqual(server.requests.first?.headers["authorization"], "Bearer " + Self.token)
        XCTAssertFalse(recorder.events.map { "\($0)" }.joined().contains(Self.token))
        try assertLocalCacheIntact(s)
    }

    func testABodyCutShortIsNeverStored() throws {
        let made = try reference()
        let entry = try JSONEncoder().encode(RemoteEntry(output: made.output["a:1"]!, size: 1000, kind: "a"))
        let server = try ScriptedHTTPServer { request in
            if request.path.hasSuffix("/ac/" + made.key["a:1"]!.hex) { return ScriptedHTTPServer.response(200, Array(entry)) }
            if request.path.contains("/cas/") && request.method == "GET" {
                return ScriptedHTTPServer.response(200, Array("short".utf8), contentLength: 1000)
            }
            return ScriptedHTTPServer.response(404)
        }
        defer { server.stop() }
        let s = Sandbox(), counter = RunCounter(), recorder = Recorder()
        s.write("src.txt", "hello")
        let result = try build(s, counter, remote: HTTPRemoteCache(base: server.url), recorder: recorder)
        XCTAssertEqual(result.failures.map(\.id), [])
        XCTAssertEqual(counter.total, 2)
        XCTAssertEqual(result.result(for: "b:1")?.output, made.output["b:1"])
        XCTAssertEqual(warnings(recorder).count, 1, "\(warnings(recorder))")
        try assertLocalCacheIntact(s)
    }

    func testAWrongObjectIsRebuiltAndReplaced() throws {
        let made = try reference()
        let entry = try JSONEncoder().encode(RemoteEntry(output: made.output["a:1"]!, size: 5, kind: "a"))
        let server = try ScriptedHTTPServer { request in
            switch (request.method, request.path) {
            case ("GET", let p) where p.hasSuffix("/ac/" + made.key["a:1"]!.hex): return ScriptedHTTPServer.response(200, Array(entry))
            case ("GET", let p) where p.contains("/cas/"): return ScriptedHTTPServer.response(200, Array("wrong".utf8))
            case ("PUT", _): return ScriptedHTTPServer.response(201)
            default: return ScriptedHTTPServer.response(404)
            }
        }
        defer { server.stop() }
        let s = Sandbox(), counter = RunCounter(), recorder = Recorder()
        s.write("src.txt", "hello")
        let result = try build(s, counter, remote: HTTPRemoteCache(base: server.url), recorder: recorder)
        XCTAssertEqual(counter.total, 2)
        XCTAssertEqual(result.result(for: "a:1")?.output, made.output["a:1"])
        XCTAssertTrue(warnings(recorder).contains { $0.contains("is damaged") }, "\(warnings(recorder))")
        let puts = server.requests.filter { $0.method == "PUT" }.map(\.path)
        XCTAssertTrue(puts.contains("/cache/cas/" + made.output["a:1"]!.hex), "the good object replaces the wrong one: \(puts)")
        // Object before entry, for every node.
        for id: NodeID in ["a:1", "b:1"] {
            let object = puts.firstIndex(of: "/cache/cas/" + made.output[id]!.hex), entry = puts.firstIndex(of: "/cache/ac/" + made.key[id]!.hex)
            XCTAssertNotNil(entry)
            XCTAssertLessThan(object ?? .max, entry ?? .min)
        }
        try assertLocalCacheIntact(s)
    }

    func testNetrcLoginIsSentAndNeverShown() throws {
        let netrc = NSTemporaryDirectory() + "netrc-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: netrc) }
        try Data("machine elsewhere login x password y\nmachine 127.0.0.1\n  login ann\n  password pw-never-shown\n".utf8)
            .write(to: URL(fileURLWithPath: netrc))
        let server = try ScriptedHTTPServer { _ in ScriptedHTTPServer.response(403) }
        defer { server.stop() }
        let cache = HTTPRemoteCache(base: server.url, environment: [:], netrc: netrc)
        XCTAssertThrowsError(try cache.lookup(Digest(high: 1, low: 2))) { error in
            XCTAssertFalse("\(error)".contains("pw-never-shown"), "\(error)")
        }
        XCTAssertEqual(server.requests.first?.headers["authorization"], "Basic " + Data("ann:pw-never-shown".utf8).base64EncodedString())
        XCTAssertFalse(cache.name.contains("ann"))
    }

    /// An object goes up streamed (chunked), byte for byte, however large: nothing holds it in memory.
    func testAnUploadArrivesWholeAndStreamed() throws {
        let server = try ScriptedHTTPServer { request in ScriptedHTTPServer.response(request.method == "PUT" ? 201 : 404) }
        defer { server.stop() }
        let path = NSTemporaryDirectory() + "upload-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Bytes that never repeat in step with a chunk (a multiplicative hash of the position).
        let bytes = (0..<3_000_001).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let digest = Digest(high: 3, low: 4)
        try HTTPRemoteCache(base: server.url).upload(path, as: digest, replacing: false)
        let put = try XCTUnwrap(server.requests.first { $0.method == "PUT" })
        XCTAssertEqual(put.path, "/cache/cas/" + digest.hex)
        XCTAssertEqual(put.headers["transfer-encoding"], "chunked")
        XCTAssertTrue(put.body == bytes, "the server got \(put.body.count) of \(bytes.count) bytes, or other bytes")
    }

    /// A server that goes away while an object is going up is an error the build turns into one
    /// warning; it used to stop the process (FoundationNetworking's file upload traps when the
    /// transfer it wants to resume is gone). Many large uploads, so the hang-up lands mid-send.
    func testAServerHangingUpMidUploadIsAnErrorNotACrash() throws {
        let server = try ScriptedHTTPServer(readsBodies: false) { _ in [] }
        defer { server.stop() }
        let path = NSTemporaryDirectory() + "upload-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(count: 16 << 20).write(to: URL(fileURLWithPath: path))
        let cache = HTTPRemoteCache(base: server.url, timeout: 5)
        for round in 0..<8 {
            XCTAssertThrowsError(try cache.upload(path, as: Digest(high: 5, low: UInt64(round)), replacing: true), "round \(round)")
        }
    }
}

