import Graph

extension RunRecord {
    /// What a run folder holds besides the tracks' own files. A track whose outputs took one of
    /// these names would collide with it only when the run is published, after every render.
    public static let albumFileNames = [fileName(of: .album)!, "run.json", "index.html"]

    /// The run-folder names of a track's outputs: its video and its previews.
    public static func fileNames(ofTrack id: String) -> [String] {
        ([NodeID.track(id)] + PreviewPart.allCases.map { NodeID.preview(track: id, part: $0) })
            .compactMap(fileName(of:))
    }
}
