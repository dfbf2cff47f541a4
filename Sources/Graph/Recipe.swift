/// How one kind of node makes its output. The engine knows nothing else about a node.
///
/// The node's key is XXH3-128 over `kind`, `version`, the `components` it runs, the canonical
/// encoding of `params` and the output digests of `inputs`; see `ActionKey`. For the key to be
/// sound, `make` reads nothing but `params` and its inputs' files: a recipe holds its `id`, its
/// `params` and its input ids, and computes everything else from them.
/// In the spirit of swift-llbuild2's FXKey + FXVersioning and SwiftPM's QueryEngine.
public protocol Recipe: Sendable {
    associatedtype Params: Encodable
    /// The node kind, e.g. "features". Also the prefix of `id`.
    static var kind: String { get }
    /// Bump when the recipe's own code changes the bytes it makes: every key of the kind changes.
    static var version: Int { get }
    /// The shared components `make` runs, each with its own version (see `CodeVersion`).
    static var components: [CodeVersion] { get }

    var id: NodeID { get }
    var params: Params { get }
    /// Source files (`NodeID.file`) and other nodes whose outputs this node reads.
    var inputs: [NodeID] { get }
    /// Rough amount of work (e.g. frames), for progress and for ordering the critical path first.
    var workUnits: Int { get }
    /// A human name for what the node's output is, for explanations ("trajectory rows 840..959").
    var label: String? { get }
    /// True for a deliverable: an output the caller takes out of the store after the build
    /// (a video, a preview). Its object is checked even when the node is reused; other
    /// objects are checked when a rebuilding dependent reads them.
    var isDeliverable: Bool { get }

    /// Writes the output to a file of `context`'s choosing and returns its path; the engine
    /// moves it into the content-addressed store.
    func make(_ context: BuildContext) throws -> String
}

extension Recipe {
    public static var components: [CodeVersion] { [] }
    public var workUnits: Int { 1 }
    public var label: String? { nil }
    public var isDeliverable: Bool { false }
}
