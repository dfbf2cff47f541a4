/// How audio time maps to video frames. Frame `i` shows the audio around `i / fps` seconds
/// (its centre sample is `i · sampleRate / fps`, fractional, so an hour never drifts), and a
/// track of `samples` samples has `round(samples · fps / sampleRate)` frames (at least one), so
/// video and audio durations agree within half a frame.
public struct FrameTiming: Equatable, Sendable {
    public let sampleRate: Int
    public let fps: Int

    public init(sampleRate: Int, fps: Int) {
        self.sampleRate = sampleRate
        self.fps = fps
    }

    public func frameCount(samples: Int) -> Int {
        max(1, Int((Double(samples) * Double(fps) / Double(sampleRate)).rounded()))
    }

    /// The fractional sample position of frame `i`'s centre, relative to the span start.
    public func centreSample(ofFrame i: Int) -> Double {
        Double(i) * Double(sampleRate) / Double(fps)
    }
}
