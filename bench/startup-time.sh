#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Time from starting the GNOME app to its window being mapped on the X
# display, RUNS times. Run it inside a display session, e.g.
#   build-aux/headless-session bench/startup-time.sh [BUILDDIR] [RUNS]
set -uo pipefail
build=${1:-build}
runs=${2:-5}
echo "# command: $0 $build $runs"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), DISPLAY=${DISPLAY:-unset}, GSK_RENDERER=${GSK_RENDERER:-default}"
command -v xwininfo >/dev/null || { echo "needs xwininfo (x11-utils)" >&2; exit 77; }
export GSETTINGS_SCHEMA_DIR=$build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  "$build/src/wavry" > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 2000); do
    xwininfo -root -tree 2>/dev/null | grep -q '"Wavry"\|Wavry' && break
    sleep 0.002
  done
  end=$(date +%s%N)
  echo "run $i: $(( (end - start) / 1000000 )) ms to the first window"
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
done
