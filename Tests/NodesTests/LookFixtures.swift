import Foundation
import XCTest
@testable import Nodes

/// Shared helpers for the look tests: synthetic feature tables, image statistics, latent distances.
enum LookFixtures {
    /// A feature table sampled from continuous functions of time, so tables at different frame
    /// rates describe the same music. `beatsPerMinute` places beats (nil: none); `onsetTimes`
    /// adds sharp onset/percussive spikes; `silent` makes everything zero.
    static func features(fps: Int, seconds: Double, beatsPerMinute: Double? = 120,
                         onsetTimes: [Double] = [], silent: Bool = false, loudness: Float = 0.6) -> Safetensors {
        let n = Int((seconds * Double(fps)).rounded())
        var rms = [Float](), onset = [Float](), centroid = [Float](), flatness = [Float]()
        var harmonic = [Float](), percussive = [Float](), chroma = [Float](), beats = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let t = Double(i) / Double(fps)
            if silent {
                rms.append(0); onset.append(0); centroid.append(0); flatness.append(0)
                harmonic.append(0); percussive.append(0); chroma.append(contentsOf: [Float](repeating: 0, count: 12))
                continue
            }
            rms.append(loudness * Float(0.75 + 0.25 * sin(2 * .pi * t / 7)))
            centroid.append(Float(0.5 + 0.3 * sin(2 * .pi * t / 5.3)))
            flatness.append(Float(0.2 + 0.1 * cos(2 * .pi * t / 3.1)))
            harmonic.append(Float(0.5 + 0.4 * sin(2 * .pi * t / 9)))
            // Onset and percussive: decaying spikes after each onset time (a continuous function of t).
            var spike = 0.0
            for o in onsetTimes where t >= o { spike = max(spike, exp(-(t - o) / 0.05)) }
            if let bpm = beatsPerMinute {
                let period = 60 / bpm
                let since = t.truncatingRemainder(dividingBy: period)
                spike = max(spike, 0.6 * exp(-since / 0.08))
            }
            onset.append(Float(spike))
            percussive.append(Float(min(1, 0.2 + spike)))
            // A chord that changes every 2 s.
            let root = Int(t / 2) * 5 % 12
            for p in 0..<12 {
                let inChord = [0, 4, 7].contains((p - root + 12) % 12)
                chroma.append(inChord ? 1 : 0.15)
            }
        }
        if let bpm = beatsPerMinute, !silent {
            var t = 0.0
            while t < seconds {
                let i = Int((t * Double(fps)).rounded())
                if i < n { beats[i] = 1 }
                t += 60 / bpm
            }
        }
        var table = Safetensors()
        table.tensors["rms_norm"] = Tensor(shape: [n], data: rms)
        table.tensors["onset_norm"] = Tensor(shape: [n], data: onset)
        table.tensors["centroid_norm"] = Tensor(shape: [n], data: centroid)
        table.tensors["flatness_norm"] = Tensor(shape: [n], data: flatness)
        table.tensors["harmonic_norm"] = Tensor(shape: [n], data: harmonic)
        table.tensors["percussive_norm"] = Tensor(shape: [n], data: percussive)
        table.tensors["chroma"] = Tensor(shape: [n, 12], data: chroma)
        table.tensors["beats"] = Tensor(shape: [n], data: beats)
        table.tensors["tempo"] = Tensor(shape: [1], data: [Float(beatsPerMinute ?? 0)])
        return table
    }

    static func controller(fps: Int, _ edit: (inout ControllerConfig) -> Void = { _ in }) -> Controller {
        var config = ControllerConfig()
        config.anchors = nil
        edit(&config)
        let anchors = Controller.seededAnchors(count: 12, dim: config.latentDim, seed: 7)
        return Controller(config: config, anchors: anchors, fps: fps)
    }

    /// Mean and standard deviation of Rec. 709 luma, on the 0–255 scale.
    static func lumaStats(_ image: RGBImage) -> (mean: Double, std: Double) {
        var sum = 0.0, sumSquares = 0.0
        let n = image.width * image.height
        for p in 0..<n {
            let y = 0.2126 * Double(image.pixels[p * 3]) + 0.7152 * Double(image.pixels[p * 3 + 1]) + 0.0722 * Double(image.pixels[p * 3 + 2])
            sum += y
            sumSquares += y * y
        }
        let mean = sum / Double(n)
        return (mean, max(sumSquares / Double(n) - mean * mean, 0).squareRoot())
    }

    /// Mean per-pixel saturation (max - min channel), 0–255: a cheap "is it colourful" measure.
    static func colourfulness(_ image: RGBImage) -> Double {
        var total = 0.0
        for p in 0..<(image.width * image.height) {
            let c = image.pixels[(p * 3)..<(p * 3 + 3)]
            total += Double(c.max()! - c.min()!)
        }
        return total / Double(image.width * image.height)
    }

    static func meanAbsoluteDifference(_ a: RGBImage, _ b: RGBImage) -> Double {
        zip(a.pixels, b.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.pixels.count)
    }

    static func row(_ t: Tensor, _ i: Int) -> [Float] { Array(t.row(i)) }

    static func distance(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }
}
