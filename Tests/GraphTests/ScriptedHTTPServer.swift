import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-thread HTTP/1.1 server on 127.0.0.1 that answers each request with whatever `answer`
/// returns for it, written as raw bytes: a 500, a body cut short of its Content-Length, an
/// object that is not what was asked for. Servers that misbehave on purpose are what the remote
/// cache must survive, and nginx will not misbehave on request.
final class ScriptedHTTPServer: @unchecked Sendable {
    struct Request { var method: String; var path: String; var headers: [String: String] }

    let port: UInt16
    private let listener: Int32
    private let answer: @Sendable (Request) -> [UInt8]
    private let lock = NSLock()
    private var seen: [Request] = []

    var requests: [Request] { lock.lock(); defer { lock.unlock() }; return seen }

    init(answer: @escaping @Sendable (Request) -> [UInt8]) throws {
        self.answer = answer
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in serve() }.start()
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/cache")! }

    func stop() { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            handle(connection)
            close(connection)
        }
    }

    /// One request per connection (the answer says `Connection: close`).
    private func handle(_ connection: Int32) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        while headerEnd == nil {
            let n = read(connection, &chunk, chunk.count)
            if n <= 0 { return }
            bytes += chunk[0..<n]
            headerEnd = bytes.count < 4 ? nil : (3..<bytes.count).first { bytes[($0 - 3)...$0].elementsEqual([13, 10, 13, 10]) }.map { $0 + 1 }
        }
        let head = String(decoding: bytes[0..<headerEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let first = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines where line.contains(":") {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        // Read (and drop) a request body, so the client is not cut off mid-send.
        var remaining = (headers["content-length"].flatMap { Int($0) } ?? 0) - (bytes.count - headerEnd!)
        while remaining > 0 {
            let n = read(connection, &chunk, min(chunk.count, remaining))
            if n <= 0 { break }
            remaining -= n
        }
        let request = Request(method: String(first[0]), path: String(first[1]), headers: headers)
        lock.lock(); seen.append(request); lock.unlock()
        let reply = answer(request)
        _ = reply.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
    }

    /// A whole HTTP answer.
    static func response(_ status: Int, _ body: [UInt8] = [], contentLength: Int? = nil) -> [UInt8] {
        let head = "HTTP/1.1 \(status) X\r\nContent-Length: \(contentLength ?? body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }
}
