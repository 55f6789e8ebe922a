#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The latency table of the streaming closing note: Wavry (bench/latency-team.sh)
# and the peer pipelines of ../shared/latclock (codec floor, FFmpeg MPEG-TS/UDP,
# GStreamer RTP, SRT) with the same encoder settings (peers.env), at
# 1280x720@60 and 1920x1080@30, clean and at 1 % and 5 % loss (1 ms one-way
# delay each way; the peers through latclock's lossy.sh, Wavry through the
# same udpimpair on loopback). Needs root for lossy.sh's namespaces and the
# peers' packages (latclock README: gstreamer1.0-*, ffmpeg, time).
#
#   bench/latency-matrix.sh [BUILDDIR] [DURATION_S] > table.md
set -uo pipefail

build=${1:-build}
duration=${2:-12}
here=$(cd "$(dirname "$0")/.." && pwd)
latclock=${WAVRY_SHARED_DIR:-$here/../shared}/latclock
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT

if [ ! -d "$latclock" ]; then
  echo "bench/latency-matrix.sh: skipped: ../shared/latclock (the latency clock) is not there" >&2
  exit 77
fi

run ()   # LABEL LOSS COMMAND...
{
  local label=$1 loss=$2; shift 2
  local out row
  echo "# running $label loss=$loss%: $*" >&2
  out=$("$@" 2>&1)
  row=$(grep '^ROW ' <<<"$out" | tail -n 1)
  [ -n "$row" ] || { echo "# $label: no ROW line; its output:" >&2; tail -n 20 <<<"$out" >&2; row="ROW pipeline=$label failed=1"; }
  echo "$label $loss $row" >> "$rows"
}

echo "# command: $0 $build $duration"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
for cfg in "1280x720 60" "1920x1080 30"; do
  set -- $cfg
  size=$1 fps=$2
  run "encode+decode floor" 0 "$latclock/codec-floor.sh" "$size" "$fps" "$duration"
  for loss in 0 1 5; do
    if [ "$loss" = 0 ]; then
      run wavry 0 "$here/bench/latency-team.sh" "$build" "$size" "$fps" "$duration" 0
      run "ffmpeg mpegts/udp" 0 "$latclock/ffmpeg-udp.sh" "$size" "$fps" "$duration"
      run "gstreamer rtp" 0 "$latclock/gst-rtp.sh" "$size" "$fps" "$duration"
      run "srt (20 ms)" 0 "$latclock/srt.sh" "$size" "$fps" "$duration"
    else
      LC_PSNR=25 run wavry "$loss" "$here/bench/latency-team.sh" "$build" "$size" "$fps" "$duration" "$loss"
      run "ffmpeg mpegts/udp" "$loss" "$latclock/lossy.sh" ffmpeg-udp "$loss" 1 "$size" "$fps" "$duration"
      run "gstreamer rtp" "$loss" "$latclock/lossy.sh" gst-rtp "$loss" 1 "$size" "$fps" "$duration"
      run "srt (20 ms)" "$loss" "$latclock/lossy.sh" srt "$loss" 1 "$size" "$fps" "$duration"
    fi
  done
done

field () { grep -o " $1=[^ ]*" <<<"$2" | head -n 1 | cut -d= -f2; }
echo
echo "| pipeline | config | loss | p50 ms | p95 ms | p99 ms | missing / expected | unreadable | CPU enc+dec % |"
echo "|---|---|---|---|---|---|---|---|---|"
while read -r line; do
  label=${line%% [0-9]* ROW*}
  rest=${line#"$label "}
  loss=${rest%% *}
  row=" ${rest#* }"
  enc=$(field cpu_enc "$row"); dec=$(field cpu_dec "$row")
  echo "| $label | $(field cfg "$row") | $loss % | $(field p50 "$row") | $(field p95 "$row") | $(field p99 "$row") | $(field missing "$row") / $(field expected "$row") | $(field unreadable "$row") | ${enc:-?}+${dec:-?} |"
done < "$rows"
