#!/usr/bin/env bash
# A first look at a GPU host for Recon's scorer (DESIGN: "GPU path"): what the host holds, whether
# DJL 0.36's PyTorch JNI (built for libtorch 2.7.1, CUDA 12.8) loads against the host's libtorch,
# and the telemetry VAE's scoring arithmetic on its GPU through the host's own PyTorch.
# Usage (on the GPU host, from the repo root): bash tests/bench/gpu/first-look.sh JNI_SO OUT_DIR
# where JNI_SO is jnilib/linux-x86_64/cu128/libdjl_torch.so from ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0.
set -u
jni=$1
out=${2:-.}
{
echo "== date"; date -u
echo "== GPU"; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1
echo "== Java"; if command -v java >/dev/null; then java -version 2>&1; else echo "no java on PATH"; fi
ls -d /usr/lib/jvm/* /opt/java* 2>/dev/null || echo "no JDK under /usr/lib/jvm or /opt"
echo "== build tools"
for t in javac g++ gcc cmake ninja nvcc c++filt; do printf '%s: ' "$t"; command -v "$t" || echo missing; done
echo "== PyTorch"
lib=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "gpu", torch.cuda.is_available())'
echo "libtorch folder: $lib"; ls "$lib" | grep -E '^lib(torch|c10)' | tr '\n' ' '; echo
echo "== DJL's JNI against this libtorch"
LD_LIBRARY_PATH=$lib ldd "$jni" 2>&1 | grep -E 'not found|torch|c10|cuda' | head -12
n=$(LD_LIBRARY_PATH=$lib ldd -r "$jni" 2>&1 | grep -c 'undefined symbol')
echo "undefined symbols when linked against this libtorch: $n"
LD_LIBRARY_PATH=$lib ldd -r "$jni" 2>&1 | grep 'undefined symbol' | sed 's/undefined symbol: //; s/\t(.*//' | head -8 \
    | { if command -v c++filt >/dev/null; then c++filt; else cat; fi; }
LD_LIBRARY_PATH=$lib python3 - "$jni" <<'PY'
import ctypes, sys, torch  # torch first: its libraries are then loaded, as DJL would load them
try:
    ctypes.CDLL(sys.argv[1], mode=ctypes.RTLD_GLOBAL)
    print("dlopen of the JNI library: loaded")
except OSError as e:
    print("dlopen of the JNI library failed:", str(e)[:400])
PY
echo "== scoring arithmetic of models/telemetry-vae on this host"
python3 tests/bench/gpu/vae_scoring_ceiling.py models/telemetry-vae/manifest.json
} 2>&1 | tee "$out/first-look.txt"
