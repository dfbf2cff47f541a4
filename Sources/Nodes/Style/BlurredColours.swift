/// The picture's colours at every coarser level of the texture pyramid: the Lab planes averaged
/// 2×2 again and again (48, 24, 12, 6 and 3 pixels at size 96), and at each level the
/// distribution of the averaged colours. How much of the colour spread survives the averaging
/// says how the picture is laid out at that scale: a bright object on a dark ground keeps its
/// spread down to a few pixels, a fine texture averages out to one flat colour. Neither the
/// full-size colour term (which ignores where colours are) nor the texture filters (zero-mean,
/// 5 pixels wide, so blind to anything wider than the pyramid's coarsest level) see that.
/// The levels are compared like the colour term, by sliced Wasserstein distance in Lab; the
/// averages of a flat picture are the picture itself, so the term also asks a busy render to
/// calm down where the reference is calm. A multiscale colour statistic in the spirit of the
/// low-pass bands of Portilla and Simoncelli (IJCV 2000).
///
/// Written by hand, forward and backward: repeated 2×2 averages and the sliced distances.
enum BlurredColours {
    /// The smallest side a level may have.
    static let smallestSide = 3

    /// Levels 1, 2, … of planar `planes` ([3 × height × width], any scale) down to
    /// `smallestSide`, each as (planes, width, height).
    static func levels(_ planes: [Float], width: Int, height: Int) -> [(planes: [Float], width: Int, height: Int)] {
        var out: [(planes: [Float], width: Int, height: Int)] = []
        var current = (planes: planes, width: width, height: height)
        while current.width / 2 >= smallestSide, current.height / 2 >= smallestSide {
            let (half, w, h) = TextureFilters.halve(current.planes, width: current.width, height: current.height)
            current = (half, w, h)
            out.append(current)
        }
        return out
    }

    /// Planar [3 × n] → points [n × 3].
    static func points(_ planes: [Float], count n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: 3 * n)
        for p in 0..<n { for c in 0..<3 { out[3 * p + c] = planes[c * n + p] } }
        return out
    }

    /// Σ over levels of the sliced distance between the render's level colours (`planes` are the
    /// render's planar Lab at full size, width × height) and the targets'; adds d loss / d planes
    /// (× `weight`) into `dPlanes`.
    static func loss(_ planes: [Float], width: Int, height: Int, targets: [SlicedWasserstein], weight: Float,
                     into dPlanes: inout [Float]) -> Double {
        let levels = Self.levels(planes, width: width, height: height)
        var total = 0.0
        var dLevels: [[Float]] = []
        for (s, level) in levels.enumerated() where s < targets.count {
            let n = level.width * level.height
            let points = Self.points(level.planes, count: n)
            var dPoints = [Float](repeating: 0, count: points.count)
            total += targets[s].loss(points, weight: weight, gradient: &dPoints)
            var d = [Float](repeating: 0, count: level.planes.count)
            for p in 0..<n { for c in 0..<3 { d[c * n + p] = dPoints[3 * p + c] } }
            dLevels.append(d)
        }
        // From the coarsest level back to full size, adding each level's own gradient on the way.
        var carried: [Float] = []
        for s in stride(from: dLevels.count - 1, through: 0, by: -1) {
            var d = dLevels[s]
            if !carried.isEmpty {
                let finer = TextureFilters.halveBackward(carried, width: levels[s].width, height: levels[s].height)
                for i in d.indices { d[i] += finer[i] }
            }
            carried = d
        }
        if !carried.isEmpty {
            let full = TextureFilters.halveBackward(carried, width: width, height: height)
            for i in dPlanes.indices { dPlanes[i] += full[i] }
        }
        return total
    }
}
