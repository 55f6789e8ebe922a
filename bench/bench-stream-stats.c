/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <math.h>

#include "wavry-bench-util.h"
#include "wavry-stream-stats.h"

/* What the client's statistics cost: one latency sample (mutex, period
 * array, whole-run histogram), alone and with two threads reporting at
 * once; the end of a period (sort and percentiles of every kind); and
 * wavry_percentile() on a large array. The samples are pseudo-random
 * latencies of 1-100 ms. */

#define BATCH 1024

typedef struct
{
  WavryStreamStats *stats;
  gint64            duration_us;
  guint64           calls;
} Worker;

static gint64
sample (guint64 i)
{
  return 1000 + (gint64) ((i * 2654435761u) % 99000);
}

static gpointer
add_worker (gpointer data)
{
  Worker *w = data;
  gint64 end = g_get_monotonic_time () + w->duration_us;

  while (g_get_monotonic_time () < end)
    {
      for (guint i = 0; i < BATCH; i++)
        wavry_stream_stats_add_latency (w->stats, WAVRY_LATENCY_TOTAL, sample (w->calls + i));
      w->calls += BATCH;
    }
  return NULL;
}

/* ns per add_latency call with @n_threads reporting into one object. */
static double
bench_add (guint  n_threads,
           gint64 duration_us)
{
  g_autoptr(WavryStreamStats) stats = wavry_stream_stats_new_at (0);
  Worker workers[2] = { { stats, duration_us, 0 }, { stats, duration_us, 0 } };
  GThread *threads[2] = { NULL, NULL };
  gint64 start = g_get_monotonic_time ();
  guint64 calls = 0;
  g_autofree char *json = NULL;

  for (guint t = 0; t < n_threads; t++)
    threads[t] = g_thread_new ("bench-stats", add_worker, &workers[t]);
  for (guint t = 0; t < n_threads; t++)
    {
      g_thread_join (threads[t]);
      calls += workers[t].calls;
    }
  /* Wall time over all calls: what the threads together sustain. */
  json = wavry_stream_stats_take_period (stats, 1000000);
  return (g_get_monotonic_time () - start) * 1000.0 / (double) calls;
}

/* µs per take_period with @n samples in each of the five kinds. */
static double
bench_take_period (guint  n,
                   gint64 duration_us)
{
  g_autoptr(WavryStreamStats) stats = wavry_stream_stats_new_at (0);
  gint64 spent = 0, end = g_get_monotonic_time () + duration_us;
  guint64 periods = 0;

  while (g_get_monotonic_time () < end || periods == 0)
    {
      g_autofree char *json = NULL;
      gint64 t0;

      for (guint i = 0; i < n; i++)
        for (guint k = 0; k < WAVRY_LATENCY_LAST; k++)
          wavry_stream_stats_add_latency (stats, k, sample (i * 5 + k));
      t0 = g_get_monotonic_time ();
      json = wavry_stream_stats_take_period (stats, (gint64) (periods + 1) * 1000000);
      spent += g_get_monotonic_time () - t0;
      periods++;
    }
  return spent / (double) periods;
}

/* ms per wavry_percentile on @n values. */
static double
bench_percentile (gsize  n,
                  gint64 duration_us)
{
  g_autofree gint64 *values = g_new (gint64, n);
  gint64 start = g_get_monotonic_time ();
  guint64 calls = 0;
  double sink = 0;

  for (gsize i = 0; i < n; i++)
    values[i] = sample (i);
  while (g_get_monotonic_time () - start < duration_us || calls == 0)
    {
      sink += wavry_percentile (values, n, 99);
      calls++;
    }
  if (!isfinite (sink))
    wavry_bench_die ("bench-stream-stats: percentile returned NAN");
  return (g_get_monotonic_time () - start) / 1000.0 / (double) calls;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *command = wavry_bench_command_line (argc, argv);
  double seconds;
  static const guint period_sizes[] = { 60, 1000, 100000 };
  gint64 duration_us;

  seconds = wavry_bench_parse_options (&argc, &argv, "bench-stream-stats",
                                       "Cost of WavryStreamStats: adding latency samples, ending a "
                                       "period, and wavry_percentile().",
                                       0.1, NULL);
  duration_us = (gint64) (seconds * G_USEC_PER_SEC);

  wavry_bench_print_header (command);
  g_print ("# %.2f s per case; samples are latencies of 1-100 ms\n", seconds);
  g_print ("#\n");
  g_print ("add_latency, 1 thread:              %8.1f ns/sample\n", bench_add (1, duration_us));
  g_print ("add_latency, 2 threads (contended): %8.1f ns/sample (wall time / all samples)\n",
           bench_add (2, duration_us));
  for (guint i = 0; i < G_N_ELEMENTS (period_sizes); i++)
    g_print ("take_period, 5 kinds x %6u samples: %10.1f us\n", period_sizes[i],
             bench_take_period (period_sizes[i], duration_us));
  g_print ("wavry_percentile, 1 000 000 values:  %8.2f ms\n",
           bench_percentile (1000000, duration_us));
  return 0;
}
