/// A sliding window over the mono mix of an audio span.
///
/// Frames are requested in increasing order; samples before the oldest frame still needed are
/// dropped, so memory stays at about one read block plus one FFT frame however long the file is.
/// Positions outside the span read as zeros (librosa's `center=True` with constant padding).
final class SignalWindow {
    private let read: (Int) throws -> [Float]
    private let spanStart: Int
    private let spanEnd: Int
    private let blockSize: Int
    /// Absolute sample index of `buffer[0]`.
    private var bufferStart: Int
    private var buffer: [Float] = []
    /// Absolute index of the next sample the reader will return.
    private var readPosition: Int
    /// The buffer is shared with the caller's whole-span array: dropping from it would copy it.
    private var keepsAll = false

    /// `read(k)` returns up to `k` next mono samples of the span (starting at `span.start`).
    init(spanStart: Int, spanEnd: Int, blockSize: Int = 1 << 16, read: @escaping (Int) throws -> [Float]) {
        self.read = read
        self.spanStart = spanStart
        self.spanEnd = spanEnd
        self.blockSize = blockSize
        bufferStart = spanStart
        readPosition = spanStart
    }

    /// A window over samples already in memory (`samples[0]` is sample `spanStart`; fewer than the
    /// span's samples read as a file that ended early): nothing is copied or dropped.
    convenience init(spanStart: Int, spanEnd: Int, samples: [Float]) {
        self.init(spanStart: spanStart, spanEnd: spanEnd) { _ in [] }
        buffer = samples
        readPosition = spanEnd
        keepsAll = true
    }

    convenience init(file: AudioFile, span: AudioSpan) throws {
        try file.seek(toFrame: span.start)
        self.init(spanStart: span.start, spanEnd: span.end) { try file.readMono(frames: $0) }
    }

    /// Copies samples `[start, start + count)` (absolute indices) into `out`, zero outside the span.
    /// `start` must not decrease between calls.
    func copy(from start: Int, count: Int, into out: UnsafeMutablePointer<Float>) throws {
        out.initialize(repeating: 0, count: count)
        let lo = max(start, spanStart)
        let hi = min(start + count, spanEnd)
        guard lo < hi else { return }
        try fill(through: hi)
        discard(before: lo)
        let available = min(hi, bufferStart + buffer.count)
        guard lo < available else { return }
        buffer.withUnsafeBufferPointer { b in
            (out + (lo - start)).update(from: b.baseAddress! + (lo - bufferStart), count: available - lo)
        }
    }

    private func fill(through end: Int) throws {
        while readPosition < end && readPosition < spanEnd {
            let want = min(blockSize, spanEnd - readPosition)
            let block = try read(want)
            if block.isEmpty {
                // The file ended early (a truncated or mis-sized file): treat the rest as silence.
                readPosition = spanEnd
                return
            }
            buffer.append(contentsOf: block)
            readPosition += block.count
        }
    }

    private func discard(before position: Int) {
        // Drop in large chunks only, so the cost of shifting the buffer stays amortised.
        let drop = position - bufferStart
        if !keepsAll && drop >= blockSize && drop <= buffer.count {
            buffer.removeFirst(drop)
            bufferStart = position
        }
    }
}
