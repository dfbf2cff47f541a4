import Foundation
import XCTest
import FuzzTargets

/// The fuzz targets' corpora (Tests/Fuzz/corpus), each file and a few thousand seeded mutations
/// of them, through the same entry points libFuzzer drives in `make fuzz`. A crash ends the test
/// process; a finding saved to the corpus stays a test this way.
final class FuzzReplayTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    func seeds(_ target: FuzzTarget) throws -> [Data] {
        let dir = FuzzReplayTests.corpus.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        return try names.map { try Data(contentsOf: dir.appendingPathComponent($0)) }
    }

    func replay(_ target: FuzzTarget, mutations: Int, tokens: [String] = []) throws {
        let seeds = try seeds(target)
        XCTAssertFalse(seeds.isEmpty, "a corpus for \(target)")
        for seed in seeds { target.run(seed) }
        var mutator = Mutator(seed: 0x5EED, tokens: tokens.map { Data($0.utf8) })
        for i in 0..<mutations { target.run(mutator.mutate(seeds[i % seeds.count])) }
    }

    func testBuildfileCorpus() throws {
        try replay(.buildfile, mutations: 3000, tokens: ["[", "{", "]", "}", ": ", "- ", "&a ", "*a", "\0", "\n  ", "'", "\"", "? ", "|\n", "=", "--- ", "!!int ", "1e400", "-9223372036854775809"])
    }

    func testSafetensorsCorpus() throws {
        try replay(.safetensors, mutations: 3000, tokens: ["9223372036854775807", "-1", "1099511627776", "\"F32\"", "\"F16\"", "\"BF16\"", "[", "]", ",", "\"data_offsets\"", "\"shape\"", "1e30", "null"])
    }

    func testImageCorpus() throws {
        try replay(.image, mutations: 2000, tokens: ["IHDR", "IDAT", "IEND", "\u{FF}\u{D8}", "\u{FF}\u{C0}", "\u{FF}\u{D9}", "RIFF", "WEBPVP8 ", "VP8L", "VP8X"])
    }

    func testAudioCorpus() throws {
        try replay(.audio, mutations: 2000)
    }
}

/// libFuzzer-style byte mutations from a fixed seed, so the replay is the same every run.
struct Mutator {
    var state: UInt64
    let tokens: [Data]

    init(seed: UInt64, tokens: [Data]) {
        state = seed
        self.tokens = tokens
    }

    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(max(1, bound)))
    }

    mutating func mutate(_ input: Data) -> Data {
        var bytes = [UInt8](input)
        for _ in 0...next(4) {
            let at = next(bytes.count + 1)
            switch next(tokens.isEmpty ? 6 : 7) {
            case 0 where at < bytes.count: bytes[at] ^= UInt8(1 << next(8))
            case 1 where at < bytes.count: bytes[at] = [0, 0xFF, 0x7F, 0x80, 0x01][next(5)]
            case 2: bytes.insert(contentsOf: [UInt8](repeating: UInt8(next(256)), count: 1 + next(8)), at: at)
            case 3: bytes.removeSubrange(at..<min(bytes.count, at + 1 + next(16)))
            case 4 where at + 8 <= bytes.count:
                // An extreme 64-bit little-endian integer, where headers keep their sizes.
                let value: UInt64 = [.max, 1 << 63, (1 << 63) - 1, 0, 1 << 32, 0xFFFF_FFFF][next(6)]
                withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(at..<(at + 8), with: $0) }
            case 5: bytes.removeLast(next(bytes.count / 2 + 1))
            case 6: bytes.insert(contentsOf: tokens[next(tokens.count)], at: at)
            default: break
            }
        }
        return Data(bytes)
    }
}
