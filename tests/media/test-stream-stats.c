/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <math.h>
#include <json-glib/json-glib.h>

#include "wavry-stream-stats.h"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_nonnull (json);
  g_assert_null (strchr (json, '\n'));   /* one line per period */
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
latency_of (JsonObject *obj,
            const char *kind)
{
  JsonObject *latency = json_object_get_object_member (obj, "latency_ms");

  g_assert_nonnull (latency);
  g_assert_true (json_object_has_member (latency, kind));
  return json_object_get_object_member (latency, kind);
}

static void
test_percentile (void)
{
  /* The nearest-rank example: 15 20 35 40 50. */
  const gint64 five[] = { 50, 15, 40, 20, 35 };
  gint64 hundred[100];

  g_assert_cmpfloat (wavry_percentile (five, 5, 5), ==, 15);
  g_assert_cmpfloat (wavry_percentile (five, 5, 30), ==, 20);
  g_assert_cmpfloat (wavry_percentile (five, 5, 40), ==, 20);
  g_assert_cmpfloat (wavry_percentile (five, 5, 50), ==, 35);
  g_assert_cmpfloat (wavry_percentile (five, 5, 100), ==, 50);
  g_assert_cmpfloat (wavry_percentile (five, 5, 0), ==, 15);
  /* The input is left as it was. */
  g_assert_cmpint (five[0], ==, 50);
  g_assert_cmpint (five[1], ==, 15);

  for (guint i = 0; i < 100; i++)
    hundred[i] = (gint64) ((i * 37) % 100) + 1;   /* 1…100, shuffled */
  g_assert_cmpfloat (wavry_percentile (hundred, 100, 50), ==, 50);
  g_assert_cmpfloat (wavry_percentile (hundred, 100, 95), ==, 95);
  g_assert_cmpfloat (wavry_percentile (hundred, 100, 99), ==, 99);
  g_assert_cmpfloat (wavry_percentile (hundred, 1, 99), ==, hundred[0]);
  g_assert_true (isnan (wavry_percentile (NULL, 0, 50)));
}

static void
fill_period (WavryStreamStats *stats)
{
  /* 1 s from 1.0 s to 2.0 s: 60 frames, 1 MB, 1 % loss, total latency
   * 1…100 ms in a shuffled order. */
  for (guint i = 0; i < 100; i++)
    wavry_stream_stats_add_latency (stats, WAVRY_LATENCY_TOTAL,
                                    (gint64) (((i * 37) % 100) + 1) * 1000);
  wavry_stream_stats_add_latency (stats, WAVRY_LATENCY_DECODE, 2500);
  wavry_stream_stats_add_latency (stats, WAVRY_LATENCY_DECODE, -5);   /* clock skew */
  for (guint i = 0; i < 60; i++)
    wavry_stream_stats_add_frame_decoded (stats);
  wavry_stream_stats_add_frame_dropped (stats);
  wavry_stream_stats_add_frame_dropped (stats);
  for (guint i = 0; i < 1000; i++)
    wavry_stream_stats_add_bytes (stats, 1000);
  wavry_stream_stats_add_received (stats, 990);
  wavry_stream_stats_add_lost (stats, 10);
  wavry_stream_stats_add_fec_recovered (stats, 3);
  wavry_stream_stats_add_nacks (stats, 4);
  wavry_stream_stats_add_nacks (stats, 3);
}

static void
test_period_json (void)
{
  g_autoptr(WavryStreamStats) stats = wavry_stream_stats_new_at (1000000);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(JsonObject) obj2 = NULL;
  JsonObject *total, *decode, *encode;

  fill_period (stats);
  wavry_stream_stats_set_rtt (stats, 400);
  wavry_stream_stats_set_jitter (stats, 1500);

  first = wavry_stream_stats_take_period (stats, 2000000);
  obj = parse_object (first);
  g_assert_cmpfloat (json_object_get_double_member (obj, "t"), ==, 1.0);
  g_assert_cmpfloat (json_object_get_double_member (obj, "fps"), ==, 60.0);
  g_assert_cmpfloat (json_object_get_double_member (obj, "bitrate_kbps"), ==, 8000.0);
  g_assert_cmpfloat (json_object_get_double_member (obj, "rtt_ms"), ==, 0.4);
  g_assert_cmpfloat (json_object_get_double_member (obj, "jitter_ms"), ==, 1.5);
  g_assert_cmpfloat (json_object_get_double_member (obj, "loss_pct"), ==, 1.0);
  g_assert_cmpint (json_object_get_int_member (obj, "fec_recovered"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (obj, "nacks"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (obj, "frames_dropped"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (obj, "frames_decoded"), ==, 60);
  g_assert_cmpint (json_object_get_int_member (obj, "received"), ==, 990);
  g_assert_cmpint (json_object_get_int_member (obj, "lost"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (obj, "rejected_samples"), ==, 1);

  total = latency_of (obj, "total");
  g_assert_cmpint (json_object_get_int_member (total, "n"), ==, 100);
  g_assert_cmpfloat (json_object_get_double_member (total, "p50"), ==, 50.0);
  g_assert_cmpfloat (json_object_get_double_member (total, "p95"), ==, 95.0);
  g_assert_cmpfloat (json_object_get_double_member (total, "p99"), ==, 99.0);
  decode = latency_of (obj, "decode");
  g_assert_cmpint (json_object_get_int_member (decode, "n"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (decode, "p99"), ==, 2.5);
  encode = latency_of (obj, "encode");
  g_assert_cmpint (json_object_get_int_member (encode, "n"), ==, 0);
  g_assert_true (json_object_get_null_member (encode, "p50"));
  latency_of (obj, "capture");
  latency_of (obj, "network");

  /* The next period starts empty; RTT and jitter stay the latest values. */
  second = wavry_stream_stats_take_period (stats, 3000000);
  obj2 = parse_object (second);
  g_assert_cmpfloat (json_object_get_double_member (obj2, "t"), ==, 2.0);
  g_assert_cmpfloat (json_object_get_double_member (obj2, "fps"), ==, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (obj2, "loss_pct"), ==, 0.0);
  g_assert_cmpint (json_object_get_int_member (obj2, "nacks"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (obj2, "rtt_ms"), ==, 0.4);
  g_assert_true (json_object_get_null_member (latency_of (obj2, "total"), "p50"));
}

static void
test_unset_and_backwards (void)
{
  g_autoptr(WavryStreamStats) stats = wavry_stream_stats_new_at (5000000);
  g_autofree char *json = NULL;
  g_autoptr(JsonObject) obj = NULL;

  wavry_stream_stats_add_frame_decoded (stats);
  /* A clock before the start: a zero-length period, no division by 0. */
  json = wavry_stream_stats_take_period (stats, 4000000);
  obj = parse_object (json);
  g_assert_cmpfloat (json_object_get_double_member (obj, "t"), ==, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (obj, "fps"), ==, 0.0);
  g_assert_true (json_object_get_null_member (obj, "rtt_ms"));
  g_assert_true (json_object_get_null_member (obj, "jitter_ms"));
  g_assert_cmpint (json_object_get_int_member (obj, "frames_decoded"), ==, 1);
}

static void
test_summary (void)
{
  g_autoptr(WavryStreamStats) stats = wavry_stream_stats_new_at (1000000);
  g_autofree char *p1 = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree gint64 *values = g_new (gint64, 50000);
  JsonObject *total, *network;
  const double ps[] = { 50, 95, 99 };
  const char *names[] = { "p50", "p95", "p99" };

  fill_period (stats);
  p1 = wavry_stream_stats_take_period (stats, 2000000);
  fill_period (stats);
  /* Network latencies spread over 4 decades, for the histogram's error. */
  for (guint i = 0; i < 50000; i++)
    {
      values[i] = (gint64) exp (g_rand_double_range (rand, log (50), log (500000)));
      wavry_stream_stats_add_latency (stats, WAVRY_LATENCY_NETWORK, values[i]);
    }

  /* The current period counts too. */
  summary = wavry_stream_stats_get_summary (stats, 3000000);
  obj = parse_object (summary);
  g_assert_cmpfloat (json_object_get_double_member (obj, "t"), ==, 2.0);
  g_assert_cmpfloat (json_object_get_double_member (obj, "fps"), ==, 60.0);
  g_assert_cmpfloat (json_object_get_double_member (obj, "bitrate_kbps"), ==, 8000.0);
  g_assert_cmpint (json_object_get_int_member (obj, "nacks"), ==, 14);
  g_assert_cmpint (json_object_get_int_member (obj, "lost"), ==, 20);
  g_assert_cmpfloat (json_object_get_double_member (obj, "loss_pct"), ==, 1.0);

  total = latency_of (obj, "total");
  g_assert_cmpint (json_object_get_int_member (total, "n"), ==, 200);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (total, "p50"), 50.0, 0.5);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (total, "p99"), 99.0, 0.99);

  network = latency_of (obj, "network");
  g_assert_cmpint (json_object_get_int_member (network, "n"), ==, 50000);
  for (guint i = 0; i < G_N_ELEMENTS (ps); i++)
    {
      double exact = wavry_percentile (values, 50000, ps[i]) / 1000.0;
      double got = json_object_get_double_member (network, names[i]);

      /* ≤ 0.8 % by construction, + 0.0005 ms of JSON rounding */
      g_assert_cmpfloat (fabs (got - exact), <=, exact * 0.008 + 0.0005);
    }
}

static void
test_reservoir (void)
{
  g_autoptr(WavryStreamStats) stats = wavry_stream_stats_new_at (0);
  g_autofree char *json = NULL;
  g_autoptr(JsonObject) obj = NULL;
  JsonObject *capture;

  /* 300 000 samples 0…299 999 µs: the period keeps a 100 000 reservoir. */
  for (gint64 i = 0; i < 300000; i++)
    wavry_stream_stats_add_latency (stats, WAVRY_LATENCY_CAPTURE, (i * 7919) % 300000);
  json = wavry_stream_stats_take_period (stats, 1000000);
  obj = parse_object (json);
  capture = latency_of (obj, "capture");
  g_assert_cmpint (json_object_get_int_member (capture, "n"), ==, 300000);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (capture, "p50"), 150.0, 3.0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (capture, "p99"), 297.0, 3.0);
}

static void
test_status (void)
{
  g_autoptr(WavryStreamStats) stats = wavry_stream_stats_new_at (1000000);
  g_autofree char *before = NULL;
  g_autofree char *period = NULL;
  g_autofree char *status = NULL;

  wavry_stream_stats_set_resolution (stats, 1280, 720);
  before = wavry_stream_stats_format_status (stats);
  g_assert_true (g_str_has_prefix (before, "1280×720 "));

  fill_period (stats);
  wavry_stream_stats_set_rtt (stats, 400);
  period = wavry_stream_stats_take_period (stats, 2000000);
  status = wavry_stream_stats_format_status (stats);
  g_assert_cmpstr (status, ==,
                   "1280×720 60.0 fps · 8.0 Mb/s · RTT 0.4 ms · loss 1.0 % · latency p50 50.0 ms");
}

#define PER_THREAD 100000

static gpointer
report_thread (gpointer data)
{
  WavryStreamStats *stats = data;

  for (guint i = 0; i < PER_THREAD; i++)
    {
      wavry_stream_stats_add_latency (stats, WAVRY_LATENCY_TOTAL, i % 100);
      wavry_stream_stats_add_frame_decoded (stats);
      wavry_stream_stats_add_bytes (stats, 10);
      wavry_stream_stats_add_received (stats, 1);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(WavryStreamStats) stats = wavry_stream_stats_new_at (0);
  GThread *a, *b;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(JsonObject) sum = NULL;

  a = g_thread_new ("stats-a", report_thread, stats);
  b = g_thread_new ("stats-b", report_thread, stats);
  g_thread_join (a);
  g_thread_join (b);

  json = wavry_stream_stats_take_period (stats, 1000000);
  obj = parse_object (json);
  g_assert_cmpint (json_object_get_int_member (obj, "frames_decoded"), ==, 2 * PER_THREAD);
  g_assert_cmpint (json_object_get_int_member (obj, "received"), ==, 2 * PER_THREAD);
  g_assert_cmpfloat (json_object_get_double_member (obj, "bitrate_kbps"), ==,
                     2 * PER_THREAD * 10 * 8 / 1000.0);
  g_assert_cmpint (json_object_get_int_member (latency_of (obj, "total"), "n"), ==, 2 * PER_THREAD);

  summary = wavry_stream_stats_get_summary (stats, 1000000);
  sum = parse_object (summary);
  g_assert_cmpint (json_object_get_int_member (latency_of (sum, "total"), "n"), ==, 2 * PER_THREAD);
  /* Values below 128 µs are exact in the histogram: 2000 of each of 0…99,
   * rank 100 000 is the last 49. */
  g_assert_cmpfloat (json_object_get_double_member (latency_of (sum, "total"), "p50"), ==, 0.049);
}

typedef struct
{
  WavryStreamStats *stats;
  gint              done;
} Concurrent;

static gpointer
period_thread (gpointer data)
{
  Concurrent *c = data;
  guint64 *seen = g_new0 (guint64, 2);   /* samples, frames */
  gint64 now = 0;

  /* Ends periods as fast as it can while the reporters run. */
  while (!g_atomic_int_get (&c->done))
    {
      g_autofree char *json = wavry_stream_stats_take_period (c->stats, now += 1000);
      g_autoptr(JsonObject) obj = parse_object (json);

      seen[0] += json_object_get_int_member (latency_of (obj, "total"), "n");
      seen[1] += json_object_get_int_member (obj, "frames_decoded");
    }
  return seen;
}

static void
test_threads_with_periods (void)
{
  g_autoptr(WavryStreamStats) stats = wavry_stream_stats_new_at (0);
  Concurrent c = { stats, 0 };
  GThread *a, *b, *p;
  g_autofree guint64 *seen = NULL;
  g_autofree char *last = NULL;
  g_autoptr(JsonObject) obj = NULL;

  p = g_thread_new ("stats-periods", period_thread, &c);
  a = g_thread_new ("stats-a", report_thread, stats);
  b = g_thread_new ("stats-b", report_thread, stats);
  g_thread_join (a);
  g_thread_join (b);
  g_atomic_int_set (&c.done, 1);
  seen = g_thread_join (p);

  /* No sample is lost or counted twice across the periods. */
  last = wavry_stream_stats_take_period (stats, G_MAXINT64 / 2);
  obj = parse_object (last);
  seen[0] += json_object_get_int_member (latency_of (obj, "total"), "n");
  seen[1] += json_object_get_int_member (obj, "frames_decoded");
  g_assert_cmpuint (seen[0], ==, 2 * PER_THREAD);
  g_assert_cmpuint (seen[1], ==, 2 * PER_THREAD);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/media/stream-stats/percentile", test_percentile);
  g_test_add_func ("/wavry/media/stream-stats/period-json", test_period_json);
  g_test_add_func ("/wavry/media/stream-stats/unset-and-backwards", test_unset_and_backwards);
  g_test_add_func ("/wavry/media/stream-stats/summary", test_summary);
  g_test_add_func ("/wavry/media/stream-stats/reservoir", test_reservoir);
  g_test_add_func ("/wavry/media/stream-stats/status", test_status);
  g_test_add_func ("/wavry/media/stream-stats/threads", test_threads);
  g_test_add_func ("/wavry/media/stream-stats/threads-with-periods", test_threads_with_periods);

  return g_test_run ();
}
