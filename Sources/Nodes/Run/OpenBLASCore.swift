import CCPUFeatures
import COpenBLAS
import Foundation

/// Makes OpenBLAS use kernels for the CPU it runs on. Debian's OpenBLAS picks its kernels when it
/// loads, from a table of CPU models; a model newer than the library (an Emerald Rapids Xeon for
/// 0.3.21) falls back to "Prescott", SSE3 kernels: sgemm ran 3.3× slower than with the SkylakeX
/// kernels the CPU can run. The choice can only be changed before the library loads, through
/// `OPENBLAS_CORETYPE`, so ntsbuild re-executes itself once with it set when the library
/// reported a core below the CPU's vector features — unless the user set the variable.
///
/// The relaunched process removes the variable again, so that programs it starts (an `sbatch`
/// job on another node above all) choose for their own CPU. It keeps a marker naming the core and
/// its process id (exec keeps the id), which tells it apart from a child that inherited the marker.
public enum OpenBLASCore {
    /// The vector tiers OpenBLAS's x86-64 kernels are written for, and the core name that runs each.
    enum Tier: Int, Comparable {
        case sse = 0, avx, avx2, avx512

        static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }

        /// The core whose kernels use this tier (what OPENBLAS_CORETYPE is set to).
        var core: String {
            switch self {
            case .sse: return "Prescott"
            case .avx: return "Sandybridge"
            case .avx2: return "Haswell"
            case .avx512: return "SkylakeX"
            }
        }

        /// The widest tier of a CPU with these CPU_* features (SkylakeX's kernels need F, CD, BW, DQ, VL).
        init(features f: Int32) {
            let avx512: Int32 = Int32(CPU_AVX512F | CPU_AVX512CD | CPU_AVX512BW | CPU_AVX512DQ | CPU_AVX512VL)
            if f & avx512 == avx512 { self = .avx512 }
            else if f & Int32(CPU_AVX2 | CPU_FMA) == Int32(CPU_AVX2 | CPU_FMA) { self = .avx2 }
            else if f & Int32(CPU_AVX) != 0 { self = .avx }
            else { self = .sse }
        }

        /// The tier of the kernels behind an `openblas_get_corename()` name; nil for a name this
        /// table does not know (then the library's choice is left alone).
        init?(core: String) {
            switch core.lowercased() {
            case "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn", "dunnington",
                 "nehalem", "athlon", "opteron", "opteron(sse3)", "barcelona", "bobcat", "nano":
                self = .sse
            case "sandybridge", "bulldozer", "piledriver", "steamroller":
                self = .avx
            case "haswell", "zen", "excavator", "skylake":
                self = .avx2
            case "skylakex", "cooperlake", "sapphirerapids":
                self = .avx512
            default:
                return nil
            }
        }
    }

    /// What to do about OpenBLAS's choice.
    public enum Decision: Equatable {
        /// Leave it, for the reason given.
        case keep(String)
        /// Relaunch with OPENBLAS_CORETYPE set to this core.
        case use(String)
    }

    /// The decision for a CPU with `features` (CPU_* bits) on which OpenBLAS reported `reported`,
    /// when the user's OPENBLAS_CORETYPE is `userSetting`.
    static func decide(features: Int32, reported: String, userSetting: String?) -> Decision {
        if let userSetting, !userSetting.isEmpty { return .keep("OPENBLAS_CORETYPE=\(userSetting) set by the user") }
        guard let reportedTier = Tier(core: reported) else { return .keep("OpenBLAS's core \(reported) is not in ntsbuild's table") }
        let cpu = Tier(features: features)
        guard reportedTier < cpu else { return .keep("OpenBLAS chose \(reported), which fits the CPU") }
        return .use(cpu.core)
    }

    /// Marks the relaunched process: "<core> <process id>".
    static let marker = "NTSBUILD_OPENBLAS_CORETYPE"

    /// Whether this process is the one ntsbuild relaunched with OPENBLAS_CORETYPE set.
    static var relaunched: Bool {
        guard let value = ProcessInfo.processInfo.environment[marker] else { return false }
        return value.split(separator: " ").last.map(String.init) == String(getpid())
    }

    /// The decision for this process's CPU, library and environment (what a rendering command
    /// started from here would do; tests compare run.json with it).
    public static var decisionHere: Decision {
        decide(features: cpu_features(), reported: String(cString: openblas_get_corename()),
               userSetting: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"])
    }

    /// Call first thing in `main`, before any thread starts: re-executes the program with
    /// OPENBLAS_CORETYPE set when OpenBLAS misjudged the CPU, or, in the relaunched process,
    /// takes the variable out of the environment again. Returns only when no relaunch happens.
    public static func relaunchIfMisdetected() {
        if relaunched {
            unsetenv("OPENBLAS_CORETYPE")
            return
        }
        unsetenv(marker)  // inherited from a relaunched parent: this process chooses for itself
        guard case .use(let core) = decisionHere else { return }
        // The program's own path, not /proc/self/exe, so `ps` and `top` still say ntsbuild.
        guard let program = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(marker, "\(core) \(getpid())", 1)
        execv(program, CommandLine.unsafeArgv)
        // exec failed (no /proc): run on with the library's own choice.
        unsetenv("OPENBLAS_CORETYPE")
        unsetenv(marker)
    }

    /// The core in use and who chose it, for run.json and the benchmarks.
    public static var inUse: (core: String, chosenBy: String) {
        let core = String(cString: openblas_get_corename())
        if relaunched { return (core, "ntsbuild (OPENBLAS_CORETYPE, the library's own choice was below the CPU)") }
        if let user = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], !user.isEmpty { return (core, "OPENBLAS_CORETYPE=\(user)") }
        return (core, "OpenBLAS")
    }
}
