/// A file the project names is not there (the Buildfile itself, say): its own type, so the
/// command line can exit with "missing input" rather than "bad Buildfile".
public struct MissingFileError: Error, Equatable, CustomStringConvertible {
    public var file: String
    /// What the file is, e.g. "Buildfile".
    public var what: String

    public init(file: String, what: String) {
        self.file = file
        self.what = what
    }

    public var description: String { OneLine.escaped("\(file): \(what) not found") }
}
