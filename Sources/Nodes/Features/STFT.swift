import CFeatureKernels
import Foundation

/// One analysed video frame: the raw samples around the frame centre and their spectrum.
struct SpectralFrame {
    /// Raw (unwindowed) samples, n_fft long, centred on the frame's sample.
    var samples: UnsafeBufferPointer<Float>
    /// |X|², n_fft/2 + 1 bins of the Hann-windowed frame.
    var power: UnsafeBufferPointer<Float>
    /// |X|.
    var magnitude: UnsafeBufferPointer<Float>
}

/// A short-time Fourier transform whose frames sit on video frames.
///
/// Frame `i` is centred on sample `span.start + round(i · rate / fps)`: the centre is computed from
/// `i` each time rather than by adding an integer hop, so a non-integer hop (44100 / 60 = 735,
/// 44100 / 24 = 1837.5) never drifts, even over an hour. Windows reach n_fft/2 before and after the
/// centre and read zeros beyond the span, exactly like librosa's `stft(center=True)`.
final class VideoRateSTFT {
    let nFft: Int
    let bins: Int
    let sampleRate: Int
    let timing: FrameTiming
    let frameCount: Int
    /// Periodic Hann window (scipy `get_window('hann', n, fftbins=True)`, as librosa uses).
    private let window: [Float]
    private let fft: RealFFT
    private var samples: [Float]
    // Raw buffers, filled by CFeatureKernels' vectorised power/magnitude loop.
    private let power: UnsafeMutablePointer<Float>
    private let magnitude: UnsafeMutablePointer<Float>

    init(nFft: Int, sampleRate: Int, fps: Int, spanSamples: Int) {
        self.nFft = nFft
        bins = nFft / 2 + 1
        self.sampleRate = sampleRate
        timing = FrameTiming(sampleRate: sampleRate, fps: fps)
        frameCount = timing.frameCount(samples: spanSamples)
        window = (0..<nFft).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(nFft))) }
        fft = RealFFT(size: nFft)
        samples = [Float](repeating: 0, count: nFft)
        power = .allocate(capacity: nFft / 2 + 1)
        power.initialize(repeating: 0, count: nFft / 2 + 1)
        magnitude = .allocate(capacity: nFft / 2 + 1)
        magnitude.initialize(repeating: 0, count: nFft / 2 + 1)
    }

    deinit {
        power.deallocate()
        magnitude.deallocate()
    }

    /// The centre sample of frame `i`, relative to the span start.
    func centre(ofFrame i: Int) -> Int {
        Int(timing.centreSample(ofFrame: i).rounded())
    }

    /// Runs over every frame in order, streaming the span through `signal`.
    func run(signal: SignalWindow, spanStart: Int, body: (Int, SpectralFrame) throws -> Void) throws {
        for i in 0..<frameCount {
            let start = spanStart + centre(ofFrame: i) - nFft / 2
            try samples.withUnsafeMutableBufferPointer { s in
                try signal.copy(from: start, count: nFft, into: s.baseAddress!)
                for j in 0..<nFft { fft.input[j] = s[j] * window[j] }
            }
            fft.transform()
            // Only absurd input (float files with values near Float.max) overflows; the power is
            // then zeroed, keeping the downstream math finite rather than propagating Inf/NaN.
            fft.output.withMemoryRebound(to: Float.self, capacity: 2 * bins) {
                fk_power_spectrum($0, bins, power, magnitude)
            }
            try samples.withUnsafeBufferPointer { s in
                try body(i, SpectralFrame(samples: s, power: UnsafeBufferPointer(start: power, count: bins),
                                          magnitude: UnsafeBufferPointer(start: magnitude, count: bins)))
            }
        }
    }

    /// Centre frequency of each bin in Hz (librosa `fft_frequencies`).
    static func binFrequencies(sampleRate: Int, nFft: Int) -> [Double] {
        (0...(nFft / 2)).map { Double($0) * Double(sampleRate) / Double(nFft) }
    }
}
