import Dispatch

/// The sliced Wasserstein distance between two point clouds in D dimensions, and its gradient:
/// both clouds are projected on P unit directions, each projection sorted, and the sorted values
/// compared in order — one-dimensional optimal transport per direction (Rabin et al. 2011; used
/// as a texture loss by Heitz et al., CVPR 2021). It compares whole distributions, not only
/// their means and covariances, and needs no pairing of points.
///
/// Written by hand: a sort and a few sums, no library offers it with a gradient. The target's
/// sorted projections are resampled to the source's point count (quantile i/N), so a reference
/// image of any size compares with a render of any size.
struct SlicedWasserstein {
    let dimension: Int
    /// P unit directions, [P × D].
    let directions: [Float]
    /// Per direction, the target's projections sorted and resampled to `count` quantiles.
    private let quantiles: [[Float]]
    /// Points of the source cloud the loss expects.
    let count: Int

    var slices: Int { directions.count / dimension }

    /// `target` is [M × D]; `directions` are drawn by the caller (seeded) and normalised here.
    init(target: [Float], dimension: Int, directions raw: [Float], count: Int) {
        precondition(dimension > 0 && raw.count % dimension == 0 && count > 0 && target.count >= dimension)
        self.dimension = dimension
        self.count = count
        var unit = raw
        for s in 0..<(raw.count / dimension) {
            let range = (s * dimension)..<((s + 1) * dimension)
            let norm = unit[range].reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in range { unit[i] = norm > 0 ? unit[i] / norm : (i == range.lowerBound ? 1 : 0) }
        }
        directions = unit
        let m = target.count / dimension
        let slices = raw.count / dimension
        // Directions are independent: sorted on every core, each into its own slot.
        var results = [[Float]](repeating: [], count: slices)
        results.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: slices) { s in
                let sorted = Self.sorted(Self.project(target, dimension: dimension, direction: unit, slice: s))
                slots[s] = (0..<count).map { i in sorted[min(m - 1, (2 * i + 1) * m / (2 * count))] }
            }
        }
        quantiles = results
    }

    static func project(_ points: [Float], dimension d: Int, direction: [Float], slice s: Int) -> [Float] {
        let n = points.count / d
        var out = [Float](repeating: 0, count: n)
        points.withUnsafeBufferPointer { p in
            for i in 0..<n {
                var v: Float = 0
                for k in 0..<d { v += p[i * d + k] * direction[s * d + k] }
                out[i] = v
            }
        }
        return out
    }

    /// Mean over directions and points of the squared difference between sorted projections;
    /// adds `weight` × its gradient with respect to `points` ([count × D]) into `gradient`.
    func loss(_ points: [Float], weight: Float, gradient: inout [Float]) -> Double {
        precondition(points.count == count * dimension && gradient.count == points.count)
        let d = dimension, n = count
        var total = 0.0
        let scale = 2 * weight / Float(n * slices)
        gradient.withUnsafeMutableBufferPointer { grad in
            directions.withUnsafeBufferPointer { dirs in
                for s in 0..<slices {
                    let projected = Self.project(points, dimension: d, direction: directions, slice: s)
                    let order = Self.sortedOrder(projected)
                    quantiles[s].withUnsafeBufferPointer { target in
                        projected.withUnsafeBufferPointer { p in
                            for (rank, i) in order.enumerated() {
                                let diff = p[i] - target[rank]
                                total += Double(diff * diff)
                                let g = scale * diff
                                for k in 0..<d { grad[i * d + k] += g * dirs[s * d + k] }
                            }
                        }
                    }
                }
            }
        }
        return total / Double(n * slices)
    }

    /// Indices that sort `values` ascending, ties by index: a stable LSD radix sort (passes of
    /// 11, 11 and 10 bits) of the floats' bits made order-preserving — several times faster than
    /// a comparison sort, which was most of a fitting step's time.
    static func sortedOrder(_ values: [Float]) -> [Int] {
        let n = values.count
        var keys = [UInt32](repeating: 0, count: n), keys2 = keys
        var order = [Int32](repeating: 0, count: n), order2 = order
        var counts = [Int](repeating: 0, count: 2048)
        keys.withUnsafeMutableBufferPointer { k in
            order.withUnsafeMutableBufferPointer { o in
                for i in 0..<n {
                    let bits = values[i].bitPattern
                    k[i] = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
                    o[i] = Int32(i)
                }
            }
        }
        for (shift, bits) in [(UInt32(0), UInt32(11)), (11, 11), (22, 10)] {
            let mask = (UInt32(1) << bits) - 1
            keys.withUnsafeMutableBufferPointer { src in
                keys2.withUnsafeMutableBufferPointer { dst in
                    order.withUnsafeMutableBufferPointer { osrc in
                        order2.withUnsafeMutableBufferPointer { odst in
                            counts.withUnsafeMutableBufferPointer { c in
                                for i in 0..<c.count { c[i] = 0 }
                                for i in 0..<n { c[Int((src[i] >> shift) & mask)] += 1 }
                                var total = 0
                                for i in 0..<Int(mask + 1) { let x = c[i]; c[i] = total; total += x }
                                for i in 0..<n {
                                    let bucket = Int((src[i] >> shift) & mask)
                                    let at = c[bucket]
                                    c[bucket] = at + 1
                                    dst[at] = src[i]
                                    odst[at] = osrc[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keys2)
            swap(&order, &order2)
        }
        return order.map { Int($0) }
    }

    /// `values` sorted ascending (by the same radix sort).
    static func sorted(_ values: [Float]) -> [Float] {
        sortedOrder(values).map { values[$0] }
    }
}
