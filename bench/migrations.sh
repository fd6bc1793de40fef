#!/usr/bin/env bash
# `nova migrations check` (full cumulative model + nova's invariants + embedded squawk rules)
# against `squawk` (per-file lint only) on generated sqlx corpora of 1k / 5k / 10k files.
# usage: bench/migrations.sh [SIZES...]   (default: 1000 5000 10000)
. "$(dirname "$0")/common.sh"
install_anchors
build_nova
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 5000 10000)
echo "nova: $("$NOVA" --version)   squawk: $(squawk --version 2>&1 | head -1)   cores: $(nproc)   load: $(cut -d' ' -f1-3 /proc/loadavg)"

# cpu LABEL CMD...: wall and CPU (user+sys) seconds and max RSS. CPU time is the fair number on a
# shared machine; wall time is what a user waits (nova parses on every core, squawk on one).
cpu() {
  local label="$1"; shift
  local rc=0
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/$label.time" "$@" >"$WORK/$label.out" 2>"$WORK/$label.err" || rc=$?
  read -r wall user sys rss <"$WORK/$label.time" || true
  # /usr/bin/time writes "Command exited with non-zero status" first on failure.
  if ! [[ "$wall" =~ ^[0-9.]+$ ]]; then read -r wall user sys rss < <(tail -n 1 "$WORK/$label.time"); fi
  printf "%-24s wall %7.2f s   cpu %7.2f s   max RSS %7.1f MB   exit %s\n" "$label" "$wall" \
    "$(echo "$user + $sys" | bc)" "$(echo "scale=1; $rss/1024" | bc)" "$rc"
}
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
  cpu "nova-$n" "$NOVA" --format json migrations check "$dir"
  cpu "squawk-$n" squawk "$dir/*.sql"
  echo "   nova findings: $(grep -c '"rule"' "$WORK/nova-$n.out" || true)"
done
