/// A piece of code whose behaviour a node's output depends on (the CPPN kernel, the shard codec,
/// the encoder …), with the version to bump when that behaviour changes the bytes it makes.
///
/// A recipe declares the components it runs (`Recipe.components`); the key folds each one's name
/// and version, as swift-llbuild2's `FXVersioning` folds rule versions into keys. Bumping one
/// component changes the key of exactly the kinds that declare it, with no arithmetic between
/// versions, and `--explain` names the component that moved.
public struct CodeVersion: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let name: String
    public let version: Int

    public init(_ name: String, _ version: Int) {
        self.name = name
        self.version = version
    }

    public var description: String { "\(name) \(version)" }
    public static func < (a: CodeVersion, b: CodeVersion) -> Bool { (a.name, a.version) < (b.name, b.version) }

    /// The name under which a recipe's own `version` is folded beside its components.
    public static let recipeName = "recipe"
}

extension Recipe {
    /// The recipe's own version and every component it declares, by name: what the key folds and
    /// what a trace keeps for `--explain`.
    public static var code: [String: Int] {
        var code = [CodeVersion.recipeName: version]
        for component in components {
            precondition(code.updateValue(component.version, forKey: component.name) == nil,
                         "\(kind): component \(component.name) declared twice")
        }
        return code
    }
}
