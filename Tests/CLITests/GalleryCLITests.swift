import Foundation
import XCTest

/// The gallery in a real headless browser: feature lanes drawn under each track's video, a
/// playhead that follows the video after a scripted seek, chapters that seek the album cut,
/// timestamped contact-sheet cells, the node table collapsed, a link to the previous run.
final class GalleryCLITests: XCTestCase {
    func browser() throws -> String {
        try XCTUnwrap(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) },
                      "chromium is not installed: run `make deps` (apt-get install chromium)")
    }

    /// The page's DOM after its scripts ran and its media loaded (virtual time, so no sleeping),
    /// kept next to the browser profile for a look when a test fails.
    func dumpDOM(_ page: String, query: String = "", profile: String) throws -> String {
        let dump = profile + ".html"
        FileManager.default.createFile(atPath: dump, contents: nil)
        let chromium = Process()
        chromium.executableURL = URL(fileURLWithPath: try browser())
        chromium.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile,
                              "--virtual-time-budget=5000", "--dump-dom", URL(fileURLWithPath: page).absoluteString + query]
        chromium.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: dump))
        chromium.standardError = FileHandle.nullDevice
        try chromium.run()
        chromium.waitUntilExit()
        return try String(contentsOfFile: dump, encoding: .utf8)
    }

    /// x1 and data-time of the playhead in the lanes that follow `video`.
    func playhead(in dom: String, following video: String) throws -> (x: Double, time: Double) {
        let svg = try XCTUnwrap(dom.range(of: "data-follows=\"\(video)\""), "lanes for \(video)")
        let rest = dom[svg.upperBound...]
        let line = try XCTUnwrap(rest.range(of: "class=\"playhead\"").map { rest[$0.lowerBound...].prefix(300) })
        func attribute(_ name: String) throws -> Double {
            let start = try XCTUnwrap(line.range(of: " \(name)=\"")).upperBound
            return try XCTUnwrap(Double(line[start...].prefix { $0 != "\"" }), "\(name) in \(line)")
        }
        return (try attribute("x1"), try attribute("data-time"))
    }

    func testPlayheadFollowsAScriptedSeek() throws {
        let p = try TestProject(copying: EndToEndTests.baseline)
        let page = URL(fileURLWithPath: p.latest).resolvingSymlinksInPath().path + "/index.html"
        let still = try playhead(in: try dumpDOM(page, profile: p.root + "/profile-a"), following: "video-one")
        XCTAssertEqual(still.x, 110, "no seek: at the left edge of the plot")
        XCTAssertEqual(still.time, 0)
        // Track one is 3 s: 1.5 s is the middle of the 840-unit plot that starts at 110.
        let dom = try dumpDOM(page, query: "?v=video-one&t=1.5", profile: p.root + "/profile-b")
        let moved = try playhead(in: dom, following: "video-one")
        XCTAssertEqual(moved.time, 1.5, accuracy: 0.001, "the video itself reports the seek")
        XCTAssertEqual(moved.x, 110 + 840 * 0.5, accuracy: 0.2)
        // Only that video's lanes follow it.
        XCTAssertEqual(try playhead(in: dom, following: "video-two").x, 110)
    }

    func testChaptersSheetNodesAndPreviousRun() throws {
        let p = try TestProject(copying: EndToEndTests.baseline)
        let first = URL(fileURLWithPath: p.latest).resolvingSymlinksInPath().lastPathComponent
        // A build that changes something (one that changes nothing adds no run folder).
        let again = try p.ntsbuild("--set", "postfx.vignette=0.5")
        XCTAssertEqual(again.status, 0, again.stderr)
        let run = URL(fileURLWithPath: p.latest).resolvingSymlinksInPath().path
        XCTAssertNotEqual((run as NSString).lastPathComponent, first)
        let html = try String(contentsOfFile: run + "/index.html", encoding: .utf8)
        // Chapters from the album file: One at 0, Two after One's 3 s.
        XCTAssertTrue(html.contains(#"data-video="video-album" data-seek="0.000"><span class="at">0:00.0</span>One</a>"#), html)
        XCTAssertTrue(html.contains(#"data-video="video-album" data-seek="3.000"><span class="at">0:03.0</span>Two</a>"#), html)
        XCTAssertTrue(html.contains(#"<video id="video-album" controls preload="none" width="48" height="32" poster="one-poster.png""#))
        // Twelve sheet cells per track, each with its time (the middle frame of each twelfth).
        XCTAssertEqual(html.components(separatedBy: #"<a class="cell""#).count - 1, 24)
        XCTAssertTrue(html.contains(#"data-video="video-one" data-seek="0.125"><span>0:00.1</span>"#), "frame 1 of 36 at 12 fps")
        XCTAssertTrue(html.contains("<details><summary>Nodes ("), "the node table is collapsed")
        XCTAssertTrue(html.contains(#"<dt>palette</dt><dd>the generator's own colours</dd>"#))
        XCTAssertTrue(html.contains(#"<dt>generator</dt><dd>cppn 3×8, seed 1, render scale 0.5</dd>"#))
        // The previous run, relatively, and it is there.
        let link = "../\(first)/index.html"
        XCTAssertTrue(html.contains("href=\"\(link)\""), "links \(link)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/" + link))
    }

    /// Screenshots of the page and of the same page with the lanes' contents hidden (same layout):
    /// what differs is the lanes, one band per curve, top to bottom in lane order.
    func testLanesAreDrawnUnderTheVideo() throws {
        let p = try TestProject(copying: EndToEndTests.baseline)
        let run = URL(fileURLWithPath: p.latest).resolvingSymlinksInPath().path
        let html = try String(contentsOfFile: run + "/index.html", encoding: .utf8)
        let hidden = html.replacingOccurrences(of: "</style>", with: "svg.lanes *{visibility:hidden}</style>")
        try hidden.write(toFile: run + "/hidden.html", atomically: true, encoding: .utf8)
        let width = 1280, height = 3200
        let real = try Screenshot.take(browser: try browser(), page: run + "/index.html", to: p.root + "/real.png", width: width, height: height)
        let bare = try Screenshot.take(browser: try browser(), page: run + "/hidden.html", to: p.root + "/bare.png", width: width, height: height)
        let lanes: [(name: String, rgb: (Int, Int, Int))] = [("loudness", (0xf5, 0xb9, 0x42)), ("onsets", (0xff, 0x5f, 0x7e)),
                                                             ("brightness", (0x4f, 0xc3, 0xf7)), ("beats", (0x7b, 0xd8, 0x8f))]
        var rows = [[Int]](repeating: [], count: lanes.count)
        var differing = 0
        for i in 0..<(width * height) {
            let a = (Int(real[i * 3]), Int(real[i * 3 + 1]), Int(real[i * 3 + 2]))
            let b = (Int(bare[i * 3]), Int(bare[i * 3 + 1]), Int(bare[i * 3 + 2]))
            guard abs(a.0 - b.0) + abs(a.1 - b.1) + abs(a.2 - b.2) > 24 else { continue }
            differing += 1
            for (k, lane) in lanes.enumerated() where abs(a.0 - lane.rgb.0) + abs(a.1 - lane.rgb.1) + abs(a.2 - lane.rgb.2) < 60 {
                rows[k].append(i / width)
            }
        }
        XCTAssertGreaterThan(differing, 20_000, "the lanes drew \(differing) pixels")
        for (k, lane) in lanes.enumerated() {
            XCTAssertGreaterThan(rows[k].count, 40, "\(lane.name) drew \(rows[k].count) pixels in its colour")
        }
        // Track one's lanes come first on the page; each lane's pixels sit below the previous lane's.
        // The first quartile of each colour's rows: inside track one's band (it has most of the pixels).
        func firstQuartile(_ v: [Int]) -> Int { v.isEmpty ? 0 : v.sorted()[v.count / 4] }
        let firstBand = rows.map(firstQuartile)
        XCTAssertEqual(firstBand, firstBand.sorted(), "lanes in order: \(firstBand)")
        XCTAssertEqual(Set(firstBand).count, lanes.count, "one band per lane: \(firstBand)")
    }
}
