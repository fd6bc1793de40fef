#!/usr/bin/env bash
# Breaking-change detection between two real revisions of the googleapis protos (npm
# google-proto-files), nova vs `buf breaking --against`, same inputs, same rule set (FILE, the
# default of both), in one run:
#   1. two directories;
#   2. two commits of a git repository built here (nova reads the baseline from git objects,
#      buf from `.git#ref=...`).
# Prints wall time and peak RSS of each, then the finding differences.
#   OLD_VERSION / NEW_VERSION select the revisions (default 5.0.0 -> 5.0.3).
. "$(dirname "$0")/common.sh"

OLD_VERSION="${OLD_VERSION:-5.0.0}"
NEW_VERSION="${NEW_VERSION:-5.0.3}"

if [ ! -x "$WORK/venv/bin/buf" ]; then install_anchors; fi
export PATH="$WORK/venv/bin:$PATH"
if [ -z "${NOVA:-}" ]; then build_nova; fi

OLD_PKG=$(fetch_googleapis "$OLD_VERSION")
NEW_PKG=$(fetch_googleapis "$NEW_VERSION")

# Module trees: only the protos (google/, grafeas/), no buf.yaml (both tools use defaults).
# google/protobuf/ is left out, as in every earlier run: it holds protobuf's own test protos
# (editions, ruby fixtures with a missing import and clashing names), and both tools ship the
# well-known types themselves. nova compiles them as protoc does (tests/protoc_conformance.rs).
prepare() {
  local src="$1" dst="$2"
  if [ ! -d "$dst" ]; then
    mkdir -p "$dst"
    (cd "$src" && find google grafeas -name '*.proto' -not -path 'google/protobuf/*' | while read -r f; do
      mkdir -p "$dst/$(dirname "$f")" && cp "$f" "$dst/$f"; done)
  fi
}
OLD="$WORK/breaking/old-$OLD_VERSION"
NEW="$WORK/breaking/new-$NEW_VERSION"
prepare "$OLD_PKG" "$OLD"
prepare "$NEW_PKG" "$NEW"

# A git repository with the two revisions as consecutive commits.
REPO="$WORK/breaking/repo-$OLD_VERSION-$NEW_VERSION"
if [ ! -d "$REPO/.git" ]; then
  rm -rf "$REPO"; mkdir -p "$REPO"
  (cd "$REPO" && git init -q -b main \
    && cp -r "$OLD"/. . && git add -A && git -c user.name=b -c user.email=b@b commit -qm "googleapis $OLD_VERSION" \
    && git rm -rq . && cp -r "$NEW"/. . && git add -A && git -c user.name=b -c user.email=b@b commit -qm "googleapis $NEW_VERSION")
fi

echo "googleapis $OLD_VERSION -> $NEW_VERSION: $(find "$OLD" -name '*.proto' | wc -l) -> $(find "$NEW" -name '*.proto' | wc -l) files"
echo "== directories"
measure nova-dir "$NOVA" proto breaking "$NEW" --against "$OLD" --format json
measure buf-dir buf breaking "$NEW" --against "$OLD" --error-format json
echo "== git (baseline = HEAD~1 of a repository, current = worktree)"
measure nova-git sh -c "cd '$REPO' && '$NOVA' proto breaking . --against HEAD~1 --format json"
measure buf-git sh -c "cd '$REPO' && buf breaking . --against '.git#ref=HEAD~1' --error-format json"

# Finding differences: (rule, path, line) from both tools.
python3 - "$WORK" <<'PY'
import json, sys, collections
work = sys.argv[1]
def nova(label):
    try:
        d = json.load(open(f"{work}/{label}.out"))
    except Exception as e:
        return None
    return collections.Counter(key(x["rule"], x.get("path") or "", x.get("line") or 0, x["message"]) for x in d["diagnostics"])
def key(rule, path, line, message):
    # A deleted file has no location: buf prints it at line 1 of an empty path, nova names the
    # file without a line. Compare those by the file named in the message.
    if rule == "FILE_NO_DELETE":
        return (rule, message.split('"')[1], 0)
    return (rule, path, line)
def buf(label):
    c = collections.Counter()
    for line in open(f"{work}/{label}.out"):
        line = line.strip()
        if not line.startswith("{"):
            continue
        x = json.loads(line)
        path = x.get("path") or ""
        for marker in ("/breaking/new-",):
            if marker in path:  # absolute in directory mode: make it module-relative
                path = path.split(marker, 1)[1].split("/", 1)[1]
        c[key(x["type"], path, x.get("start_line") or 0, x.get("message", ""))] += 1
    return c
for kind in ("dir", "git"):
    n, b = nova(f"nova-{kind}"), buf(f"buf-{kind}")
    if n is None:
        print(f"{kind}: nova output unreadable"); continue
    print(f"== {kind}: nova {sum(n.values())} findings, buf {sum(b.values())} findings")
    byrule = collections.defaultdict(lambda: [0, 0])
    for k, v in n.items(): byrule[k[0]][0] += v
    for k, v in b.items(): byrule[k[0]][1] += v
    for r, (x, y) in sorted(byrule.items()):
        flag = "" if x == y else "   <-- differs"
        print(f"  {r:45} nova {x:6} buf {y:6}{flag}")
    only_n = n - b
    only_b = b - n
    print(f"  same (rule, path, line): {sum((n & b).values())}; only nova: {sum(only_n.values())}; only buf: {sum(only_b.values())}")
    for k in list(only_n)[:10]: print("    only nova:", k)
    for k in list(only_b)[:10]: print("    only buf: ", k)
PY
