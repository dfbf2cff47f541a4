import Graph

/// The nodes a track's generator reads, and its configuration with their files' paths filled in:
/// a CPPN style file (`generator.weights`), a fitted style (`generator.style` naming a `styles:`
/// entry, whose `style:<name>` node makes the file) or the conv generator's file
/// (`generator.style` with `generator.kind: conv`). The frame shards and `still` both go
/// through this, so they read the same weights.
struct GeneratorSources {
    let config: GeneratorConfig

    /// Where the CPPN's weights come from: a source file or a style node.
    var weightsNode: NodeID? {
        guard config.kind == "cppn" else { return nil }
        if let name = config.style { return .style(name) }
        return config.weights.map { NodeID.file($0) }
    }

    /// The conv generator's file (a CPPN has none).
    var convNode: NodeID? { config.kind == "conv" ? config.style.map { NodeID.file($0) } : nil }

    var nodes: [NodeID] { [weightsNode, convNode].compactMap { $0 } }

    /// The configuration `Generators.make` expects: `weights` and `style` as paths to read.
    func resolved(_ path: (NodeID) -> String) -> GeneratorConfig {
        var resolved = config
        resolved.weights = weightsNode.map(path)
        resolved.style = convNode.map(path)
        return resolved
    }
}
