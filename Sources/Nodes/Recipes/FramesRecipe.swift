import Graph

/// `frames:<track>:<k>` — frames [k·N, (k+1)·N) rendered by the generator at render size and
/// stored losslessly (HuffYUV in Matroska).
public struct FramesRecipe: Recipe {
    public struct Params: Codable, Equatable, Sendable {
        var generator: GeneratorConfig
        var width: Int
        var height: Int
        var fps: Int
    }
    public static let kind = "frames"
    /// Also covers the conv generator: bump `CPPN.version` when either one's frames change,
    /// `ShardWriter.formatVersion` when the file format does.
    public static var version: Int { CPPN.version + 100 * (ShardWriter.formatVersion - 1) }

    let track: TrackSpec
    let shard: Int
    let range: Range<Int>
    public init(track: TrackSpec, shard: Int, range: Range<Int>) {
        self.track = track
        self.shard = shard
        self.range = range
    }

    var rowsNode: NodeID { NodeID("rows:\(track.id):\(ShardNaming.number(shard))") }
    var weightsNode: NodeID? { track.config.generator.weights.map { NodeID.file($0) } }
    /// The conv generator's style file (a CPPN ignores it, so it is no input of CPPN frames).
    var styleNode: NodeID? { track.config.generator.kind == "conv" ? track.config.generator.style.map { NodeID.file($0) } : nil }
    var size: (width: Int, height: Int) { renderSize(track.config.output, scale: track.config.generator.renderScale) }

    public var id: NodeID { NodeID("frames:\(track.id):\(ShardNaming.number(shard))") }
    public var params: Params {
        Params(generator: track.config.generator, width: size.width, height: size.height, fps: track.config.output.fps)
    }
    public var inputs: [NodeID] { [rowsNode] + [weightsNode, styleNode].compactMap { $0 } }
    public var workUnits: Int { range.count * max(1, size.width * size.height / 20_000) }

    public func make(_ context: BuildContext) throws -> String {
        let rows = try Safetensors.read(path: context.path(of: rowsNode))
        let latents = try rows.tensor("latent", in: context.path(of: rowsNode))
        // Style files are read where the engine found them, not relative to the working directory.
        var config = track.config.generator
        config.weights = weightsNode.map { context.path(of: $0) }
        config.style = styleNode.map { context.path(of: $0) }
        let generator = try Generators.make(config: config, latentDim: track.config.controller.latentDim)
        let path = context.temporaryPath(suffix: ".mkv")
        let writer = try ShardWriter(path: path, width: size.width, height: size.height, fps: track.config.output.fps)
        for i in 0..<range.count {
            try context.checkCancellation()
            try writer.write(generator.render(row: i, of: rows, latents: latents, width: size.width, height: size.height))
            context.reportProgress(done: i + 1, total: range.count)
        }
        try writer.finish()
        return path
    }
}
