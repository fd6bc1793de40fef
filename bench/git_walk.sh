#!/usr/bin/env bash
# What the shared git handle and the shared walk save in `nova check`, counted in system calls
# (wall time on the combined tree is dominated by the proto compile and moves by more than these
# savings between runs). Needs strace and the tree of bench/combined.sh.
#   1. repository opens during `nova check --changed-since HEAD` (each open reads `.git/config`);
#   2. directory reads (getdents64) and opens/stats of `nova check --only migrations` when the
#      migrations directories are discovered (a copy of the tree whose nova.toml has no `dirs`).
# Set NOVA_BEFORE to another nova binary to count it too.
# usage: bench/git_walk.sh
. "$(dirname "$0")/common.sh"
TREE="${COMBINED_TREE:-${TMPDIR:-/tmp}/nova-bench-combined}"
[ -f "$TREE/nova.toml" ] || { echo "run bench/combined.sh first (no $TREE)" >&2; exit 2; }
build_nova
COPY="$WORK/git-walk-tree"
rm -rf "$COPY" && cp -r "$TREE" "$COPY" && printf '[migrations]\n' > "$COPY/nova.toml"
for bin in ${NOVA_BEFORE:-} "$NOVA"; do
  (cd "$TREE" && strace -f -e trace=openat -o "$WORK/git-walk.opens" "$bin" --format json check --changed-since HEAD >/dev/null) || true
  opens=$(grep -c "openat(AT_FDCWD, \"$TREE/.git/config\"" "$WORK/git-walk.opens" || true)
  (cd "$COPY" && strace -f -c -e trace=getdents64,openat,statx,newfstatat -o "$WORK/git-walk.calls" "$bin" --format json check --only migrations >/dev/null) || true
  calls=$(awk '$NF ~ /^(getdents64|openat|statx|newfstatat)$/ {printf "%s=%s ", $NF, $4}' "$WORK/git-walk.calls")
  echo "$bin: repository opens=$opens; discovery run: $calls"
done
