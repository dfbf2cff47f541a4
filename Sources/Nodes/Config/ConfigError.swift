/// A configuration mistake, as one line naming the file, line:column and key.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// Keys, values and `--set` arguments may hold line breaks; the description never does.
    public var description: String { OneLine.escaped("\(location): \(message)") }
}
