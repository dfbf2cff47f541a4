/// Computes a node's key: XXH3-128 over kind, recipe version, canonical params (sorted by
/// dotted key) and input digests (sorted by input id). Never paths, times, hosts or thread counts.
public enum ActionKey {
    public static func compute(kind: String, version: Int, params: [String: String], inputs: [String: Digest]) -> Digest {
        var h = Hasher128()
        h.update(field: "ntsbuild-key-2")
        h.update(field: kind)
        h.update(field: String(version))
        for (k, v) in params.sorted(by: { $0.key < $1.key }) {
            h.update(field: k)
            h.update(field: v)
        }
        for (id, digest) in inputs.sorted(by: { $0.key < $1.key }) {
            h.update(field: id)
            h.update(digest: digest)
        }
        return h.finalize()
    }
}
