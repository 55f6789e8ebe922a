/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <stdio.h>

#include "wavry-bench-util.h"
#include "wavry-rift-delta.h"
#include "wavry-rift-pacer.h"
#include "wavry-rift-skip.h"
#include "wavry-rift-windowed-min.h"

/* Cost of the congestion-control pieces per call, one thread. DELTA runs
 * once a second per session and the skip detector once per Pong, so what
 * matters is the per-chunk pacer interval: at 50 Mbit/s a host computes
 * about 5200 of them a second. The windowed minimum is timed with a
 * rising trend so that its deque stays full (its worst case). */

#define BATCH 1024

typedef void (*Case) (gpointer state, guint64 i);

static void
run_delta (gpointer state,
           guint64  i)
{
  /* RTT swings between 20 and 60 ms so every state and branch is taken. */
  wavry_rift_delta_on_report (state, (WavryTime) i * G_USEC_PER_SEC,
                              20000 + (gint64) (i % 40) * 1000, (i % 7) * 0.01, (gint64) (i % 13) * 1000);
}

static void
run_pacer (gpointer state,
           guint64  i)
{
  volatile gint64 sink = wavry_rift_pacer_interval_us (state, 1000 + i % 200, 20000);

  (void) sink;
}

static void
run_windowed_min (gpointer state,
                  guint64  i)
{
  volatile gint64 sink = wavry_rift_windowed_min_update (state, (WavryTime) i * 1000, (gint64) i % 100000);

  (void) sink;
}

static void
run_skip (gpointer state,
          guint64  i)
{
  volatile guint sink = wavry_rift_skip_detector_on_rtt (state, (WavryTime) i * 100000,
                                                         i % 50 == 0 ? 90000 : 20000);

  (void) sink;
}

static double
measure (Case     fn,
         gpointer state,
         double   seconds,
         guint64 *calls)
{
  guint64 i = 0;
  gint64 start = g_get_monotonic_time (), elapsed;

  do
    {
      for (guint j = 0; j < BATCH; j++, i++)
        fn (state, i);
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < seconds * G_USEC_PER_SEC);

  *calls = i;
  return elapsed * 1000.0 / i;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *command = wavry_bench_command_line (argc, argv);
  g_autoptr(WavryRiftDelta) delta = wavry_rift_delta_new (NULL, 20000, 60);
  g_autoptr(WavryRiftPacer) pacer = wavry_rift_pacer_new ();
  g_autoptr(WavryRiftWindowedMin) wmin = wavry_rift_windowed_min_new (10 * G_USEC_PER_SEC);
  g_autoptr(WavryRiftSkipDetector) skip = wavry_rift_skip_detector_new ();
  double seconds;
  struct { const char *name; Case fn; gpointer state; } cases[] = {
    { "delta_on_report", run_delta, delta },
    { "pacer_interval_us", run_pacer, pacer },
    { "windowed_min_update (10k deep)", run_windowed_min, wmin },
    { "skip_detector_on_rtt", run_skip, skip },
  };

  seconds = wavry_bench_parse_options (&argc, &argv, "bench-cc",
                                       "Per-call cost of the congestion-control pieces (DELTA, "
                                       "pacer, windowed minimum, skip detector), one thread.",
                                       0.1, NULL);

  /* A congested-looking pacer, so the full formula runs. */
  wavry_rift_pacer_on_stats (pacer, 0, 20000, 1000);
  wavry_rift_pacer_on_stats (pacer, G_USEC_PER_SEC, 40000, 3000);

  wavry_bench_print_header (command);
  printf ("%-32s %12s %10s\n", "case", "calls", "ns/call");
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      guint64 calls;
      double ns = measure (cases[c].fn, cases[c].state, seconds, &calls);

      printf ("%-32s %12" G_GUINT64_FORMAT " %10.1f\n", cases[c].name, calls, ns);
    }
  printf ("# final DELTA bitrate %u kbps (sanity: between 2000 and 50000)\n",
          wavry_rift_delta_get_bitrate_kbps (delta));

  return 0;
}
