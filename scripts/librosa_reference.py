#!/usr/bin/env python3
"""Reference feature values from librosa, for the Swift extractor's agreement test.

    pip install librosa
    python3 scripts/librosa_reference.py [--excerpt SRC START SECONDS RATE NAME]...

With --excerpt, first cuts SECONDS of SRC from START, mixes to mono, resamples to RATE and writes
Tests/NodesTests/Fixtures/NAME.flac (16-bit). Then, for every Fixtures/*.flac, computes librosa's
features at hop = rate / fps (an integer, so librosa's frames are exactly our frames) and writes
Fixtures/NAME.librosa.json. The Swift test (FeaturesLibrosaTests) reads both files.

The fps per fixture is in FPS below; each fixture exercises a different rate / hop combination.
"""
import argparse
import glob
import json
import os

import librosa
import numpy as np
import soundfile as sf

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "NodesTests", "Fixtures")
N_FFT = 2048
MEL_BANDS = 32
HPSS_KERNEL = 17
FPS = {"excerpt-22k": 30, "excerpt-44k": 60, "tecnoballz-22k": 30, "asc-machine-wars-22k": 25, "tomatoes-22k": 30}


def make_excerpt(src, start, seconds, rate, name):
    y, sr = librosa.load(src, sr=None, mono=True, offset=float(start), duration=float(seconds))
    y = librosa.resample(y, orig_sr=sr, target_sr=int(rate))
    sf.write(os.path.join(FIXTURES, name + ".flac"), y, int(rate), subtype="PCM_16")


def rounded(a, digits=6):
    return [float(f"{v:.{digits}g}") for v in np.asarray(a, dtype=np.float64).ravel()]


def reference(path, fps):
    y, sr = sf.read(path, dtype="float32", always_2d=True)
    y = y.mean(axis=1)  # same mono mix as AudioFile.readMono
    assert sr % fps == 0, f"{path}: {sr} Hz is not a whole number of samples per frame at {fps} fps"
    hop = sr // fps
    kw = dict(n_fft=N_FFT, hop_length=hop)
    S = np.abs(librosa.stft(y, **kw))
    H, P = librosa.decompose.hpss(S, kernel_size=(HPSS_KERNEL, HPSS_KERNEL))
    tempo, beats = librosa.beat.beat_track(y=y, sr=sr, hop_length=hop)
    # librosa has 1 + len // hop frames; we have round(len · fps / sr). The tracker picks its last
    # beat near the end, so one frame more can flip the beat phase: also track on our frame count.
    frames_ours = max(1, int(round(len(y) * fps / sr)))
    oenv = librosa.onset.onset_strength(y=y, sr=sr, hop_length=hop, aggregate=np.median)[:frames_ours]
    tempo_same, beats_same = librosa.beat.beat_track(onset_envelope=oenv, sr=sr, hop_length=hop)
    out = {
        "file": os.path.basename(path),
        "sample_rate": sr,
        "fps": fps,
        "hop": hop,
        "n_fft": N_FFT,
        "librosa": librosa.__version__,
        "frames_librosa": int(S.shape[1]),
        # What chroma_stft estimates: piptrack on the *power* spectrogram.
        "tuning": float(librosa.estimate_tuning(S=S**2, sr=sr, n_fft=N_FFT)),
        "tempo": float(np.atleast_1d(tempo)[0]),
        "beats": [int(b) for b in beats],
        "frames_ours": frames_ours,
        "tempo_same_frames": float(np.atleast_1d(tempo_same)[0]),
        "beats_same_frames": [int(b) for b in beats_same],
        "rms": rounded(librosa.feature.rms(y=y, frame_length=N_FFT, hop_length=hop)[0]),
        "centroid": rounded(librosa.feature.spectral_centroid(y=y, sr=sr, **kw)[0]),
        "rolloff": rounded(librosa.feature.spectral_rolloff(y=y, sr=sr, roll_percent=0.85, **kw)[0]),
        "flatness": rounded(librosa.feature.spectral_flatness(y=y, **kw)[0]),
        "onset": rounded(librosa.onset.onset_strength(y=y, sr=sr, **kw)),
        "harmonic": rounded(librosa.feature.rms(S=H, frame_length=N_FFT)[0]),
        "percussive": rounded(librosa.feature.rms(S=P, frame_length=N_FFT)[0]),
        # 2-D features frame-major ([frames][bands]) like the safetensors output.
        "mel": [rounded(r) for r in librosa.feature.melspectrogram(y=y, sr=sr, n_mels=MEL_BANDS, **kw).T],
        "mfcc": [rounded(r) for r in librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13, **kw).T],
        "chroma": [rounded(r) for r in librosa.feature.chroma_stft(y=y, sr=sr, **kw).T],
    }
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--excerpt", nargs=5, action="append", default=[],
                        metavar=("SRC", "START", "SECONDS", "RATE", "NAME"))
    args = parser.parse_args()
    os.makedirs(FIXTURES, exist_ok=True)
    for src, start, seconds, rate, name in args.excerpt:
        make_excerpt(src, start, seconds, rate, name)
    for path in sorted(glob.glob(os.path.join(FIXTURES, "*.flac"))):
        name = os.path.splitext(os.path.basename(path))[0]
        ref = reference(path, FPS.get(name, 30))
        with open(os.path.join(FIXTURES, name + ".librosa.json"), "w") as f:
            json.dump(ref, f, separators=(",", ":"))
        print(f"{name}: {ref['frames_librosa']} frames, tempo {ref['tempo']:.1f}, "
              f"{len(ref['beats'])} beats, tuning {ref['tuning']:+.2f}")


if __name__ == "__main__":
    main()
