/// What `AudioFile` needs from a decoder: the stream's format, interleaved float frames from the
/// current position, and exact seeks. Two implementations: `SndfileDecoder` (libsndfile: WAV,
/// FLAC, Ogg Vorbis/Opus, …) first, and `FFmpegAudioDecoder` (libavformat/libavcodec: M4A/AAC,
/// Opus in MP4 or WebM, WMA, …) for what libsndfile does not read, and for MP3 (to its real end). Both read the file's
/// bytes through the same `BufferedAudioSource`, so a file is one file version for both.
protocol AudioDecoder: AnyObject {
    var sampleRate: Int { get }
    var channels: Int { get }
    /// Up to `frames` interleaved frames into `buffer`, not yet sanitised (NaN may pass);
    /// returns the frames read, 0 at the end.
    func read(_ frames: Int, into buffer: UnsafeMutablePointer<Float>) throws -> Int
    /// Moves to sample frame `frame`, so that the next read returns what a read from the start
    /// would have returned after `frame` frames.
    func seek(toFrame frame: Int) throws
}
