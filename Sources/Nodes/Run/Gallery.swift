import Foundation

/// `index.html` of a run folder. At the top the album cut with its poster and a chapter list that
/// seeks it; then per track the video, its resolved look (presets, generator, style, palette,
/// post-effects), the feature lanes under the video with a playhead that follows it, the
/// animated preview, poster and a contact sheet whose cells carry their times and seek the
/// video; last the nodes of the build (collapsed) and a link to the previous run. Relative links
/// and inline CSS/SVG/JS only, so it works opened from disk, offline.
struct Gallery {
    struct Track {
        var id: String
        var title: String
        var fps: Int
        /// Run-folder file names, nil when this run did not produce them.
        var video: String?
        var poster: String?
        var sheet: String?
        var anim: String?
        var curves: [FeaturePlot.Curve]
        /// Frames that start a beat, when the features hold beats; the tempo estimate.
        var beats: [Int]?
        var tempo: Float?
        /// The track's length in video frames (the features' rows), 0 when unknown.
        var frames: Int
        /// The contact sheet's cells, in seconds from the start of the track.
        var sheetTimes: [Double] = []
        var settings: [GallerySettings.Entry] = []
        /// Pixel sizes of the files above, by file name, for width/height attributes.
        var sizes: [String: (width: Int, height: Int)] = [:]

        var videoID: String { "video-" + id }

        func size(_ file: String) -> String {
            guard let s = sizes[file] else { return "" }
            return " width=\"\(s.width)\" height=\"\(s.height)\""
        }
    }
    struct Node {
        var id: String
        var status: String
        var seconds: Double
    }

    var title: String
    var artist: String?
    var runID: String
    var album: String?
    var albumPoster: String?
    var chapters: [Chapter] = []
    var tracks: [Track]
    var nodes: [Node]
    var wallSeconds: Double
    /// The run before this one, as a path relative to this run's folder.
    var previousRun: (link: String, name: String)?

    func html() -> String {
        let e = HTML.escape
        let built = nodes.filter { $0.status == "built" }.count, reused = nodes.filter { $0.status == "reused" }.count
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(e(title)) — \(e(runID))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        \(GalleryScript.css)
        </style></head><body>
        <h1>\(e(title))</h1>
        <div class="meta">\(artist.map { e($0) + " · " } ?? "")\(e(runID)) · \(built) built, \(reused) reused, \(String(format: "%.1f", wallSeconds)) s\(previousRun.map { " · <a class=\"previous\" href=\"\(e($0.link))\">previous run (\(e($0.name)))</a>" } ?? "")</div>

        """
        if let album {
            h += albumSection(album)
        }
        for track in tracks { h += section(track) }
        h += "<section id=\"nodes\"><details><summary>Nodes (\(nodes.count))</summary><table><tr><th>node</th><th>status</th><th>seconds</th></tr>\n"
        for node in nodes {
            h += "<tr><td>\(e(node.id))</td><td class=\"\(e(node.status))\">\(e(node.status))</td><td>\(String(format: "%.2f", node.seconds))</td></tr>\n"
        }
        h += "</table></details><p><a href=\"run.json\">run.json</a></p></section>\n"
        h += "<script>\n\(GalleryScript.js)\n</script>\n</body></html>\n"
        return h
    }

    private func albumSection(_ album: String) -> String {
        let e = HTML.escape
        let poster = albumPoster.map { " poster=\"\(HTML.href($0))\"" } ?? ""
        let size = albumPoster.flatMap { file in tracks.lazy.compactMap { $0.sizes[file] }.first }.map { " width=\"\($0.width)\" height=\"\($0.height)\"" } ?? ""
        var h = "<section id=\"album\"><h2>Album cut</h2><video id=\"video-album\" controls preload=\"none\"\(size)\(poster) src=\"\(HTML.href(album))\"></video>\n"
        if !chapters.isEmpty {
            h += "<ol class=\"chapters\">"
            for chapter in chapters {
                h += "<li><a href=\"#\" data-video=\"video-album\" data-seek=\(String(format: "\"%.3f\"", chapter.start))><span class=\"at\">\(Gallery.clock(chapter.start))</span>\(e(chapter.title))</a></li>"
            }
            h += "</ol>\n"
        }
        return h + "</section>\n"
    }

    private func section(_ track: Track) -> String {
        let e = HTML.escape
        var h = "<section id=\"\(e(track.id))\"><h2>\(e(track.title))</h2>\n"
        if let video = track.video {
            let poster = track.poster.map { " poster=\"\(HTML.href($0))\"" } ?? ""
            h += "<video id=\"\(e(track.videoID))\" controls preload=\"none\"\(track.poster.map(track.size) ?? "")\(poster) src=\"\(HTML.href(video))\"></video>\n"
        } else if let poster = track.poster {
            h += "<img class=\"poster\"\(track.size(poster)) src=\"\(HTML.href(poster))\" alt=\"poster of \(e(track.title))\">\n"
        }
        if track.frames > 0 {
            h += FeaturePlot.svg(track.curves, beats: track.beats, tempo: track.tempo, frames: track.frames, fps: track.fps,
                                 video: track.video == nil ? nil : track.videoID, title: "features of \(track.title)") + "\n"
        }
        if !track.settings.isEmpty { h += GallerySettings.html(track.settings) }
        var figures: [String] = []
        if let anim = track.anim {
            figures.append("<figure><img\(track.size(anim)) src=\"\(HTML.href(anim))\" alt=\"animated preview\"><figcaption>preview</figcaption></figure>")
        }
        if let poster = track.poster, track.video != nil {
            figures.append("<figure><a href=\"\(HTML.href(poster))\"><img\(track.size(poster)) src=\"\(HTML.href(poster))\" alt=\"poster\" style=\"max-width:320px\"></a><figcaption>poster</figcaption></figure>")
        }
        if let sheet = track.sheet { figures.append(contactSheet(sheet, of: track)) }
        if !figures.isEmpty { h += "<div class=\"row\">\(figures.joined())</div>\n" }
        return h + "</section>\n"
    }

    /// The sheet with a link over each cell that shows its time and seeks the video there. Cells
    /// are placed in percentages of the image, from the sheet's layout, so they follow its scaling.
    private func contactSheet(_ sheet: String, of track: Track) -> String {
        var cells = ""
        if let size = track.sizes[sheet], !track.sheetTimes.isEmpty {
            for (i, box) in ContactSheet.cells(count: track.sheetTimes.count, columns: PreviewRecipe.Layout().columns, gap: PreviewRecipe.Layout().gap, width: size.width, height: size.height).enumerated() {
                let t = track.sheetTimes[i]
                let style = String(format: "left:%.3f%%;top:%.3f%%;width:%.3f%%;height:%.3f%%",
                                   100 * Double(box.x) / Double(size.width), 100 * Double(box.y) / Double(size.height),
                                   100 * Double(box.width) / Double(size.width), 100 * Double(box.height) / Double(size.height))
                let seek = track.video == nil ? "" : String(format: " data-video=\"%@\" data-seek=\"%.3f\"", HTML.escape(track.videoID), t)
                cells += "<a class=\"cell\" href=\"#\(HTML.escape(track.id))\" style=\"\(style)\"\(seek)><span>\(Gallery.clock(t))</span></a>"
            }
        }
        return "<figure><div class=\"sheet\"><img\(track.size(sheet)) src=\"\(HTML.href(sheet))\" alt=\"contact sheet\">\(cells)</div><figcaption>contact sheet · <a href=\"\(HTML.href(sheet))\">full size</a></figcaption></figure>"
    }

    /// m:ss.s
    static func clock(_ seconds: Double) -> String {
        let tenths = Int((max(0, seconds) * 10).rounded(.down))
        return String(format: "%d:%02d.%d", tenths / 600, tenths / 10 % 60, tenths % 10)
    }
}
