import Foundation

/// Runs one recipe's `make` outside a build, on input files the caller names, and returns the
/// digest of what it made. For checks of what `make` reads (the key-soundness test): a recipe
/// with the same kind, code, params and input bytes must make the same bytes, or its key misses
/// something it reads.
public enum IsolatedMake {
    public static func digest(of recipe: any Recipe, inputs: [NodeID: String], projectRoot: String, scratch: String,
                              fileSystem: FileSystem = LocalFileSystem()) throws -> Digest {
        try fileSystem.makeDirectory(scratch)
        var digests: [NodeID: Digest] = [:]
        for (id, path) in inputs { digests[id] = try fileSystem.digest(of: path) }
        let context = BuildContext(id: recipe.id, projectRoot: projectRoot, fileSystem: fileSystem, inputPaths: inputs, inputDigests: digests,
                                   temporaryDirectory: scratch, onProgress: { _, _, _ in }, cancelled: { false })
        defer { context.removeTemporaries() }
        return try fileSystem.digest(of: try recipe.make(context))
    }
}
