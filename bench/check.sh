#!/usr/bin/env bash
# `nova check` on the example backend and `nova --version` start-up, release build.
# Targets (issue 7): `nova --version` under 5 ms, `nova check examples/backend` under 1 s.
# Usage: bench/check.sh [RUNS]   (default 10 runs each; prints the median)
. "$(dirname "$0")/common.sh"
build_nova
RUNS="${1:-10}"

median_ms() { # CMD... -> median wall time of RUNS runs in ms
  local times=()
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    times+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'
}

cd "$REPO_DIR"
echo "nova --version                       median $(median_ms "$NOVA" --version) ms over $RUNS runs"
echo "nova check examples/backend          median $(median_ms "$NOVA" check examples/backend) ms over $RUNS runs"
echo "nova check examples/backend --format json  median $(median_ms "$NOVA" check examples/backend --format json) ms"
measure nova-check-example "$NOVA" check examples/backend --format json

# With hyperfine installed (`apt-get install hyperfine`), its mean ± σ too (more runs, warm-up,
# shell start-up subtracted).
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 20 --runs 300 "$NOVA --version" 2>/dev/null | sed -n '1,3p'
  hyperfine -N --warmup 3 --runs "$RUNS" -i "$NOVA check examples/backend" 2>/dev/null | sed -n '1,3p'
fi
