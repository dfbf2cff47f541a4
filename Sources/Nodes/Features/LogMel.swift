import Foundation

/// librosa's `power_to_db(S, ref=1.0, amin=1e-10, top_db=80)`: 10·log10 of the power, floored at
/// 80 dB below the loudest value of the *whole* track. The floor needs a global maximum, which is
/// why the extractor makes a first pass over the audio before the features pass.
struct DecibelScale {
    static let amin: Float = 1e-10
    static let topDb: Float = 80
    let floor: Float

    /// `maxPower` is the largest mel power over the whole track.
    init(maxPower: Float) {
        floor = DecibelScale.db(maxPower) - DecibelScale.topDb
    }

    static func db(_ power: Float) -> Float { 10 * log10(max(amin, power)) }

    func apply(_ power: Float) -> Float { max(DecibelScale.db(power), floor) }
}

/// `feature.mfcc(n_mfcc=13)`: DCT-II (orthonormal) of the dB mel spectrogram (128 bands by default).
struct MFCC {
    let count: Int
    let bands: Int
    /// Row-major `count × bands` DCT matrix.
    private let basis: [Float]

    init(count: Int = 13, bands: Int) {
        self.count = count
        self.bands = bands
        var basis = [Float](repeating: 0, count: count * bands)
        for k in 0..<count {
            let scale = k == 0 ? (1.0 / Double(bands)).squareRoot() : (2.0 / Double(bands)).squareRoot()
            for n in 0..<bands {
                basis[k * bands + n] = Float(scale * cos(Double.pi * Double(k) * (2 * Double(n) + 1) / (2 * Double(bands))))
            }
        }
        self.basis = basis
    }

    func apply(_ db: UnsafeBufferPointer<Float>, into out: UnsafeMutablePointer<Float>) {
        for k in 0..<count {
            var sum: Double = 0
            for n in 0..<bands { sum += Double(basis[k * bands + n]) * Double(db[n]) }
            out[k] = Float(sum)
        }
    }
}

/// `onset.onset_strength` (lag 1, no max-filter): the positive part of the frame-to-frame increase
/// of the dB mel spectrogram, aggregated over bands. The mean is librosa's default onset strength;
/// the median is what `beat.beat_track` computes for itself.
struct SpectralFlux {
    private var previous: [Float]?
    private var scratch: [Float] = []

    /// Returns (mean, median) over bands; zero for the first frame (it has no predecessor).
    mutating func push(_ db: UnsafeBufferPointer<Float>) -> (mean: Float, median: Float) {
        defer { previous = Array(db) }
        guard let prev = previous else { return (0, 0) }
        if scratch.count != db.count { scratch = [Float](repeating: 0, count: db.count) }
        var sum: Double = 0
        for b in 0..<db.count {
            let d = max(0, db[b] - prev[b])
            scratch[b] = d
            sum += Double(d)
        }
        return (Float(sum / Double(db.count)), Statistics.median(&scratch))
    }
}
