/// One frame's camera/effect values from a trajectory (see `Controller.trajectory` for meanings).
public struct FrameCurves: Equatable, Sendable {
    public var zoom: Float
    public var rotation: Float
    public var hue: Float
    public var flash: Float
    public var contrast: Float

    public init(zoom: Float = 1, rotation: Float = 0, hue: Float = 0, flash: Float = 0, contrast: Float = 1) {
        self.zoom = zoom
        self.rotation = rotation
        self.hue = hue
        self.flash = flash
        self.contrast = contrast
    }

    /// The neutral values: no zoom, rotation, hue shift, flash or contrast change.
    public static let neutral = FrameCurves()

    /// Reads row `frame` of each curve. A missing curve, an out-of-range frame or a non-finite
    /// value gives that curve's neutral value, so an older trajectory still renders.
    public init(trajectory: Safetensors, frame: Int) {
        func value(_ name: String, _ neutral: Float) -> Float {
            guard let t = trajectory.tensors[name], frame >= 0, frame < t.data.count else { return neutral }
            let v = t.data[frame]
            return v.isFinite ? v : neutral
        }
        self.init(zoom: value("zoom", 1), rotation: value("rotation", 0), hue: value("hue", 0),
                  flash: value("flash", 0), contrast: value("contrast", 1))
    }
}
