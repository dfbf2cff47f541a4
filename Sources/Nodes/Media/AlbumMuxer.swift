import CFFmpeg

/// One chapter of the album cut, in seconds from the start of the album.
public struct Chapter: Equatable, Sendable {
    public var title: String
    public var start: Double
    public var end: Double

    public init(title: String, start: Double, end: Double) {
        self.title = title
        self.start = start
        self.end = end
    }
}

/// Builds the album cut: the tracks' video packets copied back to back (no re-encode, gapless),
/// the album audio encoded once from continuous source PCM (so no AAC priming gap or click at
/// track boundaries), one chapter per track, faststart MP4.
public enum AlbumMuxer {
    public static func mux(trackVideos: [String], chapters: [Chapter], audio: AudioInput, audioBitrate: String,
                           metadata: [String: String], output path: String) throws {
        guard let firstPath = trackVideos.first else {
            throw MediaError.invalid(file: path, reason: "an album needs at least one track video")
        }
        // Validate every track before writing anything: stream copy only works when all tracks
        // share one decoder configuration (same SPS/PPS, size, frame rate).
        let first = try MediaInput(path: firstPath, mediaType: AVMEDIA_TYPE_VIDEO)
        for other in trackVideos.dropFirst() {
            let input = try MediaInput(path: other, mediaType: AVMEDIA_TYPE_VIDEO)
            if let difference = parameterDifference(first, input) {
                throw MediaError.incompatible(file: other, reason: "cannot join without re-encoding: its video \(difference) differs from \(firstPath)")
            }
        }
        for (i, c) in chapters.enumerated() where !(c.end > c.start) || !c.start.isFinite || !c.end.isFinite {
            throw MediaError.invalid(file: path, reason: "chapter \(i + 1) '\(c.title)' has an empty or invalid span \(c.start)..\(c.end)")
        }

        let output = try MediaOutput(path: path, format: "mp4")
        // Album timestamps live in the first track's video time base; later tracks are rescaled to it.
        let timeBase = first.stream.pointee.time_base
        let videoIndex = try output.addStream(copying: first.parameters, timeBase: timeBase,
                                              frameRate: first.stream.pointee.avg_frame_rate)
        let aac = try AACStream(input: audio, bitrate: audioBitrate, output: output)
        output.setMetadata(metadata)
        try output.setChapters(chapters.map { ($0.title, $0.start, $0.end) })
        try output.writeHeader(options: ["movflags": "+faststart"])

        guard let packetPointer = av_packet_alloc() else {
            throw MediaError.ffmpeg(file: path, operation: "allocating a packet", code: cffmpeg_averror(ENOMEM))
        }
        var packetOwner: UnsafeMutablePointer<AVPacket>? = packetPointer
        defer { av_packet_free(&packetOwner) }
        let packet = packetPointer
        let noPTS = cffmpeg_nopts_value()

        var offset: Int64 = 0
        for (i, trackPath) in trackVideos.enumerated() {
            // Tracks are opened one at a time: an album of any length keeps one demuxer open.
            let input = i == 0 ? first : try MediaInput(path: trackPath, mediaType: AVMEDIA_TYPE_VIDEO)
            let inputTimeBase = input.stream.pointee.time_base
            var end = offset
            while try input.readPacket(into: packet) {
                av_packet_rescale_ts(packet, inputTimeBase, timeBase)
                if packet.pointee.pts != noPTS { packet.pointee.pts += offset }
                if packet.pointee.dts != noPTS { packet.pointee.dts += offset }
                let shown = packet.pointee.pts != noPTS ? packet.pointee.pts : packet.pointee.dts
                end = max(end, shown + max(0, packet.pointee.duration))
                // Audio first, up to this packet's decode time, so the two streams stay interleaved.
                let decodeTime = packet.pointee.dts != noPTS ? packet.pointee.dts : shown
                let seconds = Double(decodeTime) * Double(timeBase.num) / Double(timeBase.den)
                try aac.pull(toSourceFrame: aac.sourceFrames(at: max(0, seconds)))
                try output.write(packet, stream: videoIndex, from: timeBase)
            }
            // The next track starts where this one's last frame ends.
            offset = end
        }
        try aac.finish()
        try output.finish()
    }

    /// A description of the first decoder-relevant difference between two tracks' video streams, or nil.
    private static func parameterDifference(_ a: MediaInput, _ b: MediaInput) -> String? {
        let p = a.parameters.pointee, q = b.parameters.pointee
        if p.codec_id != q.codec_id {
            return "codec (\(String(cString: avcodec_get_name(q.codec_id))) vs \(String(cString: avcodec_get_name(p.codec_id))))"
        }
        if p.width != q.width || p.height != q.height { return "size (\(q.width)x\(q.height) vs \(p.width)x\(p.height))" }
        if p.format != q.format { return "pixel format" }
        if p.profile != q.profile || p.level != q.level { return "H.264 profile/level" }
        if p.video_delay != q.video_delay { return "reorder delay (B-frames)" }
        let ra = a.stream.pointee.avg_frame_rate, rb = b.stream.pointee.avg_frame_rate
        if av_cmp_q(ra, rb) != 0 { return "frame rate (\(rb.num)/\(rb.den) vs \(ra.num)/\(ra.den))" }
        let ea = extradata(p), eb = extradata(q)
        if ea != eb { return "codec configuration (extradata: SPS/PPS)" }
        return nil
    }

    private static func extradata(_ p: AVCodecParameters) -> [UInt8] {
        guard let data = p.extradata, p.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(p.extradata_size)))
    }
}
