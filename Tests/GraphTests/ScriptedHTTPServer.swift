import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-thread HTTP/1.1 server on 127.0.0.1 that answers each request with whatever `answer`
/// returns for it, written as raw bytes: a 500, a body cut short of its Content-Length, an
/// object that is not what was asked for. Servers that misbehave on purpose are what the remote
/// cache must survive, and nginx will not misbehave on request.
final class ScriptedHTTPServer: @unchecked Sendable {
    struct Request { var method: String; var path: String; var headers: [String: String]; var body: [UInt8] }

    let port: UInt16
    private let listener: Int32
    private let answer: @Sendable (Request) -> [UInt8]
    private let readsBodies: Bool
    private let lock = NSLock()
    private var seen: [Request] = []

    var requests: [Request] { lock.lock(); defer { lock.unlock() }; return seen }

    /// `readsBodies: false` hangs up as soon as a request's head has arrived, without reading its
    /// body or answering: a server that goes away while a client is sending.
    init(readsBodies: Bool = true, answer: @escaping @Sendable (Request) -> [UInt8]) throws {
        self.answer = answer
        self.readsBodies = readsBodies
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
        var body = Array(bytes[headerEnd!...])
        if !readsBodies { return }
        // Read the request body (Content-Length or chunked), so the client is not cut off mid-send.
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            body = readChunked(connection, already: body)
        } else {
            let length = headers["content-length"].flatMap { Int($0) } ?? 0
            while body.count < length {
                let n = read(connection, &chunk, min(chunk.count, length - body.count))
                if n <= 0 { break }
                body += chunk[0..<n]
            }
        }
        let request = Request(method: String(first[0]), path: String(first[1]), headers: headers, body: body)
        lock.lock(); seen.append(request); lock.unlock()
        let reply = answer(request)
        _ = reply.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
    }

    /// A chunked body, decoded: `<hex size>\r\n<bytes>\r\n` … `0\r\n\r\n`.
    private func readChunked(_ connection: Int32, already: [UInt8]) -> [UInt8] {
        var raw = already, decoded: [UInt8] = [], position = 0
        var chunk = [UInt8](repeating: 0, count: 65536)
        func more() -> Bool {
            let n = read(connection, &chunk, chunk.count)
            if n > 0 { raw += chunk[0..<n] }
            return n > 0
        }
        while true {
            var lineEnd: Int?
            while true {
                lineEnd = raw.count < position + 2 ? nil : (position + 1..<raw.count).first { raw[$0 - 1] == 13 && raw[$0] == 10 }
                if lineEnd != nil || !more() { break }
            }
            guard let end = lineEnd, let size = Int(String(decoding: raw[position..<(end - 1)], as: UTF8.self), radix: 16) else { return decoded }
            position = end + 1
            while raw.count < position + size + 2 { if !more() { return decoded } }
            if size == 0 { return decoded }
            decoded += raw[position..<(position + size)]
            position += size + 2
        }
    }

    /// A whole HTTP answer.
    static func response(_ status: Int, _ body: [UInt8] = [], contentLength: Int? = nil) -> [UInt8] {
        let head = "HTTP/1.1 \(status) X\r\nContent-Length: \(contentLength ?? body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }
}
