/// Pass 1 of the feature extractor: the statistics librosa derives from the whole track before
/// any per-frame feature — the loudest mel power (the dB floor of MFCC and onset strength is
/// 80 dB below it) and the tuning offset chroma uses.
struct TrackStatistics {
    /// Pass 1's analysis bands are kept for pass 2 up to this many floats (16 MB).
    static let keptBandsLimit = 4 << 20

    let decibels: DecibelScale
    /// In fractions of a semitone, as librosa's `estimate_tuning`.
    let tuningOffset: Double
    /// [frames × 128]: each frame's analysis bands (512 bytes a frame: 4.5 MB for a 5-minute
    /// track at 30 fps), or empty past `keptBandsLimit`, when pass 2 computes them again; the
    /// values are the same either way.
    let keptBands: [Float]

    /// Runs pass 1 over `signal`; `progress(done)` after each frame.
    init(_ analysis: SpectralAnalysis, signal: SignalWindow, spanStart: Int, progress: (Int) -> Void) throws {
        let n = analysis.frameCount, bandCount = SpectralAnalysis.analysisBands
        var scratch = [Float](repeating: 0, count: bandCount)
        var maxMelPower: Float = 0
        var tuning = TuningEstimator(sampleRate: analysis.sampleRate, nFft: analysis.nFft)
        var kept = [Float](repeating: 0, count: n * bandCount <= Self.keptBandsLimit ? n * bandCount : 0)
        try analysis.stft.run(signal: signal, spanStart: spanStart) { i, frame in
            scratch.withUnsafeMutableBufferPointer { analysis.analysisMel.apply(frame.power, into: $0.baseAddress!) }
            if !kept.isEmpty {
                kept.withUnsafeMutableBufferPointer { kept in
                    scratch.withUnsafeBufferPointer { (kept.baseAddress! + i * bandCount).update(from: $0.baseAddress!, count: bandCount) }
                }
            }
            for v in scratch { maxMelPower = max(maxMelPower, v) }
            tuning.push(frame.power)
            progress(i + 1)
        }
        decibels = DecibelScale(maxPower: maxMelPower)
        tuningOffset = tuning.estimate()
        keptBands = kept
    }
}
