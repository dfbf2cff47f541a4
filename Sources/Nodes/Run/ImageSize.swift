import Foundation

/// Pixel sizes of the gallery's PNG and WebP files, read from their headers, so the page can give
/// every image its width and height up front (no layout shift while images load).
enum ImageSize {
    static func of(_ path: String) -> (width: Int, height: Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 32), data.count >= 30 else { return nil }
        let b = [UInt8](data)
        func be32(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        func le24(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 }
        // PNG: signature, then the IHDR chunk with big-endian width and height.
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return (be32(16), be32(20)) }
        // WebP: RIFF....WEBP, then VP8X (animations) holds the canvas size minus one, 24-bit LE.
        if b.starts(with: Array("RIFF".utf8)), Array(b[8..<16]) == Array("WEBPVP8X".utf8) { return (le24(24) + 1, le24(27) + 1) }
        return nil
    }
}
