#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Capture-to-output latency of Wavry measured exactly like the peer pipelines
# of ../shared/latclock (its README): `latclock src | wavry --service=host
# --capture y4m:-` and `wavry connect --headless --sink y4m:- | latclock sink`,
# wrapped by latclock's team.sh with the encoder settings of peers.env.
#
#   bench/latency-team.sh [BUILDDIR] [SIZE] [FPS] [DURATION_S] [LOSS_PERCENT]
#
# LOSS_PERCENT > 0 puts latclock's udpimpair (Bernoulli loss both ways) between
# client and host on loopback. Prints the command, team.sh's report and its ROW.
set -euo pipefail

build=${1:-build}
size=${2:-1280x720}
fps=${3:-60}
duration=${4:-15}
loss=${5:-0}
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${WAVRY_SHARED_DIR:-$here/../shared}
latclock_dir=$shared/latclock
wavry=$(cd "$build" && pwd)/src/wavry

if [ ! -d "$latclock_dir" ]; then
  echo "bench/latency-team.sh: skipped: ../shared/latclock (the latency clock) is not there" >&2
  exit 77
fi

work=$(mktemp -d)
impair_pid=
cleanup ()
{
  [ -n "$impair_pid" ] && kill "$impair_pid" 2>/dev/null && wait "$impair_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "# command: $0 $build $size $fps $duration $loss"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"

# (team.sh builds latclock itself); udpimpair into our temp dir
cc -O2 -Wall -o "$work/udpimpair" "$latclock_dir/udpimpair.c" -lm

export HOME=$work XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
unset DBUS_SESSION_BUS_ADDRESS
"$wavry" keygen --output "$work/host" >/dev/null
"$wavry" keygen --output "$work/client" >/dev/null
host_id=$("$wavry" show-id --key "$work/host.pub")
client_id=$("$wavry" show-id --key "$work/client.pub")

port=$((21000 + ($$ % 5000) * 2))
connect_port=$port
if [ "$loss" != 0 ]; then
  # client → udpimpair (port+1) → host (port), loss both ways
  connect_port=$((port + 1))
  "$work/udpimpair" --listen "127.0.0.1:$connect_port" --to "127.0.0.1:$port" \
    --loss "$loss" --loss-back "$loss" --delay 1 --delay-back 1 > "$work/impair.log" 2>&1 &
  impair_pid=$!
fi

export WAVRY="$wavry" WAVRY_HOST_KEY="$work/host.key" WAVRY_CLIENT_KEY="$work/client.key"
export WAVRY_HOST_ID="$host_id" WAVRY_CLIENT_ID="$client_id" WAVRY_PORT="$port"
export WAVRY_CONNECT_PORT="$connect_port"
# team.sh starts the client first: it retries its handshake until the host is up.
export LC_TEAM_CLIENT='"$WAVRY" connect "127.0.0.1:$WAVRY_CONNECT_PORT" --headless --quiet \
  --key "$WAVRY_CLIENT_KEY" --expect-id "$WAVRY_HOST_ID" --sink y4m:- --stats "$WAVRY_STATS"'
export LC_TEAM_HOST='"$WAVRY" --service=host --listen "127.0.0.1:$WAVRY_PORT" --key "$WAVRY_HOST_KEY" \
  --allow-client "$WAVRY_CLIENT_ID" --capture y4m:- --encoder x264 --codec h264 \
  --bitrate-kbps "$LC_BITRATE_KBPS" --fps "$FPS" --encoder-threads "$LC_ENC_THREADS" \
  --keyframe-interval-ms $(( LC_KEYINT * 1000 / FPS )) --exit-on-eof'
export WAVRY_STATS="$work/stats.json"
LC_TEAM_CLIENT_GRACE_S=3 "$latclock_dir/team.sh" "$size" "$fps" "$duration"
if [ -s "$work/stats.json" ]; then
  # where the time goes: the client's per-frame breakdown (--stats), median of
  # the per-second p50/p99 over the seconds that decoded frames
  python3 - "$work/stats.json" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rows = [r for r in rows if r.get("frames_decoded")]
if rows:
    parts = []
    for k in ("capture", "encode", "network", "decode", "total"):
        p50 = [r["latency_ms"][k]["p50"] for r in rows if r["latency_ms"][k]["p50"] is not None]
        p99 = [r["latency_ms"][k]["p99"] for r in rows if r["latency_ms"][k]["p99"] is not None]
        if p50:
            parts.append("%s %.2f/%.2f" % (k, statistics.median(p50), statistics.median(p99)))
    print("# client breakdown, ms p50/p99 (median over %d s): %s; bitrate %.0f kb/s, fps %.1f, FEC recovered %d, NACKed %d" % (
        len(rows), ", ".join(parts), statistics.median(r["bitrate_kbps"] for r in rows),
        statistics.median(r["fps"] for r in rows), sum(r["fec_recovered"] for r in rows),
        sum(r["nacks"] for r in rows)))
PY
fi
