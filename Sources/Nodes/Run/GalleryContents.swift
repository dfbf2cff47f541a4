import Foundation
import Graph

extension RunRecord {
    /// The gallery of what this run produced: files from the run folder, settings from the run
    /// record, feature lanes from the features objects in the store, chapters from the album
    /// file, and the newest earlier run under the same renders folder.
    static func gallery(folder: String, rendersDirectory: String, project: Project, doc: Document, result: BuildResult,
                        store: ContentStore) -> Gallery {
        let files = Set(doc.outputs.map(\.file))
        func have(_ name: String) -> String? { files.contains(name) ? name : nil }
        let tracks = project.tracks.compactMap { track -> Gallery.Track? in
            let config = doc.tracks[track.id] ?? track.config
            let fps = config.output.fps
            var entry = Gallery.Track(id: track.id, title: track.title, fps: fps, video: have("\(track.id).mp4"),
                                      poster: have(PreviewPart.poster.fileName(track: track.id)),
                                      sheet: have(PreviewPart.sheet.fileName(track: track.id)),
                                      anim: have(PreviewPart.anim.fileName(track: track.id)), curves: [], frames: 0)
            if let digest = result.result(for: .features(track: track.id))?.output,
               let table = try? Safetensors.read(path: store.path(of: digest)) {
                entry.curves = FeaturePlot.lanes.compactMap { lane in
                    table.tensors[lane.tensor].map { FeaturePlot.Curve(name: lane.tensor, label: lane.label, values: $0.data, colour: lane.colour) }
                }
                entry.frames = table.tensors["rms"]?.data.count ?? entry.curves.map(\.values.count).max() ?? 0
                if let beats = table.tensors["beats"], beats.data.count == entry.frames {
                    entry.beats = beats.data.indices.filter { beats.data[$0] > 0.5 }
                    entry.tempo = table.tensors["tempo"]?.data.first
                }
            }
            entry.sheetTimes = ContactSheet.evenlySpaced(frames: entry.frames, cells: PreviewRecipe.Layout().columns * PreviewRecipe.Layout().rows)
                .map { (Double($0) + 0.5) / Double(max(1, fps)) }
            entry.settings = GallerySettings.entries(config, presets: GallerySettings.presets(from: track.locations))
            for file in [entry.poster, entry.sheet, entry.anim].compactMap({ $0 }) {
                entry.sizes[file] = ImageSize.of(folder + "/" + file)
            }
            return entry.video == nil && entry.poster == nil && entry.sheet == nil && entry.anim == nil && entry.frames == 0 ? nil : entry
        }
        let album = have(fileName(of: .album)!)
        var page = Gallery(title: project.title, artist: project.artist, runID: doc.runId, album: album,
                           albumPoster: tracks.lazy.compactMap(\.poster).first, tracks: tracks,
                           nodes: doc.nodes.filter { !$0.id.hasPrefix("file:") }.map { Gallery.Node(id: $0.id, status: $0.status, seconds: $0.seconds) },
                           wallSeconds: doc.wallSeconds)
        // Chapters as the published file carries them; a gallery without them still works.
        if let album { page.chapters = (try? ChapterReader.chapters(of: folder + "/" + album)) ?? [] }
        if let previous = RunHistory(rendersDirectory: rendersDirectory).runs.last(where: { ($0.folder as NSString).lastPathComponent != doc.runId }) {
            let name = (previous.folder as NSString).lastPathComponent
            page.previousRun = ("../" + name + "/index.html", name)
        }
        return page
    }
}
