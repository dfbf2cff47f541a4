import Foundation
import Yams

/// Reads YAML with Yams and keeps every node's line:column, so errors can point at them.
enum YAMLSource {
    /// Parses a file; syntax errors become one-line `ConfigError`s at the offending position.
    static func load(path: String, displayName: String) throws -> Node? {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(SourceLocation(file: displayName), "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(SourceLocation(file: displayName), "not UTF-8 text")
        }
        return try parse(text, displayName: displayName)
    }

    static func parse(_ text: String, displayName: String) throws -> Node? {
        try YAMLDepth.check(text, displayName: displayName)
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
                let what = [context?.description, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
                    .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                throw ConfigError(SourceLocation(file: displayName, line: mark.line, column: mark.column), "malformed YAML: \(what)")
            default:
                throw ConfigError(SourceLocation(file: displayName), "malformed YAML: \(error.description.split(separator: "\n").first ?? "")")
            }
        }
    }

    static func location(_ node: Node, _ file: String) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)
    }

    /// A scalar typed as YAML 1.1 core types would be; quoted scalars stay strings.
    static func value(_ node: Node, _ file: String) throws -> ConfigValue {
        guard case .scalar(let scalar) = node else {
            throw ConfigError(location(node, file), "expected a single value, got a \(node.isMapping ? "mapping" : "list")")
        }
        if scalar.style == .singleQuoted || scalar.style == .doubleQuoted { return .string(scalar.string) }
        if node.null != nil { return .null }
        if let b = node.bool { return .bool(b) }
        // Numbers in their plain decimal forms only: Yams also reads YAML 1.1's base-60 and other
        // forms, and would turn "1:30" or a URL with a port into a number.
        let text = scalar.string
        if text.range(of: #"^[-+]?[0-9]+$"#, options: .regularExpression) != nil, let i = node.int { return .int(i) }
        if text.range(of: #"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$"#, options: .regularExpression) != nil,
           let f = node.float { return .float(f) }
        return .string(text)
    }

    static func mapping(_ node: Node, _ file: String, what: String) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let m) = node else {
            throw ConfigError(location(node, file), "\(what) must be a mapping")
        }
        return try m.map { pair in
            guard case .scalar(let k) = pair.key else { throw ConfigError(location(pair.key, file), "keys must be plain names") }
            return (k.string, pair.key, pair.value)
        }
    }

    /// Flattens nested mappings into dotted keys (`controller: {pulse: 1}` → `controller.pulse`),
    /// accepting dotted keys too (`controller.pulse: 1`), and type-checks each against the schema.
    static func configValues(_ node: Node, prefix: String, file: String) throws -> [String: LocatedValue] {
        var out: [String: LocatedValue] = [:]
        let issues = ConfigErrorCollector()
        for (key, keyNode, valueNode) in try mapping(node, file, what: prefix.isEmpty ? "the document" : prefix) {
            let full = prefix.isEmpty ? key : prefix + "." + key
            if full == "look.palette", valueNode.isMapping {
                // `palette: {from: image.jpg, colors: 6}` is the spelled-out look.palette_from / palette_colors.
                for (sub, subNode, subValue) in try mapping(valueNode, file, what: "look.palette") {
                    guard ["from", "colors"].contains(sub) else {
                        throw ConfigError(location(subNode, file), "unknown key look.palette.\(sub) (expected from or colors)")
                    }
                    let target = "look.palette_" + sub
                    let located = LocatedValue(value: try value(subValue, file), location: location(subNode, file))
                    out[target] = LocatedValue(value: try ConfigSchema.check(target, located), location: located.location)
                }
                out[full] = LocatedValue(value: .null, location: location(keyNode, file))
            } else if valueNode.isMapping && ConfigSchema.types[full] == nil {
                out.merge(try issues.attempt { try configValues(valueNode, prefix: full, file: file) } ?? [:]) { _, new in new }
            } else {
                let located = try issues.attempt { LocatedValue(value: try value(valueNode, file), location: location(keyNode, file)) }
                guard let located, let checked = try issues.attempt({ try ConfigSchema.check(full, located) }) else { continue }
                out[full] = LocatedValue(value: checked, location: located.location)
            }
        }
        try issues.check()
        return out
    }
}

extension Node {
    var isMapping: Bool { if case .mapping = self { return true } else { return false } }
}
