/// What renders a frame from a latent: the CPPN (`generator.kind: cppn`) or the conv
/// generator (`conv`). The frame shards and `still` go through this, never a concrete type.
public protocol FrameGenerator: Sendable {
    func render(latent: ArraySlice<Float>, width: Int, height: Int, zoom: Float, rotation: Float) -> RGBImage
}

public enum Generators {
    /// The generator `config` describes. `config.weights` / `config.style` must already be
    /// resolved paths (the engine's input paths, or resolved against the Buildfile).
    public static func make(config: GeneratorConfig, latentDim: Int) throws -> any FrameGenerator {
        switch config.kind {
        case "conv":
            guard let style = config.style else { throw GeneratorError.missingStyle }
            return try ConvGenerator(path: style, latentDim: latentDim)
        default:
            return try CPPN(config: config, latentDim: latentDim)
        }
    }
}

public enum GeneratorError: Error, CustomStringConvertible, Equatable {
    case missingStyle
    case badStyle(file: String, kind: String, reason: String)

    public var description: String {
        switch self {
        case .missingStyle: return "generator.style: generator.kind conv needs a style file (generator.style: path/to/style.safetensors)"
        case .badStyle(let file, let kind, let reason): return "\(file): not a usable \(kind) style: \(reason)"
        }
    }
}
