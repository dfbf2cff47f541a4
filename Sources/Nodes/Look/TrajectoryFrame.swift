extension FrameGenerator {
    /// Row `row` of a trajectory (or of a shard's slice of one): the row's latent, with its
    /// camera curves (zoom, rotation) rendered in; the other curves are post-effects.
    /// Shared by the frame shards and `still`, so both render the same pixels.
    public func render(row: Int, of trajectory: Safetensors, latents: Tensor, width: Int, height: Int) -> RGBImage {
        let camera = FrameCurves(trajectory: trajectory, frame: row)
        return render(latent: latents.row(row), width: width, height: height, zoom: camera.zoom, rotation: camera.rotation)
    }
}
