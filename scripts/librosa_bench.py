#!/usr/bin/env python3
"""Times librosa computing the same feature set as ntsbuild's FeatureExtractor on one file.

    python3 scripts/librosa_bench.py FILE [--runs N] [--fps F]

Per run: decode (librosa.load at the native rate, mono), one STFT shared by every feature
(librosa's fastest path, favourable to librosa), then RMS, centroid, roll-off, flatness, mel
(32 bands for output, 128 for MFCC/onset), onset strength, 13 MFCCs, chroma (with its tuning
estimate), HPSS (kernel 17) and beat_track. A warm-up run is done first and not counted (numba
compiles on first use). Prints one line per run and a final `median_seconds=...` line.
"""
import argparse
import statistics
import time

import librosa
import numpy as np

N_FFT = 2048


def features(path, fps):
    y, sr = librosa.load(path, sr=None, mono=True)
    hop = sr / fps
    hop = int(round(hop))  # librosa needs an integer hop; ntsbuild uses fractional centres
    S = np.abs(librosa.stft(y, n_fft=N_FFT, hop_length=hop))
    power = S ** 2
    out = {
        "rms": librosa.feature.rms(S=S, frame_length=N_FFT),
        "centroid": librosa.feature.spectral_centroid(S=S, sr=sr, n_fft=N_FFT),
        "rolloff": librosa.feature.spectral_rolloff(S=S, sr=sr, n_fft=N_FFT),
        "flatness": librosa.feature.spectral_flatness(S=S),
        "mel": librosa.feature.melspectrogram(S=power, sr=sr, n_mels=32),
    }
    mel_db = librosa.power_to_db(librosa.feature.melspectrogram(S=power, sr=sr, n_mels=128), ref=np.max)
    out["onset"] = librosa.onset.onset_strength(S=mel_db, sr=sr, hop_length=hop)
    out["mfcc"] = librosa.feature.mfcc(S=mel_db, n_mfcc=13)
    out["chroma"] = librosa.feature.chroma_stft(S=power, sr=sr, n_fft=N_FFT, hop_length=hop)
    H, P = librosa.decompose.hpss(S, kernel_size=17)
    out["harmonic"] = librosa.feature.rms(S=H, frame_length=N_FFT)
    out["percussive"] = librosa.feature.rms(S=P, frame_length=N_FFT)
    beat_env = librosa.onset.onset_strength(S=mel_db, sr=sr, hop_length=hop, aggregate=np.median)
    out["tempo"], out["beats"] = librosa.beat.beat_track(onset_envelope=beat_env, sr=sr, hop_length=hop)
    return len(y) / sr, S.shape[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fps", type=int, default=30)
    args = parser.parse_args()
    features(args.file, args.fps)  # warm-up: numba JIT, FFT plans, file cache
    times, cpu_times = [], []
    for run in range(1, args.runs + 1):
        start, cpu_start = time.perf_counter(), time.process_time()
        seconds, frames = features(args.file, args.fps)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
        print(f"librosa run {run}: {times[-1]:.3f} s (CPU {cpu_times[-1]:.3f} s)", flush=True)
    median = statistics.median(times)
    print(f"librosa {librosa.__version__}: {seconds:.1f} s of audio, {frames} frames at {args.fps} fps; "
          f"median {median:.3f} s ({seconds / median:.0f}x real time)")
    print(f"median_seconds={median:.6f}")
    print(f"median_cpu_seconds={statistics.median(cpu_times):.6f}")


if __name__ == "__main__":
    main()
