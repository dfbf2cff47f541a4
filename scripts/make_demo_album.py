#!/usr/bin/env python3
"""Render the ntsbuild demo album into album/ (three short OGG/Vorbis tracks).

Usage:  python3 scripts/make_demo_album.py [--out album] [--keep-wav]

Dependencies: Python 3 + numpy, and `oggenc` (Debian package vorbis-tools:
`apt-get install -y vorbis-tools`). Nothing else.

Everything is synthesised from scratch (no samples): pitch-swept sine kicks,
noise snares, filtered-noise hats, an additive saw bass line, detuned saw pads
playing a chord progression, a triangle arpeggio with ping-pong delay, and a
small noise-convolution reverb. Each track has an arrangement with quiet and
loud sections (intro / build / drop / breakdown / outro) so audio features vary
strongly over time.

The output is deterministic: every random draw comes from a seeded
numpy Generator and oggenc gets a fixed --serial, so re-running the script with
the same numpy / vorbis-tools versions reproduces byte-identical files.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import wave

import numpy as np

SR = 44100
PEAK_DBFS = -2.0      # leave headroom for Vorbis overshoot
OGG_QUALITY = 3

# --------------------------------------------------------------------------
# helpers


def hz(midi):
    return 440.0 * 2.0 ** ((midi - 69) / 12.0)


def fft_filter(x, lo=None, hi=None, order=2):
    """Zero-phase band filter via FFT (Butterworth-like magnitude)."""
    n = len(x)
    X = np.fft.rfft(x)
    f = np.fft.rfftfreq(n, 1.0 / SR)
    g = np.ones_like(f)
    if hi is not None:
        g /= np.sqrt(1.0 + (f / hi) ** (2 * order))
    if lo is not None:
        with np.errstate(divide="ignore"):
            g /= np.sqrt(1.0 + (lo / np.maximum(f, 1e-9)) ** (2 * order))
    return np.fft.irfft(X * g, n)


def add(buf, start, sig):
    """Mix a mono or stereo signal into buf (N x 2) at sample `start`."""
    if start >= len(buf):
        return
    if sig.ndim == 1:
        sig = np.stack([sig, sig], axis=1)
    end = min(len(buf), start + len(sig))
    buf[start:end] += sig[: end - start]


def pan(sig, p):
    """Equal-power pan, p in [-1, 1]."""
    a = (p + 1.0) * np.pi / 4.0
    return np.stack([sig * np.cos(a), sig * np.sin(a)], axis=1)


def adsr(n, a, d, s, r, gate):
    """Envelope of length n samples; gate = note-on duration in samples."""
    t = np.arange(n, dtype=np.float64)
    env = np.empty(n)
    a = max(a, 1)
    d = max(d, 1)
    env[:] = s
    m = t < a
    env[m] = t[m] / a
    m = (t >= a) & (t < a + d)
    env[m] = 1.0 - (1.0 - s) * (t[m] - a) / d
    rel = t >= gate
    env[rel] = env[min(gate, n - 1)] * np.exp(-(t[rel] - gate) / max(r, 1) * 5.0)
    return env


def additive(freq, n, cutoff, kind="saw", phase=0.0):
    """Band-limited saw / triangle by additive synthesis with a 2-pole LP rolloff."""
    t = np.arange(n) / SR
    out = np.zeros(n)
    kmax = int((SR / 2 - 500) / freq)
    for k in range(1, kmax + 1):
        if kind == "tri" and k % 2 == 0:
            continue
        w = (1.0 / k) if kind == "saw" else (1.0 / (k * k))
        w /= np.sqrt(1.0 + (k * freq / cutoff) ** 4)
        if w < 2e-3:
            if k * freq > cutoff:
                break
            continue
        out += w * np.sin(2 * np.pi * k * freq * t + phase * k)
    return out


# --------------------------------------------------------------------------
# instruments


class Kit:
    def __init__(self, rng):
        self.rng = rng

    def kick(self, vel=1.0, tune=1.0):
        n = int(0.45 * SR)
        t = np.arange(n) / SR
        f = (45.0 + 115.0 * np.exp(-t / 0.035)) * tune
        ph = 2 * np.pi * np.cumsum(f) / SR
        body = np.sin(ph) * np.exp(-t / 0.28)
        click = fft_filter(self.rng.standard_normal(n), lo=1500) * np.exp(-t / 0.004) * 0.25
        return vel * np.tanh(1.6 * (body + click))

    def snare(self, vel=1.0):
        n = int(0.35 * SR)
        t = np.arange(n) / SR
        noise = fft_filter(self.rng.standard_normal(n), lo=900, hi=9000) * 0.55
        noise *= np.exp(-t / 0.11)
        tone = np.sin(2 * np.pi * 185 * t) * np.exp(-t / 0.06) * 0.7
        return vel * (noise + tone)

    def hat(self, vel=1.0, open_=False):
        n = int((0.35 if open_ else 0.08) * SR)
        t = np.arange(n) / SR
        noise = fft_filter(self.rng.standard_normal(n), lo=7000, order=3) * 0.5
        return vel * noise * np.exp(-t / (0.16 if open_ else 0.022))


def pad_chord(notes, n_on, n_total, cutoff, rng):
    """Detuned 3-voice saw pad per note, voices spread across the stereo field."""
    out = np.zeros((n_total, 2))
    env = adsr(n_total, int(0.35 * SR), int(0.6 * SR), 0.75, int(0.9 * SR), n_on)
    for i, m in enumerate(notes):
        for det, p in ((-9.0, -0.7), (0.0, 0.0), (9.0, 0.7)):
            f = hz(m) * 2 ** (det / 1200.0)
            v = additive(f, n_total, cutoff, "saw", phase=rng.uniform(0, 2 * np.pi))
            out += pan(v * env, p * (1 if i % 2 == 0 else -1))
    return out / (3.0 * len(notes)) * 1.6


def bass_note(m, n_on, cutoff):
    n = n_on + int(0.05 * SR)
    env = adsr(n, int(0.004 * SR), int(0.12 * SR), 0.6, int(0.05 * SR), n_on)
    f = hz(m)
    saw = additive(f, n, cutoff, "saw")
    sub = np.sin(2 * np.pi * f * np.arange(n) / SR)
    return np.tanh(1.4 * (0.6 * saw + 0.7 * sub) * env)


def arp_note(m, n_len):
    n = n_len + int(0.25 * SR)
    t = np.arange(n) / SR
    v = additive(hz(m), n, 5000, "tri")
    return v * np.exp(-t / 0.18) * np.minimum(1.0, t / 0.003)


def reverb(x, rng, seconds=1.8, decay=0.5, wet=0.25):
    """Stereo convolution reverb with decorrelated exponentially-decaying noise IRs."""
    n_ir = int(seconds * SR)
    t = np.arange(n_ir) / SR
    n = len(x) + n_ir
    nfft = 1 << int(np.ceil(np.log2(n)))
    out = np.zeros_like(x)
    for ch in range(2):
        ir = rng.standard_normal(n_ir) * np.exp(-t / decay)
        ir = fft_filter(ir, lo=200, hi=6000)
        ir[: int(0.015 * SR)] = 0.0            # predelay
        ir /= np.sqrt(np.sum(ir ** 2))
        y = np.fft.irfft(np.fft.rfft(x[:, ch], nfft) * np.fft.rfft(ir, nfft), nfft)
        out[:, ch] = y[: len(x)]
    return x + wet * out


# --------------------------------------------------------------------------
# arrangement

# parts: kick snare hat bass pad arp ; value = gain (0 = silent)
# cut: pad low-pass cutoff (Hz) at start and end of the section
SILENT = dict(kick=0, snare=0, hat=0, bass=0, pad=0, arp=0)


def sec(name, bars, cut=(1800, 1800), fill=False, fade=None, **parts):
    p = dict(SILENT)
    p.update(parts)
    return dict(name=name, bars=bars, cut=cut, fill=fill, fade=fade, parts=p)


TRACKS = [
    dict(
        id="01-null-hypothesis", title="Null Hypothesis", bpm=96, seed=101,
        # A minor: Am  F  C  G   (half-time hip-hop feel)
        chords=[[57, 60, 64, 69], [57, 60, 65, 69], [55, 60, 64, 67], [55, 59, 62, 67]],
        roots=[33, 29, 36, 31],
        kick_steps=[0, 7, 10], snare_steps=[4, 12], hat_div=2, open_hat=[],
        bass_steps=[(0, 3, 0), (7, 2, 0), (10, 2, 12), (14, 2, 7)],
        sections=[
            sec("intro", 2, cut=(500, 1500), pad=0.55),
            sec("groove", 2, cut=(1500, 2200), fill=True, pad=0.7, bass=0.8, hat=0.6, kick=0.9),
            sec("drop", 3, cut=(3000, 3000), pad=0.8, bass=1.0, hat=0.8, kick=1.0, snare=0.9, arp=0.5),
            sec("breakdown", 1, cut=(700, 700), pad=0.5, arp=0.25),
            sec("outro", 2, cut=(2200, 600), fade=(1.0, 0.0), pad=0.7, bass=0.7, kick=0.8, hat=0.5),
        ],
    ),
    dict(
        id="02-signal-path", title="Signal Path", bpm=120, seed=202,
        # D minor: Dm7  Bbmaj7  Gm7  A7
        chords=[[57, 60, 62, 65], [57, 58, 62, 65], [55, 58, 62, 65], [55, 57, 61, 64]],
        roots=[38, 34, 31, 33],
        kick_steps=[0, 4, 8, 12], snare_steps=[4, 12], hat_div=2, open_hat=[2, 6, 10, 14],
        bass_steps=[(2, 2, 0), (6, 2, 0), (10, 2, 12), (14, 2, 0)],
        sections=[
            sec("intro", 2, cut=(400, 1200), pad=0.6),
            sec("build", 3, cut=(1200, 4000), fill=True, pad=0.7, bass=0.8, hat=0.6, kick=0.9),
            sec("drop", 4, cut=(3500, 3500), pad=0.8, bass=1.0, hat=0.8, kick=1.0, snare=0.9, arp=0.55),
            sec("breakdown", 2, cut=(600, 900), pad=0.45, arp=0.3),
            sec("drop2", 2, cut=(4000, 4000), pad=0.8, bass=1.0, hat=0.9, kick=1.0, snare=1.0, arp=0.6),
            sec("outro", 2, cut=(2000, 400), fade=(1.0, 0.0), pad=0.7, kick=0.8, hat=0.5),
        ],
    ),
    dict(
        id="03-phase-drift", title="Phase Drift", bpm=140, seed=303,
        # E minor: Em  C  D  Bm
        chords=[[59, 64, 67, 71], [60, 64, 67, 72], [57, 62, 66, 69], [59, 62, 66, 71]],
        roots=[28, 36, 38, 35],
        kick_steps=[0, 4, 8, 12], snare_steps=[4, 12], hat_div=1, open_hat=[],
        bass_steps=[(0, 1, 0), (2, 1, 12), (3, 1, 0), (6, 1, 0), (8, 1, 12),
                    (10, 1, 0), (11, 1, 7), (14, 2, 0)],
        sections=[
            sec("intro", 3, cut=(400, 1500), pad=0.55),
            sec("build", 4, cut=(1500, 5000), fill=True, pad=0.7, bass=0.8, hat=0.6, kick=0.9),
            sec("drop", 6, cut=(4500, 4500), pad=0.8, bass=1.0, hat=0.8, kick=1.0, snare=0.9, arp=0.6),
            sec("breakdown", 3, cut=(500, 1200), pad=0.45, arp=0.3),
            sec("drop2", 3, cut=(5000, 5000), pad=0.8, bass=1.0, hat=0.9, kick=1.0, snare=1.0, arp=0.65),
            sec("outro", 2, cut=(2000, 400), fade=(1.0, 0.0), pad=0.6, kick=0.7),
        ],
    ),
]


def render(track):
    rng = np.random.default_rng(track["seed"])
    kit = Kit(rng)
    bar = 4 * 60.0 / track["bpm"]
    step = bar / 16.0
    nbars = sum(s["bars"] for s in track["sections"])
    n = int(round(nbars * bar * SR))
    buses = {k: np.zeros((n, 2)) for k in ("drums", "bass", "pad", "arp")}
    fade = np.ones(n)
    smp = lambda sec_: int(round(sec_ * SR))

    b = 0
    for s in track["sections"]:
        P = s["parts"]
        for j in range(s["bars"]):
            ci = b % len(track["chords"])
            chord, root = track["chords"][ci], track["roots"][ci]
            t0 = b * bar
            last_bar = j == s["bars"] - 1
            frac = j / max(1, s["bars"] - 1)
            # pads: one chord per bar, cutoff ramps across the section
            if P["pad"]:
                cut = s["cut"][0] + (s["cut"][1] - s["cut"][0]) * frac
                add(buses["pad"], smp(t0),
                    P["pad"] * pad_chord(chord, smp(bar), smp(bar + 1.0), cut, rng))
            # bass line
            if P["bass"]:
                bcut = 350 + 500 * (s["cut"][1] / 5000.0)
                for st, ln, iv in track["bass_steps"]:
                    add(buses["bass"], smp(t0 + st * step),
                        P["bass"] * bass_note(root + iv, smp(ln * step * 0.9), bcut))
            # drums
            for st in range(16):
                ts = smp(t0 + st * step)
                fill_now = s["fill"] and last_bar and st >= 8
                if P["kick"] and st in track["kick_steps"] and not (fill_now and st > 8):
                    add(buses["drums"], ts, P["kick"] * kit.kick())
                if fill_now:   # snare roll into the next section
                    v = 0.35 + 0.6 * (st - 8) / 7
                    add(buses["drums"], ts, pan(kit.snare(v), 0.1))
                elif P["snare"] and st in track["snare_steps"]:
                    add(buses["drums"], ts, pan(P["snare"] * kit.snare(), 0.1))
                if P["hat"] and st % track["hat_div"] == 0:
                    op = st in track["open_hat"]
                    acc = 1.0 if st % 4 == 2 else 0.6
                    add(buses["drums"], ts,
                        pan(P["hat"] * acc * kit.hat(0.8, open_=op), -0.35 + 0.7 * ((st // 2) % 2)))
            # arpeggio, 16ths, ping-pong panned
            if P["arp"]:
                seq = [chord[0] + 12, chord[1] + 12, chord[2] + 12, chord[3] + 12,
                       chord[2] + 12, chord[1] + 12, chord[3] + 12, chord[0] + 24]
                for st in range(16):
                    m = seq[st % len(seq)]
                    add(buses["arp"], smp(t0 + st * step),
                        pan(P["arp"] * 0.35 * arp_note(m, smp(step)), -0.6 if st % 2 else 0.6))
            b += 1
        if s["fade"]:
            a0 = smp((b - s["bars"]) * bar)
            fade[a0:] = np.linspace(s["fade"][0], s["fade"][1], n - a0) ** 1.5

    # ping-pong delay on the arp (dotted eighth), swapping channels
    d = smp(3 * step)
    arp = buses["arp"]
    for k, g in ((1, 0.45), (2, 0.25), (3, 0.12)):
        sh = np.zeros_like(arp)
        sh[d * k:] = arp[: n - d * k]
        arp = arp + g * (sh[:, ::-1] if k % 2 else sh)
    buses["arp"] = arp

    # slow auto-pan on the pads for stereo movement
    t = np.arange(n) / SR
    lfo = 0.35 * np.sin(2 * np.pi * t / (2 * bar))
    a = (lfo + 1.0) * np.pi / 4.0
    buses["pad"] *= np.stack([np.cos(a), np.sin(a)], axis=1) * np.sqrt(2)

    # side-chain style ducking of pads/bass by the kick (pumping, very audible)
    duck = np.ones(n)
    b = 0
    for s in track["sections"]:
        if s["parts"]["kick"]:
            for j in range(s["bars"]):
                for st in track["kick_steps"]:
                    i0 = smp((b + j) * bar + st * step)
                    ln = min(smp(0.25), n - i0)
                    duck[i0:i0 + ln] = np.minimum(
                        duck[i0:i0 + ln], 1 - 0.45 * np.exp(-np.arange(ln) / (0.08 * SR)))
        b += s["bars"]

    wet = reverb(buses["pad"] + buses["arp"] + 0.3 * buses["drums"], rng) \
        - 0.3 * buses["drums"]
    mix = (0.9 * buses["drums"] + 0.75 * buses["bass"] * duck[:, None]
           + wet * duck[:, None])
    mix = np.tanh(mix * 0.9) / 0.9          # gentle glue saturation
    mix *= fade[:, None]
    # short fade in/out to avoid clicks
    e = smp(0.01)
    mix[:e] *= np.linspace(0, 1, e)[:, None]
    mix[-e:] *= np.linspace(1, 0, e)[:, None]
    mix *= 10 ** (PEAK_DBFS / 20) / np.max(np.abs(mix))
    return mix


def write_wav(path, x):
    pcm = np.clip(np.round(x * 32767), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(pcm.tobytes())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "album"))
    ap.add_argument("--keep-wav", action="store_true", help="also leave the .wav files")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)

    for num, tr in enumerate(TRACKS, 1):
        x = render(tr)
        dur = len(x) / SR
        layout = ", ".join(f"{s['name']}({s['bars']})" for s in tr["sections"])
        print(f"{tr['id']}: {dur:.2f} s, {tr['bpm']} BPM, bars: {layout}")
        mono = x.mean(axis=1)
        rms = [20 * np.log10(np.sqrt(np.mean(mono[i:i + SR] ** 2)) + 1e-9)
               for i in range(0, len(mono) - SR // 2, SR)]
        print("  RMS dBFS per second: " + " ".join(f"{r:.0f}" for r in rms))
        ogg = os.path.join(out, tr["id"] + ".ogg")
        with tempfile.TemporaryDirectory() as td:
            wav = os.path.join(args.out if args.keep_wav else td, tr["id"] + ".wav")
            write_wav(wav, x)
            subprocess.run(
                ["oggenc", "--quiet", "-q", str(OGG_QUALITY), "--serial", str(1000 + num),
                 "-t", tr["title"], "-a", "ntsbuild", "-l", "ntsbuild demo album",
                 "-N", str(num), "-o", ogg, wav],
                check=True)
        print(f"  -> {ogg} ({os.path.getsize(ogg) / 1024:.0f} KiB)")


if __name__ == "__main__":
    sys.exit(main())
