import Foundation

public enum FeatureError: Error, CustomStringConvertible, Equatable {
    case invalidConfig(reason: String)

    public var description: String {
        switch self {
        case .invalidConfig(let reason): return "features: \(reason)"
        }
    }
}

/// Audio → per-video-frame features (SPEC §5 "Features"), as a safetensors file for the controller.
///
/// Two streaming passes over the span, each holding only a sliding window of samples:
/// 1. global statistics librosa derives from the whole track: the loudest mel power (the dB floor
///    of MFCC and onset strength is 80 dB below it) and the tuning offset used by chroma;
/// 2. every per-frame feature, then the whole-track ones (tempo, beats, percentile normalisations)
///    from the per-frame rows, which are small (one row per video frame).
public struct FeatureExtractor {
    /// Bump when the output's meaning changes, so cached feature files are rebuilt.
    public static let version = 1

    /// librosa computes MFCC and onset strength from a 128-band mel spectrogram by default.
    static let analysisMelBands = 128
    static let mfccCount = 13
    static let normalised = ["rms", "onset", "centroid", "flatness", "harmonic", "percussive"]

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
    /// Pass 1's 128 analysis bands per frame are kept for pass 2 up to this many floats (16 MB).
    static let keptBandsLimit = 4 << 20

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
        let nFft = config.nFft
        let stft = VideoRateSTFT(nFft: nFft, sampleRate: sampleRate, fps: fps, spanSamples: spanEnd - spanStart)
        let n = stft.frameCount
        let bins = stft.bins
        let analysisMel = MelFilterbank(sampleRate: sampleRate, nFft: nFft, bands: FeatureExtractor.analysisMelBands)
        let outputMel = config.melBands == FeatureExtractor.analysisMelBands
            ? analysisMel : MelFilterbank(sampleRate: sampleRate, nFft: nFft, bands: config.melBands)
        var melScratch = [Float](repeating: 0, count: FeatureExtractor.analysisMelBands)

        // Pass 1: whole-track statistics. The analysis bands are kept for pass 2 (512 bytes a
        // frame, up to `keptBandsLimit`: 4.5 MB for a 5-minute track at 30 fps), else computed
        // again there; the values are the same either way.
        var maxMelPower: Float = 0
        var tuning = TuningEstimator(sampleRate: sampleRate, nFft: nFft)
        let bandCount = FeatureExtractor.analysisMelBands
        var keptBands = [Float](repeating: 0, count: n * bandCount <= FeatureExtractor.keptBandsLimit ? n * bandCount : 0)
        try stft.run(signal: makeSignal(), spanStart: spanStart) { i, frame in
            melScratch.withUnsafeMutableBufferPointer { analysisMel.apply(frame.power, into: $0.baseAddress!) }
            if !keptBands.isEmpty {
                keptBands.withUnsafeMutableBufferPointer { kept in
                    melScratch.withUnsafeBufferPointer { (kept.baseAddress! + i * bandCount).update(from: $0.baseAddress!, count: bandCount) }
                }
            }
            for v in melScratch { maxMelPower = max(maxMelPower, v) }
            tuning.push(frame.power)
            progress?(i + 1, 2 * n)
        }
        let db = DecibelScale(maxPower: maxMelPower)
        let tuningOffset = tuning.estimate()

        // Pass 2: per-frame features.
        let descriptors = SpectralDescriptors(sampleRate: sampleRate, nFft: nFft)
        let mfcc = MFCC(count: FeatureExtractor.mfccCount, bands: FeatureExtractor.analysisMelBands)
        let chroma = ChromaFilterbank(sampleRate: sampleRate, nFft: nFft, tuning: tuningOffset)
        var flux = SpectralFlux()
        let hpss = HPSSStream(bins: bins, nFft: nFft, frameCount: n)
        var rms = [Float](), centroid = [Float](), rolloff = [Float](), flatness = [Float]()
        var fluxMean = [Float](), fluxMedian = [Float](), harmonic = [Float](), percussive = [Float]()
        var mel = [Float](repeating: 0, count: n * outputMel.count)
        var mfccs = [Float](repeating: 0, count: n * FeatureExtractor.mfccCount)
        var chromas = [Float](repeating: 0, count: n * ChromaFilterbank.classes)
        rms.reserveCapacity(n); centroid.reserveCapacity(n); rolloff.reserveCapacity(n); flatness.reserveCapacity(n)
        fluxMean.reserveCapacity(n); fluxMedian.reserveCapacity(n); harmonic.reserveCapacity(n); percussive.reserveCapacity(n)

        try stft.run(signal: makeSignal(), spanStart: spanStart) { i, frame in
            rms.append(descriptors.rms(frame.samples))
            let (c, r) = descriptors.centroidAndRolloff(frame.magnitude)
            centroid.append(c)
            rolloff.append(r)
            flatness.append(descriptors.flatness(frame.power))
            mel.withUnsafeMutableBufferPointer { outputMel.apply(frame.power, into: $0.baseAddress! + i * outputMel.count) }
            melScratch.withUnsafeMutableBufferPointer { m in
                if keptBands.isEmpty {
                    analysisMel.apply(frame.power, into: m.baseAddress!)
                } else {
                    keptBands.withUnsafeBufferPointer { m.baseAddress!.update(from: $0.baseAddress! + i * bandCount, count: bandCount) }
                }
                for b in 0..<m.count { m[b] = db.apply(m[b]) }
            }
            melScratch.withUnsafeBufferPointer { m in
                mfccs.withUnsafeMutableBufferPointer { mfcc.apply(m, into: $0.baseAddress! + i * FeatureExtractor.mfccCount) }
                let f = flux.push(m)
                fluxMean.append(f.mean)
                fluxMedian.append(f.median)
            }
            chromas.withUnsafeMutableBufferPointer { chroma.apply(frame.power, into: $0.baseAddress! + i * ChromaFilterbank.classes) }
            for e in hpss.push(frame.magnitude) {
                harmonic.append(e.harmonic)
                percussive.append(e.percussive)
            }
            progress?(n + i + 1, 2 * n)
        }
        precondition(harmonic.count == n, "HPSS emitted \(harmonic.count) of \(n) frames")

        let onset = alignOnsets(fluxMean, sampleRate: sampleRate)
        let beatOnset = alignOnsets(fluxMedian, sampleRate: sampleRate)
        let tempo = TempoEstimator().estimate(onset: beatOnset, frameRate: Double(fps))
        let beatFrames = BeatTracker().track(onset: beatOnset, bpm: tempo, frameRate: Double(fps))
        var beats = [Float](repeating: 0, count: n)
        for b in beatFrames { beats[b] = 1 }

        var tensors: [String: Tensor] = [
            "rms": Tensor(shape: [n], data: rms),
            "centroid": Tensor(shape: [n], data: centroid),
            "rolloff": Tensor(shape: [n], data: rolloff),
            "flatness": Tensor(shape: [n], data: flatness),
            "onset": Tensor(shape: [n], data: onset),
            "mel": Tensor(shape: [n, outputMel.count], data: mel),
            "mfcc": Tensor(shape: [n, FeatureExtractor.mfccCount], data: mfccs),
            "chroma": Tensor(shape: [n, ChromaFilterbank.classes], data: chromas),
            "harmonic": Tensor(shape: [n], data: harmonic),
            "percussive": Tensor(shape: [n], data: percussive),
            "beats": Tensor(shape: [n], data: beats),
            "tempo": Tensor(shape: [1], data: [Float(tempo)]),
        ]
        for name in FeatureExtractor.normalised {
            tensors[name + "_norm"] = Tensor(shape: [n], data: RobustNormalisation.normalise(tensors[name]!.data))
        }
        // Defence in depth: whatever the input, the controller never sees NaN or Inf.
        for (name, t) in tensors where t.data.contains(where: { !$0.isFinite }) {
            tensors[name] = Tensor(shape: t.shape, data: t.data.map { $0.isFinite ? $0 : 0 })
        }
        let metadata: [String: String] = [
            "sample_rate": String(sampleRate),
            "fps": String(fps),
            "frames": String(n),
            "n_fft": String(nFft),
            "mel_bands": String(outputMel.count),
            "mfcc_mel_bands": String(FeatureExtractor.analysisMelBands),
            "tuning": String(format: "%.2f", tuningOffset),
            "features": tensors.keys.sorted().joined(separator: ","),
            "extractor_version": String(FeatureExtractor.version),
        ]
        return Safetensors(tensors: tensors, metadata: metadata)
    }

    /// librosa pads the flux (which starts at frame 1) by `lag + n_fft / (2·hop)` zero frames at the
    /// front and trims to the frame count; we do the same so onset frames line up with librosa's.
    private func alignOnsets(_ flux: [Float], sampleRate: Int) -> [Float] {
        let n = flux.count
        let extra = Int(Double(config.nFft) * Double(fps) / (2 * Double(sampleRate)))
        var out = [Float](repeating: 0, count: n)
        // flux[i] compares frame i with i - 1 (flux[0] = 0), i.e. it is already shifted by the lag.
        for i in 0..<n where i - extra >= 1 { out[i] = flux[i - extra] }
        return out
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
