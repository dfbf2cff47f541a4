/// `--draft`: a cheap look at a render. Frames at about 480 pixels wide (the aspect kept, even
/// sizes for 4:2:0) and x264 at `ultrafast`, crf 30; the frame rate stays, so the features and
/// trajectory of a full render are reused. The size is scaled from the one everything else
/// resolved to (a `--set` size included); a `--set` of the encoder keys wins over the profile.
/// Drafts are cached like any render: a second draft is instant.
public enum DraftProfile {
    public static let width = 480

    /// The keys the profile sets for a track whose resolved config is `config`.
    static func values(for config: TrackConfig) -> [String: ConfigValue] {
        let output = config.output
        let scale = min(1, Double(width) / Double(output.width))
        func even(_ x: Double) -> Int { max(16, Int((x / 2).rounded()) * 2) }
        return [
            "output.width": .int(even(Double(output.width) * scale)),
            "output.height": .int(even(Double(output.height) * scale)),
            "encoder.preset": .string("ultrafast"),
            "encoder.crf": .int(30),
        ]
    }

    static let location = SourceLocation(file: "--draft")
}
