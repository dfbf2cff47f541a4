#!/usr/bin/env python3
"""Where a fitted style's structure sits, scale by scale — a diagnostic for style fitting.

Reads StyleBench's pictures (reference | random seed | fitted style at two latents, 96 px tiles
4 px apart) and prints, for each tile, the luminance (L*) spread, the mean squared gradient of
L*/100 at each level of a 2x2-average pyramid (96, 48, … 3 px) as shares and in absolute units,
and the 16 spectrum bands StyleBench's texture measure uses (Hann window, octave-spaced radii).
BENCHMARKS.md (Styles) quotes it for the levels below the texture filters' reach.

    python3 scripts/style_levels.py renders/stylebench/*.png

Needs numpy and the ffmpeg CLI (to decode the PNGs).
"""
import subprocess
import sys

import numpy as np

TILE, GAP = 96, 4


def tiles(path):
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    width = len(raw) // (3 * TILE)
    image = np.frombuffer(raw, np.uint8).reshape(TILE, width, 3).astype(float) / 255
    return [image[:, i * (TILE + GAP):i * (TILE + GAP) + TILE] for i in range(4)]


def lightness(rgb):
    """CIE L* of sRGB values in 0…1 (D65)."""
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    y = linear @ np.array([0.2126, 0.7152, 0.0722])
    f = np.where(y > 216 / 24389, np.cbrt(y), (24389 / 27 * y + 16) / 116)
    return 116 * f - 16


def bands(l):
    n = l.shape[0]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * (np.arange(n) + 0.5) / n)
    power = np.abs(np.fft.fft2((l - l.mean()) * np.outer(window, window))) ** 2
    f = np.fft.fftfreq(n) * n
    radius = np.hypot(*np.meshgrid(f, f, indexing="ij"))
    inside = (radius >= 1) & (radius <= n / 2)
    band = np.minimum(15, (np.log2(radius[inside]) / np.log2(n / 2) * 16).astype(int))
    out = np.zeros(16)
    np.add.at(out, band, power[inside])
    return out / out.sum()


def level_energies(l):
    out, x = [], l / 100
    while x.shape[0] >= 2:
        dx, dy = x[:-1, 1:] - x[:-1, :-1], x[1:, :-1] - x[:-1, :-1]
        out.append(np.mean(dx ** 2 + dy ** 2))
        half = x.shape[0] // 2
        x = x[:2 * half, :2 * half].reshape(half, 2, half, 2).mean(axis=(1, 3))
    return np.array(out)


def main():
    for path in sys.argv[1:]:
        print(path)
        for name, tile in zip(["reference", "random", "fitted 1", "fitted 2"], tiles(path)):
            l = lightness(tile)
            e = level_energies(l)
            print(f"  {name:9s} L* sd {l.std():5.1f} | level shares " + " ".join(f"{v:.3f}" for v in e / e.sum())
                  + " | ×1e4 " + " ".join(f"{v * 1e4:.1f}" for v in e))
            print(f"  {'':9s} bands " + " ".join(f"{v:.3f}" for v in bands(l)))


if __name__ == "__main__":
    main()
