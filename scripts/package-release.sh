#!/usr/bin/env bash
# Package a built nova binary as a release archive: dist/nova-$VERSION-$TARGET.tar.gz (holding the
# directory nova-$VERSION-$TARGET/ with the binary, README.md and the licence files) and its
# checksum dist/nova-$VERSION-$TARGET.tar.gz.sha256 (`sha256sum` format). The release workflow
# runs it for every target; scripts/install-nova.sh and `cargo binstall` read this layout.
#
# Usage: scripts/package-release.sh VERSION TARGET BINARY [OUT_DIR]
set -euo pipefail

[ "$#" -ge 3 ] || { echo "usage: $0 VERSION TARGET BINARY [OUT_DIR]" >&2; exit 2; }
version="${1#v}"
target="$2"
binary="$3"
out="${4:-dist}"
[ -f "$binary" ] || { echo "package-release: $binary does not exist" >&2; exit 1; }

name="nova-${version}-${target}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name" "$out"
exe=nova
case "$target" in *windows*) exe=nova.exe ;; esac
cp "$binary" "$stage/$name/$exe"
chmod +x "$stage/$name/$exe"
for f in README.md LICENSE*; do
    if [ -e "$f" ]; then cp "$f" "$stage/$name/"; fi
done
tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
(
    cd "$out"
    if command -v sha256sum > /dev/null 2>&1; then
        sha256sum "$name.tar.gz" > "$name.tar.gz.sha256"
    else
        shasum -a 256 "$name.tar.gz" > "$name.tar.gz.sha256"
    fi
)
echo "$out/$name.tar.gz"
