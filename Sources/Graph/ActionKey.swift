/// Computes a node's key: XXH3-128 over kind, the versions of the code it runs (the recipe's own
/// and its components', sorted by name), canonical params (sorted by dotted key) and input
/// digests (sorted by input id). Never paths, times, hosts or thread counts.
public enum ActionKey {
    public static func compute(kind: String, code: [String: Int], params: [String: String], inputs: [String: Digest]) -> Digest {
        var h = Hasher128()
        h.update(field: "ntsbuild-key-3")
        h.update(field: kind)
        for (name, version) in code.sorted(by: { $0.key < $1.key }) {
            h.update(field: name)
            h.update(field: String(version))
        }
        h.update(field: "params")
        for (k, v) in params.sorted(by: { $0.key < $1.key }) {
            h.update(field: k)
            h.update(field: v)
        }
        h.update(field: "inputs")
        for (id, digest) in inputs.sorted(by: { $0.key < $1.key }) {
            h.update(field: id)
            h.update(digest: digest)
        }
        return h.finalize()
    }
}
