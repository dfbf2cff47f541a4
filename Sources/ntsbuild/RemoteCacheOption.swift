import ArgumentParser
import Foundation
import Graph
import Nodes

/// `--remote-cache URL|PATH` (or `NTSBUILD_REMOTE_CACHE`): a cache shared with other machines in
/// the Bazel cache layout (`ac/`, `cas/`): an HTTP server that takes PUT, or a folder on a shared
/// file system. `--remote-upload false` only reads from it.
struct RemoteCacheOption: ParsableArguments {
    @Option(name: .customLong("remote-cache"), help: ArgumentHelp("A cache shared with other machines: http(s)://host[:port]/prefix, or a folder on a shared file system (also NTSBUILD_REMOTE_CACHE).", valueName: "URL|PATH"))
    var location: String?

    @Option(name: .customLong("remote-upload"), help: "Put what this build makes in the remote cache (false: only read from it).")
    var upload = true

    /// The command line first, then the environment, then the Buildfile's `cache.remote`.
    func options(for project: Project) throws -> RemoteCacheOptions? {
        guard let location = try resolvedLocation(for: project) else { return nil }
        if let url = URL(string: location), location.hasPrefix("http://") || location.hasPrefix("https://") {
            return RemoteCacheOptions(cache: HTTPRemoteCache(base: url), upload: upload)
        }
        return RemoteCacheOptions(cache: DirectoryRemoteCache(root: location), upload: upload)
    }

    /// The remote cache as a URL or an absolute folder path (so it means the same from anywhere),
    /// or nil when none is named.
    func resolvedLocation(for project: Project) throws -> String? {
        let given = location ?? ProcessInfo.processInfo.environment["NTSBUILD_REMOTE_CACHE"]
        guard let location = given ?? project.remoteCache?.location, !location.isEmpty else { return nil }
        if location.hasPrefix("http://") || location.hasPrefix("https://") {
            guard let url = URL(string: location), url.host != nil else { throw UsageError("--remote-cache: '\(location)' is not a URL") }
            return location
        }
        // A folder named by the Buildfile is relative to the project, like every path in it.
        let base = given == nil ? URL(fileURLWithPath: project.root, isDirectory: true) : nil
        return URL(fileURLWithPath: location, relativeTo: base).standardizedFileURL.path
    }
}
