#!/usr/bin/env bash
# `nova migrations check` (full cumulative model + nova's invariants + embedded squawk rules)
# against `squawk` (per-file lint only) on generated sqlx corpora of 1k / 5k / 10k files.
# usage: bench/migrations.sh [SIZES...]   (default: 1000 5000 10000)
. "$(dirname "$0")/common.sh"
install_anchors
build_nova
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 5000 10000)
echo "nova: $("$NOVA" --version)   squawk: $(squawk --version 2>&1 | head -1)   cores: $(nproc)"
for n in "${sizes[@]}"; do
  dir="$WORK/migrations-$n"
  if [ ! -d "$dir" ] || [ "$(ls "$dir" | wc -l)" -ne "$n" ]; then
    rm -rf "$dir"
    python3 "$BENCH_DIR/gen_migrations.py" "$dir" "$n"
  fi
  lines=$(cat "$dir"/*.sql | wc -l)
  echo "== $n files, $lines lines"
  # Warm the page cache so both tools read from memory.
  cat "$dir"/*.sql >/dev/null
  measure "nova-migrations-$n" "$NOVA" --format json migrations check "$dir"
  measure "squawk-$n" squawk "$dir/*.sql"
  echo "   nova findings: $(grep -c '"rule"' "$WORK/nova-migrations-$n.out" || true)"
done
