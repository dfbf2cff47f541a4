import ArgumentParser
import Foundation
import Graph
import Nodes

/// `ntsbuild graph [TARGET] --format dot|json`: the build graph the target needs, for Graphviz
/// (`| dot -Tsvg > graph.svg`) or for other tools.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "graph", abstract: "Print the build graph as Graphviz dot or JSON.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case dot, json }

    @Argument(help: "The target.", completion: .custom(Completions.targets))
    var target: String = "album"

    @Option(help: "dot or json.")
    var format: Format = .dot

    @OptionGroup var project: ProjectOptions

    func run() throws {
        try reportingErrors {
            let workspace = try project.workspace()
            let graph = workspace.album.graph
            let order = try graph.closure(of: workspace.resolve([target]))
            switch format {
            case .dot:
                print(Self.dot(order: order, graph: graph))
            case .json:
                let nodes: [[String: Any]] = order.map { id in
                    var node: [String: Any] = ["id": id.raw, "kind": String(id.kind), "inputs": graph.inputs(of: id).map(\.raw)]
                    if let recipe = graph.recipes[id] {
                        node["code"] = type(of: recipe).code
                        node["work_units"] = recipe.workUnits
                        node["params"] = (try? CanonicalParams.flatten(recipe.params)) ?? [:]
                    }
                    return node
                }
                let data = try JSONSerialization.data(withJSONObject: ["target": target, "nodes": nodes], options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }

    static func dot(order: [NodeID], graph: BuildGraph) -> String {
        func escaped(_ s: String) -> String { s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") }
        func quoted(_ s: String) -> String { "\"" + escaped(s) + "\"" }
        var lines = ["digraph ntsbuild {", "  rankdir=LR;", "  node [shape=box, fontname=\"Helvetica\", fontsize=10];"]
        for id in order {
            let shape = id.isFile ? ", shape=note" : ""
            // Each part is escaped, then joined by dot's own line break (`\n` inside the quotes).
            let label = ([id.raw] + (graph.recipes[id]?.label.map { [$0] } ?? [])).map(escaped).joined(separator: "\\n")
            lines.append("  \(quoted(id.raw)) [label=\"\(label)\"\(shape)];")
        }
        for id in order {
            for input in graph.inputs(of: id) { lines.append("  \(quoted(input.raw)) -> \(quoted(id.raw));") }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}
