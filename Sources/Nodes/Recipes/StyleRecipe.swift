import Foundation
import Graph

/// `style:<name>` — CPPN weights fitted to a reference image (`StyleFitter`), written as a style
/// file: safetensors with the architecture, the reference's SHA-256, the settings and the loss
/// curves in its metadata. Tracks that name the style (`generator.style: <name>`) read it as
/// their CPPN weights, so a changed reference re-fits the style and re-renders only them.
public struct StyleRecipe: Recipe {
    public struct Params: Codable, Equatable, Sendable {
        var settings: StyleSettings
    }
    public static let kind = AlbumNode.Kind.style.rawValue
    public static let version = 1
    public static var components: [CodeVersion] { [.imageReader, .styleFitter] }

    public let id: NodeID
    public let params: Params
    let reference: NodeID

    public init(settings: StyleSettings, reference: NodeID) {
        id = .style(settings.name)
        params = Params(settings: settings)
        self.reference = reference
    }

    var settings: StyleSettings { params.settings }
    public var inputs: [NodeID] { [reference] }
    public var label: String? { "style fitted to \(settings.reference)" }
    /// Copied into the run folder, so a fitted style can be taken into a library.
    public var isDeliverable: Bool { true }
    public var workUnits: Int { max(1, settings.steps * settings.batch * settings.size * settings.size / 20_000) }

    public func make(_ context: BuildContext) throws -> String {
        let path = context.path(of: reference)
        let image: RGBImage
        do {
            image = try ImageReader.read(path: path)
        } catch {
            // Name the file as the Buildfile does, never the path the engine resolved.
            throw GraphError.nodeFailed(id, message: "\(settings.reference): \(Self.reason(error, path: path))")
        }
        let shorter = min(image.width, image.height), longer = max(image.width, image.height)
        guard shorter >= 16 else {
            throw GraphError.nodeFailed(id, message: "\(settings.reference): \(image.width)×\(image.height) is too small to fit a style to (need at least 16 pixels a side)")
        }
        let scaled = shorter > settings.size
            ? ImageReader.downsample(image, maxSide: (longer * settings.size + shorter - 1) / shorter) : image
        let result = try StyleFitter(settings: settings).fit(
            reference: scaled,
            progress: { context.reportProgress(done: $0.step, total: $0.steps, detail: String(format: "loss %.4f", $0.loss)) },
            cancelled: { context.isCancelled })
        return try writeTemporary(result.styleFile(referenceSHA256: try RunRecord.sha256(of: path)), context)
    }

    static func reason(_ error: Error, path: String) -> String {
        let text = "\(error)"
        let prefix = path + ": "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text.replacingOccurrences(of: path, with: "the file")
    }
}
