/// Text from a file (a key, a tensor name, a path) as it may appear inside a one-line error:
/// line breaks and other control or format characters escaped (`\n`, `\u{2028}`), optionally cut.
enum OneLine {
    private static let breaking: Set<Unicode.GeneralCategory> = [.control, .lineSeparator, .paragraphSeparator, .format]

    static func escaped(_ text: String, limit: Int? = nil) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if breaking.contains(scalar.properties.generalCategory) {
                out += scalar.escaped(asASCII: true)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        guard let limit, out.count > limit else { return out }
        return out.prefix(limit) + "…"
    }
}
