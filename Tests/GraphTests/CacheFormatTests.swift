import Foundation
import XCTest
@testable import Graph

/// The cache's own files (actions.log, stat.json, traces) carry a format version. A file without
/// one (an older ntsbuild's), of another version, torn or garbage is set aside with one warning
/// and rewritten: never misread, never a crash, and the outputs stay a clean build's.
final class CacheFormatTests: XCTestCase {
    let log = MemoryProject.cache + "/actions.log"
    let statCache = MemoryProject.cache + "/stat.json"
    let trace = MemoryProject.cache + "/traces/sjoin:top.json"

    /// Builds once, lets `damage` change the file, then checks the next build: `rebuilds` is how
    /// many nodes it has to build, `warning` what its one warning says; the build after that is a
    /// silent no-op.
    private func assertSetAsideAndRewritten(_ path: String, rebuilds: Int, warning: String, topText: String = "top",
                                            damage: (Data) -> Data, file: StaticString = #filePath, line: UInt = #line) throws {
        let project = MemoryProject()
        let expected = try project.outputs(of: project.build())
        project.fs.overwrite(path, with: damage(try XCTUnwrap(project.fs.contents(path), file: file, line: line)))

        let recorder = Recorder()
        let next = try project.build(topText: topText, observer: recorder)
        XCTAssertEqual(next.failures.map(\.id), [], file: file, line: line)
        XCTAssertEqual(next.count(.built), rebuilds, "built \(next.nodes.filter { $0.status == .built }.map(\.id))", file: file, line: line)
        let warnings = MemoryProject.warnings(recorder)
        XCTAssertEqual(warnings.count, 1, "\(warnings)", file: file, line: line)
        XCTAssertTrue(warnings.first?.contains(warning) ?? false, "\(warnings)", file: file, line: line)
        if topText == "top" { XCTAssertEqual(try project.outputs(of: next), expected, file: file, line: line) }

        let quiet = Recorder()
        let after = try project.build(topText: topText, observer: quiet)
        XCTAssertEqual(after.count(.built), 0, file: file, line: line)
        XCTAssertEqual(MemoryProject.warnings(quiet), [], file: file, line: line)
    }

    // MARK: - actions.log

    func testALogOfAnUnknownVersionIsIgnoredAndRewritten() throws {
        try assertSetAsideAndRewritten(log, rebuilds: 4, warning: "format version 99 is not one this ntsbuild reads") { data in
            Data("ntsbuild-actions 99\n".utf8) + data.drop { $0 != 0x0A }.dropFirst()
        }
    }

    func testALogWithoutHeaderFromAnOlderNtsbuildIsIgnoredAndRewritten() throws {
        try assertSetAsideAndRewritten(log, rebuilds: 4, warning: "no 'ntsbuild-actions 1' header") { data in
            Data(data.drop { $0 != 0x0A }.dropFirst())
        }
    }

    func testAGarbageLogIsIgnoredAndRewritten() throws {
        try assertSetAsideAndRewritten(log, rebuilds: 4, warning: "no 'ntsbuild-actions 1' header") { _ in
            Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) })
        }
    }

    func testTheRewrittenLogStartsWithItsHeader() throws {
        let project = MemoryProject()
        try project.build()
        project.fs.overwrite(log, with: Data("a\tgarbage\t.\n".utf8))
        try project.build()
        let text = String(decoding: try XCTUnwrap(project.fs.contents(log)), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("ntsbuild-actions 1\n"), text)
        XCTAssertEqual(text.components(separatedBy: "ntsbuild-actions").count, 2, text)
    }

    /// A line cut short (a full disk, a crash mid-append) is ignored, and the line appended after
    /// it starts on a line of its own instead of being glued to the fragment and lost.
    func testATornLogLineIsSurvivedAndTheNextLineIsNotLost() throws {
        let project = MemoryProject()
        try project.build()
        let whole = try XCTUnwrap(project.fs.contents(log))
        project.fs.overwrite(log, with: whole + Data("a\t0123456789abcdef0123456789abcdef\t0123".utf8))

        let changed = try project.build(topText: "changed")
        XCTAssertEqual(changed.count(.built), 1)
        let after = try project.build(topText: "changed")
        XCTAssertEqual(after.count(.built), 0, "the record appended after the torn line was lost")
    }

    // MARK: - stat.json

    func testAStatCacheOfAnUnknownVersionIsIgnoredAndRewritten() throws {
        try assertSetAsideAndRewritten(statCache, rebuilds: 0, warning: "format version 7 is not one this ntsbuild reads") { _ in
            Data(#"{"entries":{},"format":7}"#.utf8)
        }
    }

    func testAStatCacheWithoutVersionFromAnOlderNtsbuildIsIgnoredAndRewritten() throws {
        try assertSetAsideAndRewritten(statCache, rebuilds: 0, warning: "no format version") { data in
            // What an older ntsbuild wrote: the entries alone.
            let object = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
            return try! JSONSerialization.data(withJSONObject: object["entries"]!)
        }
    }

    func testATornStatCacheIsSurvived() throws {
        try assertSetAsideAndRewritten(statCache, rebuilds: 0, warning: "unreadable") { data in data.prefix(data.count / 2) }
    }

    func testTheRewrittenStatCacheCarriesItsVersion() throws {
        let project = MemoryProject()
        try project.build()
        project.fs.overwrite(statCache, with: Data("garbage".utf8))
        try project.build()
        let object = try JSONSerialization.jsonObject(with: try XCTUnwrap(project.fs.contents(statCache))) as? [String: Any]
        XCTAssertEqual(object?["format"] as? Int, 1)
        XCTAssertEqual((object?["entries"] as? [String: Any])?.keys.sorted(), ["src.txt"])
    }

    // MARK: - traces

    /// A trace the node's next build cannot read counts as none: the node explains itself as
    /// never built (one warning), and its rebuild writes a current trace.
    private func assertTraceSetAside(warning: String, damage: @escaping (Data) -> Data, file: StaticString = #filePath, line: UInt = #line) throws {
        try assertSetAsideAndRewritten(trace, rebuilds: 1, warning: warning, topText: "changed", damage: damage, file: file, line: line)
        let project = MemoryProject()
        try project.build()
        project.fs.overwrite(trace, with: damage(try XCTUnwrap(project.fs.contents(trace))))
        let recorder = Recorder()
        try project.build(topText: "changed", observer: recorder)
        XCTAssertEqual(recorder.reasons(MemoryProject.target), [.neverBuilt], file: file, line: line)
        XCTAssertEqual(project.engine().traces.load(MemoryProject.target)?.params["text"], #""changed""#, file: file, line: line)
    }

    func testATraceOfAnUnknownVersionIsIgnoredAndRewritten() throws {
        try assertTraceSetAside(warning: "format version 2 is not one this ntsbuild reads") { data in
            Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: #""format" : 1"#, with: #""format" : 2"#).utf8)
        }
    }

    func testATraceWithoutVersionFromAnOlderNtsbuildIsIgnoredAndRewritten() throws {
        try assertTraceSetAside(warning: "no format version") { data in
            var object = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
            object["format"] = nil
            return try! JSONSerialization.data(withJSONObject: object)
        }
    }

    func testAGarbageTraceIsIgnoredAndRewritten() throws {
        try assertTraceSetAside(warning: "unreadable") { data in data.prefix(data.count / 3) }
    }
}
