#!/usr/bin/env bash
# `nova wiring check` vs an equivalent ast-grep rule set (bench/ast-grep/), in one run, on two
# generated corpora:
#  - tidy: bench/gen_backend.py, 15 services, ~800 Rust files, ~200k lines, few files with the
#    words nova's pre-filter looks for;
#  - fleet: bench/gen_fleet.py, 54 crates in four workspaces, 810 files, ~65% of them with those
#    words, main.rs files of 300-900 lines (one App with 250 routes), SDK clients named *Client.
# Prints wall times (min and median of $RUNS runs, warm cache) and the findings per rule of both
# tools next to what the generator planted (precision and recall for the fleet).
# Usage: bench/wiring.sh [RUNS] [tidy|fleet|both]
. "$(dirname "$0")/common.sh"
RUNS="${1:-5}"
CORPUS="${2:-both}"
install_anchors
build_nova
SG_CONFIG="$BENCH_DIR/ast-grep/sgconfig.yml"



tidy() {
OUT="$WORK/wiring-backend"
rm -rf "$OUT"
python3 "$BENCH_DIR/gen_backend.py" "$OUT"
echo "=== tidy corpus (gen_backend.py)"
"$NOVA" wiring check "$OUT" --format json >"$WORK/nova-wiring.json" || true
ast-grep scan -c "$SG_CONFIG" --json=stream "$OUT" >"$WORK/sg-wiring.json" 2>/dev/null || true
echo "== time ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), warm cache)"
time_runs nova "$NOVA" wiring check "$OUT" --format json | tee "$WORK/nova-time.txt"
# Worst case for nova: a configured name found in every file defeats the pre-filter, so all files
# are parsed with syn (findings are unchanged: `pub` never matches a middleware).
printf '[wiring]\nmiddleware = ["CorrelationIdMiddleware", "pub"]\n' >"$WORK/parse-all.toml"
time_runs nova-all "$NOVA" --config "$WORK/parse-all.toml" wiring check "$OUT" --format json | tee "$WORK/nova-all-time.txt"
time_runs ast-grep ast-grep scan -c "$SG_CONFIG" --json=stream "$OUT" | tee "$WORK/sg-time.txt"
/usr/bin/time -f "nova max RSS %M KB" "$NOVA" wiring check "$OUT" --format json >/dev/null 2>"$WORK/nova-rss.txt" || true
tail -1 "$WORK/nova-rss.txt"

echo "== findings per rule"
python3 - "$WORK/nova-wiring.json" "$WORK/sg-wiring.json" "$OUT/expected.json" "$WORK/nova-time.txt" "$WORK/sg-time.txt" "$WORK/nova-all-time.txt" <<'PY'
import collections, json, sys
nova = json.load(open(sys.argv[1]))
sg = collections.Counter(json.loads(l)["ruleId"] for l in open(sys.argv[2]) if l.strip())
exp = json.load(open(sys.argv[3]))["sites"]
n = collections.Counter(d["rule"] for d in nova["diagnostics"])
def planted(kind, form):
    return exp.get(f"{kind}:unwired:{form}", 0)
rows = [
    ("HTTP_CORRELATION_MIDDLEWARE", "http"),
    ("GRPC_SERVER_INTERCEPTOR", "grpc_server"),
    ("GRPC_CLIENT_INTERCEPTOR", "grpc_client"),
    ("KAFKA_CORRELATION_HEADER", "kafka"),
    ("CIRCUIT_BREAKER_CONFIG", "breaker_config"),
    ("KAFKA_FRESH_CORRELATION_ID", "kafka_fresh"),
]
print(f"{'rule':30} {'planted inline':>14} {'planted nova-only':>17} {'nova':>6} {'ast-grep':>9}")
for rule, kind in rows:
    print(f"{rule:30} {planted(kind,'inline'):>14} {planted(kind,'nova-only'):>17} {n.get(rule,0):>6} {sg.get(rule,0):>9}")
other = {k: v for k, v in n.items() if k not in dict(rows)}
if other:
    print("other nova findings:", dict(other))
def medians(path):
    w = open(path).read().split()
    return float(w[6]), float(w[13])
(nw, nc), (sw, sc) = medians(sys.argv[4]), medians(sys.argv[5])
print(f"speed-up (median): wall {sw / nw:.1f}x, cpu {sc / nc:.1f}x")
aw, ac = medians(sys.argv[6])
print(f"speed-up, every file parsed (median): wall {sw / aw:.1f}x, cpu {sc / ac:.1f}x")
print("matrix rows:", len(nova.get("matrix", [])), " files checked:", nova["summary"]["files"])
PY
}

fleet() {
OUT="$WORK/wiring-fleet"
rm -rf "$OUT"
python3 "$BENCH_DIR/gen_fleet.py" "$OUT"
echo "=== fleet corpus (gen_fleet.py)"
"$NOVA" wiring check "$OUT" --format json >"$WORK/nova-fleet.json" || true
ast-grep scan -c "$SG_CONFIG" --json=stream "$OUT" >"$WORK/sg-fleet.json" 2>/dev/null || true
echo "== time ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), warm cache)"
time_runs nova "$NOVA" wiring check "$OUT" --format json | tee "$WORK/nova-fleet-time.txt"
time_runs ast-grep ast-grep scan -c "$SG_CONFIG" --json=stream "$OUT" | tee "$WORK/sg-fleet-time.txt"
python3 - "$WORK/nova-fleet.json" "$WORK/sg-fleet.json" "$OUT/expected.json" "$WORK/nova-fleet-time.txt" "$WORK/sg-fleet-time.txt" <<'PY'
import collections, json, sys
nova = json.load(open(sys.argv[1]))
sg = collections.Counter(json.loads(l)["ruleId"] for l in open(sys.argv[2]) if l.strip())
exp = json.load(open(sys.argv[3]))
sites = exp["sites"]
n = collections.Counter(d["rule"] for d in nova["diagnostics"])
print(f"{exp['files']} files, {exp['files_with_trigger_words']} with trigger words, {exp['crates']} crates; "
      f"{sites.get('SDK_CLIENT:unwired', 0)} SDK clients named *Client (must not be reported)")
print(f"{'rule':30} {'planted unwired':>15} {'planted wired':>13} {'nova':>6} {'ast-grep':>9}")
for rule in ["HTTP_CORRELATION_MIDDLEWARE", "GRPC_CLIENT_INTERCEPTOR", "KAFKA_CORRELATION_HEADER"]:
    print(f"{rule:30} {sites.get(rule + ':unwired', 0):>15} {sites.get(rule + ':wired', 0):>13} {n.get(rule, 0):>6} {sg.get(rule, 0):>9}")
other = {k: v for k, v in n.items() if k not in ("HTTP_CORRELATION_MIDDLEWARE", "GRPC_CLIENT_INTERCEPTOR", "KAFKA_CORRELATION_HEADER")}
print("other nova findings (each a false positive):", dict(other) or "none")
def medians(path):
    w = open(path).read().split()
    return float(w[6]), float(w[13])
(nw, nc), (sw, sc) = medians(sys.argv[4]), medians(sys.argv[5])
print(f"nova / ast-grep (median): wall {nw / sw:.2f}x, cpu {nc / sc:.2f}x")
print("matrix rows:", len(nova.get("matrix", [])), " files checked:", nova["summary"]["files"])
PY
}

case "$CORPUS" in
  tidy) tidy ;;
  fleet) fleet ;;
  *) tidy; fleet ;;
esac
