extension OutputConfig {
    /// The size the generator renders at for this output at `scale` (generator.render_scale),
    /// as the frame shards do; public so the benchmarks render at the same size.
    public func renderSize(scale: Double) -> (width: Int, height: Int) {
        Nodes.renderSize(self, scale: scale)
    }
}
