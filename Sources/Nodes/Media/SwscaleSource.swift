/// Memory handed to `sws_scale` as its source image.
///
/// swscale's SIMD input readers load whole vectors and run past the last pixel of the last row:
/// valgrind shows 16-byte loads ending 4 bytes past an RGB24 frame of exactly width·height·3
/// bytes, memory that belongs to whoever the allocator gave it to. (In the frames measured
/// those bytes did not change the output, but nothing promises that.) So a source is a buffer
/// longer than its pixels whose tail is zero and never written, the padding FFmpeg also asks
/// of its codecs' inputs (AV_INPUT_BUFFER_PADDING_SIZE).
struct SwscaleSource {
    static let padding = 64
    private var buffer: [UInt8] = []

    /// Calls `body` with room for `count` bytes of pixels followed by the zero tail. The pixels
    /// are kept from call to call while `count` stays the same.
    mutating func withPixels<R>(count: Int, _ body: (UnsafeMutablePointer<UInt8>) throws -> R) rethrows -> R {
        if buffer.count != count + Self.padding { buffer = [UInt8](repeating: 0, count: count + Self.padding) }
        return try buffer.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
    }
}
