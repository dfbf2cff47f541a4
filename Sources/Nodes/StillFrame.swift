import Foundation
import Graph

/// One frame of a track exactly as its video shows it, for look development (`ntsbuild still`).
///
/// The features and trajectory come from the build graph (so they are reused from the cache,
/// or built and cached for the next build); the frame is then rendered the way the shard and
/// track nodes do it — the CPPN at render size with the frame's camera, upscaled, post-effects
/// — through the same code (`CPPN.render(row:of:…)`, `FrameFinisher`). With trails on, a
/// frame depends on the frames before it, so the trail is run from `FrameFinisher.history`
/// frames back, where older frames no longer reach the bytes.
public struct StillFrame {
    public let trackID: String
    /// The video frame shown at the requested time.
    public let frame: Int
    public let image: RGBImage

    /// Builds what the frame needs (`trajectory:<id>` and its inputs), then renders the frame
    /// shown at `seconds` into the track's video (0 = its first frame, after any trim).
    public static func render(workspace: Workspace, trackID: String, seconds: Double, jobs: Int = 1) throws -> StillFrame {
        let project = workspace.project
        guard let track = project.track(trackID) else {
            let suggestion = ConfigSchema.suggestion(for: trackID, among: project.tracks.map(\.id))
            throw StillError.unknownTrack(trackID, suggestion: suggestion)
        }
        let frames = workspace.album.frames[trackID] ?? 0
        let fps = track.config.output.fps
        let frame = try StillFrame.frame(at: seconds, fps: fps, frames: frames, trackID: trackID)

        let target = NodeID.trajectory(track: trackID)
        let sources = GeneratorSources(config: track.config.generator)
        let built = sources.nodes.filter { !$0.isFile }
        let result = try workspace.build([target] + built, options: BuildOptions(jobs: jobs))
        if let failure = result.failures.first {
            // As `build` reports it: a missing source by its path (exit 66), any other node by its id.
            throw GraphError.nodeFailed(failure.id, message: failure.message ?? "failed")
        }
        if result.interrupted { throw GraphError.interrupted }
        guard let digest = result.result(for: target)?.output else {
            throw GraphError.nodeFailed(target, message: "produced no output")
        }
        let path = workspace.engine.store.path(of: digest)
        let trajectory = try Safetensors.read(path: path)
        let latents = try trajectory.tensor("latent", in: path)

        var outputs: [NodeID: String] = [:]
        for id in built {
            guard let digest = result.result(for: id)?.output else { throw GraphError.nodeFailed(id, message: "produced no output") }
            outputs[id] = workspace.engine.store.path(of: digest)
        }
        let generatorConfig = sources.resolved { outputs[$0] ?? workspace.engine.sourcePath($0.filePath ?? $0.raw) }
        let generator = try Generators.make(config: generatorConfig, latentDim: track.config.controller.latentDim)
        let size = renderSize(track.config.output, scale: generatorConfig.renderScale)
        let palette = try PaletteSource(look: track.config.look).palette { workspace.engine.sourcePath($0.filePath ?? $0.raw) }
        let image = try finish(frame: frame, config: track.config, palette: palette, curves: { FrameCurves(trajectory: trajectory, frame: $0) }) {
            generator.render(row: $0, of: trajectory, latents: latents, width: size.width, height: size.height)
        }
        return StillFrame(trackID: trackID, frame: frame, image: image)
    }

    /// The finished frame `frame`: renders and finishes the frames from `history` back up to it
    /// (just the one frame without trails) and returns the last.
    static func finish(frame: Int, config: TrackConfig, palette: Palette? = nil, curves: (Int) -> FrameCurves,
                       render: (Int) throws -> RGBImage) throws -> RGBImage {
        var finisher = try FrameFinisher(config: config, palette: palette)
        var image: RGBImage?
        for f in max(0, frame - finisher.history)...frame {
            image = try finisher.finish(try render(f), frame: f, curves: curves(f))
        }
        return image!
    }

    /// The frame on screen at `seconds`: frame i is shown from i/fps until (i+1)/fps.
    static func frame(at seconds: Double, fps: Int, frames: Int, trackID: String) throws -> Int {
        let duration = Double(frames) / Double(fps)
        guard seconds.isFinite, seconds >= 0, seconds < duration else {
            throw StillError.beyondEnd(trackID, seconds: seconds, duration: duration)
        }
        // The epsilon keeps 1.5 s at 30 fps on frame 45 despite 1.5 · 30 rounding below 45.
        return min(Int((seconds * Double(fps) + 1e-6).rounded(.down)), frames - 1)
    }

    /// "83.5", "1:23.5" or "1:01:23.5" → seconds.
    public static func parseTime(_ text: String) throws -> Double {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { throw StillError.badTime(text) }
        var seconds = 0.0
        for (i, part) in parts.enumerated() {
            let isLast = i == parts.count - 1
            // Minutes and hours are whole numbers; only the last field may have a fraction.
            guard let value = Double(part), value.isFinite, value >= 0, isLast || Int(part) != nil,
                  i == 0 || value < 60 else { throw StillError.badTime(text) }
            seconds = seconds * 60 + value
        }
        return seconds
    }
}

public enum StillError: Error, CustomStringConvertible, Equatable {
    case badTarget(String)
    case unknownTrack(String, suggestion: String?)
    case badTime(String)
    case beyondEnd(String, seconds: Double, duration: Double)

    public var description: String {
        switch self {
        case .badTarget(let target):
            return "still: expected a target track:<id>, got '\(target)'"
        case .unknownTrack(let id, let suggestion):
            return "still: unknown track '\(id)'" + (suggestion.map { " (did you mean track:\($0)?)" } ?? "")
        case .badTime(let text):
            return "still: --at '\(text)' is not a time (seconds like 83.5, or m:ss.s like 1:23.5)"
        case .beyondEnd(let id, let seconds, let duration):
            return String(format: "still: --at %.3f s is beyond the end of track:%@ (%.3f s long)", seconds, id, duration)
        }
    }
}
