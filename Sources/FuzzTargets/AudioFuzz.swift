import Foundation
import Nodes

/// The audio opening path on arbitrary bytes (WAV, FLAC, Ogg, MP3, and M4A/MP4 for the FFmpeg
/// fallback, mutated): open, take
/// the span the graph would, seek into it and read a few blocks, as the recipes do.
enum AudioFuzz {
    static func run(_ input: Data) {
        let path = ScratchFile.write(input, name: "input.audio")
        do {
            let file = try AudioFile(path: path)
            let span = try AudioSpan(file: file, trimStart: 0, trimEnd: nil)
            try file.seek(toFrame: span.start + span.count / 2)
            for _ in 0..<4 {
                if try file.readInterleaved(frames: 4096).isEmpty { break }
            }
            try file.seek(toFrame: span.start)
            _ = try file.readMono(frames: 4096)
        } catch {
            guard error is AudioError else { fatalError("audio: untyped error \(error)") }
            requireOneLine(error, .audio)
        }
    }
}
