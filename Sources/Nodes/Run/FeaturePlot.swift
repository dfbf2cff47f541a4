import Foundation

/// A track's features as labelled lanes of inline SVG for the gallery: one lane per [0, 1] curve
/// (drawn as a filled area against time), a lane of beat ticks when the features hold beats, a
/// time axis, and a playhead line that the page's script moves with the video (`GalleryScript`).
/// Self-contained (no external fonts or files), so the page works opened from disk.
enum FeaturePlot {
    struct Curve {
        var name: String
        var label: String
        var values: [Float]
        var colour: String
    }

    /// The curves shown, in lane order: tensor name, label, colour.
    static let lanes: [(tensor: String, label: String, colour: String)] = [
        ("rms_norm", "loudness", "#f5b942"),
        ("onset_norm", "onsets", "#ff5f7e"),
        ("centroid_norm", "brightness", "#4fc3f7"),
    ]
    static let beatColour = "#7bd88f"

    // Geometry in SVG units (the SVG scales to the page's width).
    static let width = 960
    static let labelWidth = 110
    static let plotWidth = width - labelWidth - 10
    static let laneHeight = 34
    static let laneGap = 4
    static let beatLaneHeight = 16
    static let axisHeight = 18

    /// `beats` holds the frames that start a beat (nil when the features have none); `video` is
    /// the id of the element whose currentTime the playhead follows.
    static func svg(_ curves: [Curve], beats: [Int]?, tempo: Float?, frames: Int, fps: Int, video: String?, title: String) -> String {
        guard frames > 0, !curves.isEmpty || beats != nil else { return "" }
        let seconds = Double(frames) / Double(max(1, fps))
        let left = Double(labelWidth), plot = Double(plotWidth)
        func x(ofFrame f: Double) -> Double { left + f / Double(frames) * plot }
        let lanesHeight = curves.count * (laneHeight + laneGap) + (beats == nil ? 0 : beatLaneHeight + laneGap)
        let height = lanesHeight + axisHeight
        var follows = ""
        if let video {
            follows = " data-follows=\"\(HTML.escape(video))\" data-left=\"\(labelWidth)\" data-width=\"\(plotWidth)\" data-seconds=\(String(format: "\"%.3f\"", seconds))"
        }
        var out = "<svg class=\"lanes\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTML.escape(title))\"\(follows)>"
        out += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#15171c\"/>"
        // Time grid: the smallest round step that gives at most ten ticks.
        let step = [1.0, 2, 5, 10, 15, 30, 60, 120, 300].first { seconds / $0 <= 10 } ?? 600
        for t in stride(from: 0.0, through: seconds, by: step) {
            let gx = left + t / seconds * plot
            out += String(format: "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#2a2d35\"/>", gx, gx, lanesHeight)
            out += String(format: "<text x=\"%.1f\" y=\"%d\" fill=\"#8a8f9c\" font-size=\"11\" font-family=\"sans-serif\">%@</text>",
                          min(gx + 2, Double(width - 34)), height - 5, timeLabel(t))
        }
        var top = 0
        for curve in curves {
            out += label(curve.label, colour: curve.colour, top: top, height: laneHeight)
            out += area(curve, top: top, x: x)
            top += laneHeight + laneGap
        }
        if let beats {
            let text = tempo.map { String(format: "beats · %.0f bpm", $0) } ?? "beats"
            out += label(text, colour: beatColour, top: top, height: beatLaneHeight)
            var path = ""
            for b in beats { path += String(format: "M%.1f %dv%d", x(ofFrame: Double(b) + 0.5), top + 2, beatLaneHeight - 4) }
            if !path.isEmpty { out += "<path d=\"\(path)\" stroke=\"\(beatColour)\" stroke-width=\"1.5\"><title>beats</title></path>" }
        }
        out += "<line class=\"playhead\" x1=\"\(labelWidth)\" y1=\"0\" x2=\"\(labelWidth)\" y2=\"\(lanesHeight)\" stroke=\"#ffffff\" stroke-width=\"2\" data-time=\"0.000\"/>"
        return out + "</svg>"
    }

    private static func label(_ text: String, colour: String, top: Int, height: Int) -> String {
        "<rect x=\"\(labelWidth)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(height)\" fill=\"#1b1e25\"/>"
            + "<text x=\"8\" y=\"\(top + height / 2 + 4)\" fill=\"\(colour)\" font-size=\"12\" font-family=\"sans-serif\">\(HTML.escape(text))</text>"
    }

    /// The curve as a filled area over its lane, one point per SVG column: the column's maximum,
    /// so short onsets stay visible.
    private static func area(_ curve: Curve, top: Int, x: (Double) -> Double) -> String {
        let values = curve.values
        guard !values.isEmpty else { return "" }
        let columns = min(plotWidth, values.count)
        let base = Double(top + laneHeight - 1), span = Double(laneHeight - 4)
        var points = [String(format: "%.1f,%.1f", x(0), base)]
        for c in 0..<columns {
            let lo = c * values.count / columns, hi = max(lo + 1, (c + 1) * values.count / columns)
            let v = Double(values[lo..<hi].map { $0.isFinite ? min(1, max(0, $0)) : 0 }.max() ?? 0)
            points.append(String(format: "%.1f,%.1f", x((Double(lo) + Double(hi)) / 2), base - v * span))
        }
        points.append(String(format: "%.1f,%.1f", x(Double(values.count)), base))
        return "<polygon fill=\"\(curve.colour)\" points=\"\(points.joined(separator: " "))\"><title>\(HTML.escape(curve.name))</title></polygon>"
    }

    static func timeLabel(_ t: Double) -> String {
        let s = Int(t.rounded(.down))
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}

enum HTML {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A relative URL for a file in the run folder (names are `[a-z0-9-.]`, but be safe).
    static func href(_ file: String) -> String {
        escape(file.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? file)
    }
}
