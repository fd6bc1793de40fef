#!/usr/bin/env bash
# Shared helpers for the benchmark scripts. Source it: `. "$(dirname "$0")/common.sh"`.
# Everything is downloaded into bench/work/ (git-ignored); rerunning reuses it.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
WORK="${BENCH_WORK:-$BENCH_DIR/work}"
mkdir -p "$WORK"

# The comparison tools, from PyPI, into a private virtualenv.
install_anchors() {
  if [ ! -x "$WORK/venv/bin/buf" ] || [ ! -x "$WORK/venv/bin/squawk" ] || [ ! -x "$WORK/venv/bin/ast-grep" ]; then
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install -q buf-bin==1.75.0 squawk-cli ast-grep-cli
  fi
  export PATH="$WORK/venv/bin:$PATH"
}

# nova, built in release mode.
build_nova() {
  (cd "$REPO_DIR" && cargo build --release -q)
  NOVA="$REPO_DIR/target/release/nova"
  export NOVA
}

# fetch_googleapis VERSION -> prints the directory holding that version's protos (npm google-proto-files).
fetch_googleapis() {
  local v="$1" dir="$WORK/google-proto-files-$1"
  if [ ! -d "$dir/package" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm pack -q "google-proto-files@$v" >/dev/null && tar xzf google-proto-files-"$v".tgz)
  fi
  echo "$dir/package"
}

# measure LABEL CMD... : runs CMD once under /usr/bin/time, prints "LABEL wall_s max_rss_mb exit".
# Output of the command goes to $WORK/LABEL.out.
measure() {
  local label="$1"; shift
  local tfile="$WORK/$label.time"
  local start end rc=0
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$tfile" "$@" >"$WORK/$label.out" 2>"$WORK/$label.err" || rc=$?
  end=$(date +%s.%N)
  local rss_kb; rss_kb=$(tail -1 "$tfile")
  printf "%-40s wall %7.2f s   max RSS %7.1f MB   exit %s\n" "$label" "$(echo "$end - $start" | bc)" "$(echo "scale=1; $rss_kb/1024" | bc)" "$rc"
}

# time_runs NAME CMD...: min and median wall and CPU (user+sys) seconds over $RUNS runs, after one
# warm-up, and the largest max RSS. CPU time is reported too because the 2-core machine is often
# shared: wall time then measures the queue as much as the tool.
time_runs() {
  local name="$1"; shift
  "$@" >/dev/null 2>&1 || true
  : >"$WORK/$name.times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/$name.t1" "$@" >/dev/null 2>&1 || true
    tail -1 "$WORK/$name.t1" >>"$WORK/$name.times"
  done
  python3 - "$name" "$WORK/$name.times" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
wall = sorted(r[0] for r in rows)
cpu = sorted(r[1] + r[2] for r in rows)
rss = max(r[3] for r in rows) / 1024
print(f"{sys.argv[1]:<10} wall min {wall[0]:.3f} s  median {statistics.median(wall):.3f} s   "
      f"cpu min {cpu[0]:.3f} s  median {statistics.median(cpu):.3f} s  ({len(rows)} runs, max RSS {rss:.0f} MB)")
PY
}
