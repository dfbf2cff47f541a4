/// Lays thumbnails out in a grid on a dark background: a contact sheet of a track.
public enum ContactSheet {
    /// `images` fill `columns` × ⌈count / columns⌉ cells row by row, each scaled to `thumbWidth`
    /// (height by the first image's aspect), with `gap` pixels between cells and around the edge.
    public static func compose(_ images: [RGBImage], columns: Int, thumbWidth: Int, gap: Int,
                               background: (UInt8, UInt8, UInt8) = (16, 16, 16)) throws -> RGBImage {
        guard let first = images.first, columns > 0, thumbWidth > 0, gap >= 0 else {
            throw MediaError.invalid(file: "contact sheet", reason: "needs at least one image, columns and a thumbnail width")
        }
        let thumbHeight = max(1, Int((Double(thumbWidth) * Double(first.height) / Double(first.width)).rounded()))
        let rows = (images.count + columns - 1) / columns
        let width = columns * thumbWidth + (columns + 1) * gap
        let height = rows * thumbHeight + (rows + 1) * gap
        var sheet = RGBImage(width: width, height: height)
        for p in 0..<(width * height) {
            sheet.pixels[p * 3] = background.0
            sheet.pixels[p * 3 + 1] = background.1
            sheet.pixels[p * 3 + 2] = background.2
        }
        let scaler = try ImageScaler(from: (first.width, first.height), to: (thumbWidth, thumbHeight))
        for (i, image) in images.enumerated() {
            let thumb = scaler.scale(image)
            let x0 = gap + (i % columns) * (thumbWidth + gap)
            let y0 = gap + (i / columns) * (thumbHeight + gap)
            for y in 0..<thumbHeight {
                let src = y * thumbWidth * 3
                let dst = ((y0 + y) * width + x0) * 3
                sheet.pixels.replaceSubrange(dst..<(dst + thumbWidth * 3), with: thumb.pixels[src..<(src + thumbWidth * 3)])
            }
        }
        return sheet
    }

    /// `cells` frames evenly spaced through `frames`: the middle of each of `cells` equal stretches.
    static func evenlySpaced(frames: Int, cells: Int) -> [Int] {
        guard frames > 0 else { return [] }
        return (0..<cells).map { min(frames - 1, (2 * $0 + 1) * frames / (2 * cells)) }
    }

    /// Where `compose` put each of `count` thumbnails, found back from the finished sheet's size
    /// (`width` × `height`) and the same `columns` and `gap`: pixel boxes, row by row.
    static func cells(count: Int, columns: Int, gap: Int, width: Int, height: Int) -> [(x: Int, y: Int, width: Int, height: Int)] {
        guard count > 0, columns > 0 else { return [] }
        let rows = (count + columns - 1) / columns
        let thumbWidth = (width - (columns + 1) * gap) / columns, thumbHeight = (height - (rows + 1) * gap) / rows
        guard thumbWidth > 0, thumbHeight > 0 else { return [] }
        return (0..<count).map { (gap + ($0 % columns) * (thumbWidth + gap), gap + ($0 / columns) * (thumbHeight + gap), thumbWidth, thumbHeight) }
    }
}
