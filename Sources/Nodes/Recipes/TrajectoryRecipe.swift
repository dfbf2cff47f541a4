import Graph

/// `trajectory:<track>` — features → one latent vector and camera/effect curves per frame.
public struct TrajectoryRecipe: Recipe {
    public struct Params: Codable, Equatable, Sendable {
        var controller: ControllerConfig
        var output: FrameRate
    }
    public static let kind = AlbumNode.Kind.trajectory.rawValue
    public static let version = 1
    public static var components: [CodeVersion] { [.controller] }

    public let id: NodeID
    public let params: Params
    let features: NodeID
    /// The `controller.anchors` file, if the track names one (else anchors are seeded).
    let anchors: NodeID?
    public let workUnits: Int

    public init(track: TrackSpec, frames: Int, features: NodeID, anchors: NodeID?) {
        id = .trajectory(track: track.id)
        params = Params(controller: track.config.controller, output: FrameRate(fps: track.config.output.fps))
        self.features = features
        self.anchors = anchors
        workUnits = max(1, frames / 200)
    }

    public var inputs: [NodeID] { [features] + (anchors.map { [$0] } ?? []) }

    public func make(_ context: BuildContext) throws -> String {
        let table = try Safetensors.read(path: context.path(of: features))
        let config = params.controller
        let anchorVectors = try anchors.map { try Controller.loadAnchors(path: context.path(of: $0), dim: config.latentDim) }
            ?? Controller.seededAnchors(count: 6, dim: config.latentDim, seed: UInt64(config.wanderSeed))
        let controller = Controller(config: config, anchors: anchorVectors, fps: params.output.fps)
        return try writeTemporary(try controller.trajectory(features: table), context)
    }
}
