/// The per-frame features the controller reads, checked and cleaned once up front.
///
/// Required (each [N], values in [0, 1]): `rms_norm`, `onset_norm`, `centroid_norm`,
/// `harmonic_norm`, `percussive_norm`, and `chroma` [N, 12].
/// Optional: `flatness_norm` [N] (missing → 0), `beats` [N] 0/1 (missing → no beat kicks;
/// onsets still kick), `tempo` [1] (not read: beat positions already carry the tempo).
/// Non-finite values are replaced by 0 and everything is clamped to [0, 1], so a bad row can
/// never put a NaN into a frame.
struct FeatureRows {
    let count: Int
    let rms: [Float]
    let onset: [Float]
    let centroid: [Float]
    let flatness: [Float]
    let harmonic: [Float]
    let percussive: [Float]
    /// [count * 12], row-major.
    let chroma: [Float]
    let beats: [Bool]

    init(_ table: Safetensors) throws {
        let rmsTensor = try FeatureRows.vector("rms_norm", in: table, count: nil)
        let n = rmsTensor.count
        rms = rmsTensor
        onset = try FeatureRows.vector("onset_norm", in: table, count: n)
        centroid = try FeatureRows.vector("centroid_norm", in: table, count: n)
        harmonic = try FeatureRows.vector("harmonic_norm", in: table, count: n)
        percussive = try FeatureRows.vector("percussive_norm", in: table, count: n)
        flatness = table.tensors["flatness_norm"] == nil
            ? [Float](repeating: 0, count: n)
            : try FeatureRows.vector("flatness_norm", in: table, count: n)
        beats = table.tensors["beats"] == nil
            ? [Bool](repeating: false, count: n)
            : try FeatureRows.vector("beats", in: table, count: n).map { $0 >= 0.5 }
        guard let c = table.tensors["chroma"] else { throw ControllerError.missingFeature(name: "chroma") }
        guard c.shape == [n, 12] else { throw ControllerError.badShape(name: "chroma", expected: "[\(n), 12]", got: c.shape) }
        chroma = c.data.map(FeatureRows.clean)
        count = n
    }

    private static func vector(_ name: String, in table: Safetensors, count: Int?) throws -> [Float] {
        guard let t = table.tensors[name] else { throw ControllerError.missingFeature(name: name) }
        // Accept [N] and the equivalent [N, 1].
        let ok = t.shape.count == 1 || (t.shape.count == 2 && t.shape[1] == 1)
        guard ok, count == nil || t.shape[0] == count else {
            throw ControllerError.badShape(name: name, expected: count.map { "[\($0)]" } ?? "[N]", got: t.shape)
        }
        return t.data.map(clean)
    }

    @inline(__always)
    static func clean(_ v: Float) -> Float {
        v.isFinite ? min(max(v, 0), 1) : 0
    }
}
