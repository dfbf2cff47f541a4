import Foundation
import Yams

/// The Buildfile's `cache:` section, which names a cache shared with other machines:
///
///     cache:
///       remote: http://cache.example:8080/ntsbuild     # or a folder on a shared file system
///
/// `--remote-cache` and `NTSBUILD_REMOTE_CACHE` take precedence. Credentials never belong here:
/// a Buildfile is committed and shared, so a URL with a user or password is refused (the token
/// comes from `NTSBUILD_REMOTE_TOKEN` or `~/.netrc`).
enum CacheSection {
    static let keys = ["remote"]

    static func parse(_ node: Node, file: String) throws -> RemoteCacheSetting? {
        var remote: RemoteCacheSetting?
        for (key, keyNode, value) in try YAMLSource.mapping(node, file, what: "cache") {
            guard key == "remote" else {
                let hint = ConfigSchema.suggestion(for: key, among: keys).map { " (did you mean \($0)?)" } ?? ""
                throw ConfigError(YAMLSource.location(keyNode, file), "unknown key cache.\(key)\(hint)")
            }
            let location = YAMLSource.location(value, file)
            let text = try BuildfileLoader.string(value, file, key: "cache.remote")
            if let url = URL(string: text), let scheme = url.scheme, scheme.hasPrefix("http") {
                guard url.host != nil else { throw ConfigError(location, "cache.remote: '\(text)' is not a URL") }
                if url.user != nil || url.password != nil {
                    throw ConfigError(location, "cache.remote: credentials do not belong in the Buildfile; give a token in NTSBUILD_REMOTE_TOKEN or a login in ~/.netrc")
                }
            }
            remote = RemoteCacheSetting(location: text, source: location)
        }
        return remote
    }
}

/// Where the Buildfile says the shared cache is: a URL, or a folder (relative to the project).
public struct RemoteCacheSetting: Sendable, Equatable {
    public var location: String
    public var source: SourceLocation
}
