#!/usr/bin/env bash
# Offline validation of Recon's deployment and monitoring files:
#   docker-compose.yml, src/main/docker/Dockerfile.*, k8s/, grafana/.
# Needs no Docker engine, no cluster and no network after the first run (which installs
# promtool/docker-compose/yamllint from Debian and the npm tools into tests/deploy/).
#
#   tests/deploy/validate.sh            # every check; exits non-zero if any fails
#
# Ends with a "N passed, N failed" line. See k8s/README.md and grafana/README.md for what
# each check covers and what stays unverified.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT" || exit 1
DEPLOY=tests/deploy
TOOLS=$DEPLOY/.tools
mkdir -p "$TOOLS"

passed=0
failed=0
failures=()

# run NAME CMD...: run one check, print ok/FAIL, and its output on failure (or when it has
# notes worth seeing: lines starting with two spaces from the node checks).
run() {
  local name=$1
  shift
  local out
  if out=$("$@" 2>&1); then
    passed=$((passed + 1))
    printf 'ok    %s\n' "$name"
    grep -E '^  ' <<<"$out" | grep -v FAIL || true
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf 'FAIL  %s\n' "$name"
    # shellcheck disable=SC2001 # indent every line, not one substitution
    sed 's/^/      /' <<<"$out"
  fi
}

# ---- tools -------------------------------------------------------------------------------------
apt_install() {
  # Another process may hold the dpkg lock for a while: wait for it rather than fail.
  local tries=0
  # A fresh machine may have no package lists at all.
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    apt-get update -qq || return 1
  fi
  until DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -ge 20 ] && return 1
    echo "apt-get busy or failed, refreshing the package lists and retrying in 15s ($tries/20)" >&2
    sleep 15
    apt-get update -qq || true
  done
}

missing=()
command -v promtool >/dev/null || missing+=(prometheus)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v yamllint >/dev/null || missing+=(yamllint)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${missing[*]}"
    apt_install "${missing[@]}" || echo "could not install ${missing[*]}" >&2
  else
    echo "missing tools (install the Debian packages): ${missing[*]}" >&2
  fi
fi

# npm tools, pinned by tests/deploy/package-lock.json; reinstalled only when the lock changes.
lock_sum=$(sha256sum "$DEPLOY/package-lock.json" | cut -d' ' -f1)
if [ ! -d "$DEPLOY/node_modules" ] || [ "$(cat "$TOOLS/npm.stamp" 2>/dev/null)" != "$lock_sum" ]; then
  echo "installing npm tools into $DEPLOY/node_modules"
  if (cd "$DEPLOY" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "$lock_sum" >"$TOOLS/npm.stamp"
  else
    echo "npm ci failed" >&2
  fi
fi

need() { command -v "$1" >/dev/null || { echo "$1 is not installed"; return 1; }; }

# ---- YAML --------------------------------------------------------------------------------------
yamllint_all() {
  need yamllint || return 1
  git ls-files -co --exclude-standard -- docker-compose.yml 'grafana/*.yml' 'grafana/*.yaml' \
    'k8s/*.yml' 'k8s/*.yaml' "$DEPLOY/*.yml" | xargs yamllint -s -c "$DEPLOY/yamllint.yml"
}
run "yamllint: compose, grafana/, k8s/, tests/deploy" yamllint_all

# ---- Prometheus --------------------------------------------------------------------------------
promtool_in() { need promtool || return 1; (cd "$1" && shift && promtool "$@"); }
run "promtool check config grafana/prometheus/prometheus.yml (compose)" promtool_in grafana/prometheus check config prometheus.yml

# Debian builds Prometheus without Kubernetes service discovery: if this promtool rejects
# kubernetes_sd_configs, check the rest of the job with that block swapped for file_sd.
check_k8s_scrape() {
  need promtool || return 1
  local out
  if out=$(promtool check config k8s/prometheus/recon-scrape.yml 2>&1); then
    echo "$out"
    return 0
  fi
  if grep -q 'field kubernetes_sd_configs not found' <<<"$out"; then
    echo "  this promtool has no Kubernetes SD: checked with kubernetes_sd_configs swapped for file_sd_configs"
    sed -E '/kubernetes_sd_configs:/,/names:/c\    file_sd_configs:\n      - files: [targets.json]' \
      k8s/prometheus/recon-scrape.yml >"$TOOLS/recon-scrape.file-sd.yml"
    promtool check config "$TOOLS/recon-scrape.file-sd.yml" 2>&1 | grep -v 'does not exist' || true
    promtool check config "$TOOLS/recon-scrape.file-sd.yml" >/dev/null 2>&1
    return $?
  fi
  echo "$out"
  return 1
}
run "promtool check config k8s/prometheus/recon-scrape.yml (Kubernetes job)" check_k8s_scrape
run "promtool check rules grafana/prometheus/recon-rules.yml" promtool_in grafana/prometheus check rules recon-rules.yml
run "promtool test rules grafana/prometheus/recon-rules.test.yml (alert unit tests)" promtool_in grafana/prometheus test rules recon-rules.test.yml

# ---- Dockerfiles -------------------------------------------------------------------------------
# First: it records the image's paths (.tools/image-env.json) that the compose and k8s checks compare with.
run "Dockerfiles: dockerfile-utils lint + Recon rules" node "$DEPLOY/lib/check-dockerfiles.mjs"

# ---- Grafana -----------------------------------------------------------------------------------
run "dashboard: @grafana/schema JSON schema, layout, datasource, metrics contract" node "$DEPLOY/lib/check-dashboard.mjs"
dashboard_queries() {
  need promtool || return 1
  [ -f "$TOOLS/dashboard-queries.rules.yml" ] || { echo "the dashboard check did not write the queries"; return 1; }
  (cd "$TOOLS" && promtool check rules dashboard-queries.rules.yml && promtool test rules dashboard-queries.test.yml)
}
run "dashboard: every query parses and returns data on the contract series (promtool)" dashboard_queries

# ---- docker-compose ----------------------------------------------------------------------------
# Debian's docker-compose is 1.29 (Compose v1): it predates the top-level `name` key of the
# Compose Specification, so that one line is dropped before it sees the file.
compose_config() {
  need docker-compose || return 1
  grep -v '^name:' docker-compose.yml | docker-compose -f - --project-directory . config -q
}
run "docker-compose config -q (Compose $(docker-compose version --short 2>/dev/null || echo '?'))" compose_config
run "dclint docker-compose.yml (schema + style, $DEPLOY/dclintrc.yml)" \
  "$DEPLOY/node_modules/.bin/dclint" -c "$DEPLOY/dclintrc.yml" --max-warnings 0 --color false docker-compose.yml
run "compose: cross-checks with Kafka, Prometheus, Grafana, image paths" node "$DEPLOY/lib/check-compose.mjs"

# ---- Kubernetes --------------------------------------------------------------------------------
# kustomize v4+ is needed (labels, patches); kubectl >= 1.21 embeds it. Without one, the
# overlays are rendered by lib/kustomize-lite.mjs, which implements the subset used here.
kustomize_render() {
  if command -v kubectl >/dev/null && kubectl kustomize --help >/dev/null 2>&1 \
    && [ "$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p')" -ge 4 ] 2>/dev/null; then
    kubectl kustomize "$1"
  else
    node "$DEPLOY/lib/kustomize-lite.mjs" "$1"
  fi
}
renderer="kustomize-lite"
if command -v kubectl >/dev/null; then
  kv=$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: \(.*\)/\1/p')
  [ -n "$kv" ] && renderer="kubectl kustomize (kustomize $kv)"
fi
for overlay in cpu gpu; do
  render_overlay() { kustomize_render "k8s/overlays/$1" >"$TOOLS/k8s-$1.yaml"; }
  run "k8s/overlays/$overlay: render with $renderer" render_overlay "$overlay"
  run "k8s/overlays/$overlay: kubernetes-models + strict fields + Recon rules + scrape relabelling" \
    node "$DEPLOY/lib/check-k8s.mjs" "$overlay" "$TOOLS/k8s-$overlay.yaml"
  if [[ $renderer == kubectl* ]]; then
    # Keep the fallback renderer honest: it must produce the same objects as kustomize.
    lite_matches() {
      node "$DEPLOY/lib/kustomize-lite.mjs" "k8s/overlays/$1" >"$TOOLS/k8s-$1.lite.yaml" \
        && node "$DEPLOY/lib/same-objects.mjs" "$TOOLS/k8s-$1.yaml" "$TOOLS/k8s-$1.lite.yaml"
    }
    run "k8s/overlays/$overlay: kustomize-lite renders the same objects as kubectl" lite_matches "$overlay"
  fi
done

# ---- summary -----------------------------------------------------------------------------------
echo
if [ "$failed" -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
