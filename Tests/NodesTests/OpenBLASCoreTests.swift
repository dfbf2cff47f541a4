import CCPUFeatures
import XCTest
@testable import Nodes

/// The decision table behind OpenBLAS's core choice: CPU features × the core the library
/// reported (× a user's OPENBLAS_CORETYPE) → the core ntsbuild relaunches with, or none.
final class OpenBLASCoreTests: XCTestCase {
    static let sse: Int32 = 0
    static let avx = Int32(CPU_AVX)
    static let avx2 = avx | Int32(CPU_AVX2 | CPU_FMA)
    static let avx512 = avx2 | Int32(CPU_AVX512F | CPU_AVX512CD | CPU_AVX512BW | CPU_AVX512DQ | CPU_AVX512VL)
    /// AVX-512F without BW/DQ/VL (Knights Landing): SkylakeX's kernels would fault, AVX2's fit.
    static let avx512FOnly = avx2 | Int32(CPU_AVX512F | CPU_AVX512CD)

    func testDecisionTable() {
        let table: [(features: Int32, reported: String, user: String?, expected: OpenBLASCore.Decision)] = [
            // The case that prompted it: a Xeon newer than the library, reported as Prescott.
            (Self.avx512, "Prescott", nil, .use("SkylakeX")),
            (Self.avx512, "Core2", nil, .use("SkylakeX")),
            (Self.avx512, "Haswell", nil, .use("SkylakeX")),
            (Self.avx512, "Zen", nil, .use("SkylakeX")),            // Zen 4 on a library that predates it
            (Self.avx512, "SkylakeX", nil, .keep("OpenBLAS chose SkylakeX, which fits the CPU")),
            (Self.avx512, "Cooperlake", nil, .keep("OpenBLAS chose Cooperlake, which fits the CPU")),
            (Self.avx512FOnly, "Prescott", nil, .use("Haswell")),
            (Self.avx2, "Prescott", nil, .use("Haswell")),
            (Self.avx2, "Nehalem", nil, .use("Haswell")),
            (Self.avx2, "Sandybridge", nil, .use("Haswell")),
            (Self.avx2, "Haswell", nil, .keep("OpenBLAS chose Haswell, which fits the CPU")),
            (Self.avx2, "Zen", nil, .keep("OpenBLAS chose Zen, which fits the CPU")),
            (Self.avx, "Prescott", nil, .use("Sandybridge")),
            (Self.avx, "Sandybridge", nil, .keep("OpenBLAS chose Sandybridge, which fits the CPU")),
            (Self.sse, "Prescott", nil, .keep("OpenBLAS chose Prescott, which fits the CPU")),
            (Self.sse, "Core2", nil, .keep("OpenBLAS chose Core2, which fits the CPU")),
            // Never second-guess the user, nor a name the table does not know.
            (Self.avx512, "Prescott", "Haswell", .keep("OPENBLAS_CORETYPE=Haswell set by the user")),
            (Self.avx512, "Prescott", "", .use("SkylakeX")),
            (Self.avx512, "SapphireRapidsPlus", nil, .keep("OpenBLAS's core SapphireRapidsPlus is not in ntsbuild's table")),
        ]
        for row in table {
            XCTAssertEqual(OpenBLASCore.decide(features: row.features, reported: row.reported, userSetting: row.user), row.expected,
                           "features \(row.features), reported \(row.reported), user \(row.user ?? "-")")
        }
    }

    /// The core names the table hands out are ones the library knows (it reports them back when forced).
    func testChosenCoresAreNamesOpenBLASReports() {
        for tier in [OpenBLASCore.Tier.sse, .avx, .avx2, .avx512] {
            XCTAssertEqual(OpenBLASCore.Tier(core: tier.core), tier, tier.core)
        }
    }
}
