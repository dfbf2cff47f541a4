import Foundation
@testable import Graph
import XCTest

/// A node's failure is told in the user's terms: the cache's temporary files and objects are
/// named by the node they belong to, never by their path.
final class FailureMessageTests: XCTestCase {
    struct PathError: Error, CustomStringConvertible { let description: String }

    /// Fails the way an encoder does, naming the file it was writing and the input it read.
    struct EncodeLike: Recipe {
        static let kind = "encode-like"
        static let version = 1
        let id: NodeID
        let inputs: [NodeID]
        var params: [String: String] { [:] }

        func make(_ context: BuildContext) throws -> String {
            let output = context.temporaryPath(suffix: ".mp4")
            let own = (output as NSString).deletingLastPathComponent + "/by-hand.part"
            throw PathError(description: "\(output): cannot encode \(context.path(of: inputs[0])) (also \(own))")
        }
    }

    func testCachePathsInAFailureAreNamedByTheirNode() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        var graph = BuildGraph()
        graph.add(JoinRecipe("a:1", inputs: [.file("src.txt")], text: "a", counter: counter))
        graph.add(EncodeLike(id: "track:one", inputs: ["a:1"]))
        let result = try s.engine().build(graph, targets: ["track:one"], options: BuildOptions(jobs: 1))
        let message = try XCTUnwrap(result.failures.first?.message)
        XCTAssertEqual(message, "cannot encode a:1 (also track:one)")
        XCTAssertEqual(GraphError.nodeFailed("track:one", message: message).description, "track:one: cannot encode a:1 (also track:one)")
    }
}
