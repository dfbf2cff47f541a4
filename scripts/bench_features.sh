#!/usr/bin/env bash
# Feature extraction speed: ntsbuild (release build) against librosa on the same file, in one run.
#
#     scripts/bench_features.sh [FILE] [RUNS] [FPS]
#
# FILE defaults to a real 4:50 track from Debian's asc-music package (apt-get install asc-music);
# RUNS (default 5) timed runs each, after a warm-up for librosa. Prints both medians, the ratio,
# and each side's peak RSS (/usr/bin/time -v). Needs: swift, python3 with librosa.
set -euo pipefail
cd "$(dirname "$0")/.."

FILE=${1:-/usr/share/games/asc/music/machine_wars.mp3}
RUNS=${2:-5}
FPS=${3:-30}
if [[ ! -f "$FILE" ]]; then
    echo "bench_features: $FILE not found (apt-get install asc-music, or pass an audio file)" >&2
    exit 2
fi

swift build -c release --product Benchmarks >&2
BIN=$(swift build -c release --show-bin-path)/Benchmarks
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Each side runs under /usr/bin/time -v; its report goes to a file, the timings to stdout.
/usr/bin/time -v -o "$OUT/nts.time" "$BIN" "$FILE" --runs "$RUNS" --fps "$FPS" | tee "$OUT/nts.log"
/usr/bin/time -v -o "$OUT/py.time" python3 scripts/librosa_bench.py "$FILE" --runs "$RUNS" --fps "$FPS" 2> >(grep -v -i warn >&2) | tee "$OUT/py.log"

nts=$(sed -n 's/^median_seconds=//p' "$OUT/nts.log")
py=$(sed -n 's/^median_seconds=//p' "$OUT/py.log")
nts_cpu=$(sed -n 's/^median_cpu_seconds=//p' "$OUT/nts.log")
py_cpu=$(sed -n 's/^median_cpu_seconds=//p' "$OUT/py.log")
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2 / 1024}' "$1"; }
echo
echo "file: $FILE ($FPS fps, $RUNS runs each; machine: $(nproc) cores)"
printf 'ntsbuild median %.3f s wall, %.3f s CPU   peak RSS %s\n' "$nts" "$nts_cpu" "$(rss "$OUT/nts.time")"
printf 'librosa  median %.3f s wall, %.3f s CPU   peak RSS %s\n' "$py" "$py_cpu" "$(rss "$OUT/py.time")"
awk -v a="$py" -v b="$nts" -v c="$py_cpu" -v d="$nts_cpu" \
    'BEGIN { printf "ratio: ntsbuild is %.1fx faster than librosa (wall), %.1fx (CPU time)\n", a / b, c / d }'
