#!/usr/bin/env bash
# Fetches the jars of the Kafka broker the tests run (scripts/kafka/pom.xml, from Maven Central) into
# .cache/kafka/<version>/libs under the repository, only when they are not there yet. A marker file is written
# after a complete copy, so an interrupted fetch is done again from scratch. Prints the libs directory.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="3.9.1"
dest="${KAFKA_LIBS_DIR:-$root/.cache/kafka/$version/libs}"
marker="$dest/.complete"

if [[ -f "$marker" ]]; then
  echo "$dest"
  exit 0
fi

command -v mvn >/dev/null 2>&1 || { echo "kafka: mvn not found (npm run setup:test installs Maven)" >&2; exit 1; }

echo "kafka: fetching Kafka $version jars from Maven Central into $dest" >&2
rm -rf "$dest"
parent="$(dirname "$dest")"
mkdir -p "$parent"
# Copies left by a killed fetch; a fetch running right now is younger than an hour.
find "$parent" -maxdepth 1 -name "$(basename "$dest").partial.*" -mmin +60 -exec rm -rf {} +
tmp="$dest.partial.$$"
rm -rf "$tmp"
trap 'rm -rf "$tmp" "$tmp.log"' EXIT
trap 'exit 130' INT TERM
# Maven's output only matters when it fails.
if ! mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$tmp" -DincludeScope=runtime \
  >"$tmp.log" 2>&1; then
  cat "$tmp.log" >&2
  exit 1
fi
ls "$tmp"/kafka_2.13-"$version".jar >/dev/null
date -u +%FT%TZ >"$tmp/.complete"
# Another fetch running at the same time may have finished first: its copy is as good as this one.
if ! mv -T "$tmp" "$dest" 2>/dev/null && [[ ! -f "$marker" ]]; then
  echo "kafka: could not move the jars into $dest" >&2
  exit 1
fi
echo "$dest"
