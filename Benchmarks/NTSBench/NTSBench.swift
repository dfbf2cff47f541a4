import ArgumentParser
import Foundation
import Nodes

/// `ntsbench graph|encode|look|remote`: the benchmarks whose results BENCHMARKS.md quotes — the
/// build engine's per-node overhead, in-process encoding against the ffmpeg CLI, the CPPN frame
/// kernel against OpenBLAS sgemm, and the HTTP remote cache against curl. Kept out of `ntsbuild`: nothing in a render needs them.
@main
struct NTSBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ntsbench", abstract: "ntsbuild's benchmarks (results go in BENCHMARKS.md).",
        subcommands: [GraphBench.self, EncodeBench.self, LookBench.self, ConvBench.self, FinishBench.self, RemoteBench.self, ScaleBench.self])

    /// OpenBLAS set up as `ntsbuild` sets it up, so the references are the ones a render gets.
    static func main() {
        OpenBLASCore.relaunchIfMisdetected()
        main(nil)
    }
}

/// The median (the mean of the middle two for an even count; NaN for none).
func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.isEmpty ? .nan : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// User + system CPU seconds of this process, or of its waited-for children: steadier than wall
/// time on a shared machine.
func cpuSeconds(children: Bool) -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t((children ? RUSAGE_CHILDREN : RUSAGE_SELF).rawValue), &usage)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}
