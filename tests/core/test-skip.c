/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-skip.h"

/* RIFT §6.6: RTT > smooth + 30 ms → skip 1, > smooth + 50 ms → skip 2, at
 * most one request per 200 ms; the host caps pending skips at 4. */

#define MS 1000

static void
test_new_free (void)
{
  g_autoptr(WavryRiftSkipDetector) d = wavry_rift_skip_detector_new ();

  g_assert_nonnull (d);
  g_assert_cmpfloat (wavry_rift_skip_detector_get_smoothed (d), ==, 0.0);
}

/* Worked by hand: smooth starts at 20 ms; each Pong is compared first, then
 * folded in with weight 1/8. */
static void
test_thresholds (void)
{
  g_autoptr(WavryRiftSkipDetector) d = wavry_rift_skip_detector_new ();
  WavryTime t0 = 5000 * MS;

  /* The first Pong only starts the average, however large. */
  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (d, t0, 20 * MS), ==, 0);
  g_assert_cmpfloat (wavry_rift_skip_detector_get_smoothed (d), ==, 20 * MS);
  /* Exactly smooth + 30 ms is not above it; smooth → (7·20 + 50)/8 = 23.75 ms */
  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (d, t0 + 100 * MS, 50 * MS), ==, 0);
  g_assert_cmpfloat (wavry_rift_skip_detector_get_smoothed (d), ==, 23750);
  /* 1 µs above: skip 1; smooth → (7·23750 + 53751)/8 = 27500.125 */
  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (d, t0 + 200 * MS, 53751), ==, 1);
  g_assert_cmpfloat (wavry_rift_skip_detector_get_smoothed (d), ==, 27500.125);
  /* 199 ms after the request: refused whatever the RTT;
   * smooth → (7·27500.125 + 200000)/8 = 49062.609375 */
  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (d, t0 + 399 * MS, 200 * MS), ==, 0);
  g_assert_cmpfloat (wavry_rift_skip_detector_get_smoothed (d), ==, 49062.609375);
  /* 200 ms after: allowed; 99063 > 49062.61 + 50000: skip 2 */
  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (d, t0 + 400 * MS, 99063), ==, 2);
  /* And the limit applies to skip 2 as well. */
  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (d, t0 + 500 * MS, 1000 * MS), ==, 0);
}

static void
test_threshold_two_edge (void)
{
  g_autoptr(WavryRiftSkipDetector) a = wavry_rift_skip_detector_new ();
  g_autoptr(WavryRiftSkipDetector) b = wavry_rift_skip_detector_new ();

  wavry_rift_skip_detector_on_rtt (a, 0, 20 * MS);
  wavry_rift_skip_detector_on_rtt (b, 0, 20 * MS);
  /* Exactly smooth + 50 ms: over 30, not over 50 */
  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (a, 10 * MS, 70 * MS), ==, 1);
  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (b, 10 * MS, 70 * MS + 1), ==, 2);
}

/* RTT wandering 10–40 ms never jumps 30 ms above its own average. */
static void
test_steady_noise (void)
{
  g_autoptr(WavryRiftSkipDetector) d = wavry_rift_skip_detector_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  wavry_rift_skip_detector_on_rtt (d, 0, 25 * MS);
  for (guint i = 1; i < 10000; i++)
    g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (d, i * 100 * MS,
                                                       g_rand_int_range (rand, 10 * MS, 40 * MS)), ==, 0);
}

/* A sustained spike Pong every 50 ms: one request per 200 ms, no more. */
static void
test_rate_limit (void)
{
  g_autoptr(WavryRiftSkipDetector) d = wavry_rift_skip_detector_new ();
  guint requests = 0;

  wavry_rift_skip_detector_on_rtt (d, 0, 10 * MS);
  /* Each spike raises smooth, so alternate a clean Pong to keep it low. */
  for (guint i = 1; i <= 40; i++)
    {
      guint skip = wavry_rift_skip_detector_on_rtt (d, i * 50 * MS, i % 2 ? 200 * MS : 0);

      if (skip > 0)
        {
          g_assert_cmpuint (i % 4, ==, 1);
          requests++;
        }
    }
  /* i = 1, 5, 9 … 37: every fourth Pong, 200 ms apart */
  g_assert_cmpuint (requests, ==, 10);
}

static void
test_rejects_malformed (void)
{
  g_autoptr(WavryRiftSkipDetector) d = wavry_rift_skip_detector_new ();

  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (d, 1000 * MS, 20 * MS), ==, 0);
  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (d, 2000 * MS, -1), ==, 0);
  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (d, 2000 * MS, G_MAXINT64), ==, 0);
  /* Time going backwards with a real spike: refused and not counted as a request. */
  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (d, 0, 500 * MS), ==, 0);
  g_assert_cmpuint (wavry_rift_skip_detector_get_rejected (d), ==, 3);
  g_assert_cmpfloat (wavry_rift_skip_detector_get_smoothed (d), ==, 20 * MS);
  g_assert_cmpuint (wavry_rift_skip_detector_on_rtt (d, 2000 * MS, 500 * MS), ==, 2);
}

static void
test_counter (void)
{
  WavryRiftSkipCounter c = { 0 };

  g_assert_false (wavry_rift_skip_counter_take (&c));
  wavry_rift_skip_counter_add (&c, 1);
  wavry_rift_skip_counter_add (&c, 2);
  g_assert_cmpuint (c.pending, ==, 3);
  wavry_rift_skip_counter_add (&c, 2);
  g_assert_cmpuint (c.pending, ==, 4);
  wavry_rift_skip_counter_add (&c, 0);
  g_assert_cmpuint (c.pending, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_true (wavry_rift_skip_counter_take (&c));
  g_assert_false (wavry_rift_skip_counter_take (&c));
  g_assert_cmpuint (c.pending, ==, 0);

  /* Any u32 from the wire: capped, never wrapped. */
  wavry_rift_skip_counter_add (&c, 3);
  wavry_rift_skip_counter_add (&c, G_MAXUINT);
  g_assert_cmpuint (c.pending, ==, 4);
  c.pending = 0;
  wavry_rift_skip_counter_add (&c, G_MAXUINT);
  g_assert_cmpuint (c.pending, ==, 4);
  g_assert_true (wavry_rift_skip_counter_take (&c));
  wavry_rift_skip_counter_add (&c, 1);
  g_assert_cmpuint (c.pending, ==, 4);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/core/skip/new-free", test_new_free);
  g_test_add_func ("/wavry/core/skip/thresholds", test_thresholds);
  g_test_add_func ("/wavry/core/skip/threshold-two-edge", test_threshold_two_edge);
  g_test_add_func ("/wavry/core/skip/steady-noise", test_steady_noise);
  g_test_add_func ("/wavry/core/skip/rate-limit", test_rate_limit);
  g_test_add_func ("/wavry/core/skip/rejects-malformed", test_rejects_malformed);
  g_test_add_func ("/wavry/core/skip/counter", test_counter);

  return g_test_run ();
}
