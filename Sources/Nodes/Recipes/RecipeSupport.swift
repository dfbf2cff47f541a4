import Foundation
import Graph

/// The trim of a track, as recipe parameters.
public struct TrimParams: Codable, Equatable, Sendable {
    public var start: Double
    public var end: Double?
    /// How the file is decoded when that is not the default (`AudioFile.decoderTag`: MP3 goes
    /// through FFmpeg); nil, and so absent from the key, for every other file.
    public var decoder: String? = nil
}

/// `output.fps`, for nodes that read the frame rate only (params fields are named after the
/// config sections, so `--explain` says `output.fps` as the user writes it).
public struct FrameRate: Codable, Equatable, Sendable {
    var fps: Int
}

/// `shards.frames`: frames per shard.
public struct ShardSize: Codable, Equatable, Sendable {
    var frames: Int
}

/// `controller.latent_dim`, which the frame shards read too (the generator's input size): a
/// params field `controller` of this type shows it under its config name in `--explain`.
public struct LatentSize: Codable, Equatable, Sendable {
    var latentDim: Int
}

/// `controller.wander_seed`, which the track reads too (it seeds the grain), under its config name.
public struct GrainSeed: Codable, Equatable, Sendable {
    var wanderSeed: Int
}

extension TrackSpec {
    var trim: TrimParams { TrimParams(start: trimStart, end: trimEnd, decoder: audioDecoder) }
}

/// Writes a safetensors table to a fresh temporary file of the build and returns its path.
func writeTemporary(_ table: Safetensors, _ context: BuildContext) throws -> String {
    let path = context.temporaryPath(suffix: ".safetensors")
    guard FileManager.default.createFile(atPath: path, contents: table.serialized()) else {
        throw GraphError.io(path: path, reason: "cannot write (disk full?)")
    }
    return path
}

/// The render size: output size × render_scale, rounded to even numbers (for 4:2:0 video).
func renderSize(_ output: OutputConfig, scale: Double) -> (width: Int, height: Int) {
    func even(_ x: Double) -> Int { max(2, Int((x / 2).rounded()) * 2) }
    return (even(Double(output.width) * scale), even(Double(output.height) * scale))
}
