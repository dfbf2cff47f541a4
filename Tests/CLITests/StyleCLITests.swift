import Foundation
import Nodes
import XCTest

/// `styles:` entries as `style:<name>` nodes: fitted, cached, read by the tracks that name them.
final class StyleCLITests: XCTestCase {
    static let buildfile = """
    album:
      title: Test Album
      tracks:
        - id: one
          audio: audio/one.wav
          set: {generator.style: tiny}
        - id: two
          audio: audio/two.wav
    output: {width: 96, height: 64, fps: 12}
    controller: {anchors: null}
    generator: {hidden: 8, layers: 3, render_scale: 0.5}
    encoder: {preset: ultrafast, crf: 30}
    shards: {frames: 10}
    styles:
      - {name: tiny, reference: refs/stripes.png, hidden: 8, layers: 3, steps: 6, size: 24, batch: 2}
    """

    /// Warm stripes over a dark ground, or another colour pair.
    static func stripes(warm: Bool = true) -> RGBImage {
        var image = RGBImage(width: 40, height: 32)
        for y in 0..<32 {
            for x in 0..<40 {
                let on = (x / 4 + y / 6) % 2 == 0
                let colour: [UInt8] = on ? (warm ? [230, 120, 30] : [40, 200, 220]) : [20, 10, 60]
                for c in 0..<3 { image.pixels[3 * (y * 40 + x) + c] = colour[c] }
            }
        }
        return image
    }

    func project() throws -> TestProject {
        let p = try TestProject(buildfile: Self.buildfile)
        try FileManager.default.createDirectory(atPath: p.root + "/refs", withIntermediateDirectories: true)
        try PNGWriter.write(Self.stripes(), to: p.root + "/refs/stripes.png")
        return p
    }

    func testStyleIsFittedCachedAndReadOnlyByItsTracks() throws {
        let p = try project()
        let first = try p.ntsbuild("album", "--json")
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.nodes("built").contains("style:tiny"))
        let style = p.latest + "/style-tiny.safetensors"
        let fitted = try p.ntsbuild("style:tiny", "--json")
        XCTAssertEqual(fitted.status, 0, fitted.stderr)
        XCTAssertTrue(fitted.nodes("reused").contains("style:tiny"), "built by the album build, reused now")
        let file = try Safetensors.read(path: style)
        XCTAssertEqual(file.metadata["kind"], "cppn")
        XCTAssertEqual(file.metadata["hidden"], "8")
        XCTAssertEqual(file.metadata["reference_sha256"], try RunRecord.sha256(of: p.root + "/refs/stripes.png"))
        XCTAssertNotNil(file.metadata["loss_colour"])

        let again = try p.ntsbuild("album", "--json")
        XCTAssertEqual(again.nodes("built"), [], "a second build runs nothing")

        // A new reference image: the style is re-fitted and only the track that uses it re-rendered.
        try PNGWriter.write(Self.stripes(warm: false), to: p.root + "/refs/stripes.png")
        let plan = try p.ntsbuild("album", "-n", "--explain")
        XCTAssertTrue((plan.stdout + plan.stderr).contains("refs/stripes.png"), plan.stdout + plan.stderr)
        let rebuilt = try p.ntsbuild("album", "--json")
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        let built = Set(rebuilt.nodes("built"))
        XCTAssertTrue(built.contains("style:tiny"))
        XCTAssertTrue(built.contains("track:one"))
        XCTAssertTrue(built.contains("frames:one:0000"))
        XCTAssertFalse(built.contains { $0.hasSuffix(":two") || $0.contains(":two:") }, "track two does not use the style: \(built.sorted())")
    }

    func testFitIsTheSameBytesAtEveryJobCount() throws {
        let a = try project(), b = try project()
        XCTAssertEqual(try a.ntsbuild("style:tiny", "-j1").status, 0)
        XCTAssertEqual(try b.ntsbuild("style:tiny", "-j2").status, 0)
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: a.latest + "/style-tiny.safetensors"))
        let bytesB = try Data(contentsOf: URL(fileURLWithPath: b.latest + "/style-tiny.safetensors"))
        XCTAssertEqual(bytesA, bytesB)
    }

    /// The fitted numbers themselves, pinned: the library in styles/ is re-created bit for bit only
    /// while this holds. If a change to style fitting moves it, bump `StyleFitter.version` and refit
    /// the library (styles/README.md), then update the digest here.
    func testFittedWeightsArePinned() throws {
        let p = try project()
        XCTAssertEqual(try p.ntsbuild("style:tiny").status, 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: p.latest + "/style-tiny.safetensors"))
        let headerLength = Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian)
        let tensors = bytes.dropFirst(8 + headerLength)
        XCTAssertEqual(tensors.count, 1068)
        let dump = p.root + "/tensors.bin"
        try Data(tensors).write(to: URL(fileURLWithPath: dump))
        XCTAssertEqual(try RunRecord.sha256(of: dump), "f108b69d1ae40bfe86f8d1d08d80671ef96869c433459eb6294d004bc5237498")
    }

    /// Bad reference images fail the style node with one line naming the file; nothing else is lost.
    func testBadReferencesAreOneLineErrors() throws {
        let p = try project()
        XCTAssertEqual(try p.ntsbuild("track:two").status, 0)
        let before = try p.outputHashes()
        // A PNG header claiming 20000×20000 pixels (valid CRC), then nothing.
        var huge = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
        let ihdr = Data("IHDR".utf8) + Data([0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20, 8, 2, 0, 0, 0])
        huge += ihdr + withUnsafeBytes(of: CRC32.of(ihdr).bigEndian) { Data($0) }
        let cases: [(String, Data)] = [("empty", Data()), ("text", Data("not an image at all\n".utf8)),
                                       ("corrupt", try Data(contentsOf: URL(fileURLWithPath: p.root + "/refs/stripes.png")).prefix(60)),
                                       ("huge", huge)]
        for (name, bytes) in cases {
            try bytes.write(to: URL(fileURLWithPath: p.root + "/refs/stripes.png"))
            let result = try p.ntsbuild("style:tiny")
            XCTAssertNotEqual(result.status, 0, name)
            let line = result.stderr.split(separator: "\n").first { $0.contains("refs/stripes.png") }
            XCTAssertNotNil(line, "\(name): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("cache/"), "\(name): internal path in \(result.stderr)")
        }
        // Gone altogether: a missing input file (66), named with the node that needs it.
        try FileManager.default.removeItem(atPath: p.root + "/refs/stripes.png")
        let gone = try p.ntsbuild("style:tiny")
        XCTAssertEqual(gone.status, 66, gone.stderr)
        XCTAssertEqual(gone.lastErrorLine, "ntsbuild: error: refs/stripes.png: file not found (needed by style:tiny)")
        XCTAssertEqual(try p.outputHashes(), before, "the last good run is untouched")
    }
}

/// CRC-32 (IEEE), for hand-made PNG chunks.
enum CRC32 {
    static func of(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
