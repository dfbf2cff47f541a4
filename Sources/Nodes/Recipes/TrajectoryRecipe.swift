import Graph

/// `trajectory:<track>` — features → one latent vector and camera/effect curves per frame.
public struct TrajectoryRecipe: Recipe {
    public struct Params: Codable, Equatable, Sendable {
        var controller: ControllerConfig
        var fps: Int
    }
    public static let kind = "trajectory"
    public static var version: Int { Controller.version }

    let track: TrackSpec
    let frames: Int
    public init(track: TrackSpec, frames: Int) {
        self.track = track
        self.frames = frames
    }

    var featuresNode: NodeID { NodeID("features:\(track.id)") }
    var anchorsNode: NodeID? { track.config.controller.anchors.map { NodeID.file($0) } }

    public var id: NodeID { NodeID("trajectory:\(track.id)") }
    public var params: Params { Params(controller: track.config.controller, fps: track.config.output.fps) }
    public var inputs: [NodeID] { [featuresNode] + (anchorsNode.map { [$0] } ?? []) }
    public var workUnits: Int { max(1, frames / 200) }

    public func make(_ context: BuildContext) throws -> String {
        let features = try Safetensors.read(path: context.path(of: featuresNode))
        let config = track.config.controller
        let anchors = try anchorsNode.map { try Controller.loadAnchors(path: context.path(of: $0), dim: config.latentDim) }
            ?? Controller.seededAnchors(count: 6, dim: config.latentDim, seed: UInt64(config.wanderSeed))
        let controller = Controller(config: config, anchors: anchors, fps: track.config.output.fps)
        return try writeTemporary(try controller.trajectory(features: features), context)
    }
}
