#!/usr/bin/env bash
# A contact sheet for look development: one track's finished frames at several generator seeds
# and moments, side by side, for a human to judge (no test can say whether a look is good).
#
#     scripts/look_gallery.sh [TRACK] [SEEDS] [TIMES] [OUT]
#
# TRACK (default null-hypothesis) of $BUILDFILE (default ./Buildfile.yaml); SEEDS (default "1 2 3 4 5 6") set
# generator.seed; TIMES (default "0 5 5.07 10", seconds or m:ss.s; 5 and 5.07 are two frames
# apart, to judge the pace) go to `ntsbuild still`. Writes OUT/s<seed>-t<time>.png and, with
# ffmpeg, OUT/gallery.png (a row per seed). OUT defaults to renders/look-gallery. The track's
# features and trajectory are built and cached on the first still, so later ones are quick.
# Needs: a release build (make build); ffmpeg for the combined sheet.
set -euo pipefail
cd "$(dirname "$0")/.."
TRACK=${1:-null-hypothesis}
SEEDS=${2:-1 2 3 4 5 6}
TIMES=${3:-0 5 5.07 10}
OUT=${4:-renders/look-gallery}
BUILDFILE=${BUILDFILE:-Buildfile.yaml}
mkdir -p "$OUT"

for seed in $SEEDS; do
    for t in $TIMES; do
        .build/release/ntsbuild still -f "$BUILDFILE" "track:$TRACK" --at "$t" --set "generator.seed=$seed" -o "$OUT/s$seed-t$t.png"
    done
done

if command -v ffmpeg >/dev/null; then
    rows=()
    for seed in $SEEDS; do
        inputs=()
        for t in $TIMES; do inputs+=(-i "$OUT/s$seed-t$t.png"); done
        n=$(wc -w <<<"$TIMES")
        if [ "$n" -gt 1 ]; then
            ffmpeg -v error -y "${inputs[@]}" -filter_complex "hstack=inputs=$n" "$OUT/row-s$seed.png"
        else
            cp "$OUT/s$seed-t$TIMES.png" "$OUT/row-s$seed.png"
        fi
        rows+=(-i "$OUT/row-s$seed.png")
    done
    m=$(wc -w <<<"$SEEDS")
    if [ "$m" -gt 1 ]; then
        ffmpeg -v error -y "${rows[@]}" -filter_complex "vstack=inputs=$m" "$OUT/gallery.png"
    else
        cp "$OUT/row-s$SEEDS.png" "$OUT/gallery.png"
    fi
    rm -f "$OUT"/row-s*.png
    echo "look_gallery: $OUT/gallery.png (rows: seeds $SEEDS; columns: $TIMES s)"
else
    echo "look_gallery: frames in $OUT (install ffmpeg for the combined sheet)"
fi
