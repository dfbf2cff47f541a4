import ArgumentParser
import COpenBLAS
import Foundation
import Nodes

/// `ntsbench conv`: the conv generator (im2col + OpenBLAS sgemm per convolution) rendering frames
/// of a DCGAN-sized random network, with the OpenBLAS core this process runs on. Run it once as
/// is and once with `OPENBLAS_CORETYPE=<the library's own choice>` to see what the core choice gives.
struct ConvBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conv", abstract: "Benchmark the conv generator's frames on the OpenBLAS core in use.")

    @Option(help: "Channels of the first block (halved per block).") var channels = 256
    @Option(help: "Upsampling blocks after the 4×4 start (output side 4·2^blocks).") var blocks = 5
    @Option var width = 640
    @Option var height = 360
    @Option(help: "Frames per timed run.") var frames = 10
    @Option(help: "Runs; the median is reported.") var repeats = 5

    func run() throws {
        let latentDim = 8
        let generator = try ConvGenerator(style: Self.randomStyle(channels: channels, blocks: blocks, latentDim: latentDim),
                                          file: "random", latentDim: latentDim)
        let latents = Controller.seededAnchors(count: 8, dim: latentDim, seed: 3)
        let (core, chosenBy) = OpenBLASCore.inUse
        print("OpenBLAS core \(core) (chosen by \(chosenBy)); network \(channels) channels, \(blocks) blocks → \(4 << blocks)² px, frames \(width)x\(height)")
        _ = generator.render(latent: ArraySlice(latents[0]), width: width, height: height, zoom: 1, rotation: 0)
        var rates: [Double] = []
        for run in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            for i in 0..<frames { _ = generator.render(latent: ArraySlice(latents[i % latents.count]), width: width, height: height, zoom: 1, rotation: 0) }
            rates.append(Double(frames) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
            print(String(format: "run %d: %.2f frames/s", run + 1, rates[run]))
        }
        print(String(format: "conv generator: median %.2f frames/s on %@", median(rates), core))
    }

    /// A seeded random generator in the layout `ConvGenerator` reads (He-scaled weights).
    static func randomStyle(channels: Int, blocks: Int, latentDim: Int) -> Safetensors {
        var rng = SeededRandom(seed: 21, stream: 4)
        func tensor(_ shape: [Int], fanIn: Int) -> Tensor {
            let scale = (2 / Float(fanIn)).squareRoot()
            return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in rng.nextGaussian() * scale })
        }
        var tensors = ["dense.weight": tensor([channels * 16, latentDim], fanIn: latentDim),
                       "dense.bias": Tensor(shape: [channels * 16], data: .init(repeating: 0, count: channels * 16))]
        var inputs = channels
        for i in 0..<blocks {
            let outputs = max(8, channels >> (i + 1))
            tensors["blocks.\(i).conv.weight"] = tensor([outputs, inputs, 3, 3], fanIn: inputs * 9)
            tensors["blocks.\(i).conv.bias"] = Tensor(shape: [outputs], data: .init(repeating: 0, count: outputs))
            inputs = outputs
        }
        tensors["to_rgb.weight"] = tensor([3, inputs, 3, 3], fanIn: inputs * 9)
        tensors["to_rgb.bias"] = Tensor(shape: [3], data: [0, 0, 0])
        return Safetensors(tensors: tensors, metadata: ["kind": "conv", "latent_dim": String(latentDim), "channels": String(channels),
                                                        "start_size": "4", "blocks": String(blocks), "activation": "leaky_relu"])
    }
}
