#!/usr/bin/env bash
# Style fitting against random seeds (BENCHMARKS.md, Styles): nine reference images from the
# scikit-image wheel, none of them looked at while the fitting method was tuned (that was done on
# coffee, chelsea, hubble_deep_field, motorcycle_left and moon). Prints the table and writes one
# picture per image (reference | random seed | fitted style at two latents) into
# ${OUT:-renders/stylebench}.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pip download --no-deps --quiet -d "$work" scikit-image==0.26.0
python3 - "$work" <<'PY'
import glob, sys, zipfile
work = sys.argv[1]
wheel = zipfile.ZipFile(glob.glob(work + "/scikit_image-*.whl")[0])
for name in ["astronaut.png", "retina.jpg", "rocket.jpg", "ihc.png", "brick.png", "gravel.png", "grass.png", "coins.png", "camera.png"]:
    open(f"{work}/{name}", "wb").write(wheel.read("skimage/data/" + name))
PY
swift build -c release --product StyleBench
.build/release/StyleBench --out "${OUT:-renders/stylebench}" "$@" \
    "$work"/astronaut.png "$work"/retina.jpg "$work"/rocket.jpg "$work"/ihc.png "$work"/brick.png \
    "$work"/gravel.png "$work"/grass.png "$work"/coins.png "$work"/camera.png
