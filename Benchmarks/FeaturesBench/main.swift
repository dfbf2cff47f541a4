import Foundation
import Nodes

/// Times the full feature extraction (decode + both passes + whole-track features) on one file.
/// Used by scripts/bench_features.sh next to scripts/librosa_bench.py.
///
///     Benchmarks FILE [--runs N] [--fps F] [--save OUT.safetensors]
///
/// Prints one line per run and a final `median_seconds=…` line the script parses. `--save` writes
/// the last run's features, so two builds' outputs can be compared byte for byte (`cmp`).
func main() throws {
    var args = Array(CommandLine.arguments.dropFirst())
    func option(_ name: String, default value: Int) -> Int {
        guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return value }
        args.removeSubrange(i...(i + 1))
        return v
    }
    let runs = option("--runs", default: 5)
    let fps = option("--fps", default: 30)
    var savePath: String?
    if let i = args.firstIndex(of: "--save"), i + 1 < args.count {
        savePath = args[i + 1]
        args.removeSubrange(i...(i + 1))
    }
    guard let path = args.first else {
        FileHandle.standardError.write(Data("usage: Benchmarks FILE [--runs N] [--fps F] [--save OUT.safetensors]\n".utf8))
        exit(2)
    }
    var times: [Double] = [], cpuTimes: [Double] = []
    var last: Safetensors?
    var frames = 0
    var seconds = 0.0
    for run in 1...runs {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = cpuSeconds()
        let file = try AudioFile(path: path)
        let span = try AudioSpan(file: file, trimStart: 0, trimEnd: nil)
        // The defaults a Buildfile gets (FeaturesConfig has no public memberwise init).
        let st = try FeatureExtractor(config: TrackConfig().features, fps: fps).extract(file: file, span: span)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        last = st
        frames = st.tensors["rms"]!.shape[0]
        seconds = file.duration
        times.append(elapsed)
        cpuTimes.append(cpuSeconds() - cpuStart)
        print(String(format: "ntsbuild run %d: %.3f s (CPU %.3f s)", run, elapsed, cpuTimes.last!))
    }
    if let savePath, let last {
        try last.serialized().write(to: URL(fileURLWithPath: savePath))
    }
    let median = times.sorted()[times.count / 2]
    print(String(format: "ntsbuild: %.1f s of audio, %d frames at %d fps; median %.3f s (%.0f× real time)",
                 seconds, frames, fps, median, seconds / median))
    print(String(format: "median_seconds=%.6f", median))
    print(String(format: "median_cpu_seconds=%.6f", cpuTimes.sorted()[cpuTimes.count / 2]))
}

/// Process CPU time (all threads): less sensitive than wall time to other jobs on a shared machine.
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

do { try main() } catch {
    FileHandle.standardError.write(Data("Benchmarks: \(error)\n".utf8))
    exit(1)
}
