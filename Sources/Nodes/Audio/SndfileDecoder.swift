import CSndfile

/// libsndfile behind `AudioDecoder`: the first choice for every file it can open.
final class SndfileDecoder: AudioDecoder {
    let sampleRate: Int
    let channels: Int
    /// An MPEG audio stream (MP3), which `AudioFile` decodes through FFmpeg instead.
    let isMPEG: Bool
    private let path: String
    private let handle: OpaquePointer
    /// The file's bytes for libsndfile; kept alive as long as `handle`.
    private let source: BufferedAudioSource

    /// Floats normalised to [-1, 1] for integer formats.
    init(source: BufferedAudioSource, path: String) throws {
        var info = SF_INFO()
        guard let h = source.openSoundFile(info: &info) else {
            throw AudioError.unreadable(file: path, reason: String(cString: sf_strerror(nil)))
        }
        guard info.samplerate > 0, info.channels > 0 else {
            sf_close(h)
            throw AudioError.unreadable(file: path, reason: "no audio stream (sample rate \(info.samplerate), \(info.channels) channels)")
        }
        // Float formats pass through unscaled (and may hold NaN, Inf or huge values, which
        // AudioFile's reads and the extractor deal with).
        sf_command(h, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
        self.path = path
        self.source = source
        handle = h
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        isMPEG = info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_MPEG)
    }

    deinit { sf_close(handle) }

    func read(_ frames: Int, into buffer: UnsafeMutablePointer<Float>) throws -> Int {
        let got = sf_readf_float(handle, buffer, sf_count_t(frames))
        if got < 0 || (got == 0 && sf_error(handle) != 0) {
            throw AudioError.unreadable(file: path, reason: String(cString: sf_strerror(handle)))
        }
        return Int(got)
    }

    func seek(toFrame frame: Int) throws {
        guard sf_seek(handle, sf_count_t(frame), SEEK_SET) >= 0 else {
            // libsndfile seeks by decoding for compressed formats, so a failed seek usually means damaged data.
            throw AudioError.unreadable(file: path, reason: "cannot seek to frame \(frame) (\(String(cString: sf_strerror(handle))))")
        }
    }
}
