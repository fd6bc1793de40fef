#!/usr/bin/env bash
# `nova k8s check` vs checkov (`--framework kubernetes`) on a generated corpus (bench/gen_k8s.py:
# 40 services, each a kustomize base and two overlays, two environment kustomizations; 482 YAML
# files), side by side in one run. nova renders the kustomizations itself and judges each
# environment; checkov reads every YAML file as it is. Prints wall and CPU time (min and median of
# $RUNS runs after one warm-up) and the finding counts of both. Usage: bench/k8s.sh [RUNS] [SERVICES]
. "$(dirname "$0")/common.sh"
RUNS="${1:-5}"
SERVICES="${2:-40}"
build_nova
if [ ! -x "$WORK/venv-checkov/bin/checkov" ]; then
  python3 -m venv "$WORK/venv-checkov"
  "$WORK/venv-checkov/bin/pip" install -q checkov
fi
CHECKOV="$WORK/venv-checkov/bin/checkov"
OUT="$WORK/k8s-corpus"
rm -rf "$OUT"
python3 "$BENCH_DIR/gen_k8s.py" "$OUT" "$SERVICES"

# From inside the corpus, so both tools see the same tree and nova finds its nova.toml.
cd "$OUT"
echo "== $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), checkov $("$CHECKOV" --version)"
time_runs nova "$NOVA" k8s check . --format json | tee "$WORK/k8s-nova-time.txt"
time_runs checkov "$CHECKOV" -d . --framework kubernetes --quiet --compact -o json | tee "$WORK/k8s-checkov-time.txt"

"$NOVA" k8s check . --format json >"$WORK/k8s-nova.json" || true
"$CHECKOV" -d . --framework kubernetes --quiet --compact -o json >"$WORK/k8s-checkov.json" 2>/dev/null || true
echo "== findings"
python3 - "$WORK/k8s-nova.json" "$WORK/k8s-checkov.json" "$WORK/k8s-nova-time.txt" "$WORK/k8s-checkov-time.txt" <<'PY'
import collections, json, re, sys
nova = json.load(open(sys.argv[1]))
n = collections.Counter(d["rule"] for d in nova["diagnostics"])
print(f"nova: {sum(n.values())} findings over {len(nova['k8s_fleet'])} rendered workloads: {dict(sorted(n.items()))}")
ck = json.load(open(sys.argv[2]))
ck = ck if isinstance(ck, list) else [ck]
failed = sum(len(r.get("results", {}).get("failed_checks", [])) for r in ck)
passed = sum(len(r.get("results", {}).get("passed_checks", [])) for r in ck)
print(f"checkov: {failed} failed checks, {passed} passed (per file, kustomize not rendered)")
t = lambda p: float(re.search(r"median ([0-9.]+)", open(p).read()).group(1))
print(f"== median wall: nova {t(sys.argv[3]):.3f} s, checkov {t(sys.argv[4]):.2f} s: nova {t(sys.argv[4]) / t(sys.argv[3]):.0f}x faster")
PY
