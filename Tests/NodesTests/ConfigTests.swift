import Foundation
import Graph
import XCTest
@testable import Nodes

final class ConfigTests: XCTestCase {
    var root: String!

    override func setUp() {
        root = NSTemporaryDirectory() + "ntsbuild-config-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: root + "/presets", withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: root)
    }

    func write(_ name: String, _ text: String) {
        FileManager.default.createFile(atPath: root + "/" + name, contents: Data(text.utf8))
    }

    func load(_ buildfile: String, _ overrides: Overrides = Overrides()) throws -> Project {
        write("Buildfile.yaml", buildfile)
        return try BuildfileLoader.load(path: root + "/Buildfile.yaml", overrides: overrides)
    }

    func error(_ buildfile: String, _ overrides: Overrides = Overrides()) -> String {
        do {
            _ = try load(buildfile, overrides)
            return "no error"
        } catch {
            return String(describing: error).replacingOccurrences(of: root + "/", with: "")
        }
    }

    let minimal = """
    album:
      title: T
      tracks:
        - id: one
          audio: a.wav
    """

    func testSchemaCoversEveryTypedKeyWithTheSameDefaults() throws {
        let flat = try CanonicalParams.flatten(TrackConfig())
        // Optional keys whose default is nil are omitted by the encoder; every other key must be in both.
        XCTAssertEqual(Set(flat.keys), Set(ConfigSchema.types.keys).subtracting(["generator.weights", "generator.style", "look.palette", "look.palette_from"]))
        let project = try load(minimal)
        XCTAssertEqual(project.tracks[0].config, TrackConfig())
    }

    func testLayersApplyInOrder() throws {
        write("presets/base.yaml", "controller: {pulse: 1.0, motion: 1.0, smoothing: 0.1, wander_seed: 1}\nencoder: {crf: 30}\n")
        write("presets/mine.yaml", "controller: {motion: 2.0}\n")
        write("presets/late.yaml", "controller: {smoothing: 0.5}\nencoder: {crf: 10}\n")
        let project = try load("""
        preset: base
        controller: {pulse: 2.0, wander_seed: 2}
        album:
          title: T
          tracks:
            - id: one
              audio: a.wav
              preset: mine
              set: {controller.wander_seed: 3, encoder.crf: 25}
            - id: two
              audio: b.wav
        """, Overrides(presets: ["late"], sets: ["encoder.crf=20"]))
        let one = project.tracks[0].config, two = project.tracks[1].config
        XCTAssertEqual(one.controller.pulse, 2.0)        // Buildfile over global preset
        XCTAssertEqual(one.controller.motion, 2.0)       // track preset over Buildfile
        XCTAssertEqual(one.controller.wanderSeed, 3)     // track set over track preset
        XCTAssertEqual(one.controller.smoothing, 0.5)    // --preset over everything in the file
        XCTAssertEqual(one.encoder.crf, 20)              // --set last
        XCTAssertEqual(two.controller.motion, 1.0)
        XCTAssertEqual(two.controller.wanderSeed, 2)
    }

    func testCrossfadeIsSecondsAtLeastZero() throws {
        let faded = minimal.replacingOccurrences(of: "  title: T\n", with: "  title: T\n  cut: {crossfade: 1.5, chapters: false}\n")
        XCTAssertEqual(try load(faded).cut, CutConfig(crossfade: 1.5, chapters: false))
        let negative = minimal.replacingOccurrences(of: "  title: T\n", with: "  title: T\n  cut: {crossfade: -1}\n")
        XCTAssertEqual(error(negative), "Buildfile.yaml:3:20: album.cut.crossfade: expected seconds ≥ 0, got '-1'")
    }

    func testUnknownKeySuggestsTheClosestWithLineAndColumn() {
        XCTAssertEqual(error("controller:\n  smoothnes: 0.5\n" + minimal),
                       "Buildfile.yaml:2:3: unknown key controller.smoothnes (did you mean controller.smoothing?)")
        XCTAssertEqual(error("controler:\n  smoothing: 0.5\n" + minimal),
                       "Buildfile.yaml:1:1: unknown key controler (did you mean controller?)")
    }

    func testWrongTypeNamesKeyAndPosition() {
        XCTAssertEqual(error("encoder:\n  crf: high\n" + minimal),
                       "Buildfile.yaml:2:3: encoder.crf: expected an integer in 0...51, got 'high'")
        XCTAssertEqual(error(minimal, Overrides(sets: ["encoder.crf=99"])),
                       "--set encoder.crf=99: encoder.crf: expected an integer in 0...51, got '99'")
        XCTAssertEqual(error(minimal, Overrides(sets: ["postfx.tone_curve=filmlg"])),
                       "--set postfx.tone_curve=filmlg: postfx.tone_curve: expected one of linear, filmlog, punch, pastel, got 'filmlg' (did you mean filmlog?)")
    }

    func testMalformedYAMLGivesPosition() {
        let message = error("album:\n  title: [unclosed\n  tracks: []\n")
        XCTAssertTrue(message.hasPrefix("Buildfile.yaml:"), message)
        XCTAssertTrue(message.contains("malformed YAML"), message)
        XCTAssertFalse(message.contains("\n"), "one line: \(message)")
    }

    func testMissingPresetAndBadTrackID() {
        XCTAssertEqual(error(minimal, Overrides(presets: ["nope"])), "--preset nope: preset 'nope' not found (no presets/nope.yaml)")
        XCTAssertEqual(error("album:\n  tracks:\n    - id: Bad_Id\n      audio: a.wav\n"),
                       "Buildfile.yaml:3:11: track id 'Bad_Id' must match [a-z0-9-]+")
    }

    func testQuotedNumbersStayStringsAndIntsWidenToFloats() throws {
        let project = try load(minimal, Overrides(sets: ["controller.pulse=1", "encoder.audio_bitrate=128k"]))
        XCTAssertEqual(project.tracks[0].config.controller.pulse, 1.0)
        XCTAssertEqual(project.tracks[0].config.encoder.audioBitrate, "128k")
    }

    /// YAML 1.1 reads "1:30" as base 60 and worse; here only plain decimals are numbers.
    func testTextWithColonsStaysText() throws {
        let project = try load("album:\n  title: Act 1:30\n  tracks:\n    - {id: one, audio: a.wav, title: 2:15}\ncache:\n  remote: http://host:8080/c\n")
        XCTAssertEqual(project.title, "Act 1:30")
        XCTAssertEqual(project.tracks[0].title, "2:15")
        XCTAssertEqual(project.remoteCache?.location, "http://host:8080/c")
        XCTAssertEqual(error("album:\n  tracks:\n    - {id: one, audio: a.wav}\ncache: {remote: http://ann:pw@host/c}\n"),
                       "Buildfile.yaml:4:17: cache.remote: credentials do not belong in the Buildfile; give a token in NTSBUILD_REMOTE_TOKEN or a login in ~/.netrc")
    }

    /// Keys each in range can still ask a fit for more memory than any machine has: refused
    /// when the Buildfile is read, at the entry's position, instead of a crash mid-build.
    func testAStyleWhoseFitWouldNotFitInMemoryIsRefusedWithItsLine() throws {
        let huge = minimal + "\nstyles:\n  - {name: big, reference: r.png, size: 512, hidden: 256, layers: 16, batch: 64}\n"
        XCTAssertEqual(error(huge), "Buildfile.yaml:7:5: style 'big' would need about 550 GiB to fit (batch × size² × hidden × layers); "
                       + "the limit is 4 GiB: lower size, batch, hidden or layers")
        // Just under the limit (3.85 GiB) is fine, and so is every default.
        let large = try load(minimal + "\nstyles:\n  - {name: big, reference: r.png, size: 256, hidden: 64, layers: 6, batch: 16}\n")
        XCTAssertLessThan(large.styles[0].fitMemory, StyleSettings.maximumFitMemory)
        XCTAssertGreaterThan(large.styles[0].fitMemory, 0.9 * StyleSettings.maximumFitMemory)
        XCTAssertLessThan(StyleSettings(name: "d", reference: "d").fitMemory, 0.2e9)
    }

    /// `generator.style` from a later layer (here `--set`) replaces a preset's weights file, and the
    /// file leaves the track's configuration (so it is not in the frames' key).
    func testAStyleReplacesAPresetsWeightsFile() throws {
        write("presets/styled.yaml", "generator: {weights: styles/x.safetensors}\n")
        let buildfile = minimal + """

        preset: styled
        styles:
          - {name: bark, reference: refs/bark.png, steps: 10, rate: 0.02}
        """
        let plain = try load(buildfile)
        XCTAssertEqual(plain.tracks[0].config.generator.weights, "styles/x.safetensors")
        XCTAssertEqual(plain.styles.first?.steps, 10)
        XCTAssertEqual(plain.styles.first?.rate, 0.02)
        XCTAssertEqual(plain.styles.first?.size, StyleSettings(name: "d", reference: "d").size)
        // Zero coarse levels, energy weight and orientation and spectrum weight 1 are the defaults spelled out: same settings.
        let spelled = try load(buildfile.replacingOccurrences(of: "rate: 0.02}", with: "rate: 0.02, coarse_levels: 0, energy: 0, orientation: 0, spectrum: 1}"))
        XCTAssertEqual(spelled.styles, plain.styles)
        XCTAssertEqual(plain.styles.first?.spectrum, 1)
        let noSpectrum = try load(buildfile.replacingOccurrences(of: "rate: 0.02}", with: "rate: 0.02, spectrum: 0}"))
        XCTAssertEqual(noSpectrum.styles.first?.spectrum, 0)
        // Gain 1 is not: unset, the fit chooses the gain from the reference; written, it is fixed.
        let fixedGain = try load(buildfile.replacingOccurrences(of: "rate: 0.02}", with: "rate: 0.02, gain: 1}"))
        XCTAssertNil(plain.styles.first?.gain)
        XCTAssertEqual(fixedGain.styles.first?.gain, 1)
        let oriented = try load(buildfile.replacingOccurrences(of: "rate: 0.02}", with: "rate: 0.02, orientation: 0.5}"))
        XCTAssertEqual(oriented.styles.first?.orientation, 0.5)
        XCTAssertThrowsError(try load(buildfile.replacingOccurrences(of: "rate: 0.02}", with: "rate: 0.02, orientation: 2}"),
                                      Overrides(sets: ["generator.style=bark"]))) { error in
            XCTAssertTrue("\(error)".contains("styles.orientation: expected a number in 0...1"), "\(error)")
            // The one mistake, not a second error about a track's style the broken section then lacks.
            XCTAssertFalse("\(error)".contains("no style named"), "\(error)")
        }
        let styled = try load(buildfile, Overrides(sets: ["generator.style=bark"]))
        XCTAssertEqual(styled.tracks[0].config.generator.style, "bark")
        XCTAssertNil(styled.tracks[0].config.generator.weights)
    }
}
