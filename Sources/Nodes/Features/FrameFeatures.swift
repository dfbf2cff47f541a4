/// Pass 2 of the feature extractor: every per-frame feature, one row per video frame, in the
/// order the STFT delivers the frames.
struct FrameFeatures {
    static let mfccCount = 13

    let frames: Int
    var rms: [Float] = [], centroid: [Float] = [], rolloff: [Float] = [], flatness: [Float] = []
    /// Onset strength before alignment: the mean over bands (librosa's onset envelope) and the
    /// median (what its beat tracker computes for itself).
    var fluxMean: [Float] = [], fluxMedian: [Float] = []
    var harmonic: [Float] = [], percussive: [Float] = []
    /// [frames × mel bands], [frames × 13], [frames × 12]
    var mel: [Float], mfcc: [Float], chroma: [Float]
    let melBands: Int

    init(frames n: Int, melBands: Int) {
        frames = n
        self.melBands = melBands
        mel = [Float](repeating: 0, count: n * melBands)
        mfcc = [Float](repeating: 0, count: n * Self.mfccCount)
        chroma = [Float](repeating: 0, count: n * ChromaFilterbank.classes)
        for column in [\FrameFeatures.rms, \.centroid, \.rolloff, \.flatness, \.fluxMean, \.fluxMedian, \.harmonic, \.percussive] {
            self[keyPath: column].reserveCapacity(n)
        }
    }

    /// Runs pass 2 over `signal`; `progress(done)` after each frame.
    init(_ analysis: SpectralAnalysis, statistics: TrackStatistics, signal: SignalWindow, spanStart: Int,
         progress: (Int) -> Void) throws {
        var out = FrameFeatures(frames: analysis.frameCount, melBands: analysis.outputMel.count)
        var tools = FrameFeatureTools(analysis, statistics: statistics)
        try analysis.stft.run(signal: signal, spanStart: spanStart) { i, frame in
            tools.push(frame: i, frame, into: &out)
            progress(i + 1)
        }
        precondition(out.harmonic.count == out.frames, "HPSS emitted \(out.harmonic.count) of \(out.frames) frames")
        self = out
    }
}

/// The per-frame analysers of pass 2, with the state they carry from frame to frame (spectral
/// flux remembers the previous frame, HPSS a window of frames it emits late).
private struct FrameFeatureTools {
    let analysis: SpectralAnalysis
    let statistics: TrackStatistics
    let descriptors: SpectralDescriptors
    let mfcc: MFCC
    let chroma: ChromaFilterbank
    var flux = SpectralFlux()
    let hpss: HPSSStream
    /// One frame's 128 analysis bands, in dB.
    var decibels = [Float](repeating: 0, count: SpectralAnalysis.analysisBands)

    init(_ analysis: SpectralAnalysis, statistics: TrackStatistics) {
        self.analysis = analysis
        self.statistics = statistics
        descriptors = SpectralDescriptors(sampleRate: analysis.sampleRate, nFft: analysis.nFft)
        mfcc = MFCC(count: FrameFeatures.mfccCount, bands: SpectralAnalysis.analysisBands)
        chroma = ChromaFilterbank(sampleRate: analysis.sampleRate, nFft: analysis.nFft, tuning: statistics.tuningOffset)
        hpss = HPSSStream(bins: analysis.stft.bins, nFft: analysis.nFft, frameCount: analysis.frameCount)
    }

    mutating func push(frame i: Int, _ frame: SpectralFrame, into out: inout FrameFeatures) {
        out.rms.append(descriptors.rms(frame.samples))
        let (c, r) = descriptors.centroidAndRolloff(frame.magnitude)
        out.centroid.append(c)
        out.rolloff.append(r)
        out.flatness.append(descriptors.flatness(frame.power))
        out.mel.withUnsafeMutableBufferPointer { analysis.outputMel.apply(frame.power, into: $0.baseAddress! + i * out.melBands) }
        analysisDecibels(frame: i, frame)
        decibels.withUnsafeBufferPointer { m in
            out.mfcc.withUnsafeMutableBufferPointer { mfcc.apply(m, into: $0.baseAddress! + i * FrameFeatures.mfccCount) }
            let f = flux.push(m)
            out.fluxMean.append(f.mean)
            out.fluxMedian.append(f.median)
        }
        out.chroma.withUnsafeMutableBufferPointer { chroma.apply(frame.power, into: $0.baseAddress! + i * ChromaFilterbank.classes) }
        for e in hpss.push(frame.magnitude) {
            out.harmonic.append(e.harmonic)
            out.percussive.append(e.percussive)
        }
    }

    /// Frame `i`'s analysis bands in dB: kept from pass 1 when they fitted, else computed again.
    private mutating func analysisDecibels(frame i: Int, _ frame: SpectralFrame) {
        let bandCount = SpectralAnalysis.analysisBands
        decibels.withUnsafeMutableBufferPointer { m in
            if statistics.keptBands.isEmpty {
                analysis.analysisMel.apply(frame.power, into: m.baseAddress!)
            } else {
                statistics.keptBands.withUnsafeBufferPointer { m.baseAddress!.update(from: $0.baseAddress! + i * bandCount, count: bandCount) }
            }
            for b in 0..<m.count { m[b] = statistics.decibels.apply(m[b]) }
        }
    }
}
