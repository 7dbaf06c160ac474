#!/usr/bin/env bash
# Rebuilds the bundled image model models/imaging-vae-fashion-1: a conv VAE trained on Fashion-MNIST
# Trouser images (class 1, the best-separated class of the one-class benchmark), minus the last
# 1,000 Trouser training images, on which the alert threshold is set (1% target false-positive
# rate, on the entropy-corrected -ELBO "negative_elbo_excess", the best mean AUROC of the benchmark).
# The test set is only used for the AUROC in the manifest. About a minute on 2 cores.
#   bash tests/imaging/rebuild-fashion-model.sh
# Needs the Debian package dataset-fashion-mnist (IDX files in /usr/share/datasets/fashion-mnist).
# Writes the bundle (vae-0000.params, manifest.json, calibration.json) and the class's benchmark
# report to models/imaging-vae-fashion-1/benchmark/.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Always package: a jar left over from before a code change would give stale figures.
mvn -B -q package -DskipTests
exec java -Xmx3g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
    -jar target/quarkus-app/quarkus-run.jar fashion-mnist-benchmark \
    --classes 1 --epochs 12 --iwae-samples 8 --calibration-images 1000 --target-fpr 0.01 \
    --alert-score negative_elbo_excess --out models/imaging-vae-fashion-1/benchmark \
    --save-bundle-class 1 --bundle-dir models/imaging-vae-fashion-1 "$@"
