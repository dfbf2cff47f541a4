import CFFmpeg

/// The chapters an MP4 carries (libavformat's demuxer), as the gallery lists them: read from the
/// published album file itself, so the list is what a player shows, crossfades included.
enum ChapterReader {
    static func chapters(of path: String) throws -> [Chapter] {
        let input = try MediaInput(path: path, mediaType: AVMEDIA_TYPE_VIDEO)
        let context = input.context.pointee
        return (0..<Int(context.nb_chapters)).compactMap { i in
            guard let chapter = context.chapters[i] else { return nil }
            let base = chapter.pointee.time_base
            guard base.den != 0 else { return nil }
            let seconds = { (t: Int64) in Double(t) * Double(base.num) / Double(base.den) }
            let title = av_dict_get(chapter.pointee.metadata, "title", nil, 0).map { String(cString: $0.pointee.value) } ?? "Chapter \(i + 1)"
            return Chapter(title: title, start: seconds(chapter.pointee.start), end: seconds(chapter.pointee.end))
        }
    }
}
