import ArgumentParser
import Foundation
import Graph

/// `--remote-cache PATH` (or `NTSBUILD_REMOTE_CACHE`): a cache shared with other machines, here a
/// folder on a shared file system in the Bazel cache layout (`ac/`, `cas/`). `--remote-upload
/// false` only reads from it.
struct RemoteCacheOption: ParsableArguments {
    @Option(name: .customLong("remote-cache"), help: ArgumentHelp("A cache shared with other machines: a folder on a shared file system (also NTSBUILD_REMOTE_CACHE).", valueName: "PATH"))
    var location: String?

    @Option(name: .customLong("remote-upload"), help: "Put what this build makes in the remote cache (false: only read from it).")
    var upload = true

    func options() throws -> RemoteCacheOptions? {
        guard let location = location ?? ProcessInfo.processInfo.environment["NTSBUILD_REMOTE_CACHE"], !location.isEmpty else { return nil }
        if location.hasPrefix("http://") || location.hasPrefix("https://") {
            throw UsageError("--remote-cache \(location): HTTP caches are not supported yet; give a folder on a shared file system")
        }
        return RemoteCacheOptions(cache: DirectoryRemoteCache(root: URL(fileURLWithPath: location).standardizedFileURL.path), upload: upload)
    }
}
