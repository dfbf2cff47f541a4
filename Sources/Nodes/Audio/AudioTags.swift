import CSndfile
import Foundation

/// Title, artist and album tags of an audio file, as libsndfile reads them (Vorbis comments in
/// Ogg/FLAC, INFO chunks in WAV); nil fields when the file has none or libsndfile cannot open it.
public struct AudioTags: Equatable, Sendable {
    public var title: String?
    public var artist: String?
    public var album: String?

    public init(path: String) {
        var info = SF_INFO()
        guard let file = sf_open(path, Int32(SFM_READ), &info) else { return }
        defer { sf_close(file) }
        func tag(_ kind: Int32) -> String? {
            guard let text = sf_get_string(file, kind) else { return nil }
            let value = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        title = tag(Int32(SF_STR_TITLE))
        artist = tag(Int32(SF_STR_ARTIST))
        album = tag(Int32(SF_STR_ALBUM))
    }
}
