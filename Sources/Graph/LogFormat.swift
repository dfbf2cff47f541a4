import Foundation

/// The version line that starts each of the cache's own text files (`ntsbuild-actions 1`), so a
/// file from another version of ntsbuild, or garbage, is recognised and set aside instead of
/// being misread.
enum LogFormat {
    /// Nil when `data` starts with the line `header`; otherwise what is wrong, for a warning.
    static func problem(_ data: Data, header: String) -> String? {
        let firstLine = data.prefix { $0 != 0x0A }
        if firstLine.elementsEqual(header.utf8) { return nil }
        let name = header.prefix { $0 != " " }
        if firstLine.starts(with: (name + " ").utf8) {
            let version = String(decoding: firstLine.dropFirst(name.count + 1).prefix(20), as: UTF8.self)
            return "format version \(version) is not one this ntsbuild reads (\(header))"
        }
        return "no '\(header)' header (written by an older ntsbuild, or not a log)"
    }
}
