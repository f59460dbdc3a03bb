#!/usr/bin/env bash
# Installs what the test suites need beyond npm packages, on a Debian machine, only when it is missing:
#   socat + gammu (virtual modem tests), redis-server and redis-cli (Redis adapters; the *.cluster.test.ts suites
#   start their own Redis Cluster with both), Java + Maven (the Kafka broker),
#   promtool from the Debian package prometheus (lints the /metrics page), chromium + fonts-noto-cjk (the console's
#   browser tests drive Debian's Chromium through playwright-core; the fonts draw Japanese in their screenshots).
# Safe to run again; it changes nothing when everything is present.
set -euo pipefail

missing=()
command -v socat >/dev/null 2>&1 || missing+=(socat)
command -v gammu >/dev/null 2>&1 || missing+=(gammu)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# A font package has no command to look for: ask dpkg whether it is installed.
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' || missing+=(fonts-noto-cjk)

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Redis on 127.0.0.1:6379 without persistence: the tests use their own key prefixes and clean up.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "setup: starting redis-server on 127.0.0.1:6379"
  mkdir -p /tmp/smsgw-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp/smsgw-redis \
    --logfile /tmp/smsgw-redis/redis.log
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
# The Kafka broker's jars (Maven Central), fetched once into .cache/kafka; the tests start the broker themselves.
kafka_libs="$(bash "$(dirname "${BASH_SOURCE[0]}")/kafka/fetch-kafka.sh")"
echo "setup: Kafka jars in $kafka_libs"
echo "setup: test environment ready"
