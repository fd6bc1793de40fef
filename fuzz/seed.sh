#!/usr/bin/env bash
# Seed each fuzz target's corpus (fuzz/corpus/<target>/, git-ignored) with the repository's own
# inputs: the .proto files of the fixtures and the registry, every .sql and .toml of the fixtures
# and the example backend, and the Rust files of the wiring fixtures and example services.
# usage: fuzz/seed.sh   (then `RUSTC_BOOTSTRAP=1 cargo fuzz run -s none -O <target> corpus/<target>`)
set -euo pipefail
cd "$(dirname "$0")"
repo=..
seed() { # seed TARGET FIND-ARGS...: copy each match under a name derived from its path
  local target="$1"; shift
  mkdir -p "corpus/$target"
  find "$@" -type f -print0 | while IFS= read -r -d '' f; do
    cp "$f" "corpus/$target/$(printf '%s' "$f" | md5sum | cut -c1-16)"
  done
  echo "$target: $(ls "corpus/$target" | wc -l) seeds"
}
seed proto_loader "$repo/tests/fixtures" "$repo/nova-protos" -name '*.proto'
seed sql_replay "$repo/tests/fixtures" "$repo/examples" -name '*.sql'
seed config_loader "$repo/tests/fixtures" "$repo/examples" -name '*.toml'
seed wiring_parser "$repo/tests/fixtures/wiring" "$repo/examples" -name '*.rs'
