import Foundation

extension FeatureExtractor {
    /// Names of the features also given as `<name>_norm`, robustly normalised to [0, 1].
    static let normalised = ["rms", "onset", "centroid", "flatness", "harmonic", "percussive"]

    /// The safetensors table: the per-frame features, the whole-track ones derived from them
    /// (aligned onsets, tempo, beats, the normalisations) and metadata.
    func table(_ f: FrameFeatures, analysis: SpectralAnalysis, statistics: TrackStatistics) -> Safetensors {
        let n = f.frames
        let onset = alignOnsets(f.fluxMean, sampleRate: analysis.sampleRate)
        let (tempo, beats) = rhythm(onsetMedian: f.fluxMedian, sampleRate: analysis.sampleRate)
        var tensors: [String: Tensor] = [
            "rms": Tensor(shape: [n], data: f.rms),
            "centroid": Tensor(shape: [n], data: f.centroid),
            "rolloff": Tensor(shape: [n], data: f.rolloff),
            "flatness": Tensor(shape: [n], data: f.flatness),
            "onset": Tensor(shape: [n], data: onset),
            "mel": Tensor(shape: [n, f.melBands], data: f.mel),
            "mfcc": Tensor(shape: [n, FrameFeatures.mfccCount], data: f.mfcc),
            "chroma": Tensor(shape: [n, ChromaFilterbank.classes], data: f.chroma),
            "harmonic": Tensor(shape: [n], data: f.harmonic),
            "percussive": Tensor(shape: [n], data: f.percussive),
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
            "sample_rate": String(analysis.sampleRate),
            "fps": String(fps),
            "frames": String(n),
            "n_fft": String(analysis.nFft),
            "mel_bands": String(f.melBands),
            "mfcc_mel_bands": String(SpectralAnalysis.analysisBands),
            "tuning": String(format: "%.2f", statistics.tuningOffset),
            "features": tensors.keys.sorted().joined(separator: ","),
            "extractor_version": String(FeatureExtractor.version),
        ]
        return Safetensors(tensors: tensors, metadata: metadata)
    }

    /// Tempo (BPM) and a 0/1 beat per frame, tracked on the median onset strength, as librosa's
    /// `beat.beat_track` does.
    private func rhythm(onsetMedian: [Float], sampleRate: Int) -> (tempo: Double, beats: [Float]) {
        let beatOnset = alignOnsets(onsetMedian, sampleRate: sampleRate)
        let tempo = TempoEstimator().estimate(onset: beatOnset, frameRate: Double(fps))
        var beats = [Float](repeating: 0, count: onsetMedian.count)
        for b in BeatTracker().track(onset: beatOnset, bpm: tempo, frameRate: Double(fps)) { beats[b] = 1 }
        return (tempo, beats)
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
}
