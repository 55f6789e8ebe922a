#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Handshake time and ping RTT of the real binaries over loopback UDP: one
# `wavry --service=host`, then RUNS × `wavry ping` (a fresh handshake each).
#   bench/loopback-ping.sh [BUILDDIR] [RUNS] [PINGS]
# Prints the command, each run's figures, and the median/min of the handshake.
set -euo pipefail

build=${1:-build}
runs=${2:-10}
pings=${3:-100}
wavry=$(cd "$build" && pwd)/src/wavry
work=$(mktemp -d)
host_pid=

cleanup ()
{
  [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "# command: $0 $build $runs $pings"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

export HOME=$work XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
unset DBUS_SESSION_BUS_ADDRESS
"$wavry" keygen --output "$work/host" >/dev/null
"$wavry" keygen --output "$work/client" >/dev/null
host_id=$("$wavry" show-id --key "$work/host.pub")
client_id=$("$wavry" show-id --key "$work/client.pub")

"$wavry" --service=host --listen 127.0.0.1:0 --key "$work/host.key" \
  --allow-client "$client_id" > "$work/host.log" 2>&1 &
host_pid=$!
for _ in $(seq 50); do grep -q 'listening on' "$work/host.log" && break; sleep 0.1; done
addr=$(awk '/listening on/ { print $NF }' "$work/host.log")

handshakes=()
for run in $(seq "$runs"); do
  out=$("$wavry" ping --server "$addr" --key "$work/client.key" --expect-id "$host_id" \
          --count "$pings" --interval 2)
  hs=$(awk '/^Connected to/ { print $(NF-1) }' <<<"$out")
  rtt=$(grep -o 'rtt min/avg/max = .*' <<<"$out")
  lost=$(grep -o '[0-9]*% lost' <<<"$out")
  handshakes+=("$hs")
  printf 'run %2d: handshake %s ms, %s pings, %s, %s\n' "$run" "$hs" "$pings" "$lost" "$rtt"
done

printf '%s\n' "${handshakes[@]}" | sort -n | awk '{ a[NR] = $1 } END {
  printf "# handshake over %d runs: min %.3f ms, median %.3f ms, max %.3f ms\n",
         NR, a[1], (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[NR] }'
