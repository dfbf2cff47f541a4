import Foundation

extension ContentStore {
    /// True when the object is present, has the size its record says and its bytes hash to its
    /// name. Sizes are compared first only to skip reading a truncated or appended-to object;
    /// a matching size proves nothing (an in-place edit keeps it, and can keep the mtime too).
    public func isIntact(_ digest: Digest, size: Int) throws -> Bool {
        guard self.size(of: digest) == size else { return false }
        return try fs.digest(of: path(of: digest)) == digest
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
        guard fs.exists(source) else { throw GraphError.missingObject(digest, path: source) }
        let temporary = (destination as NSString).deletingLastPathComponent + "/.tmp-" + UUID().uuidString
        var copied = 0
        do {
            try copyChecked(digest, from: source, to: temporary, observe: observe) { copied += $0 }
        } catch GraphError.io(let path, let reason) where path == temporary {
            // The user knows the file by its real name.
            throw GraphError.io(path: destination, reason: reason)
        }
        try fs.moveIntoPlace(temporary, to: destination)
        return copied
    }

    /// Writes `source`'s bytes to the new file `temporary`, hashing them on the way; on a
    /// mismatch the object is removed and nothing is left at `temporary`.
    private func copyChecked(_ digest: Digest, from source: String, to temporary: String,
                             observe: (UnsafeRawBufferPointer) -> Void, count: (Int) -> Void) throws {
        try fs.writeNew(temporary) { write in
            let hasher = Hasher128()
            do {
                try fs.readBlocks(source) { block in
                    hasher.update(block)
                    observe(block)
                    try write(block)
                    count(block.count)
                }
            } catch let error as GraphError {
                // Gone between the check and the read (a concurrent verify dropped it).
                if case .io(let path, _) = error, path == source, !fs.exists(source) { throw GraphError.missingObject(digest, path: source) }
                throw error
            }
            guard hasher.finalize() == digest else {
                try? fs.remove(source)
                throw GraphError.corruptObject(digest, path: source)
            }
        }
    }
}
