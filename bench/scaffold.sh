#!/usr/bin/env bash
# Times the generators on the fixture workspace: `nova new` (default feature set), `nova gen
# outbox`, `nova gen circuit-breaker`, and a no-op re-run. Target: < 100 ms each.
# Usage: bench/scaffold.sh [RUNS]   (NOVA=/path/to/nova to skip the release build)
. "$(dirname "$0")/common.sh"
RUNS="${1:-20}"
if [ -z "${NOVA:-}" ]; then build_nova; fi
FIXTURE="$REPO_DIR/tests/fixtures/scaffold/workspace"

# time_ms CMD... : wall time of one run in milliseconds (fails loudly if the command fails).
time_ms() {
  local s e
  s=$(date +%s%N)
  "$@" >/dev/null
  e=$(date +%s%N)
  echo $(((e - s) / 1000000))
}

declare -A samples
for i in $(seq 1 "$RUNS"); do
  ws="$WORK/scaffold-ws-$i"
  rm -rf "$ws" && cp -r "$FIXTURE" "$ws"
  cd "$ws"
  samples[new]+="$(time_ms "$NOVA" new order-service) "
  samples[new_dry_run]+="$(time_ms "$NOVA" new billing-service --dry-run) "
  samples[gen_outbox_identical]+="$(time_ms "$NOVA" gen outbox --service order-service) "
  samples[gen_outbox_aggregate]+="$(time_ms "$NOVA" gen outbox --service order-service --aggregate order-line) "
  samples[gen_circuit_breaker]+="$(time_ms "$NOVA" gen circuit-breaker --service order-service --dependency auth-service) "
  cd - >/dev/null
  rm -rf "$ws"
done

printf "%-24s %8s %8s %8s   (%s runs, %s)\n" command min median max "$RUNS" "$NOVA"
for k in new new_dry_run gen_outbox_identical gen_outbox_aggregate gen_circuit_breaker; do
  # shellcheck disable=SC2086
  sorted=$(printf "%s\n" ${samples[$k]} | sort -n)
  n=$(echo "$sorted" | wc -l)
  min=$(echo "$sorted" | head -1)
  max=$(echo "$sorted" | tail -1)
  med=$(echo "$sorted" | sed -n "$(((n + 1) / 2))p")
  printf "%-24s %6s ms %6s ms %6s ms\n" "$k" "$min" "$med" "$max"
done
