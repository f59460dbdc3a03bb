#!/usr/bin/env bash
# Installs what `npm run bench` needs beyond the test environment, on a Debian machine, only when it is missing:
# Kannel (Debian's package `kannel`: bearerbox and smsbox), which the benchmark runs beside the gateway for the
# throughput ratios of README "### Benchmark". Optional: without it the benchmark runs the gateway's modes only.
# The tests never need it. Safe to run again.
set -euo pipefail

here="$(dirname "${BASH_SOURCE[0]}")"
# Redis, the Kafka jars and the rest the gateway's modes use.
bash "$here/setup-test-env.sh"

if command -v bearerbox >/dev/null 2>&1 || [[ -x /usr/sbin/bearerbox ]]; then
  echo "setup: Kannel present"
  exit 0
fi
echo "setup: installing kannel"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends kannel >/dev/null
# The package's own service (bearerbox + wapbox on /etc/kannel/kannel.conf) is no part of the benchmark, which
# starts its own boxes on free ports: stop the one this install started, if any.
if command -v systemctl >/dev/null 2>&1 && systemctl is-enabled kannel >/dev/null 2>&1; then
  "${sudo_cmd[@]}" systemctl disable --now kannel >/dev/null 2>&1 || true
  echo "setup: disabled the kannel service (the benchmark runs its own boxes)"
fi
echo "setup: Kannel installed ($(dpkg-query -W -f='${Version}' kannel))"
