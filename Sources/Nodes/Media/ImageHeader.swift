/// The format and pixel size of a PNG, JPEG or WebP file, read from its first bytes.
///
/// Written by hand because FFmpeg learns an image's size only by decoding it (its image demuxers
/// leave width and height at 0 until `avformat_find_stream_info` decodes the picture), and the
/// pixel limit must be enforced before anything that size is allocated. It also rejects what the
/// decoders would accept silently: a JPEG cut before its end-of-image marker and a WebP shorter
/// than its RIFF size both decode to a partly grey picture without an error.
struct ImageHeader: Equatable {
    enum Format: String {
        case png = "PNG", jpeg = "JPEG", webp = "WebP"
    }

    let format: Format
    let width: Int
    let height: Int

    init(format: Format, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }

    /// Parses `bytes` (the whole file); throws `ImageError` naming `file`.
    init(bytes: UnsafeRawBufferPointer, file: String) throws {
        let b = Bytes(raw: bytes)
        if b.matches(0, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = try ImageHeader.png(b, file: file)
        } else if b.matches(0, [0xFF, 0xD8, 0xFF]) {
            self = try ImageHeader.jpeg(b, file: file)
        } else if b.matches(0, Array("RIFF".utf8)) && b.matches(8, Array("WEBP".utf8)) {
            self = try ImageHeader.webp(b, file: file)
        } else if let other = ImageHeader.recognise(b) {
            throw other.supported
                ? ImageError.unsupported(file: file, reason: "\(other.name) is not supported (PNG, JPEG or WebP is)")
                : ImageError.notImage(file: file, reason: "\(other.name); PNG, JPEG or WebP expected")
        } else {
            throw ImageError.notImage(file: file, reason: "no PNG, JPEG or WebP signature")
        }
        guard width > 0, height > 0 else {
            throw ImageError.corrupt(file: file, reason: "\(format.rawValue) header gives a size of \(width)×\(height)")
        }
    }

    /// IHDR must be the first chunk: 4-byte length 13, "IHDR", width and height big-endian.
    private static func png(_ b: Bytes, file: String) throws -> ImageHeader {
        guard b.count >= 33, b.be32(8) == 13, b.matches(12, Array("IHDR".utf8)) else {
            throw ImageError.corrupt(file: file, reason: "PNG header cut short or missing IHDR")
        }
        return ImageHeader(format: .png, width: b.be32(16), height: b.be32(20))
    }

    /// Walks the marker segments to the first start-of-frame (skipping APPn, so an EXIF thumbnail's
    /// own markers are never mistaken for the picture's), then requires an end-of-image marker
    /// after it: inside entropy-coded data 0xFF is always stuffed, so FF D9 there is the real end.
    private static func jpeg(_ b: Bytes, file: String) throws -> ImageHeader {
        var p = 2
        while true {
            guard p + 4 <= b.count, b[p] == 0xFF else {
                throw ImageError.corrupt(file: file, reason: "JPEG ends before its frame header")
            }
            let marker = b[p + 1]
            if marker == 0xFF { p += 1; continue }  // fill byte
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { p += 2; continue }  // no length
            if marker == 0xDA || marker == 0xD9 {
                throw ImageError.corrupt(file: file, reason: "JPEG has no frame header before its data")
            }
            let length = b.be16(p + 2)
            let isFrame = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
            if isFrame {
                guard length >= 8, p + 9 <= b.count else {
                    throw ImageError.corrupt(file: file, reason: "JPEG frame header cut short")
                }
                let height = b.be16(p + 5), width = b.be16(p + 7)
                guard b.contains([0xFF, 0xD9], from: p + 2 + length) else {
                    throw ImageError.corrupt(file: file, reason: "JPEG has no end-of-image marker")
                }
                return ImageHeader(format: .jpeg, width: width, height: height)
            }
            guard length >= 2 else { throw ImageError.corrupt(file: file, reason: "JPEG segment length \(length)") }
            p += 2 + length
        }
    }

    /// RIFF container with one of the three first chunks: VP8 (lossy), VP8L (lossless) or VP8X
    /// (extended: canvas size and flags; animation is refused, the decoder handles stills only).
    private static func webp(_ b: Bytes, file: String) throws -> ImageHeader {
        guard b.count >= 30 else { throw ImageError.corrupt(file: file, reason: "WebP header cut short") }
        let riffEnd = b.le32(4) + 8
        guard riffEnd <= b.count else {
            throw ImageError.corrupt(file: file, reason: "WebP is \(b.count) bytes, its header says \(riffEnd)")
        }
        if b.matches(12, Array("VP8 ".utf8)) {
            guard b.matches(23, [0x9D, 0x01, 0x2A]) else {
                throw ImageError.corrupt(file: file, reason: "WebP VP8 frame has no start code")
            }
            return ImageHeader(format: .webp, width: b.le16(26) & 0x3FFF, height: b.le16(28) & 0x3FFF)
        }
        if b.matches(12, Array("VP8L".utf8)) {
            guard b[20] == 0x2F else { throw ImageError.corrupt(file: file, reason: "WebP VP8L signature missing") }
            let bits = b.le32(21)
            return ImageHeader(format: .webp, width: (bits & 0x3FFF) + 1, height: ((bits >> 14) & 0x3FFF) + 1)
        }
        if b.matches(12, Array("VP8X".utf8)) {
            if b[20] & 0x02 != 0 {
                throw ImageError.unsupported(file: file, reason: "animated WebP is not supported (a still image is)")
            }
            return ImageHeader(format: .webp, width: b.le24(24) + 1, height: b.le24(27) + 1)
        }
        throw ImageError.corrupt(file: file, reason: "WebP without a VP8, VP8L or VP8X chunk")
    }

    /// Common files that are not what this reader takes, named so the error says what was given.
    private static func recognise(_ b: Bytes) -> (name: String, supported: Bool)? {
        let known: [(offset: Int, magic: [UInt8], name: String, image: Bool)] = [
            (8, Array("WAVE".utf8), "WAV audio", false),
            (0, Array("fLaC".utf8), "FLAC audio", false),
            (0, Array("OggS".utf8), "Ogg", false),
            (0, Array("ID3".utf8), "MP3 audio", false),
            (4, Array("ftyp".utf8), "MP4/QuickTime", false),
            (0, [0x1A, 0x45, 0xDF, 0xA3], "Matroska/WebM", false),
            (0, Array("%PDF".utf8), "PDF", false),
            (0, Array("GIF8".utf8), "GIF", true),
            (0, Array("BM".utf8), "BMP", true),
            (0, [0x49, 0x49, 0x2A, 0x00], "TIFF", true),
            (0, [0x4D, 0x4D, 0x00, 0x2A], "TIFF", true),
        ]
        for k in known where b.matches(k.offset, k.magic) { return (k.name, k.image) }
        return nil
    }
}

/// Bounds-checked big/little-endian reads over the file bytes (out of range reads as 0).
private struct Bytes {
    let raw: UnsafeRawBufferPointer
    var count: Int { raw.count }

    subscript(i: Int) -> UInt8 { i >= 0 && i < raw.count ? raw[i] : 0 }

    func matches(_ offset: Int, _ magic: [UInt8]) -> Bool {
        offset + magic.count <= count && magic.indices.allSatisfy { raw[offset + $0] == magic[$0] }
    }

    func be16(_ i: Int) -> Int { Int(self[i]) << 8 | Int(self[i + 1]) }
    func be32(_ i: Int) -> Int { be16(i) << 16 | be16(i + 2) }
    func le16(_ i: Int) -> Int { Int(self[i]) | Int(self[i + 1]) << 8 }
    func le24(_ i: Int) -> Int { le16(i) | Int(self[i + 2]) << 16 }
    func le32(_ i: Int) -> Int { le16(i) | le16(i + 2) << 16 }

    /// Whether the two-byte sequence occurs at or after `from`. Searched from the end: in a whole
    /// file the sequence sought (an end marker) is found within the last bytes.
    func contains(_ pair: [UInt8], from: Int) -> Bool {
        var i = count - 2
        while i >= max(0, from) {
            if raw[i] == pair[0] && raw[i + 1] == pair[1] { return true }
            i -= 1
        }
        return false
    }
}
