import Foundation

/// The parameters of a CPPN "style": a seed + architecture, or a safetensors style file.
///
/// Layout (row-major, "input × output", so a row of activations times the matrix is the next layer):
/// - `coord_weight` [3, H]   x, y, r → first hidden layer
/// - `latent_weight` [D, H]  latent → first hidden layer (a per-frame bias)
/// - `bias_0` [H]
/// - `weight_i` [H, H], `bias_i` [H] for i in 1..<layers
/// - `out_weight` [H, 3], `out_bias` [3]
/// Style files carry `kind=cppn`, `hidden`, `layers`, `latent_dim` in their metadata.
struct CPPNWeights: Equatable, Sendable {
    let hidden: Int
    let layers: Int
    let latentDim: Int
    var coord: [Float]
    var latent: [Float]
    /// `weights[0]` is unused (layer 0 reads `coord`/`latent`); `weights[i]` is H×H.
    var weights: [[Float]]
    var biases: [[Float]]
    var outWeight: [Float]
    var outBias: [Float]

    /// Gains of the Xavier-normal initialisation. Hidden gain ≈ 5 is what makes the image
    /// structured: with gain 1 the deeper layers barely leave the linear range of their
    /// activations and the frame is a smooth, nearly static gradient.
    static let coordGain: Float = 1.0
    static let latentGain: Float = 0.5
    static let hiddenGain: Float = 5.0

    /// Each sin/cos layer multiplies the pattern's spatial frequency by roughly its gain, so
    /// gain 5 through many layers turns into pixel noise (8 layers at gain 5 is static). The
    /// gain is set so the whole stack multiplies frequency as much as the reference depth
    /// (4 layers: three hidden→hidden layers at gain 5) does, within [1.5, 8].
    static func hiddenGain(layers: Int) -> Float {
        let steps = max(layers - 1, 1)
        return min(max(Float(pow(Double(hiddenGain), (3.0 / Double(steps)).squareRoot())), 1.5), 8)
    }
    static let outGain: Float = 1.5

    /// Seeded Xavier-normal initialisation: std = gain · √(2 / (fan_in + fan_out)).
    init(hidden: Int, layers: Int, latentDim: Int, seed: UInt64) {
        self.hidden = hidden
        self.layers = layers
        self.latentDim = latentDim
        var rng = SeededRandom(seed: seed, stream: 0xC99)
        func xavier(_ fanIn: Int, _ fanOut: Int, gain: Float) -> [Float] {
            let std = gain * (2 / Float(fanIn + fanOut)).squareRoot()
            return (0..<(fanIn * fanOut)).map { _ in std * rng.nextGaussian() }
        }
        coord = xavier(3, hidden, gain: Self.coordGain)
        latent = xavier(latentDim, hidden, gain: Self.latentGain)
        weights = [[]]
        biases = [(0..<hidden).map { _ in rng.nextGaussian() }]
        for _ in 1..<max(layers, 1) {
            weights.append(xavier(hidden, hidden, gain: Self.hiddenGain(layers: layers)))
            // Unit-normal biases give each unit its own phase, so layers do not all cross zero together.
            biases.append((0..<hidden).map { _ in rng.nextGaussian() })
        }
        outWeight = xavier(hidden, 3, gain: Self.outGain)
        outBias = [Float](repeating: 0, count: 3)
    }

    init(style: Safetensors, file: String, latentDim: Int) throws {
        func int(_ key: String) throws -> Int {
            guard let s = style.metadata[key], let v = Int(s), v >= 1 else {
                throw CPPNError.badStyle(file: file, reason: "metadata '\(key)' missing or not a positive integer")
            }
            return v
        }
        if let kind = style.metadata["kind"], kind != "cppn" {
            throw CPPNError.badStyle(file: file, reason: "metadata kind is '\(kind)', expected 'cppn'")
        }
        hidden = try int("hidden")
        layers = try int("layers")
        self.latentDim = try int("latent_dim")
        guard self.latentDim == latentDim else {
            throw CPPNError.badStyle(file: file, reason: "style latent_dim is \(self.latentDim), controller.latent_dim is \(latentDim)")
        }
        func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
            guard let t = style.tensors[name] else { throw CPPNError.badStyle(file: file, reason: "no tensor '\(name)'") }
            guard t.shape == shape else { throw CPPNError.badStyle(file: file, reason: "tensor '\(name)' has shape \(t.shape), expected \(shape)") }
            guard t.data.allSatisfy({ $0.isFinite }) else { throw CPPNError.badStyle(file: file, reason: "tensor '\(name)' has non-finite values") }
            return t.data
        }
        coord = try tensor("coord_weight", [3, hidden])
        latent = try tensor("latent_weight", [latentDim, hidden])
        weights = [[]]
        biases = [try tensor("bias_0", [hidden])]
        for i in 1..<layers {
            weights.append(try tensor("weight_\(i)", [hidden, hidden]))
            biases.append(try tensor("bias_\(i)", [hidden]))
        }
        outWeight = try tensor("out_weight", [hidden, 3])
        outBias = try tensor("out_bias", [3])
    }

    var style: Safetensors {
        var s = Safetensors()
        s.tensors["coord_weight"] = Tensor(shape: [3, hidden], data: coord)
        s.tensors["latent_weight"] = Tensor(shape: [latentDim, hidden], data: latent)
        s.tensors["bias_0"] = Tensor(shape: [hidden], data: biases[0])
        for i in 1..<layers {
            s.tensors["weight_\(i)"] = Tensor(shape: [hidden, hidden], data: weights[i])
            s.tensors["bias_\(i)"] = Tensor(shape: [hidden], data: biases[i])
        }
        s.tensors["out_weight"] = Tensor(shape: [hidden, 3], data: outWeight)
        s.tensors["out_bias"] = Tensor(shape: [3], data: outBias)
        s.metadata = ["kind": "cppn", "hidden": String(hidden), "layers": String(layers), "latent_dim": String(latentDim),
                      "activations": Activation.cycle.map(\.rawValue).joined(separator: ",")]
        return s
    }
}

public enum CPPNError: Error, CustomStringConvertible, Equatable {
    case invalidConfig(key: String, reason: String)
    case badStyle(file: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfig(let key, let reason): return "\(key): \(reason)"
        case .badStyle(let file, let reason): return "\(file): not a usable CPPN style: \(reason)"
        }
    }
}
