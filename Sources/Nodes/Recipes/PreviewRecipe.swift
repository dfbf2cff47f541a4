import Foundation
import Graph

/// `preview:<track>:poster|sheet|anim` — still and moving previews for the run gallery, cut from
/// the track's shards (the generator's frames at render size, before post-effects, so changing
/// post-effects or the encoder does not re-cut them):
/// - `poster`: one PNG frame at the loudest moment (features `rms_norm`, smoothed over one second);
/// - `sheet`: a PNG contact sheet of 4×3 frames evenly spaced through the track;
/// - `anim`: a looping animated WebP of about three seconds around the poster moment, small and at
///   about 12–15 fps.
/// Three nodes because a recipe writes one file; the target `preview:<track>` means all three.
/// Every image goes through libavcodec encoders (png, libwebp_anim) in bit-exact mode.
public struct PreviewRecipe: Recipe {
    public struct Params: Codable, Equatable, Sendable {
        var part: PreviewPart
        var frames: Int
        var shards: ShardSize
        var output: FrameRate
        var layout: Layout
        /// The track's look when it has a palette: previews show the frames in it.
        var look: LookConfig?
    }
    /// Sizes and timings of the previews; in the params so `--explain` can say what changed.
    public struct Layout: Codable, Equatable, Sendable {
        var columns = 4
        var rows = 3
        var thumbWidth = 240
        var gap = 6
        var animSeconds = 3.0
        var animWidth = 320
        var animQuality = 70
    }
    public static let kind = AlbumNode.Kind.preview.rawValue
    public static let version = 2
    public static var components: [CodeVersion] { [.shardCodec, .palette, .imageReader, .scaler] }

    public let id: NodeID
    public let params: Params
    let features: NodeID
    let shards: [NodeID]
    /// With a palette: the trajectory (whose hue swing slides the colours along it) and the
    /// palette's image, if it is taken from one.
    let trajectory: NodeID?
    let paletteImage: NodeID?

    public init(trackID: String, part: PreviewPart, frames: Int, fps: Int, perShard: Int, look: LookConfig,
                features: NodeID, shards: [NodeID], trajectory: NodeID, paletteImage: NodeID?) {
        let hasPalette = look.effective != nil
        id = .preview(track: trackID, part: part)
        params = Params(part: part, frames: frames, shards: ShardSize(frames: perShard), output: FrameRate(fps: fps),
                        layout: Layout(), look: look.effective)
        self.features = features
        self.shards = shards
        self.trajectory = hasPalette ? trajectory : nil
        self.paletteImage = hasPalette ? paletteImage : nil
    }

    var part: PreviewPart { params.part }
    var frames: Int { params.frames }
    var paletteInputs: [NodeID] { [trajectory, paletteImage].compactMap { $0 } }
    public var workUnits: Int { part == .anim ? max(1, frames / 100) : 1 }

    /// The poster and the animation follow the music (features) and may land in any shard; the
    /// sheet's frames are fixed by the track length, so it reads only the shards that hold them.
    /// Copied into the run folder after the build.
    public var isDeliverable: Bool { true }
    public var inputs: [NodeID] {
        switch part {
        case .poster, .anim: return [features] + shards + paletteInputs
        case .sheet: return Array(Set(sheetFrames.map(shardLayout.shard(containing:)))).sorted().filter { $0 < shards.count }.map { shards[$0] } + paletteInputs
        }
    }

    var shardLayout: ShardLayout { ShardLayout(frames: frames, perShard: params.shards.frames) }

    /// Evenly spaced frames: the middle of each of columns × rows equal stretches of the track.
    var sheetFrames: [Int] { ContactSheet.evenlySpaced(frames: frames, cells: params.layout.columns * params.layout.rows) }

    public func make(_ context: BuildContext) throws -> String {
        guard frames > 0 else { throw GraphError.nodeFailed(id, message: "the track has no frames") }
        let declared = Set(inputs)  // the sheet reads only some shards; the others have no path
        let fps = params.output.fps
        let shardFrames = ShardFrames(paths: shards.map { declared.contains($0) ? context.path(of: $0) : "" }, layout: shardLayout)
        let look = params.look ?? LookConfig()
        let source = PaletteFrames(frames: shardFrames, look: look, palette: try PaletteSource(look: look).palette { context.path(of: $0) },
                                   trajectory: try trajectory.map { try Safetensors.read(path: context.path(of: $0)) })
        let layout = params.layout
        switch part {
        case .poster:
            let image = try source.images(at: [try loudestFrame(context)])[0]
            let path = context.temporaryPath(suffix: ".png")
            try PNGWriter.write(image, to: path)
            return path
        case .sheet:
            let images = try source.images(at: sheetFrames)
            let sheet = try ContactSheet.compose(images, columns: layout.columns,
                                                 thumbWidth: min(layout.thumbWidth, images[0].width), gap: layout.gap)
            let path = context.temporaryPath(suffix: ".png")
            try PNGWriter.write(sheet, to: path)
            return path
        case .anim:
            // Every `step`-th frame, for 12–15 fps: smooth enough for a preview, half the bytes.
            let step = max(1, fps / 12)
            let span = min(frames, Int(layout.animSeconds * Double(fps)))
            let start = max(0, min(frames - span, try loudestFrame(context) - span / 2))
            let picked = Array(stride(from: start, to: start + span, by: step))
            let path = context.temporaryPath(suffix: ".webp")
            var writer: WebPAnimationWriter?
            var scaler: ImageScaler?
            // A shard at a time, so memory holds at most one shard's worth of picked frames.
            for chunk in Dictionary(grouping: picked, by: shardLayout.shard(containing:)).sorted(by: { $0.key < $1.key }).map(\.value) {
                for image in try source.images(at: chunk.sorted()) {
                    try context.checkCancellation()
                    if scaler == nil {
                        let width = min(layout.animWidth, image.width)
                        let height = max(2, Int((Double(width) * Double(image.height) / Double(image.width) / 2).rounded()) * 2)
                        scaler = try ImageScaler(from: (image.width, image.height), to: (width, height))
                        writer = try WebPAnimationWriter(path: path, width: width, height: height,
                                                         fps: max(1, fps / step), quality: layout.animQuality)
                    }
                    try writer!.write(scaler!.scale(image))
                }
            }
            try writer!.finish()
            return path
        }
    }

    /// The frame at the loudest second of the track (ignoring the first and last tenth, where
    /// fades sit), or a third of the way in when the features hold no loudness.
    func loudestFrame(_ context: BuildContext) throws -> Int {
        let rms = (try Safetensors.read(path: context.path(of: features))).tensors["rms_norm"]?.data ?? []
        return PreviewRecipe.loudest(rms: Array(rms.prefix(frames)), fps: params.output.fps) ?? frames / 3
    }

    static func loudest(rms: [Float], fps: Int) -> Int? {
        let n = rms.count
        guard n > 0 else { return nil }
        let half = max(1, fps / 2)
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + Double(rms[i].isFinite ? rms[i] : 0) }
        let range = n >= 10 ? (n / 10)..<(n - n / 10) : 0..<n
        let means = range.map { i -> Double in
            let lo = max(0, i - half), hi = min(n, i + half + 1)
            return (prefix[hi] - prefix[lo]) / Double(hi - lo)
        }
        guard let top = means.max(), top > 0, let first = means.firstIndex(where: { $0 >= top - 1e-9 }) else { return nil }
        // A plateau of equal windows (a loud stretch shorter than the window): take its middle.
        var last = first
        while last + 1 < means.count && means[last + 1] >= top - 1e-9 { last += 1 }
        return range.lowerBound + (first + last) / 2
    }
}

/// Shard frames mapped into the track's palette as the track node maps them (same shift from the
/// trajectory's hue swing), before post-effects.
struct PaletteFrames {
    let frames: ShardFrames
    let look: LookConfig
    let map: PaletteMap?
    let trajectory: Safetensors?

    init(frames: ShardFrames, look: LookConfig, palette: Palette?, trajectory: Safetensors?) {
        self.frames = frames
        self.look = look
        map = palette.map { PaletteMap(palette: $0) }
        self.trajectory = trajectory
    }

    func images(at indices: [Int]) throws -> [RGBImage] {
        var images = try frames.images(at: indices)
        guard let map, let trajectory else { return images }
        for (i, frame) in indices.enumerated() {
            let hue = FrameCurves(trajectory: trajectory, frame: frame).hue
            map.apply(&images[i], shift: FrameFinisher.paletteShift(motion: Float(look.paletteMotion), hue: hue))
        }
        return images
    }
}
