import CLookKernels
import COpenBLAS
import Foundation

/// A GAN-style generator (`generator.kind: conv`): latent → dense → reshape → blocks of
/// (nearest ×2 upsample, 3×3 conv, activation) → 3×3 conv to RGB → tanh.
///
/// Weights come from a safetensors file (`generator.style`) exported from PyTorch, float32,
/// with the state_dict names and layouts of this module:
///
///     class G(nn.Module):                       # latent D, C0 channels at S0×S0, B blocks
///         dense = nn.Linear(D, C0 * S0 * S0)    # dense.weight [C0·S0·S0, D], dense.bias [C0·S0·S0]
///         blocks = nn.ModuleList(Block(c_in, c_out) for …)   # Block: .conv = nn.Conv2d(c_in, c_out, 3, padding=1)
///                                               # blocks.{i}.conv.weight [c_out, c_in, 3, 3], .bias [c_out]
///         to_rgb = nn.Conv2d(c_last, 3, 3, padding=1)        # to_rgb.weight [3, c_last, 3, 3], to_rgb.bias [3]
///         def forward(z):
///             x = act(dense(z)).view(C0, S0, S0)
///             for b in blocks: x = act(b.conv(F.interpolate(x, scale_factor=2, mode="nearest")))
///             return torch.tanh(to_rgb(x))      # [3, S0·2^B, S0·2^B] in [-1, 1]
///
/// Metadata (strings, as safetensors requires): `kind=conv`, `latent_dim`, `channels` (C0),
/// `start_size` (S0), `blocks` (B), `activation` (`leaky_relu` or `relu`), `negative_slope`
/// (leaky ReLU only, default 0.2). `save_file(model.state_dict(), path, metadata=…)` writes it.
/// `scripts/make_conv_reference.py` writes a tiny one and the expected output of a numpy forward pass.
///
/// Convolutions are im2col + OpenBLAS sgemm ([out, in·9] · [in·9, H·W], a band of rows per call); the bias is
/// pre-filled into the output rows and added by sgemm (beta 1). tanh is the CPPN's kernel, so
/// the bytes do not depend on the host's libm. The frame is the network's square image scaled
/// (Lanczos) to cover the render size and centre-cropped; the camera curves are not used.
public struct ConvGenerator: FrameGenerator {
    let latentDim: Int
    let channels: Int
    let startSize: Int
    let slope: Float
    let denseWeight: [Float]
    let denseBias: [Float]
    let blocks: [ConvLayer]
    let toRGB: ConvLayer

    /// The side of the square image the network makes.
    public var outputSize: Int { startSize << blocks.count }

    public init(path: String, latentDim: Int) throws {
        let style: Safetensors
        do { style = try Safetensors.read(path: path) } catch { throw GeneratorError.badStyle(file: path, kind: "conv", reason: (error as? SafetensorsError)?.reason ?? "\(error)") }
        try self.init(style: style, file: path, latentDim: latentDim)
    }

    public init(style: Safetensors, file: String, latentDim: Int) throws {
        func fail(_ reason: String) -> GeneratorError { .badStyle(file: file, kind: "conv", reason: reason) }
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let s = style.metadata[key], let v = Int(s), range.contains(v) else {
                throw fail("metadata '\(key)' missing or not an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return v
        }
        func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
            guard let t = style.tensors[name] else { throw fail("no tensor '\(name)'") }
            guard t.shape == shape else { throw fail("tensor '\(name)' has shape \(t.shape), expected \(shape)") }
            guard t.data.allSatisfy({ $0.isFinite }) else { throw fail("tensor '\(name)' has non-finite values") }
            return t.data
        }
        guard style.metadata["kind"] == "conv" else { throw fail("metadata kind is '\(style.metadata["kind"] ?? "missing")', expected 'conv'") }
        self.latentDim = try int("latent_dim", 1...4096)
        guard self.latentDim == latentDim else { throw fail("style latent_dim is \(self.latentDim), controller.latent_dim is \(latentDim)") }
        channels = try int("channels", 1...4096)
        startSize = try int("start_size", 1...256)
        let count = try int("blocks", 0...8)
        guard startSize << count <= 4096 else { throw fail("output would be \(startSize << count) pixels square (at most 4096)") }
        switch style.metadata["activation"] {
        case "relu": slope = 0
        case "leaky_relu":
            guard let s = Float(style.metadata["negative_slope"] ?? "0.2"), s.isFinite, s >= 0, s < 1 else {
                throw fail("metadata 'negative_slope' must be a number in [0, 1)")
            }
            slope = s
        default: throw fail("metadata 'activation' must be relu or leaky_relu")
        }
        denseWeight = try tensor("dense.weight", [channels * startSize * startSize, latentDim])
        denseBias = try tensor("dense.bias", [channels * startSize * startSize])
        var layers: [ConvLayer] = []
        var inputs = channels
        for i in 0..<count {
            // A block's output width is whatever its weight says; its input must match the last one.
            guard let shape = style.tensors["blocks.\(i).conv.weight"]?.shape, shape.count == 4 else { throw fail("no 4-D tensor 'blocks.\(i).conv.weight'") }
            let outputs = shape[0]
            layers.append(ConvLayer(inputs: inputs, outputs: outputs,
                                    weight: try tensor("blocks.\(i).conv.weight", [outputs, inputs, 3, 3]),
                                    bias: try tensor("blocks.\(i).conv.bias", [outputs])))
            inputs = outputs
        }
        blocks = layers
        toRGB = ConvLayer(inputs: inputs, outputs: 3, weight: try tensor("to_rgb.weight", [3, inputs, 3, 3]),
                          bias: try tensor("to_rgb.bias", [3]))
        openblas_set_num_threads(1)
    }

    /// The network's output for one latent: [3, S, S] (CHW) in [-1, 1].
    public func forward(latent: ArraySlice<Float>) -> [Float] {
        precondition(latent.count == latentDim, "latent has \(latent.count) values, the conv generator expects \(latentDim)")
        var x = denseBias
        let z = latent.map { $0.isFinite ? $0 : 0 }
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(x.count), Int32(latentDim), 1, denseWeight, Int32(latentDim), z, 1, 1, &x, 1)
        activate(&x)
        var size = startSize
        for block in blocks {
            x = Im2col.upsample2x(x, channels: block.inputs, height: size, width: size)
            size *= 2
            x = block.apply(x, size: size)
            activate(&x)
        }
        x = toRGB.apply(x, size: size)
        x.withUnsafeMutableBufferPointer { look_tanh($0.baseAddress!, 1, nil, $0.count) }
        return x
    }

    private func activate(_ x: inout [Float]) {
        let s = slope
        for i in x.indices where x[i] < 0 { x[i] *= s }
    }

    public func render(latent: ArraySlice<Float>, width: Int, height: Int, zoom: Float, rotation: Float) -> RGBImage {
        let rgb = forward(latent: latent)
        let side = outputSize, plane = side * side
        var image = RGBImage(width: side, height: side)
        for p in 0..<plane {
            for c in 0..<3 {
                // [-1, 1] → [0, 255], rounded half up; the clamp also maps NaN to 0.
                let v = (rgb[c * plane + p] + 1) * 127.5 + 0.5
                image.pixels[p * 3 + c] = UInt8(v > 0 ? (v < 255 ? v : 255) : 0)
            }
        }
        return Self.cover(image, width: width, height: height)
    }

    /// The square image scaled to cover width × height, centre-cropped to it.
    static func cover(_ square: RGBImage, width: Int, height: Int) -> RGBImage {
        let side = max(width, height)
        let scaled = side == square.width ? square
            : ((try? ImageScaler(from: (square.width, square.height), to: (side, side)))?.scale(square) ?? square)
        guard scaled.width == side else { return RGBImage(width: width, height: height) }
        let x0 = (side - width) / 2, y0 = (side - height) / 2
        var out = RGBImage(width: width, height: height)
        for y in 0..<height {
            let src = ((y0 + y) * side + x0) * 3
            out.pixels.replaceSubrange(y * width * 3..<(y + 1) * width * 3, with: scaled.pixels[src..<src + width * 3])
        }
        return out
    }
}

/// One same-padded 3×3 convolution: weight [out, in·9] (PyTorch's [out, in, 3, 3]), bias [out].
struct ConvLayer: Sendable {
    let inputs: Int
    let outputs: Int
    let weight: [Float]
    let bias: [Float]

    /// Floats of im2col columns per band: 1 MB, which stays in L2 while sgemm reads it.
    static let bandFloats = 256 * 1024

    /// [inputs, size, size] → [outputs, size, size], a band of rows at a time. The band's columns
    /// (inputs·9 × band pixels) stay in L2; a whole plane's (38 MB for 16 channels at 256²) were
    /// allocated, zeroed and faulted in on every frame, which took more time than the products
    /// once OpenBLAS ran its AVX-512 kernels. The values agree with one band's to rounding (how
    /// sgemm sums depends on the matrix's width): `bandFloats` is a parameter for the test.
    func apply(_ x: [Float], size: Int, bandFloats: Int = ConvLayer.bandFloats) -> [Float] {
        let plane = size * size, k = inputs * 9
        let bandRows = max(1, min(size, bandFloats / (k * size)))
        var columns = [Float](repeating: 0, count: k * bandRows * size)
        var out = [Float](repeating: 0, count: outputs * plane)
        x.withUnsafeBufferPointer { input in
            columns.withUnsafeMutableBufferPointer { cols in
                out.withUnsafeMutableBufferPointer { o in
                    for c in 0..<outputs { (o.baseAddress! + c * plane).update(repeating: bias[c], count: plane) }
                    for first in stride(from: 0, to: size, by: bandRows) {
                        let rows = first..<min(size, first + bandRows), pixels = rows.count * size
                        Im2col.columns(input.baseAddress!, channels: inputs, height: size, width: size, rows: rows, into: cols.baseAddress!)
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outputs), Int32(pixels), Int32(k),
                                    1, weight, Int32(k), cols.baseAddress!, Int32(pixels), 1, o.baseAddress! + first * size, Int32(plane))
                    }
                }
            }
        }
        return out
    }
}
