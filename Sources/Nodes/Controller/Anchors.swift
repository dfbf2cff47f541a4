import Foundation

/// The anchor file (`models/meta.json`): named sets of anchor latents the controller blends
/// between. A set is either seeded (`{"seed": 7, "count": 12}`, expanded to `count` standard
/// normal vectors of the configured latent size, so it works for any `latent_dim`) or explicit
/// (`{"latents": [[...], ...]}`, each exactly `latent_dim` long — e.g. points picked by hand
/// from a preview). `default` names the set used when the path has no `#set` suffix:
///
///     controller.anchors: models/meta.json          -> the default set
///     controller.anchors: models/meta.json#duo      -> the set named "duo"
struct AnchorFile: Decodable {
    struct AnchorSet: Decodable {
        var seed: UInt64?
        var count: Int?
        var latents: [[Float]]?
        var note: String?
    }

    var format: String?
    var `default`: String
    var sets: [String: AnchorSet]
}

public enum AnchorError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String)
    case malformed(file: String, reason: String)
    case unknownSet(file: String, name: String, available: [String])
    case invalidSet(file: String, name: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file):
            return "\(file): cannot read anchor file"
        case .malformed(let file, let reason):
            return "\(file): malformed anchor file: \(reason)"
        case .unknownSet(let file, let name, let available):
            return "\(file): no anchor set named '\(name)' (available: \(available.sorted().joined(separator: ", ")))"
        case .invalidSet(let file, let name, let reason):
            return "\(file): anchor set '\(name)': \(reason)"
        }
    }
}

extension Controller {
    /// `count` standard-normal latents of length `dim` from `seed`. Standard normal matches the
    /// scale the generator's latent weights were initialised for.
    public static func seededAnchors(count: Int, dim: Int, seed: UInt64) -> [[Float]] {
        var rng = SeededRandom(seed: seed, stream: 0xA2C4)
        return (0..<max(count, 0)).map { _ in (0..<max(dim, 0)).map { _ in rng.nextGaussian() } }
    }

    /// Loads an anchor set from an anchor file; `path` may end in `#name` to pick a set other
    /// than the file's default. Errors name the file (and the set).
    public static func loadAnchors(path: String, dim: Int) throws -> [[Float]] {
        var file = path
        var setName: String?
        if let hash = path.lastIndex(of: "#") {
            file = String(path[..<hash])
            setName = String(path[path.index(after: hash)...])
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw AnchorError.unreadable(file: file) }
        let decoded: AnchorFile
        do {
            decoded = try JSONDecoder().decode(AnchorFile.self, from: data)
        } catch let error as DecodingError {
            throw AnchorError.malformed(file: file, reason: Self.describe(error))
        } catch {
            throw AnchorError.malformed(file: file, reason: "\(error)")
        }
        let name = setName ?? decoded.default
        guard let set = decoded.sets[name] else {
            throw AnchorError.unknownSet(file: file, name: name, available: Array(decoded.sets.keys))
        }
        if let latents = set.latents {
            guard set.seed == nil, set.count == nil else {
                throw AnchorError.invalidSet(file: file, name: name, reason: "has both 'latents' and 'seed'/'count'; use one")
            }
            guard latents.count >= 1 else { throw AnchorError.invalidSet(file: file, name: name, reason: "'latents' is empty") }
            for (i, latent) in latents.enumerated() {
                guard latent.count == dim else {
                    throw AnchorError.invalidSet(file: file, name: name, reason: "latent \(i) has \(latent.count) values, controller.latent_dim is \(dim)")
                }
                guard latent.allSatisfy({ $0.isFinite }) else {
                    throw AnchorError.invalidSet(file: file, name: name, reason: "latent \(i) has a non-finite value")
                }
            }
            return latents
        }
        guard let seed = set.seed, let count = set.count else {
            throw AnchorError.invalidSet(file: file, name: name, reason: "needs either 'latents' or both 'seed' and 'count'")
        }
        guard (1...256).contains(count) else {
            throw AnchorError.invalidSet(file: file, name: name, reason: "'count' is \(count); expected 1...256")
        }
        return seededAnchors(count: count, dim: dim, seed: seed)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "top level" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)' at \(path(context))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "missing value at \(path(context))"
        case .dataCorrupted(let context): return "\(context.debugDescription) at \(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
