#!/usr/bin/env bash
# Inputs that once made nova quadratic or worse, with the anchor on the same input in the same run:
#  - one migration with N unnamed CHECK constraints on one table (PostgreSQL's default names
#    `t_check`, `t_check1`, ...): `nova migrations check` against `squawk`;
#  - one message with N fields, in two revisions that change every field's name and json_name:
#    `nova proto breaking` against `buf breaking`, and `nova proto lint` for scale.
# usage: bench/scale_traps.sh [SIZES...]   (default: 1000 2000 4000 for CHECKs; fields = 4.5x)
# Set NOVA_BEFORE=/path/to/old/nova to time an older binary beside the current one.
. "$(dirname "$0")/common.sh"
install_anchors
build_nova
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 2000 4000)
echo "nova: $("$NOVA" --version)   cores: $(nproc)   load: $(cut -d' ' -f1-3 /proc/loadavg)"
bins=("nova=$NOVA")
[ -n "${NOVA_BEFORE:-}" ] && bins+=("before=$NOVA_BEFORE")

for n in "${sizes[@]}"; do
  dir="$WORK/traps/checks-$n"
  mkdir -p "$dir"
  python3 - "$dir/0001_checks.sql" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("CREATE TABLE t (id bigint PRIMARY KEY, a int NOT NULL, b int NOT NULL);\n")
    for i in range(n):
        f.write(f"ALTER TABLE t ADD CHECK (a + b > {i});\n")
PY
  echo "== $n unnamed CHECKs on one table"
  for b in "${bins[@]}"; do
    measure "${b%%=*}-migrations-checks-$n" "${b#*=}" --format json migrations check "$dir"
  done
  measure "squawk-checks-$n" squawk "$dir/0001_checks.sql"

  fields=$((n * 9 / 2))
  pdir="$WORK/traps/fields-$fields"
  mkdir -p "$pdir/prev" "$pdir/cur"
  python3 - "$pdir" "$fields" <<'PY'
import sys
root, n = sys.argv[1], int(sys.argv[2])
for side, suffix in (("prev", ""), ("cur", "_v2")):
    with open(f"{root}/{side}/big.proto", "w") as f:
        f.write('syntax = "proto3";\npackage big.v1;\nmessage Big {\n')
        for i in range(1, n + 1):
            f.write(f"  string field_{i}{suffix} = {i};\n")
        f.write("}\n")
    with open(f"{root}/{side}/buf.yaml", "w") as f:
        f.write("version: v2\nbreaking:\n  use: [WIRE_JSON]\n")
PY
  echo "== one message with $fields fields, every field renamed"
  for b in "${bins[@]}"; do
    measure "${b%%=*}-breaking-fields-$fields" "${b#*=}" --format json proto breaking "$pdir/cur" --against "$pdir/prev"
    measure "${b%%=*}-lint-fields-$fields" "${b#*=}" --format json proto lint "$pdir/cur"
  done
  (cd "$pdir/cur" && measure "buf-breaking-fields-$fields" buf breaking --against ../prev)
  echo "   findings: nova $(grep -c '"rule"' "$WORK/nova-breaking-fields-$fields.out" || true), buf $(wc -l <"$WORK/buf-breaking-fields-$fields.out")"
done
