#!/usr/bin/env bash
# Rebuilds the bundled head-CT slice model models/imaging-vae-ct and its evaluation report:
# a conv VAE (64x64 input, CT brain window 40/80 HU) trained on the normal axial slices of the head CT
# Cranium.inv3 (Debian invesalius-examples) in random poses; threshold on calibration slices never
# trained on; evaluated on held-out slices with synthetic lesions (image- and pixel-level AUROC)
# and on out-of-distribution inputs (the T1 MRI template ch2.nii.gz of mricron-data, other CT
# scans, the same CT through the bone window). One subject: see README, "Medical images".
#   bash tests/imaging/rebuild-ct-model.sh            # about 6 minutes on 2 free cores
# Writes the bundle (vae-0000.params, manifest.json, calibration.json) and the report
# (models/imaging-vae-ct/benchmark/ct-slices.{json,md}).
set -euo pipefail
cd "$(dirname "$0")/../.."
for f in /usr/share/doc/invesalius-examples/examples/Cranium.inv3 /usr/share/mricron/templates/ch2.nii.gz; do
    [ -f "$f" ] || { echo "$f not found: apt-get install invesalius-examples mricron-data" >&2; exit 1; }
done
# Always package: a jar left over from before a code change would give stale figures.
mvn -B -q package -DskipTests
exec java -Xmx3g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
    -jar target/quarkus-app/quarkus-run.jar ct-slice-benchmark \
    --epochs 400 --window-center 40 --window-width 80 --alert-score local_residual --target-fpr 0.02 \
    --out models/imaging-vae-ct/benchmark --bundle-dir models/imaging-vae-ct "$@"
