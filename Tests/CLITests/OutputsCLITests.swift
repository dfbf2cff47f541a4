import CLookKernels
import Foundation
import XCTest
import Nodes

/// What a run leaves for people: tagged track MP4s, previews, run.json, the gallery (checked in a
/// real headless browser) and `ntsbuild verify`.
final class OutputsCLITests: XCTestCase {
    func copy() throws -> TestProject { try TestProject(copying: EndToEndTests.baseline) }

    func testTrackMP4sCarryTagsProfileAndFaststart() throws {
        let p = try copy()
        for (number, id, title) in [(1, "one", "One"), (2, "two", "Two")] {
            let info = try CLI.probe(p.latest + "/\(id).mp4")
            let tags = (info["format"] as? [String: Any])?["tags"] as? [String: String] ?? [:]
            XCTAssertEqual(tags["title"], title)
            XCTAssertEqual(tags["artist"], "Tester")
            XCTAssertEqual(tags["album"], "Test Album")
            XCTAssertEqual(tags["track"], "\(number)/2")
            let video = try XCTUnwrap((info["streams"] as? [[String: Any]])?.first { $0["codec_type"] as? String == "video" })
            // x264's profile is a ceiling: the test project's ultrafast preset needs no more than baseline.
            XCTAssertTrue(["High", "Main", "Constrained Baseline"].contains(video["profile"] as? String ?? ""), "\(video)")
            XCTAssertEqual(video["pix_fmt"] as? String, "yuv420p")
            let atoms = try Atoms.topLevel(p.latest + "/\(id).mp4")
            XCTAssertLessThan(try XCTUnwrap(atoms.firstIndex(of: "moov")), try XCTUnwrap(atoms.firstIndex(of: "mdat")), "faststart")
        }
    }

    func testEncoderKeysReachTheTrack() throws {
        let p = try copy()
        let result = try p.ntsbuild("track:one", "--json", "--set", "encoder.preset=veryfast", "--set", "encoder.profile=main", "--set", "encoder.keyframe_interval=6",
                                    "--set", "encoder.pixel_format=yuv420p")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.nodes("built"), ["track:one"], "encoder keys re-encode only")
        let info = try MediaProbe.packets(p.latest + "/one.mp4")
        XCTAssertEqual(info.profile, "Main")
        XCTAssertGreaterThanOrEqual(info.keyframes.count, 6, "36 frames, a keyframe at least every 6")
        let bad = try p.ntsbuild("track:one", "--set", "encoder.pixel_format=yuv444p", "--set", "encoder.profile=baseline")
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.lastErrorLine.contains("cannot carry yuv444p"), bad.stderr)
    }

    func testPreviewsAreMaterialisedWithTheirSizes() throws {
        let p = try copy()
        // Output 96x64 at render_scale 0.5: shards are 48x32.
        for (id, frames) in [("one", 36), ("two", 24)] {
            let poster = try XCTUnwrap(CLI.probeStream(p.latest + "/\(id)-poster.png"))
            XCTAssertEqual(poster["codec_name"] as? String, "png")
            XCTAssertEqual(poster["width"] as? Int, 48)
            XCTAssertEqual(poster["height"] as? Int, 32)
            let sheet = try XCTUnwrap(CLI.probeStream(p.latest + "/\(id)-sheet.png"))
            XCTAssertEqual(sheet["width"] as? Int, 4 * 48 + 5 * 6)
            XCTAssertEqual(sheet["height"] as? Int, 3 * 32 + 4 * 6)
            let webp = try WebPFile(path: p.latest + "/\(id)-preview.webp")
            XCTAssertEqual(webp.frames, frames, "3 s at 12 fps, or the whole track when shorter")
            XCTAssertEqual(webp.canvas.width, 48)
            XCTAssertEqual(webp.canvas.height, 32)
            XCTAssertTrue(webp.loops)
        }
    }

    func testPreviewTargetAndDeterministicPreviews() throws {
        let fresh = try TestProject()
        let result = try fresh.ntsbuild("preview:one", "--json")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(Set(result.nodes("built").filter { $0.hasPrefix("preview:") }), ["preview:one:poster", "preview:one:sheet", "preview:one:anim"])
        XCTAssertFalse(result.nodes("built").contains("track:one"), "previews do not need the encoded track")
        let baseline = try EndToEndTests.baseline.outputHashes()
        let hashes = try fresh.outputHashes()
        for file in ["one-poster.png", "one-sheet.png", "one-preview.webp"] { XCTAssertEqual(hashes[file], baseline[file], file) }
        let post = try copy().ntsbuild("album", "--json", "--set", "postfx.vignette=0.5")
        XCTAssertFalse(post.nodes("built").contains { $0.hasPrefix("preview:") }, "post-effects do not re-cut previews")
    }

    func testRunJSONRecordsEveryOutputNodeAndMachine() throws {
        let p = try copy()
        let run = try p.runJSON()
        XCTAssertEqual((run["tool"] as? [String: String])?["name"], "ntsbuild")
        XCTAssertNotNil((run["tool"] as? [String: String])?["version"])
        let machine = run["machine"] as? [String: String] ?? [:]
        for key in ["os", "arch", "libavcodec", "libsndfile", "fftw", "openblas"] { XCTAssertNotNil(machine[key], key) }
        // OpenBLAS's core: the one ntsbuild relaunched with where the library misjudged this CPU
        // (Debian's 0.3.21 on a recent Xeon says Prescott), else the library's own.
        switch OpenBLASCore.decisionHere {
        case .use(let core):
            XCTAssertEqual(machine["openblas_core"], core)
            XCTAssertTrue(machine["openblas_core_chosen_by"]?.hasPrefix("ntsbuild") == true, "\(machine)")
        case .keep:
            XCTAssertEqual(machine["openblas_core"], OpenBLASCore.inUse.core)
        }
        XCTAssertEqual(machine["look_kernels"], String(cString: look_kernels_path_name(look_kernels_best_path())))
        let encoder = ((run["tracks"] as? [String: Any])?["one"] as? [String: Any])?["encoder"] as? [String: Any] ?? [:]
        XCTAssertEqual(encoder["profile"] as? String, "high")
        XCTAssertEqual(encoder["keyframe_interval"] as? Int, 60)
        XCTAssertEqual((run["cut"] as? [String: Any])?["chapters"] as? Bool, true)
        for output in run["outputs"] as? [[String: Any]] ?? [] {
            let file = try XCTUnwrap(output["file"] as? String)
            XCTAssertEqual(output["sha256"] as? String, try RunRecord.sha256(of: p.latest + "/" + file), file)
        }
        for node in run["nodes"] as? [[String: Any]] ?? [] where !(node["id"] as! String).hasPrefix("file:") {
            XCTAssertNotNil(node["key"], "\(node)")
            XCTAssertEqual((node["output"] as? String)?.count, 32, "\(node)")
            XCTAssertTrue(["built", "reused"].contains(node["status"] as? String ?? ""), "\(node)")
            XCTAssertNotNil(node["seconds"] as? Double)
        }
        let html = try String(contentsOfFile: p.latest + "/index.html", encoding: .utf8)
        for file in ["one.mp4", "two.mp4", "album.mp4", "one-poster.png", "two-sheet.png", "one-preview.webp", "run.json"] {
            XCTAssertTrue(html.contains("\"\(file)\""), "index.html links \(file) relatively")
        }
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 2, "one feature plot per track")
        XCTAssertTrue(html.contains("rms_norm") && html.contains("onset_norm") && html.contains("centroid_norm"))
        XCTAssertFalse(html.contains("src=\"http") || html.contains("href=\"http") || html.contains("src=\"/"), "no external or absolute links")
        // The user's OPENBLAS_CORETYPE is never overridden, and is recorded as theirs.
        let userSet = try CLI.run(["--set", "encoder.crf=24"], in: p.root, environment: ["OPENBLAS_CORETYPE": "Haswell"])
        XCTAssertEqual(userSet.status, 0, userSet.stderr)
        let userMachine = try p.runJSON()["machine"] as? [String: String] ?? [:]
        XCTAssertEqual(userMachine["openblas_core"], "Haswell")
        XCTAssertEqual(userMachine["openblas_core_chosen_by"], "OPENBLAS_CORETYPE=Haswell")
    }

    // MARK: - verify

    func testVerifyPassesOnAnUntouchedRun() throws {
        let p = try copy()
        let result = try p.ntsbuild("verify")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("9 outputs of run-"), result.stdout)
        XCTAssertEqual(result.stdout.components(separatedBy: "re-rendered identically").count - 1, 2, result.stdout)
    }

    func testVerifyUsesTheRunsOwnConfigNotTheBuildfiles() throws {
        let p = try copy()
        let build = try p.ntsbuild("track:two", "--set", "generator.seed=3", "--set", "controller.wander_seed=5")
        XCTAssertEqual(build.status, 0, build.stderr)
        let result = try p.ntsbuild("verify", "--shards", "3")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.components(separatedBy: "re-rendered identically").count - 1, 3, result.stdout)
        let html = try String(contentsOfFile: p.latest + "/index.html", encoding: .utf8)
        XCTAssertTrue(html.contains("\"two.mp4\""))
        XCTAssertFalse(html.contains("one.mp4") || html.contains("album.mp4"), "the gallery shows only what this run made")
    }

    func testVerifyNamesATamperedOrMissingOutput() throws {
        let p = try copy()
        // Replaced, not edited in place (either way the cache is not touched: outputs are copies).
        let sheet = p.latest + "/two-sheet.png"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: sheet))
        bytes[bytes.count / 2] ^= 0xFF
        try FileManager.default.removeItem(atPath: sheet)
        try bytes.write(to: URL(fileURLWithPath: sheet))
        let tampered = try p.ntsbuild("verify")
        XCTAssertEqual(tampered.status, 1)
        XCTAssertTrue(tampered.lastErrorLine.hasPrefix("ntsbuild: error: "), tampered.stderr)
        XCTAssertTrue(tampered.lastErrorLine.contains("two-sheet.png: SHA-256"), tampered.stderr)
        XCTAssertEqual(tampered.stderr.split(separator: "\n").count, 1, "one line")

        try FileManager.default.removeItem(atPath: sheet)
        let missing = try p.ntsbuild("verify", "renders/latest")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.lastErrorLine.contains("two-sheet.png: missing"), missing.stderr)
    }

    func testVerifyReRendersShardsAndCatchesAWrongRecord() throws {
        let p = try copy()
        let path = p.latest + "/run.json"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let run = try p.runJSON()
        let shard = try XCTUnwrap((run["nodes"] as? [[String: Any]])?.first { $0["id"] as? String == "frames:two:0001" })
        let recorded = try XCTUnwrap(shard["output"] as? String)
        text = text.replacingOccurrences(of: recorded, with: String(repeating: "0", count: 32))
        try FileManager.default.removeItem(atPath: path)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try p.ntsbuild("verify", "--shards", "100")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.lastErrorLine.contains("frames:two:0001 re-rendered to \(recorded.prefix(12))"), result.stderr)
    }

    // MARK: - the gallery in a real browser

    func testGalleryRendersInHeadlessChromium() throws {
        let browser = try XCTUnwrap(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                    "chromium is not installed: run `make deps` (apt-get install chromium)")
        let p = try copy()
        let run = URL(fileURLWithPath: p.latest).resolvingSymlinksInPath().path
        // The same page with its images gone: what differs between the two screenshots is what
        // the images drew (the page gives every image its size, so the layout does not move).
        let bare = p.root + "/bare"
        try FileManager.default.createDirectory(atPath: bare, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: run + "/index.html", toPath: bare + "/index.html")
        let width = 1280, height = 2000
        let real = try Screenshot.take(browser: browser, page: run + "/index.html", to: p.root + "/real.png", width: width, height: height)
        let empty = try Screenshot.take(browser: browser, page: bare + "/index.html", to: p.root + "/bare.png", width: width, height: height)
        if let keep = ProcessInfo.processInfo.environment["OUTPUTS_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: p.root + "/real.png", toPath: keep)
        }
        XCTAssertEqual(real.count, width * height * 3)
        var differing = 0
        var colours = Set<Int>()
        var minY = height, maxY = 0
        for i in 0..<(width * height) {
            let a = (Int(real[i * 3]), Int(real[i * 3 + 1]), Int(real[i * 3 + 2]))
            let b = (Int(empty[i * 3]), Int(empty[i * 3 + 1]), Int(empty[i * 3 + 2]))
            guard abs(a.0 - b.0) + abs(a.1 - b.1) + abs(a.2 - b.2) > 24 else { continue }
            differing += 1
            colours.insert(a.0 << 16 | a.1 << 8 | a.2)
            minY = min(minY, i / width)
            maxY = max(maxY, i / width)
        }
        // The first track's poster alone is drawn 960 px wide: far more than 100k pixels.
        XCTAssertGreaterThan(differing, 100_000, "images drew \(differing) pixels")
        XCTAssertGreaterThan(colours.count, 500, "rendered images are varied, not a flat placeholder")
        XCTAssertLessThan(minY, 200, "the first poster is near the top of the page")
        // The poster region itself: below the heading, the video's poster fills a 960-px-wide block.
        var posterColours = Set<Int>()
        for y in (minY + 20)..<min(height, minY + 300) {
            for x in stride(from: 40, to: 900, by: 3) {
                let i = (y * width + x) * 3
                posterColours.insert(Int(real[i]) << 16 | Int(real[i + 1]) << 8 | Int(real[i + 2]))
            }
        }
        XCTAssertGreaterThan(posterColours.count, 200, "the poster region shows a picture")
    }
}

enum Screenshot {
    /// Screenshots a local page with headless Chromium and returns it as raw RGB24 (decoded by ffmpeg).
    static func take(browser: String, page: String, to png: String, width: Int, height: Int) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=" + png + ".profile", "--virtual-time-budget=3000",
                             "--screenshot=" + png, "--window-size=\(width),\(height)", URL(fileURLWithPath: page).absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard FileManager.default.fileExists(atPath: png) else {
            throw NSError(domain: "chromium", code: Int(process.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "no screenshot of \(page)"])
        }
        return try CLI.rgb24(png)
    }
}

/// An animated WebP's RIFF chunks: canvas size (VP8X), loop count (ANIM) and frames (ANMF).
struct WebPFile {
    var frames = 0
    var canvas = (width: 0, height: 0)
    var loops = false

    init(path: String) throws {
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard b.count > 12, Array(b[0..<4]) == Array("RIFF".utf8), Array(b[8..<12]) == Array("WEBP".utf8) else {
            throw NSError(domain: "webp", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(path) is not a WebP file"])
        }
        func le(_ i: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 | Int(b[i + $1]) << (8 * $1) } }
        var offset = 12
        while offset + 8 <= b.count {
            let type = String(decoding: b[offset..<offset + 4], as: UTF8.self)
            let size = le(offset + 4, 4)
            switch type {
            case "VP8X": canvas = (le(offset + 12, 3) + 1, le(offset + 15, 3) + 1)
            case "ANIM": loops = le(offset + 12, 2) == 0  // 0 = forever
            case "ANMF": frames += 1
            default: break
            }
            offset += 8 + size + (size & 1)
        }
    }
}

enum Atoms {
    static func topLevel(_ path: String) throws -> [String] {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var types: [String] = []
        var offset = 0
        while offset + 8 <= data.count {
            var size = data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            types.append(String(decoding: data[offset + 4..<offset + 8], as: UTF8.self))
            if size == 1 { size = data[offset + 8..<offset + 16].reduce(0) { $0 << 8 | Int($1) } }
            if size == 0 { size = data.count - offset }
            guard size >= 8 else { break }
            offset += size
        }
        return types
    }
}

enum MediaProbe {
    /// The video stream's profile and its keyframe packet indices.
    static func packets(_ path: String) throws -> (profile: String?, keyframes: [Int]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        process.arguments = ["-v", "error", "-print_format", "json", "-select_streams", "v", "-show_streams", "-show_entries", "packet=flags", path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let profile = (json["streams"] as? [[String: Any]])?.first?["profile"] as? String
        let packets = json["packets"] as? [[String: Any]] ?? []
        return (profile, packets.enumerated().filter { ($0.element["flags"] as? String)?.hasPrefix("K") == true }.map(\.offset))
    }
}

extension CLI {
    static func probeStream(_ path: String) throws -> [String: Any]? {
        (try probe(path)["streams"] as? [[String: Any]])?.first
    }
}
