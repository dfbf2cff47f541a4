import Foundation

/// An inline SVG line plot of a track's [0, 1] feature curves against time, for the gallery:
/// self-contained (no scripts, no external fonts), so the page works opened from disk.
enum FeaturePlot {
    struct Curve {
        var name: String
        var values: [Float]
        var colour: String
    }

    static let width = 640
    static let height = 120

    static func svg(_ curves: [Curve], fps: Int, title: String) -> String {
        let frames = curves.map(\.values.count).max() ?? 0
        guard frames > 0 else { return "" }
        let seconds = Double(frames) / Double(max(1, fps))
        let plotHeight = Double(height - 20)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTML.escape(title))\">"
        out += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#15171c\"/>"
        // Time ticks: the smallest round step that gives at most ten.
        let step = [1.0, 2, 5, 10, 15, 30, 60, 120, 300].first { seconds / $0 <= 10 } ?? 600
        for t in stride(from: 0.0, through: seconds, by: step) {
            let x = t / seconds * Double(width)
            out += String(format: "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#2a2d35\"/>", x, x, plotHeight)
            out += String(format: "<text x=\"%.1f\" y=\"%d\" fill=\"#8a8f9c\" font-size=\"10\" font-family=\"sans-serif\">%@</text>",
                          min(x + 2, Double(width - 30)), height - 6, timeLabel(t))
        }
        for curve in curves where !curve.values.isEmpty {
            // One point per pixel column: the column's maximum, so short onsets stay visible.
            let columns = min(width, curve.values.count)
            var points: [String] = []
            for c in 0..<columns {
                let lo = c * curve.values.count / columns, hi = max(lo + 1, (c + 1) * curve.values.count / columns)
                let v = Double(curve.values[lo..<hi].map { $0.isFinite ? min(1, max(0, $0)) : 0 }.max() ?? 0)
                let x = (Double(c) + 0.5) / Double(columns) * Double(width)
                points.append(String(format: "%.1f,%.1f", x, (1 - v) * (plotHeight - 4) + 2))
            }
            out += "<polyline fill=\"none\" stroke=\"\(curve.colour)\" stroke-width=\"1.2\" points=\"\(points.joined(separator: " "))\"><title>\(HTML.escape(curve.name))</title></polyline>"
        }
        return out + "</svg>"
    }

    static func timeLabel(_ t: Double) -> String {
        let s = Int(t.rounded())
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
