/// The controller's output, filled frame by frame, and its safetensors form (tensor names
/// and shapes in `Controller.curveNames`' documentation).
struct TrajectoryTensors {
    let frames: Int
    let dim: Int
    let anchorCount: Int
    /// [frames × dim]
    var latent: [Float]
    /// [frames × anchorCount]
    var anchorWeights: [Float]
    var zoom: [Float], rotation: [Float], hue: [Float], flash: [Float], contrast: [Float]

    init(frames: Int, dim: Int, anchorCount: Int) {
        self.frames = frames
        self.dim = dim
        self.anchorCount = anchorCount
        latent = [Float](repeating: 0, count: frames * dim)
        anchorWeights = [Float](repeating: 0, count: frames * anchorCount)
        zoom = [Float](repeating: 1, count: frames)
        rotation = [Float](repeating: 0, count: frames)
        hue = [Float](repeating: 0, count: frames)
        flash = [Float](repeating: 0, count: frames)
        contrast = [Float](repeating: 1, count: frames)
    }

    mutating func record(frame i: Int, weights: [Float], curves: EffectCurves.Values) {
        for (a, w) in weights.enumerated() { anchorWeights[i * anchorCount + a] = w }
        zoom[i] = curves.zoom
        rotation[i] = curves.rotation
        hue[i] = curves.hue
        flash[i] = curves.flash
        contrast[i] = curves.contrast
    }

    func safetensors(fps: Int) -> Safetensors {
        var out = Safetensors()
        out.tensors["latent"] = Tensor(shape: [frames, dim], data: latent)
        out.tensors["anchor_weights"] = Tensor(shape: [frames, anchorCount], data: anchorWeights)
        out.tensors["zoom"] = Tensor(shape: [frames], data: zoom)
        out.tensors["rotation"] = Tensor(shape: [frames], data: rotation)
        out.tensors["hue"] = Tensor(shape: [frames], data: hue)
        out.tensors["flash"] = Tensor(shape: [frames], data: flash)
        out.tensors["contrast"] = Tensor(shape: [frames], data: contrast)
        out.metadata = [
            "controller_version": String(Controller.version),
            "fps": String(fps),
            "latent_dim": String(dim),
            "anchors": String(anchorCount),
        ]
        return out
    }
}
