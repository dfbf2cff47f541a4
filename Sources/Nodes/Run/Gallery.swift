import Foundation
import Graph

/// `index.html` of a run folder: per track the video (its poster as the still), the animated
/// preview, the contact sheet and the main feature curves; then the album cut and a table of
/// the nodes. Relative links and inline CSS/SVG only, so it works opened from disk, offline.
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
        /// Pixel sizes of the files above, by file name, for width/height attributes.
        var sizes: [String: (width: Int, height: Int)] = [:]

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
    var tracks: [Track]
    var nodes: [Node]
    var wallSeconds: Double

    static let curveColours = ["rms_norm": "#f5b942", "onset_norm": "#ff5f7e", "centroid_norm": "#4fc3f7"]

    func html() -> String {
        let e = HTML.escape
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(e(title)) — \(e(runID))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        body{margin:0;padding:24px;background:#0d0e12;color:#e6e6e6;font:14px/1.4 sans-serif}
        h1{margin:0 0 4px;font-size:24px}h2{margin:0 0 8px;font-size:18px}.meta{color:#8a8f9c;margin-bottom:24px}
        section{background:#17191f;border-radius:8px;padding:16px;margin-bottom:24px;max-width:1000px}
        video,img.poster{display:block;width:100%;max-width:960px;height:auto;background:#000;border-radius:4px}
        .row{display:flex;flex-wrap:wrap;gap:12px;margin-top:12px;align-items:flex-start}
        .row figure{margin:0}.row img{display:block;max-width:100%;height:auto;border-radius:4px}
        figcaption{color:#8a8f9c;font-size:12px;margin-top:4px}
        svg{display:block;width:100%;max-width:960px;margin-top:12px;border-radius:4px}
        .legend span{margin-right:12px;font-size:12px}
        table{border-collapse:collapse;font-size:12px}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #262931}
        td.built{color:#f5b942}td.reused{color:#7bd88f}a{color:#4fc3f7}
        </style></head><body>
        <h1>\(e(title))</h1>
        <div class="meta">\(artist.map { e($0) + " · " } ?? "")\(e(runID)) · \(nodes.filter { $0.status == "built" }.count) built, \(nodes.filter { $0.status == "reused" }.count) reused, \(String(format: "%.1f", wallSeconds)) s</div>

        """
        for track in tracks {
            h += "<section id=\"\(e(track.id))\"><h2>\(e(track.title))</h2>\n"
            if let video = track.video {
                let poster = track.poster.map { " poster=\"\(HTML.href($0))\"" } ?? ""
                h += "<video controls preload=\"none\"\(track.poster.map(track.size) ?? "")\(poster) src=\"\(HTML.href(video))\"></video>\n"
            } else if let poster = track.poster {
                h += "<img class=\"poster\"\(track.size(poster)) src=\"\(HTML.href(poster))\" alt=\"poster of \(e(track.title))\">\n"
            }
            var figures: [String] = []
            if let anim = track.anim {
                figures.append("<figure><img\(track.size(anim)) src=\"\(HTML.href(anim))\" alt=\"animated preview\"><figcaption>preview</figcaption></figure>")
            }
            if let poster = track.poster, track.video != nil {
                figures.append("<figure><a href=\"\(HTML.href(poster))\"><img\(track.size(poster)) src=\"\(HTML.href(poster))\" alt=\"poster\" style=\"max-width:320px\"></a><figcaption>poster</figcaption></figure>")
            }
            if let sheet = track.sheet {
                figures.append("<figure><a href=\"\(HTML.href(sheet))\"><img\(track.size(sheet)) src=\"\(HTML.href(sheet))\" alt=\"contact sheet\"></a><figcaption>contact sheet</figcaption></figure>")
            }
            if !figures.isEmpty { h += "<div class=\"row\">\(figures.joined())</div>\n" }
            if !track.curves.isEmpty {
                h += FeaturePlot.svg(track.curves, fps: track.fps, title: "features of \(track.title)") + "\n"
                h += "<div class=\"legend\">" + track.curves.map { "<span style=\"color:\($0.colour)\">■ \(e($0.name))</span>" }.joined() + "</div>\n"
            }
            h += "</section>\n"
        }
        if let album {
            h += "<section id=\"album\"><h2>Album cut</h2><video controls preload=\"none\" src=\"\(HTML.href(album))\"></video></section>\n"
        }
        h += "<section id=\"nodes\"><h2>Nodes</h2><table><tr><th>node</th><th>status</th><th>seconds</th></tr>\n"
        for node in nodes {
            h += "<tr><td>\(e(node.id))</td><td class=\"\(e(node.status))\">\(e(node.status))</td><td>\(String(format: "%.2f", node.seconds))</td></tr>\n"
        }
        h += "</table><p><a href=\"run.json\">run.json</a></p></section>\n</body></html>\n"
        return h
    }
}

extension RunRecord {
    /// The gallery of what this run produced; feature curves come from the features objects in the store.
    static func gallery(folder: String, project: Project, doc: Document, result: BuildResult, store: ContentStore) -> Gallery {
        let files = Set(doc.outputs.map(\.file))
        func have(_ name: String) -> String? { files.contains(name) ? name : nil }
        let tracks = project.tracks.compactMap { track -> Gallery.Track? in
            var curves: [FeaturePlot.Curve] = []
            if let digest = result.result(for: .features(track: track.id))?.output,
               let table = try? Safetensors.read(path: store.path(of: digest)) {
                for name in ["rms_norm", "onset_norm", "centroid_norm"] {
                    if let t = table.tensors[name] { curves.append(.init(name: name, values: t.data, colour: Gallery.curveColours[name]!)) }
                }
            }
            var entry = Gallery.Track(id: track.id, title: track.title, fps: track.config.output.fps, video: have("\(track.id).mp4"),
                                      poster: have(PreviewPart.poster.fileName(track: track.id)),
                                      sheet: have(PreviewPart.sheet.fileName(track: track.id)),
                                      anim: have(PreviewPart.anim.fileName(track: track.id)), curves: curves)
            for file in [entry.poster, entry.sheet, entry.anim].compactMap({ $0 }) {
                entry.sizes[file] = ImageSize.of(folder + "/" + file)
            }
            return entry.video == nil && entry.poster == nil && entry.sheet == nil && entry.anim == nil && curves.isEmpty ? nil : entry
        }
        return Gallery(title: project.title, artist: project.artist, runID: doc.runId, album: have("album.mp4"), tracks: tracks,
                       nodes: doc.nodes.filter { !$0.id.hasPrefix("file:") }.map { Gallery.Node(id: $0.id, status: $0.status, seconds: $0.seconds) },
                       wallSeconds: doc.wallSeconds)
    }
}
