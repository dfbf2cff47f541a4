import CYaml

/// A bound on how deeply a YAML document nests, checked on libyaml's event stream before Yams
/// builds the tree: composing, walking and freeing the tree each recurse once per level, so a few
/// thousand `[` overflow the stack. The event loop itself is iterative and allocates nothing per level
/// beyond one small stack entry.
enum YAMLDepth {
    /// Far beyond any configuration (a Buildfile nests 4 levels), far below what the stack holds.
    static let limit = 64

    /// An open sequence or mapping: its anchor, and the deepest level reached inside it (aliases
    /// count as the depth of what they refer to, since Yams copies that tree into place).
    private struct Open {
        var anchor: String?
        var deepest: Int
    }

    /// Throws a one-line `ConfigError` at the first node that nests deeper than `limit`. Syntax
    /// errors end the scan silently: Yams reports them with a better message.
    static func check(_ text: String, displayName: String) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var open: [Open] = []
            var heights: [String: Int] = [:]
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                func fail(_ level: Int) -> ConfigError {
                    ConfigError(SourceLocation(file: displayName, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1),
                                "malformed YAML: nested \(level) levels deep (at most \(limit))")
                }
                switch event.type {
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let level = open.count + 1
                    guard level <= limit else { throw fail(level) }
                    let anchor = event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                    open.append(Open(anchor: anchor.map { String(cString: $0) }, deepest: level))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let closed = open.popLast() else { return }
                    if let anchor = closed.anchor { heights[anchor] = closed.deepest - open.count }
                    if !open.isEmpty { open[open.count - 1].deepest = max(open[open.count - 1].deepest, closed.deepest) }
                case YAML_ALIAS_EVENT:
                    let height = event.data.alias.anchor.flatMap { heights[String(cString: $0)] } ?? 0
                    let level = open.count + height
                    guard level <= limit else { throw fail(level) }
                    if !open.isEmpty { open[open.count - 1].deepest = max(open[open.count - 1].deepest, level) }
                case YAML_STREAM_END_EVENT:
                    return
                default:
                    break
                }
            }
        }
    }
}
