# googleapis as npm publishes it (google-proto-files@5.0.3, pinned by SHA-256), unpacked into
# target/googleapis (reused when present), for the protoc conformance test
# (tests/protoc_conformance.rs). Source it: it exports NOVA_GOOGLEAPIS and NOVA_REQUIRE_GOOGLEAPIS.
gapis_dir="$(pwd)/target/googleapis"
gapis_sha=73a90e656be2ef3ba03fabc82bbb3b5213d29bd4ceb41e25364250d25606200c
if [ ! -d "$gapis_dir/package" ]; then
  mkdir -p "$gapis_dir"
  tgz="$gapis_dir/google-proto-files-5.0.3.tgz"
  curl -fsSL --retry 3 "https://registry.npmjs.org/google-proto-files/-/google-proto-files-5.0.3.tgz" -o "$tgz"
  echo "$gapis_sha  $tgz" | sha256sum -c --quiet - || { echo "checksum mismatch for google-proto-files 5.0.3" >&2; exit 1; }
  tar xzf "$tgz" -C "$gapis_dir"
  rm -f "$tgz"
fi
export NOVA_GOOGLEAPIS="$gapis_dir/package" NOVA_REQUIRE_GOOGLEAPIS=1
