#!/usr/bin/env bash
# nova proto lint vs buf lint on googleapis (npm google-proto-files@5.0.3, ~8,000 files):
# wall time and peak memory in one run, and per-rule finding counts of both tools.
#
# Excluded from the tree (both tools see the same files):
#   google/protobuf/**  protobuf's own sources and test protos (editions, a file whose import the
#                       package does not ship, two files defining the same names). Left out so the
#                       tree is the one every earlier run measured, and both tools bring their own
#                       well-known types. nova compiles these files as protoc does
#                       (tests/protoc_conformance.rs runs the whole package).
#   anything else nova reports as COMPILE on a first pass (listed in the output).
. "$(dirname "$0")/common.sh"
install_anchors
SRC="$(fetch_googleapis 5.0.3)"
build_nova

TREE="$WORK/gapis"
rm -rf "$TREE" && mkdir -p "$TREE"
cp -r "$SRC/google" "$SRC/grafeas" "$TREE/"
rm -rf "$TREE/google/protobuf"
# Same rule set on both sides: buf v2's default (STANDARD); nova reads this buf.yaml too.
printf 'version: v2\nlint:\n  use: [STANDARD]\n' > "$TREE/buf.yaml"

# First pass: drop whatever does not compile, so both tools lint the same files.
"$NOVA" --format json proto lint "$TREE" > "$WORK/nova-precheck.json" || true
python3 - "$WORK/nova-precheck.json" "$TREE" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
bad = sorted({x["path"] for x in d["diagnostics"] if x.get("kind") == "input_error" and x.get("path")})
print(f"first pass: {len(bad)} more file(s) do not compile and are excluded")
for p in bad:
    print("excluded (does not compile):", p)
    try:
        os.remove(os.path.join(sys.argv[2], p))
    except FileNotFoundError:
        pass
PY
echo "files: $(find "$TREE" -name '*.proto' | wc -l)"

cd "$TREE"
measure buf-lint buf lint --error-format json
measure nova-lint "$NOVA" --format json proto lint .

python3 - "$WORK/buf-lint.out" "$WORK/nova-lint.out" <<'PY'
import json, sys, collections
buf = collections.Counter()
bufset = set()
for line in open(sys.argv[1]):
    line = line.strip()
    if line:
        x = json.loads(line)
        buf[x["type"]] += 1
        bufset.add((x["type"], x["path"], x.get("start_line", 0), x.get("start_column", 0)))
d = json.load(open(sys.argv[2]))
nova = collections.Counter(x["rule"] for x in d["diagnostics"])
novaset = {(x["rule"], x["path"], x.get("line", 0), x.get("column", 0)) for x in d["diagnostics"]}
print(f"{'rule':40} {'buf':>7} {'nova':>7} {'diff':>6}")
for r in sorted(set(buf) | set(nova)):
    print(f"{r:40} {buf[r]:7} {nova[r]:7} {nova[r]-buf[r]:+6}")
print(f"{'TOTAL':40} {sum(buf.values()):7} {sum(nova.values()):7}")
print(f"same rule+path+line+column: {len(bufset & novaset)}; only buf: {len(bufset - novaset)}; only nova: {len(novaset - bufset)}")
for tag, s in (("only buf", bufset - novaset), ("only nova", novaset - bufset)):
    for x in sorted(s)[:15]:
        print(f"  {tag}: {x}")
PY
