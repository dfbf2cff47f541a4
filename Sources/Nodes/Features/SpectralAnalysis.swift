/// What both passes of the feature extractor share: the STFT at the video frame rate and the
/// mel filterbanks.
struct SpectralAnalysis {
    /// librosa computes MFCC and onset strength from a 128-band mel spectrogram by default.
    static let analysisBands = 128

    let sampleRate: Int
    let nFft: Int
    let stft: VideoRateSTFT
    /// The 128 analysis bands of MFCC and onset strength.
    let analysisMel: MelFilterbank
    /// The `mel` tensor's bands (the analysis filterbank itself when the counts agree).
    let outputMel: MelFilterbank

    init(config: FeaturesConfig, sampleRate: Int, fps: Int, spanSamples: Int) {
        self.sampleRate = sampleRate
        nFft = config.nFft
        stft = VideoRateSTFT(nFft: nFft, sampleRate: sampleRate, fps: fps, spanSamples: spanSamples)
        analysisMel = MelFilterbank(sampleRate: sampleRate, nFft: nFft, bands: Self.analysisBands)
        outputMel = config.melBands == Self.analysisBands
            ? analysisMel : MelFilterbank(sampleRate: sampleRate, nFft: nFft, bands: config.melBands)
    }

    var frameCount: Int { stft.frameCount }
}
