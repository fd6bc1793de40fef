#!/usr/bin/env bash
# `nova check` on one tree holding the corpora of the other benchmarks, against the sum of the
# standalone commands on the same tree (issue 7: "the sum of the parts or better").
#
# The tree ($COMBINED_TREE, default /tmp/nova-bench-combined; one git commit on `main`):
#   nova-protos/   the googleapis registry of bench/proto_lint.sh (~8,000 files, buf STANDARD lint);
#                  `nova proto check` lints it, compiles it (worktree, reused by breaking) and `main`, compares
#   migrations/    bench/gen_migrations.py, $MIGRATIONS files (default 5000)
#   the rest       bench/gen_backend.py: the 15-service Rust workspace of bench/wiring.sh
#   nova.toml      [proto], [migrations] and [wiring] sections
#
# The googleapis tree is taken from $BENCH_WORK/gapis (written by bench/proto_lint.sh; read, never
# modified), else bench/proto_lint.sh's preparation is run first. Release build.
# Prints, per command, the median wall time, CPU time (user+sys) and peak RSS of $RUNS runs.
# usage: bench/combined.sh [RUNS]   (default 3)
. "$(dirname "$0")/common.sh"
RUNS="${1:-3}"
MIGRATIONS="${MIGRATIONS:-5000}"
GAPIS="$WORK/gapis"
if [ ! -d "$GAPIS/google" ]; then
  bash "$BENCH_DIR/proto_lint.sh" >/dev/null
fi
# Everything this script writes stays in this checkout's bench/work/, whatever BENCH_WORK says.
WORK="$BENCH_DIR/work"
mkdir -p "$WORK"

# Outside the checkout: `nova init` on the repository root (tests/check.rs) would find this tree's
# migrations and protos.
TREE="${COMBINED_TREE:-${TMPDIR:-/tmp}/nova-bench-combined}"
if [ ! -f "$TREE/.done-$MIGRATIONS" ]; then
  rm -rf "$TREE"
  python3 "$BENCH_DIR/gen_backend.py" "$TREE" >/dev/null
  python3 "$BENCH_DIR/gen_migrations.py" "$TREE/migrations" "$MIGRATIONS" >/dev/null
  mkdir -p "$TREE/nova-protos"
  cp -r "$GAPIS"/. "$TREE/nova-protos/"
  cat >"$TREE/nova.toml" <<'TOML'
# bench/combined.sh: every checker on one tree.
[proto]
registry = "nova-protos"

[migrations]
dirs = ["migrations"]

[wiring]
TOML
  (cd "$TREE" && git init -q -b main && git add -A \
    && git -c user.name=b -c user.email=b@b commit -qm "combined benchmark corpus")
  touch "$TREE/.done-$MIGRATIONS"
fi

build_nova
echo "nova: $("$NOVA" --version)   cores: $(nproc)   load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tree: $(find "$TREE/nova-protos" -name '*.proto' | wc -l) registry protos, $(find "$TREE/migrations" -name '*.sql' | wc -l) migrations, $(find "$TREE" -name '*.rs' -not -path '*/target/*' | wc -l) Rust files"

# runs LABEL CMD...: median wall, median CPU, max peak RSS over $RUNS runs (after one warm-up, so
# every command reads from the page cache). Appends "LABEL wall cpu rss_mb" to $WORK/combined.rows.
runs() {
  local label="$1"; shift
  (cd "$TREE" && "$@" >"$WORK/$label.out" 2>"$WORK/$label.err") || true
  : >"$WORK/$label.times"
  for _ in $(seq "$RUNS"); do
    (cd "$TREE" && /usr/bin/time -f "%e %U %S %M" -o "$WORK/$label.t1" "$@" >/dev/null 2>&1) || true
    tail -1 "$WORK/$label.t1" >>"$WORK/$label.times"
  done
  python3 - "$label" "$WORK/$label.times" "$WORK/$label.out" >>"$WORK/combined.rows" <<'PY'
import json, statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
wall = statistics.median(r[0] for r in rows)
cpu = statistics.median(r[1] + r[2] for r in rows)
rss = max(r[3] for r in rows) / 1024
try:
    d = json.load(open(sys.argv[3]))
    n = len(d["diagnostics"])
except Exception:
    n = -1
print(f"{sys.argv[1]} {wall:.2f} {cpu:.2f} {rss:.1f} {n}")
PY
}

: >"$WORK/combined.rows"
runs proto-check "$NOVA" --format json proto check
runs migrations-check "$NOVA" --format json migrations check
runs wiring-check "$NOVA" --format json wiring check
runs nova-check "$NOVA" --format json check

python3 - "$WORK/combined.rows" "$RUNS" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
print(f"{'command (median of ' + sys.argv[2] + ' runs)':34} {'wall s':>8} {'cpu s':>8} {'peak RSS MB':>12} {'findings':>9}")
parts = [r for r in rows if r[0] != "nova-check"]
for r in rows:
    name = "nova check" if r[0] == "nova-check" else "nova " + r[0].replace("-", " ")
    print(f"{name:34} {float(r[1]):8.2f} {float(r[2]):8.2f} {float(r[3]):12.1f} {r[4]:>9}")
s = [sum(float(r[i]) for r in parts) for i in (1, 2, 3)]
n = sum(int(r[4]) for r in parts)
print(f"{'sum of the three':34} {s[0]:8.2f} {s[1]:8.2f} {s[2]:12.1f} {n:9}")
PY
