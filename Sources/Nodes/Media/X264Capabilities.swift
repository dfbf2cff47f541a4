import CFFmpeg

/// What the track encoder lets libx264 use: everything it detects except AVX-512. Its AVX-512
/// mb-tree code reads memory it never wrote, so with it the same frames encoded to different
/// bytes from run to run (Sources/CFFmpeg/x264_cpu.c has the measurements). Without it, an
/// AVX-512 machine also gives the bytes an AVX2 machine gives.
enum X264Capabilities {
    /// The `asm` x264 parameter, or nil to leave x264's own choice (no AVX-512 to take out).
    static let asmWithoutAVX512: String? = {
        var buffer = [CChar](repeating: 0, count: 32)
        guard cffmpeg_x264_asm_without_avx512(&buffer, buffer.count) == 1 else { return nil }
        return String(cString: buffer)
    }()
}
