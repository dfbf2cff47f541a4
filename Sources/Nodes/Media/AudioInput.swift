/// PCM audio pulled on demand by the encoders, so a track is never held in memory whole.
public struct AudioInput {
    public var sampleRate: Int
    public var channels: Int
    /// Exactly this many sample frames are encoded; a source that ends early is padded with silence.
    public var totalFrames: Int
    /// `read(n)` returns up to `n` interleaved sample frames (`n · channels` floats), empty at the end.
    public var read: (Int) throws -> [Float]

    public init(sampleRate: Int, channels: Int, totalFrames: Int, read: @escaping (Int) throws -> [Float]) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.totalFrames = totalFrames
        self.read = read
    }

    /// Streams `span` of `file` (the whole file when nil).
    public init(file: AudioFile, span: AudioSpan? = nil) throws {
        let start = span?.start ?? 0
        try file.seek(toFrame: start)
        self.init(sampleRate: file.sampleRate, channels: file.channels,
                  totalFrames: span?.count ?? file.frameCount,
                  read: { try file.readInterleaved(frames: $0) })
    }
}
