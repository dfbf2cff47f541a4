/// Whether the album cut can join its tracks as configured. Checked when the graph is built, so
/// `-n` and any build of `album` stop with a one-line reason before a frame is rendered; the
/// muxer would otherwise refuse the join only after every track was encoded.
enum AlbumCompatibility {
    /// A track's source audio as the album cut reads it.
    struct AudioFormat: Equatable {
        var file: String
        var sampleRate: Int
        var channels: Int
    }

    /// A key the cut needs equal on every track, and how to read it from a track's config.
    typealias Key = (name: String, value: (TrackConfig) -> String)

    /// The cut copies the tracks' H.264 packets, so every key that changes the stream's decoder
    /// configuration (SPS/PPS, profile, size, frame rate, B-frame delay) must agree: crf sets the
    /// PPS's initial QP, the preset the reference frames, entropy coder and B-frames. Threads and
    /// the keyframe interval leave the configuration alone and may differ.
    static let copiedKeys: [Key] = [
        ("output.width", { String($0.output.width) }),
        ("output.height", { String($0.output.height) }),
        ("output.fps", { String($0.output.fps) }),
        ("encoder.pixel_format", { $0.encoder.pixelFormat }),
        ("encoder.profile", { $0.encoder.profile }),
        ("encoder.crf", { String($0.encoder.crf) }),
        ("encoder.preset", { $0.encoder.preset }),
    ]

    /// A crossfaded cut decodes the tracks and re-encodes them with the first track's encoder
    /// settings: only the frame size and rate must agree.
    static let reencodedKeys: [Key] = Array(copiedKeys.prefix(3))

    /// The first difference between a later track and the first one that the cut cannot join,
    /// naming the track and the key; nil when the cut can be made.
    static func problem(tracks: [TrackSpec], audio: [AudioFormat], crossfade: Bool) -> String? {
        guard let first = tracks.first else { return nil }
        let keys = crossfade ? reencodedKeys : copiedKeys
        let why = crossfade ? "the crossfaded album cut is one video of one size and frame rate"
            : "the album cut copies the tracks' video streams without re-encoding"
        for track in tracks.dropFirst() {
            for key in keys where key.value(track.config) != key.value(first.config) {
                let place = track.locations[key.name].map { " (set at \($0))" } ?? ""
                return "album: track '\(track.id)' has \(key.name) \(key.value(track.config))\(place), track '\(first.id)' \(key.value(first.config)); \(why), so \(key.name) must be the same on every track"
            }
        }
        guard let head = audio.first else { return nil }
        for (track, format) in zip(tracks, audio).dropFirst()
        where format.sampleRate != head.sampleRate || format.channels != head.channels {
            return "album: track '\(track.id)' audio \(format.file) is \(format.sampleRate) Hz × \(format.channels) ch, track '\(first.id)' \(head.sampleRate) Hz × \(head.channels) ch; the album audio is one stream, so every track's audio needs one sample rate and channel count"
        }
        return nil
    }
}
