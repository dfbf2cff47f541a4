import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A remote cache behind any HTTP/1.1 server that takes a chunked `PUT` (nginx with `dav_methods PUT;
/// create_full_put_path on;`, Apache mod_dav, bazel-remote …): `GET`/`HEAD`/`PUT` of
/// `<base>/ac/<key>` and `<base>/cas/<digest>`, the layout of Bazel's HTTP cache. Through
/// Foundation's URLSession (libcurl underneath: connection reuse, TLS), which needs no package
/// beyond the toolchain's. Each request has a timeout and is retried a few times with backoff
/// on a network error or a 5xx answer. Credentials come from the environment
/// (`NTSBUILD_REMOTE_TOKEN`, a bearer token) or `~/.netrc` (basic auth for the host), never from
/// the Buildfile, and are never printed.
public final class HTTPRemoteCache: RemoteCache, @unchecked Sendable {
    public let base: URL
    let session: URLSession
    let authorization: String?
    static let attempts = 3

    public init(base: URL, environment: [String: String] = ProcessInfo.processInfo.environment,
                netrc: String = NSHomeDirectory() + "/.netrc", timeout: TimeInterval = 30) {
        self.base = base
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpMaximumConnectionsPerHost = 4
        session = URLSession(configuration: configuration)
        if let token = environment["NTSBUILD_REMOTE_TOKEN"], !token.isEmpty {
            authorization = "Bearer " + token
        } else if let host = base.host, let (login, password) = Netrc.credentials(for: host, in: netrc) {
            authorization = "Basic " + Data("\(login):\(password)".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
    }

    public var name: String {
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false)
        components?.user = nil
        components?.password = nil
        return components?.string ?? "the remote cache"
    }

    func url(_ kind: String, _ digest: Digest) -> URL { base.appendingPathComponent(kind).appendingPathComponent(digest.hex) }

    public func lookup(_ key: Digest) throws -> RemoteEntry? {
        let (status, data) = try send("GET", url("ac", key))
        if status == 404 { return nil }
        guard status == 200 else { throw GraphError.io(path: name + "/ac/" + key.hex, reason: "HTTP \(status)") }
        guard let entry = try? JSONDecoder().decode(RemoteEntry.self, from: data) else {
            throw GraphError.io(path: name + "/ac/" + key.hex, reason: "not an action entry")
        }
        return entry
    }

    /// Streams the object to `path`: an album's video need not fit in memory.
    public func download(_ digest: Digest, to path: String) throws {
        let status = try send("GET", url("cas", digest), saveTo: path).status
        guard status == 200 else {
            try? FileManager.default.removeItem(atPath: path)
            throw GraphError.io(path: name + "/cas/" + digest.hex, reason: "HTTP \(status)")
        }
    }

    public func upload(_ path: String, as digest: Digest, replacing: Bool) throws {
        if !replacing, try send("HEAD", url("cas", digest)).status == 200 { return }
        let status = try send("PUT", url("cas", digest), file: path).status
        guard (200..<300).contains(status) else { throw GraphError.io(path: name + "/cas/" + digest.hex, reason: "PUT answered HTTP \(status)") }
    }

    public func publish(_ entry: RemoteEntry, for key: Digest) throws {
        let status = try send("PUT", url("ac", key), body: try JSONEncoder().encode(entry)).status
        guard (200..<300).contains(status) else { throw GraphError.io(path: name + "/ac/" + key.hex, reason: "PUT answered HTTP \(status)") }
    }

    /// One request, retried with backoff (0.2 s, 0.4 s) on a network error or a 5xx answer.
    /// `body` or `file` is sent; with `saveTo`, the answer's body goes to that file instead of
    /// memory (a body cut short is a network error, never a short file).
    func send(_ method: String, _ url: URL, body: Data? = nil, file: String? = nil, saveTo: String? = nil) throws -> (status: Int, data: Data) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        var lastError: Error = GraphError.io(path: name, reason: "no answer")
        for attempt in 0..<Self.attempts {
            if attempt > 0 { Thread.sleep(forTimeInterval: 0.2 * Double(1 << (attempt - 1))) }
            do {
                let (status, data) = try perform(request, body: body, file: file, saveTo: saveTo)
                if status >= 500 { lastError = GraphError.io(path: name, reason: "HTTP \(status)"); continue }
                return (status, data)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private func perform(_ request: URLRequest, body: Data?, file: String?, saveTo: String?) throws -> (Int, Data) {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<(Int, Data), Error> = .failure(GraphError.io(path: name, reason: "no answer"))
        let name = self.name
        let finish: @Sendable (URLResponse?, Data?, Error?) -> Void = { response, data, error in
            if let error {
                outcome = .failure(GraphError.io(path: name, reason: error.localizedDescription))
            } else {
                outcome = .success(((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data()))
            }
        }
        let answered: @Sendable (Data?, URLResponse?, Error?) -> Void = { data, response, error in
            finish(response, data, error)
            done.signal()
        }
        let task: URLSessionTask
        if let saveTo {
            task = session.downloadTask(with: request) { location, response, error in
                // The temporary file is gone once this returns: move it now.
                var failure = error
                if failure == nil, let location {
                    try? FileManager.default.removeItem(atPath: saveTo)
                    do { try FileManager.default.moveItem(atPath: location.path, toPath: saveTo) } catch { failure = error }
                }
                answered(nil, response, failure)
            }
        } else if let file {
            // Streamed from an InputStream (chunked transfer encoding), read on libcurl's own
            // callback. Not `uploadTask(fromFile:)`: its asynchronous file reader un-pauses the
            // transfer with a `try!` that traps when the server has already hung up
            // (FoundationNetworking's EasyHandle, CURLE_BAD_FUNCTION_ARGUMENT), which turned a
            // server stopped mid-build into a crash. A fresh stream per attempt: one is read once.
            guard let stream = InputStream(fileAtPath: file) else { throw GraphError.io(path: file, reason: "cannot be read") }
            var streamed = request
            streamed.httpBodyStream = stream
            task = session.dataTask(with: streamed, completionHandler: answered)
        } else if let body {
            task = session.uploadTask(with: request, from: body, completionHandler: answered)
        } else {
            task = session.dataTask(with: request, completionHandler: answered)
        }
        task.resume()
        done.wait()
        return try outcome.get()
    }
}

/// `~/.netrc`: `machine HOST login USER password SECRET` (tokens separated by any white space).
enum Netrc {
    static func credentials(for host: String, in path: String) -> (String, String)? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let tokens = text.split(whereSeparator: \.isWhitespace).map(String.init)
        var i = 0
        var machine: String?, login: String?, password: String?
        func found() -> (String, String)? { machine == host ? login.flatMap { l in password.map { (l, $0) } } : nil }
        while i < tokens.count {
            let token = tokens[i], value = i + 1 < tokens.count ? tokens[i + 1] : nil
            switch token {
            case "machine", "default":
                if let credentials = found() { return credentials }
                (machine, login, password) = (token == "default" ? host : value, nil, nil)
                i += token == "default" ? 1 : 2
            case "login": login = value; i += 2
            case "password": password = value; i += 2
            default: i += 1
            }
        }
        return found()
    }
}
