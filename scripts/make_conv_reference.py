#!/usr/bin/env python3
"""Makes the conv generator's reference fixture (numpy only, no PyTorch needed).

A tiny random GAN-style generator — latent 8 → dense → 16×4×4 → two blocks of (nearest ×2,
3×3 conv, leaky ReLU 0.2) → 3×3 conv to RGB → tanh, i.e. a 16×16 RGB image — is written as a
safetensors style file in exactly the layout a PyTorch export has (state_dict names, Linear
weight [out, in], Conv2d weight [out, in, kh, kw], float32 little-endian), together with an input
latent and the expected output of this independent numpy forward pass:

    Tests/NodesTests/Fixtures/conv-tiny.safetensors         the style (what generator.style names)
    Tests/NodesTests/Fixtures/conv-tiny-reference.safetensors  `latent` [8], `image` [3, 16, 16]

Run from the repository root: python3 scripts/make_conv_reference.py
"""
import json
import struct

import numpy as np

LATENT, C0, S0, BLOCK_CHANNELS, SLOPE = 8, 16, 4, [16, 8], 0.2


def write_safetensors(path, tensors, metadata=None):
    """The format by hand: u64 little-endian header length, JSON header, raw little-endian data."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # pad so the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def leaky(x):
    return np.where(x > 0, x, SLOPE * x)


def conv3x3(x, w, b):
    """Same-padded 3×3 convolution, PyTorch semantics (cross-correlation), in float64."""
    cin, h, wd = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    out = np.zeros((w.shape[0], h, wd))
    for ky in range(3):
        for kx in range(3):
            patch = padded[:, ky:ky + h, kx:kx + wd]                      # [cin, h, w]
            out += np.einsum("oc,chw->ohw", w[:, :, ky, kx], patch)
    return out + b[:, None, None]


def forward(t, z):
    x = leaky(t["dense.weight"] @ z + t["dense.bias"]).reshape(C0, S0, S0)
    for i in range(len(BLOCK_CHANNELS)):
        x = x.repeat(2, axis=1).repeat(2, axis=2)                          # nearest ×2
        x = leaky(conv3x3(x, t[f"blocks.{i}.conv.weight"], t[f"blocks.{i}.conv.bias"]))
    return np.tanh(conv3x3(x, t["to_rgb.weight"], t["to_rgb.bias"]))


def main():
    rng = np.random.default_rng(5)
    t = {"dense.weight": rng.normal(0, 0.5, (C0 * S0 * S0, LATENT)), "dense.bias": rng.normal(0, 0.1, C0 * S0 * S0)}
    cin = C0
    for i, cout in enumerate(BLOCK_CHANNELS):
        t[f"blocks.{i}.conv.weight"] = rng.normal(0, (2 / (cin * 9)) ** 0.5, (cout, cin, 3, 3))
        t[f"blocks.{i}.conv.bias"] = rng.normal(0, 0.1, cout)
        cin = cout
    t["to_rgb.weight"] = rng.normal(0, (2 / (cin * 9)) ** 0.5, (3, cin, 3, 3))
    t["to_rgb.bias"] = rng.normal(0, 0.1, 3)
    t = {k: v.astype(np.float32) for k, v in t.items()}                   # the model is float32
    z = rng.normal(0, 1, LATENT).astype(np.float32)
    image = forward({k: v.astype(np.float64) for k, v in t.items()}, z.astype(np.float64))
    meta = {"kind": "conv", "latent_dim": LATENT, "channels": C0, "start_size": S0,
            "blocks": len(BLOCK_CHANNELS), "activation": "leaky_relu", "negative_slope": SLOPE}
    fixtures = "Tests/NodesTests/Fixtures/"
    write_safetensors(fixtures + "conv-tiny.safetensors", t, meta)
    write_safetensors(fixtures + "conv-tiny-reference.safetensors", {"latent": z, "image": image.astype(np.float32)})
    print("output range", image.min(), image.max(), "std", image.std())


if __name__ == "__main__":
    main()
