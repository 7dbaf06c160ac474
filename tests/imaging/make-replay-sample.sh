#!/usr/bin/env bash
# Rebuilds the image sample the replay role streams into imaging.events (tests/data/imaging/replay):
# Fashion-MNIST test images of every class as PNG (6 Trousers, the bundled model's class, and 2 of
# each other class) and 8 held-out slices of the head CT Cranium.inv3 as DICOM (3 clean, 5 with a
# synthetic lesion), then index.csv, SHA256SUMS and provenance.txt. A few seconds.
#   bash tests/imaging/make-replay-sample.sh [replay-sample options, see --help]
# Needs the Debian packages dataset-fashion-mnist and invesalius-examples; the sample itself is
# committed, so running Recon never needs them.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/data/imaging/replay
for f in /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz \
         /usr/share/doc/invesalius-examples/examples/Cranium.inv3; do
    [ -f "$f" ] || { echo "$f not found: apt-get install dataset-fashion-mnist invesalius-examples" >&2; exit 1; }
done
# Always package: a jar left over from before a code change would write a stale sample.
[ "${SKIP_PACKAGE:-0}" = 1 ] || mvn -B -q package -DskipTests
java -Dai.djl.offline=true -jar target/quarkus-app/quarkus-run.jar replay-sample --out "$out" "$@"
{
    echo "Written by: bash tests/imaging/make-replay-sample.sh $*"
    echo "Date (UTC): $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "Recon commit: $(git rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "Debian packages (dpkg-query -W):"
    dpkg-query -W dataset-fashion-mnist invesalius-examples | sed 's/^/  /'
    echo "Sources:"
    echo "  /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz  $(sha256sum /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz | cut -d' ' -f1)"
    echo "  /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz  $(sha256sum /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz | cut -d' ' -f1)"
    echo "  /usr/share/doc/invesalius-examples/examples/Cranium.inv3  $(sha256sum /usr/share/doc/invesalius-examples/examples/Cranium.inv3 | cut -d' ' -f1)"
} > "$out/provenance.txt"
(cd "$out" && sha256sum index.csv *.png *.dcm > SHA256SUMS)
echo "sample in $out: $(ls "$out"/*.png | wc -l) PNG, $(ls "$out"/*.dcm | wc -l) DICOM, $(du -sh "$out" | cut -f1)"
