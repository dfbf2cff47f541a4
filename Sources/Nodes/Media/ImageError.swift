/// Why a reference image could not be read. Every message is one line that starts with the file
/// as the caller named it (never a temporary or internal path), so a failed style node says which
/// image to fix.
public enum ImageError: Error, Equatable, CustomStringConvertible {
    case missing(file: String)
    case directory(file: String)
    case unreadable(file: String, reason: String)
    case empty(file: String)
    /// Not a PNG, JPEG or WebP file at all (audio, text, another container…).
    case notImage(file: String, reason: String)
    /// An image this reader deliberately does not take (animated WebP, GIF, …).
    case unsupported(file: String, reason: String)
    /// The header announces more pixels than allowed; nothing was decoded.
    case tooManyPixels(file: String, width: Int, height: Int, limit: Int)
    /// The file is larger than any image within the pixel limit can be.
    case fileTooLarge(file: String, bytes: Int, limit: Int)
    case corrupt(file: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let file):
            return "\(file): no such file"
        case .directory(let file):
            return "\(file): is a directory, not an image"
        case .unreadable(let file, let reason):
            return "\(file): cannot be read (\(reason))"
        case .empty(let file):
            return "\(file): empty file, not an image"
        case .notImage(let file, let reason):
            return "\(file): not an image (\(reason))"
        case .unsupported(let file, let reason):
            return "\(file): \(reason)"
        case .tooManyPixels(let file, let width, let height, let limit):
            return "\(file): \(width)×\(height) pixels is more than the \(limit) allowed"
        case .fileTooLarge(let file, let bytes, let limit):
            return "\(file): \(bytes) bytes is more than an image within the limit can take (\(limit) bytes)"
        case .corrupt(let file, let reason):
            return "\(file): corrupt or truncated image (\(reason))"
        }
    }
}
