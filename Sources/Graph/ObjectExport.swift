import Foundation

extension ContentStore {
    /// True when the object is present, has the size its record says and its bytes hash to its
    /// name. Sizes are compared first only to skip reading a truncated or appended-to object;
    /// a matching size proves nothing (an in-place edit keeps it, and can keep the mtime too).
    public func isIntact(_ digest: Digest, size: Int) throws -> Bool {
        guard self.size(of: digest) == size else { return false }
        return try Hasher128.hashFile(atPath: path(of: digest)) == digest
    }

    /// Copies an object to `destination`, a file outside the store that the user owns (a run
    /// folder's video), checking the bytes against the digest as they go. `observe` sees every
    /// block, so the caller can checksum the copy in the same pass. Returns the bytes copied.
    ///
    /// A copy, not a hard link: a link makes the published file and the object one inode, and a
    /// tagger or editor that rewrites the published file in place would then change the object
    /// behind its name. The bytes written are the bytes hashed, so what lands at `destination` is
    /// known good. On a mismatch nothing lands there and the object is removed (it is rebuilt by
    /// the next build that needs it). The copy is written beside `destination` and renamed, so a
    /// crash never leaves a partial file under the real name.
    @discardableResult
    public func export(_ digest: Digest, to destination: String, observe: (UnsafeRawBufferPointer) -> Void = { _ in }) throws -> Int {
        let source = path(of: digest)
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else {
            throw errno == ENOENT ? GraphError.missingObject(digest, path: source) : GraphError.io(path: source, reason: String(cString: strerror(errno)))
        }
        defer { close(input) }
        let temporary = (destination as NSString).deletingLastPathComponent + "/.tmp-" + UUID().uuidString
        let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw GraphError.io(path: destination, reason: String(cString: strerror(errno))) }
        var copied = 0
        do {
            defer { close(output) }
            let hasher = Hasher128()
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
            defer { buffer.deallocate() }
            while true {
                let count = read(input, buffer.baseAddress, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw GraphError.io(path: source, reason: String(cString: strerror(errno))) }
                if count == 0 { break }
                let block = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                hasher.update(block)
                observe(block)
                try Self.writeAll(output, block, path: destination)
                copied += count
            }
            guard hasher.finalize() == digest else {
                try? fs.remove(source)
                throw GraphError.corruptObject(digest, path: source)
            }
        } catch {
            unlink(temporary)
            throw error
        }
        try fs.moveIntoPlace(temporary, to: destination)
        return copied
    }

    private static func writeAll(_ descriptor: Int32, _ block: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < block.count {
            let written = write(descriptor, block.baseAddress! + offset, block.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw GraphError.io(path: path, reason: written < 0 ? String(cString: strerror(errno)) : "short write (disk full?)") }
            offset += written
        }
    }
}
