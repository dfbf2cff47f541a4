import Foundation

public enum FeatureError: Error, CustomStringConvertible, Equatable {
    case invalidConfig(reason: String)

    public var description: String {
        switch self {
        case .invalidConfig(let reason): return "features: \(reason)"
        }
    }
}

/// Audio → per-video-frame features, as a safetensors file for the controller: librosa's
/// definitions (RMS, spectral shape, mel, MFCC, chroma, onset strength, HPSS, tempo and beats)
/// sampled once per video frame.
///
/// Two streaming passes over the span, each holding only a sliding window of samples:
/// 1. `TrackStatistics`: what librosa derives from the whole track first (the loudest mel
///    power, the tuning offset);
/// 2. `FrameFeatures`: every per-frame feature; then `table` derives the whole-track ones
///    (tempo, beats, percentile normalisations) from the per-frame rows, which are small (one
///    row per video frame).
public struct FeatureExtractor {
    /// Bump when the output's meaning changes, so cached feature files are rebuilt.
    public static let version = 1

    public let config: FeaturesConfig
    public let fps: Int

    public init(config: FeaturesConfig, fps: Int) {
        self.config = config
        self.fps = fps
    }

    /// Spans up to this many samples are decoded once and kept in memory for both passes (64 MB of
    /// mono float32: 12 minutes at 22.05 kHz, 5.8 at 48 kHz); decoding — MP3 especially — was a fifth
    /// of the extraction's time. Longer spans are decoded twice, streamed, so memory stays bounded.
    public static let decodeOnceLimit = 16 << 20

    /// `progress(done, total)` is called as frames are analysed (two passes, so total = 2 · frames).
    public func extract(file: AudioFile, span: AudioSpan, progress: ((Int, Int) -> Void)? = nil) throws -> Safetensors {
        try extract(file: file, span: span, decodeOnceLimit: FeatureExtractor.decodeOnceLimit, progress: progress)
    }

    /// As above, with the decode-once limit as a parameter so tests can force either path.
    func extract(file: AudioFile, span: AudioSpan, decodeOnceLimit: Int, progress: ((Int, Int) -> Void)?) throws -> Safetensors {
        guard span.count <= decodeOnceLimit else {
            return try extract(sampleRate: file.sampleRate, spanStart: span.start, spanEnd: span.end, progress: progress) {
                try SignalWindow(file: file, span: span)
            }
        }
        let samples = try FeatureExtractor.decode(file: file, span: span)
        return try extract(sampleRate: file.sampleRate, spanStart: span.start, spanEnd: span.end, progress: progress) {
            SignalWindow(spanStart: span.start, spanEnd: span.end, samples: samples)
        }
    }

    /// The span's mono mix, read in blocks (a file shorter than its header says ends early).
    static func decode(file: AudioFile, span: AudioSpan) throws -> [Float] {
        try file.seek(toFrame: span.start)
        var samples = [Float](repeating: 0, count: span.count)
        var filled = 0
        try samples.withUnsafeMutableBufferPointer { out in
            while filled < span.count {
                let got = try file.readMono(frames: min(1 << 16, span.count - filled), into: out.baseAddress! + filled)
                if got == 0 { break }
                filled += got
            }
        }
        samples.removeLast(span.count - filled)
        return samples
    }

    /// The extraction proper; `makeSignal` opens a fresh stream over the span for each pass.
    func extract(sampleRate: Int, spanStart: Int, spanEnd: Int, progress: ((Int, Int) -> Void)?,
                 makeSignal: () throws -> SignalWindow) throws -> Safetensors {
        try validate(sampleRate: sampleRate)
        let analysis = SpectralAnalysis(config: config, sampleRate: sampleRate, fps: fps, spanSamples: spanEnd - spanStart)
        let n = analysis.frameCount
        let statistics = try TrackStatistics(analysis, signal: makeSignal(), spanStart: spanStart) { progress?($0, 2 * n) }
        let features = try FrameFeatures(analysis, statistics: statistics, signal: makeSignal(), spanStart: spanStart) {
            progress?(n + $0, 2 * n)
        }
        return table(features, analysis: analysis, statistics: statistics)
    }

    private func validate(sampleRate: Int) throws {
        guard fps > 0 else { throw FeatureError.invalidConfig(reason: "fps must be positive, got \(fps)") }
        guard sampleRate > 0 else { throw FeatureError.invalidConfig(reason: "sample rate must be positive, got \(sampleRate)") }
        if let (key, problem) = Self.configProblem(config) { throw FeatureError.invalidConfig(reason: "\(key) \(problem)") }
    }

    /// The key the STFT cannot run with, and why, or nil; the config loader asks too.
    static func configProblem(_ config: FeaturesConfig) -> (key: String, problem: String)? {
        guard config.nFft >= 16, config.nFft % 2 == 0 else { return ("n_fft", "must be an even number ≥ 16, got \(config.nFft)") }
        guard config.melBands >= 1, config.melBands <= config.nFft / 2 + 1 else {
            return ("mel_bands", "must be in 1...\(config.nFft / 2 + 1) for n_fft \(config.nFft), got \(config.melBands)")
        }
        return nil
    }
}
