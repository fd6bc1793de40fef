#!/usr/bin/env bash
# Download a prebuilt nova release, verify its SHA-256 checksum, and install the binary.
#
# Used by the GitHub Action (action.yml) and usable on its own. Settings (environment):
#   NOVA_VERSION      version to install, e.g. 0.1.0 (a leading "v" is accepted). Default: the
#                     action's ref (NOVA_ACTION_REF, e.g. v0.1.0) when it is a version tag.
#   NOVA_BASE_URL     where releases live; the files are read from
#                     $NOVA_BASE_URL/v$VERSION/nova-$VERSION-$TARGET.tar.gz and the same name
#                     plus .sha256 (https://, http:// and file:// URLs; curl fetches them).
#                     Default: https://github.com/$NOVA_REPOSITORY/releases/download.
#   NOVA_REPOSITORY   owner/name of the GitHub repository hosting nova's releases (for the default
#                     NOVA_BASE_URL; the action passes its own repository).
#   NOVA_TARGET       target triple; default: detected from uname (see target_for).
#   NOVA_INSTALL_DIR  where the binary goes (default: $RUNNER_TEMP/nova-bin, else $HOME/.local/bin).
# It appends the install directory to $GITHUB_PATH when that is set, and prints the installed
# binary's path on the last line of stdout. A failed download or a checksum mismatch installs
# nothing and exits 1.
set -euo pipefail

fail() {
    echo "install-nova: $*" >&2
    exit 1
}

# The release target for an OS and architecture as uname names them.
target_for() {
    local os="$1" arch="$2"
    case "$arch" in
        x86_64 | amd64) arch=x86_64 ;;
        aarch64 | arm64) arch=aarch64 ;;
        *) fail "no prebuilt nova for architecture $arch" ;;
    esac
    case "$os" in
        Linux) echo "$arch-unknown-linux-musl" ;;
        Darwin) echo "$arch-apple-darwin" ;;
        MINGW* | MSYS* | CYGWIN* | Windows_NT)
            [ "$arch" = x86_64 ] || fail "no prebuilt nova for Windows on $arch"
            echo "x86_64-pc-windows-msvc"
            ;;
        *) fail "no prebuilt nova for operating system $os" ;;
    esac
}

if [ "${1:-}" = "--print-target" ]; then
    target_for "${NOVA_UNAME_S:-$(uname -s)}" "${NOVA_UNAME_M:-$(uname -m)}"
    exit 0
fi

version="${NOVA_VERSION:-}"
if [ -z "$version" ]; then
    case "${NOVA_ACTION_REF:-}" in
        v[0-9]*) version="${NOVA_ACTION_REF}" ;;
        *) fail "set the nova version to install (the action's 'version' input, or NOVA_VERSION)" ;;
    esac
fi
version="${version#v}"
case "$version" in
    [0-9]*.[0-9]*.[0-9]*) ;;
    *) fail "'$version' is not a release version (for example 0.1.0)" ;;
esac

target="${NOVA_TARGET:-$(target_for "$(uname -s)" "$(uname -m)")}"
base="${NOVA_BASE_URL:-}"
if [ -z "$base" ]; then
    [ -n "${NOVA_REPOSITORY:-}" ] || fail "set NOVA_BASE_URL or NOVA_REPOSITORY (owner/name) to say where nova's releases are"
    base="https://github.com/${NOVA_REPOSITORY}/releases/download"
fi
name="nova-${version}-${target}"
archive="${name}.tar.gz"
url="${base%/}/v${version}/${archive}"

exe=nova
case "$target" in *windows*) exe=nova.exe ;; esac

dest="${NOVA_INSTALL_DIR:-}"
if [ -z "$dest" ]; then
    if [ -n "${RUNNER_TEMP:-}" ]; then dest="$RUNNER_TEMP/nova-bin"; else dest="$HOME/.local/bin"; fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() {
    curl --fail --silent --show-error --location --retry 3 --output "$2" "$1" ||
        fail "cannot download $1"
}

fetch "$url" "$work/$archive"
fetch "$url.sha256" "$work/$archive.sha256"

# The .sha256 file is `sha256sum` output: the hex digest, then the file name.
expected="$(awk 'NR == 1 { print tolower($1) }' "$work/$archive.sha256")"
case "$expected" in
    *[!0-9a-f]* | "") fail "$url.sha256 holds no SHA-256 digest" ;;
esac
[ "${#expected}" -eq 64 ] || fail "$url.sha256 holds no SHA-256 digest"
if command -v sha256sum > /dev/null 2>&1; then
    actual="$(sha256sum "$work/$archive" | awk '{ print $1 }')"
else
    actual="$(shasum -a 256 "$work/$archive" | awk '{ print $1 }')"
fi
if [ "$actual" != "$expected" ]; then
    fail "checksum mismatch for $archive: expected $expected, got $actual; nothing was installed"
fi

tar -xzf "$work/$archive" -C "$work"
[ -f "$work/$name/$exe" ] || fail "$archive does not contain $name/$exe"
mkdir -p "$dest"
# Copy then rename, so an interrupted install never leaves a half-written binary on PATH.
cp "$work/$name/$exe" "$dest/.$exe.tmp"
chmod +x "$dest/.$exe.tmp"
mv -f "$dest/.$exe.tmp" "$dest/$exe"

if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$dest" >> "$GITHUB_PATH"
fi
echo "installed nova $version ($target) from $url" >&2
echo "$dest/$exe"
