#!/usr/bin/env python3
"""How far a reference's centre square is from the whole reference, in StyleBench's spectrum term.

For each image: scaled so its shorter side is 96 px (a box filter, as near the fitter's own
downsampling as Pillow gets), the 16 octave-spaced bands of the L* power spectrum (Hann window)
of its centre 96 x 96, against the power averaged over all 96 x 96 windows at 48-px steps
(Welch's method, what StyleBench compares renders with since 1 December 2026's fourth session);
prints their L1 distance. A square reference gives 0. BENCHMARKS.md (Styles) quotes it.

    python3 scripts/reference_windows.py IMAGE...

Needs numpy and Pillow.
"""
import sys

import numpy as np
from PIL import Image

SIZE = 96


def luminance(image):
    rgb = np.asarray(image.convert("RGB")).astype(float) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    y = linear @ np.array([0.2126, 0.7152, 0.0722])
    f = np.where(y > 0.008856, np.cbrt(y), 7.787 * y + 16 / 116)
    return 116 * f - 16


def band_power(plane):
    n = plane.shape[0]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * (np.arange(n) + 0.5) / n)
    power = np.abs(np.fft.fft2((plane - plane.mean()) * window[:, None] * window[None, :])) ** 2
    f = np.fft.fftfreq(n) * n
    radius = np.sqrt(f[:, None] ** 2 + f[None, :] ** 2)
    inside = (radius >= 1) & (radius <= n / 2)
    band = np.minimum(15, (np.log2(np.where(inside, radius, 1)) / np.log2(n / 2) * 16).astype(int))
    return np.array([power[inside & (band == k)].sum() for k in range(16)])


def offsets(length):
    o = list(range(0, length - SIZE + 1, SIZE // 2))
    if o[-1] != length - SIZE:
        o.append(length - SIZE)
    return o


for path in sys.argv[1:]:
    image = Image.open(path)
    w, h = image.size
    scale = SIZE / min(w, h)
    image = image.resize((max(SIZE, round(w * scale)), max(SIZE, round(h * scale))), Image.BOX)
    plane = luminance(image)
    height, width = plane.shape
    y0, x0 = (height - SIZE) // 2, (width - SIZE) // 2
    centre = band_power(plane[y0:y0 + SIZE, x0:x0 + SIZE])
    whole = sum(band_power(plane[y:y + SIZE, x:x + SIZE]) for y in offsets(height) for x in offsets(width))
    distance = np.abs(centre / centre.sum() - whole / whole.sum()).sum()
    print(f"{path}: {width} x {height}, L1(centre square, whole) = {distance:.3f}")
