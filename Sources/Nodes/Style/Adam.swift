import Foundation

/// Adam (Kingma & Ba, ICLR 2015) on one flat parameter vector, with bias correction. A few lines,
/// written here because no optimiser library is available for Swift on Linux.
struct Adam {
    var beta1: Float = 0.9
    var beta2: Float = 0.999
    var epsilon: Float = 1e-8
    private var m: [Float]
    private var v: [Float]
    private(set) var step = 0

    init(count: Int) {
        m = [Float](repeating: 0, count: count)
        v = m
    }

    /// parameters -= rate · m̂ / (√v̂ + ε), entries where `frozen` is true left alone.
    mutating func update(_ parameters: inout [Float], gradient: [Float], rate: Float, frozen: Range<Int>? = nil) {
        step += 1
        let c1 = 1 - Float(Foundation.pow(Double(beta1), Double(step)))
        let c2 = 1 - Float(Foundation.pow(Double(beta2), Double(step)))
        for i in parameters.indices {
            if let frozen, frozen.contains(i) { continue }
            let g = gradient[i].isFinite ? gradient[i] : 0
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            parameters[i] -= rate * (m[i] / c1) / ((v[i] / c2).squareRoot() + epsilon)
        }
    }
}
