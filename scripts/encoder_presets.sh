#!/usr/bin/env bash
# x264 presets on ntsbuild's own frames: size, quality (SSIM, PSNR against the lossless frames)
# and CPU time, at the same CRF. The evidence behind the default `encoder.preset`.
#
#     scripts/encoder_presets.sh [TRACK] [CRF] [PRESETS...]
#
# Renders TRACK (default signal-path) of the demo Buildfile losslessly (crf 0; the frames it
# caches are reused by `make run`), then encodes those frames with each preset through the
# ffmpeg CLI with the encoder settings ntsbuild uses (2 frame threads, deterministic).
# Needs: a release build (make build) and ffmpeg.
set -euo pipefail
cd "$(dirname "$0")/.."
TRACK=${1:-signal-path}
CRF=${2:-18}
shift $(( $# > 2 ? 2 : $# ))
PRESETS=${*:-medium faster veryfast}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

.build/release/ntsbuild "track:$TRACK" --set encoder.crf=0 --set encoder.preset=ultrafast >&2
ffmpeg -v error -i "renders/latest/$TRACK.mp4" -an -f rawvideo -pix_fmt yuv420p "$OUT/ref.yuv"
SIZE=$(ffprobe -v error -select_streams v -show_entries stream=width,height -of csv=s=x:p=0 "renders/latest/$TRACK.mp4")
RAW=(-f rawvideo -pix_fmt yuv420p -s "$SIZE" -r 30 -i "$OUT/ref.yuv")
printf '%-10s %12s %10s %8s %9s\n' preset bytes cpu_s ssim psnr_db
for p in $PRESETS; do
    /usr/bin/time -f "%U %S" -o "$OUT/time" ffmpeg -v error "${RAW[@]}" -c:v libx264 -preset "$p" -crf "$CRF" \
        -threads 2 -x264-params sliced-threads=0:non-deterministic=0 -y "$OUT/$p.mp4"
    cpu=$(awk '{print $1 + $2}' "$OUT/time")
    ssim=$(ffmpeg -i "$OUT/$p.mp4" "${RAW[@]}" -lavfi "[0:v][1:v]ssim" -f null - 2>&1 | sed -n 's/.*All:\([0-9.]*\).*/\1/p')
    psnr=$(ffmpeg -i "$OUT/$p.mp4" "${RAW[@]}" -lavfi "[0:v][1:v]psnr" -f null - 2>&1 | sed -n 's/.*average:\([0-9.]*\).*/\1/p')
    printf '%-10s %12d %10.1f %8s %9s\n' "$p" "$(stat -c %s "$OUT/$p.mp4")" "$cpu" "$ssim" "$psnr"
done
