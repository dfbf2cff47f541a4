import Graph

/// `frames:<track>:<k>` — frames [k·N, (k+1)·N) rendered by the generator at render size and
/// stored losslessly (HuffYUV in Matroska).
public struct FramesRecipe: Recipe {
    public struct Params: Codable, Equatable, Sendable {
        var generator: GeneratorConfig
        /// The latent size the generator is built for (the rows' latents have it too).
        var controller: LatentSize
        /// The output size and frame rate; frames render at output size × `generator.render_scale`.
        var output: OutputConfig
        var frames: Int
    }
    public static let kind = AlbumNode.Kind.frames.rawValue
    public static let version = 1
    public static var components: [CodeVersion] { [.cppn, .convGenerator, .shardCodec] }

    public let id: NodeID
    public let params: Params
    let rows: NodeID
    /// The style or weights file the generator reads (see `GeneratorSources`).
    let generatorFiles: [NodeID]

    public init(track: TrackSpec, shard: Int, range: Range<Int>, rows: NodeID, generatorFiles: [NodeID]) {
        let config = track.config
        id = .frames(track: track.id, shard: shard)
        params = Params(generator: config.generator, controller: LatentSize(latentDim: config.controller.latentDim),
                        output: config.output, frames: range.count)
        self.rows = rows
        self.generatorFiles = generatorFiles
    }

    var sources: GeneratorSources { GeneratorSources(config: params.generator) }
    public var inputs: [NodeID] { [rows] + generatorFiles }
    var size: (width: Int, height: Int) { renderSize(params.output, scale: params.generator.renderScale) }
    public var workUnits: Int { params.frames * max(1, size.width * size.height / 20_000) }

    public func make(_ context: BuildContext) throws -> String {
        let table = try Safetensors.read(path: context.path(of: rows))
        let latents = try table.tensor("latent", in: context.path(of: rows))
        // Style files are read where the engine found them, not relative to the working directory.
        let config = sources.resolved { context.path(of: $0) }
        let generator = try Generators.make(config: config, latentDim: params.controller.latentDim)
        let path = context.temporaryPath(suffix: ".mkv")
        let size = self.size
        let writer = try ShardWriter(path: path, width: size.width, height: size.height, fps: params.output.fps)
        for i in 0..<params.frames {
            try context.checkCancellation()
            try writer.write(generator.render(row: i, of: table, latents: latents, width: size.width, height: size.height))
            context.reportProgress(done: i + 1, total: params.frames)
        }
        try writer.finish()
        return path
    }
}
