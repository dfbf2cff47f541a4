import Foundation

/// The blend term: softmax weights over the K anchors, and the anchors mixed by them.
///
/// Each anchor is tuned to a pitch class (a cosine profile around the chroma circle), so the
/// harmony steers which anchors dominate; a seeded projection of loudness, brightness,
/// noisiness and harmonic energy adds timbre. Both read slow averages of the features, kept
/// here from frame to frame. The mix is divided by √Σw², which keeps a mixture of
/// standard-normal anchors standard-normal in scale (a plain average of many anchors would
/// shrink towards the origin and wash the image out).
struct AnchorBlend {
    let anchors: [[Float]]
    /// [K][12]: anchor a's cosine profile, peaking at pitch class 12·a/K.
    let profiles: [[Float]]
    /// [K][4]: the seeded timbre projection (rms, centroid, flatness, harmonic).
    let timbre: [[Float]]
    let tuning: ControllerTuning
    let chromaAlpha: Float
    let timbreAlpha: Float
    /// Chroma averaged over `tuning.chromaSeconds`: frame chroma is noisy, and a chord change
    /// should morph the picture over about a second, not cut it.
    private var chroma: [Float]
    /// The four timbre inputs averaged over `tuning.timbreSeconds`: the blend should follow the
    /// passage's character, not jump on every drum hit (that is the pulse's job).
    private var timbreInput: [Float]
    /// The latest frame's weights (sum 1).
    private(set) var weights: [Float]

    init(anchors: [[Float]], timbre: [[Float]], tuning: ControllerTuning, dt: Double, first rows: FeatureRows) {
        let k = anchors.count
        self.anchors = anchors
        self.timbre = timbre
        self.tuning = tuning
        profiles = (0..<k).map { a in
            (0..<12).map { p in Float(cos(2 * Double.pi * (Double(p) - 12 * Double(a) / Double(k)) / 12)) }
        }
        chromaAlpha = TimeConstant.alpha(tau: tuning.chromaSeconds, dt: dt)
        timbreAlpha = TimeConstant.alpha(tau: tuning.timbreSeconds, dt: dt)
        let n = rows.count
        chroma = n > 0 ? Array(rows.chroma[0..<12]) : [Float](repeating: 0, count: 12)
        timbreInput = n > 0 ? [rows.rms[0], rows.centroid[0], rows.flatness[0], rows.harmonic[0]] : [0, 0, 0, 0]
        weights = [Float](repeating: 0, count: k)
    }

    /// Advances the averages to frame `i`, sets `weights`, and writes the normalised mix of the
    /// anchors into `raw`. The chroma part is gated by `loudness`: chroma of near-silence is noise.
    mutating func mix(frame i: Int, of rows: FeatureRows, loudness: Float, into raw: inout [Float]) {
        follow(frame: i, of: rows)
        let norm = softmax(loudness: loudness)
        for d in 0..<raw.count { raw[d] = 0 }
        for a in 0..<anchors.count {
            let w = weights[a] * norm
            for d in 0..<raw.count { raw[d] += w * anchors[a][d] }
        }
    }

    private mutating func follow(frame i: Int, of rows: FeatureRows) {
        for p in 0..<12 { chroma[p] += chromaAlpha * (rows.chroma[i * 12 + p] - chroma[p]) }
        let inputs = [rows.rms[i], rows.centroid[i], rows.flatness[i], rows.harmonic[i]]
        for (j, v) in inputs.enumerated() { timbreInput[j] += timbreAlpha * (v - timbreInput[j]) }
    }

    /// Sets `weights` to the softmax of the anchors' logits; returns 1/√Σw², the mix's scale.
    private mutating func softmax(loudness: Float) -> Float {
        let k = anchors.count
        let chromaSum = max(chroma.reduce(0, +), 1e-6)
        let chromaGain = tuning.chromaGain * loudness.squareRoot()
        var maxLogit = -Float.infinity
        for a in 0..<k {
            var c: Float = 0
            for p in 0..<12 { c += profiles[a][p] * chroma[p] }
            var t: Float = 0
            for j in 0..<4 { t += timbre[a][j] * timbreInput[j] }
            weights[a] = chromaGain * c / chromaSum + tuning.timbreGain * t
            maxLogit = max(maxLogit, weights[a])
        }
        var total: Float = 0
        for a in 0..<k { weights[a] = exp(weights[a] - maxLogit); total += weights[a] }
        var sumSquares: Float = 0
        for a in 0..<k {
            weights[a] /= total
            sumSquares += weights[a] * weights[a]
        }
        return 1 / sumSquares.squareRoot()
    }
}
