# Real sqlx migrations shipped in crates on crates.io, for tests/crates_corpus.rs: each crate
# pinned by version and SHA-256, unpacked as published into target/crates-corpus (reused when
# present). Source it: it exports NOVA_CRATES_CORPUS and NOVA_REQUIRE_CORPUS.
corpus_dir="$(pwd)/target/crates-corpus"
mkdir -p "$corpus_dir"
while read -r name version sha; do
  [ -d "$corpus_dir/$name-$version" ] && continue
  crate="$corpus_dir/$name-$version.crate"
  curl -fsSL --retry 3 "https://static.crates.io/crates/$name/$name-$version.crate" -o "$crate"
  echo "$sha  $crate" | sha256sum -c --quiet - || { echo "checksum mismatch for $name $version" >&2; exit 1; }
  tar xzf "$crate" -C "$corpus_dir"
  rm -f "$crate"
done <<'LIST'
apalis-postgres 1.0.0 947ad881f4102c5a4d6bb4f117ed38c1b4fe15868631facbc858aab57e3ad38d
apalis-sql 0.7.4 9d96124556e2190523c1a52acf3b3e02af564343b4fa888f0b712775ac80ee04
sqlxmq 0.6.0 b2bd99fe20294f548a6298d60b6490871d78d53d739919a13834d77ffd656869
underway 0.2.0 23fb5ddbfb7aa972b046337c7392bd6c6f6571381bb57fb60632a1bd5573bb03
LIST
export NOVA_CRATES_CORPUS="$corpus_dir" NOVA_REQUIRE_CORPUS=1
