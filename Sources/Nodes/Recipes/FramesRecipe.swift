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
    var sources: GeneratorSources { GeneratorSources(config: track.config.generator) }
    var size: (width: Int, height: Int) { renderSize(track.config.output, scale: track.config.generator.renderScale) }

    public var id: NodeID { NodeID("frames:\(track.id):\(ShardNaming.number(shard))") }
    public var params: Params {
        Params(generator: track.config.generator, width: size.width, height: size.height, fps: track.config.output.fps)
    }
    public var inputs: [NodeID] { [rowsNode] + sources.nodes }
    public var workUnits: Int { range.count * max(1, size.width * size.height / 20_000) }

    public func make(_ context: BuildContext) throws -> String {
        let rows = try Safetensors.read(path: context.path(of: rowsNode))
        let latents = try rows.tensor("latent", in: context.path(of: rowsNode))
        // Style files are read where the engine found them, not relative to the working directory.
        let config = sources.resolved { context.path(of: $0) }
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
