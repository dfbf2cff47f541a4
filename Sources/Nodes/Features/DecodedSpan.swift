import Foundation

/// A span's mono mix decoded into memory by a background thread and published block by block, so
/// the first analysis pass runs on the start of the track while the rest is still being decoded
/// (decoding an MP3 is about a fifth of an extraction). The samples are the same whatever the
/// timing: readers wait until the samples they ask for are there, then read them once written.
///
/// The thread owns `file` until `waitUntilFinished()` returns; callers wait for it before they
/// return, on every path, so the file is never used by two threads at once.
final class DecodedSpan: @unchecked Sendable {
    /// Samples the span should have; fewer are decoded when the file ends early.
    let capacity: Int
    let samples: UnsafeMutablePointer<Float>
    private let condition = NSCondition()
    private var decoded = 0
    private var finished = false
    private var failure: Error?

    init(file: AudioFile, span: AudioSpan) {
        capacity = span.count
        samples = .allocate(capacity: max(1, span.count))
        let thread = Thread { [self] in decode(file: file, span: span) }
        thread.name = "ntsbuild.decode"
        thread.start()
    }

    deinit {
        waitUntilFinished()
        samples.deallocate()
    }

    private func decode(file: AudioFile, span: AudioSpan) {
        var filled = 0
        var error: Error?
        do {
            try file.seek(toFrame: span.start)
            while filled < capacity {
                let got = try file.readMono(frames: min(1 << 16, capacity - filled), into: samples + filled)
                if got == 0 { break }
                filled += got
                condition.lock()
                decoded = filled
                condition.broadcast()
                condition.unlock()
            }
        } catch let e {
            error = e
        }
        condition.lock()
        decoded = filled
        failure = error
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the first `count` samples are decoded, or decoding has ended; returns how many
    /// samples are decoded (all of `samples[..<result]` may then be read). Rethrows a decoding error.
    func wait(for count: Int) throws -> Int {
        condition.lock()
        defer { condition.unlock() }
        while decoded < count && !finished { condition.wait() }
        if let failure { throw failure }
        return decoded
    }

    func waitUntilFinished() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
