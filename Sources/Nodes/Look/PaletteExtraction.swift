extension Palette {
    /// At most this many pixels take part in k-means; larger images are area-averaged down first.
    public static let extractionPixels = 65_536
    /// Lloyd iterations stop here if the assignment has not settled before.
    public static let extractionIterations = 100

    /// The `colors` dominant colours of `image`, dark to light by L* (then a*, b*), by k-means in
    /// CIELAB with k-means++ seeding (Arthur & Vassilvitskii 2007).
    ///
    /// Written by hand: no k-means is available to Swift here, and it must be bit-for-bit
    /// reproducible. Same image and seed → same palette: pixels are reduced to their distinct
    /// colours in ascending RGB order, each weighted by its count (exact, and fast on flat
    /// artwork); draws come from `SeededRandom`; every sum runs in a fixed order; a pixel equally
    /// near two centres joins the lower-numbered one; a centre left empty moves to the colour
    /// that is farthest from its own centre (the first such). An image with fewer distinct
    /// colours than asked gives those colours (a flat image gives a two-stop palette of its one).
    public static func extract(from image: RGBImage, colors: Int, seed: UInt64) throws -> Palette {
        guard stopRange.contains(colors) else { throw PaletteError.stopCount(colors) }
        let points = weightedColours(extractionCopy(image))
        if points.colours.count <= colors {
            let sorted = sortedByLightness(points.colours)
            return try Palette(stops: sorted.count == 1 ? [sorted[0], sorted[0]] : sorted)
        }
        var random = SeededRandom(seed: seed, stream: 0x7061_6C65_7474_65)  // "palette"
        var centres = seeds(points, count: colors, random: &random)
        var assignment = [Int](repeating: -1, count: points.colours.count)
        for _ in 0..<extractionIterations {
            var changed = false
            let flat = centres.flatMap { [$0.l, $0.a, $0.b] }
            flat.withUnsafeBufferPointer { centre in
                for (i, c) in points.colours.enumerated() {
                    let nearest = nearestCentre(c, centre)
                    if nearest != assignment[i] { assignment[i] = nearest; changed = true }
                }
            }
            if !changed { break }
            centres = updatedCentres(points, assignment, centres)
        }
        return try Palette(stops: sortedByLightness(centres))
    }

    /// `extract` on a reference image file (PNG, JPEG or WebP); a bad file throws `ImageError`
    /// naming `path`.
    public static func extract(fromImageAt path: String, colors: Int, seed: UInt64,
                               maxPixels: Int = 40_000_000) throws -> Palette {
        try extract(from: ImageReader.read(path: path, maxPixels: maxPixels), colors: colors, seed: seed)
    }

    /// The copy k-means runs on: at most `extractionPixels` pixels, same aspect ratio.
    static func extractionCopy(_ image: RGBImage) -> RGBImage {
        guard image.width * image.height > extractionPixels else { return image }
        let longest = max(image.width, image.height), shortest = min(image.width, image.height)
        var side = Int((Double(extractionPixels) * Double(longest) / Double(shortest)).squareRoot())
        while true {
            let size = ImageReader.downsampledSize(width: image.width, height: image.height, maxSide: side)
            if size.width * size.height <= extractionPixels { break }
            side -= 1
        }
        return ImageReader.downsample(image, maxSide: side)
    }

    /// Distinct colours in ascending packed-RGB order, in CIELAB, with their pixel counts.
    private static func weightedColours(_ image: RGBImage) -> (colours: [LabColor], weights: [Double]) {
        let px = image.pixels
        var packed = [UInt32](repeating: 0, count: image.width * image.height)
        for p in 0..<packed.count {
            let r = UInt32(px[p * 3]), g = UInt32(px[p * 3 + 1]), b = UInt32(px[p * 3 + 2])
            packed[p] = r << 16 | g << 8 | b
        }
        packed.sort()
        var colours: [LabColor] = [], weights: [Double] = []
        var i = 0
        while i < packed.count {
            var j = i + 1
            while j < packed.count && packed[j] == packed[i] { j += 1 }
            let v = packed[i]
            colours.append(LabColor(r: UInt8(v >> 16), g: UInt8((v >> 8) & 0xFF), b: UInt8(v & 0xFF)))
            weights.append(Double(j - i))
            i = j
        }
        return (colours, weights)
    }

    /// k-means++: the first centre drawn by pixel count, each next one by count × squared distance
    /// to the nearest centre so far.
    private static func seeds(_ points: (colours: [LabColor], weights: [Double]), count: Int,
                              random: inout SeededRandom) -> [LabColor] {
        let n = points.colours.count
        func draw(_ weights: [Double]) -> Int {
            let total = weights.reduce(0, +)
            let target = Double(random.next() >> 11) * 0x1p-53 * total
            var running = 0.0
            for i in 0..<n {
                running += weights[i]
                if target < running && weights[i] > 0 { return i }
            }
            return weights.lastIndex { $0 > 0 } ?? 0
        }
        var centres = [points.colours[draw(points.weights)]]
        var distance = points.colours.map { squaredDistance($0, centres[0]) }
        while centres.count < count {
            let chosen = draw((0..<n).map { points.weights[$0] * distance[$0] })
            centres.append(points.colours[chosen])
            for i in 0..<n { distance[i] = min(distance[i], squaredDistance(points.colours[i], centres.last!)) }
        }
        return centres
    }

    private static func updatedCentres(_ points: (colours: [LabColor], weights: [Double]), _ assignment: [Int],
                                       _ old: [LabColor]) -> [LabColor] {
        var sums = [LabColor](repeating: LabColor(l: 0, a: 0, b: 0), count: old.count)
        var totals = [Double](repeating: 0, count: old.count)
        for (i, c) in points.colours.enumerated() {
            let k = assignment[i], w = points.weights[i]
            sums[k].l += c.l * w
            sums[k].a += c.a * w
            sums[k].b += c.b * w
            totals[k] += w
        }
        var centres = (0..<old.count).map { k in
            totals[k] > 0 ? LabColor(l: sums[k].l / totals[k], a: sums[k].a / totals[k], b: sums[k].b / totals[k]) : old[k]
        }
        var taken = Set<Int>()
        for k in 0..<centres.count where totals[k] == 0 {
            var farthest = 0, farthestDistance = -1.0
            for (i, c) in points.colours.enumerated() where !taken.contains(i) {
                let d = squaredDistance(c, old[assignment[i]])
                if d > farthestDistance { farthest = i; farthestDistance = d }
            }
            taken.insert(farthest)
            centres[k] = points.colours[farthest]
        }
        return centres
    }

    /// The lowest-numbered centre at the least squared distance; centres as flat L, a, b triples.
    private static func nearestCentre(_ c: LabColor, _ centre: UnsafeBufferPointer<Double>) -> Int {
        var best = 0, bestDistance = Double.infinity
        for k in 0..<(centre.count / 3) {
            let dl = c.l - centre[3 * k], da = c.a - centre[3 * k + 1], db = c.b - centre[3 * k + 2]
            let d = dl * dl + da * da + db * db
            if d < bestDistance { best = k; bestDistance = d }
        }
        return best
    }

    private static func squaredDistance(_ x: LabColor, _ y: LabColor) -> Double {
        let dl = x.l - y.l, da = x.a - y.a, db = x.b - y.b
        return dl * dl + da * da + db * db
    }

    private static func sortedByLightness(_ colours: [LabColor]) -> [LabColor] {
        colours.sorted { ($0.l, $0.a, $0.b) < ($1.l, $1.a, $1.b) }
    }
}
