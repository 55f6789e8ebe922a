/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-pacer.h"

/* RIFT §6.5 at its corners. Every expected value is worked out by hand in
 * the comment next to it:
 *   base = 30 µs × clamp(20000/kbps, 0.5, 2) × clamp((payload+64)/1200, 0.5, 2)
 *   factor = 1 + 1.5·rtt_inc + 0.5·jit, ×0.8 if rtt_inc < 0.02 and jit < 0.2
 *   interval = clamp(base × factor, 20, 500), rounded to the nearest µs. */

#define SEC G_USEC_PER_SEC

static void
test_new_free (void)
{
  g_autoptr(WavryRiftPacer) pacer = wavry_rift_pacer_new ();

  g_assert_nonnull (pacer);
  g_assert_cmpuint (wavry_rift_pacer_get_rejected (pacer), ==, 0);
}

/* No stats yet: rtt_inc = jit = 0, so the ×0.8 rule applies. */
static void
test_idle_corners (void)
{
  g_autoptr(WavryRiftPacer) p = wavry_rift_pacer_new ();

  /* 20000 kbps, 1136 B: 30 × 1 × 1 × 0.8 = 24 */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 1136, 20000), ==, 24);
  /* 5000 kbps (4 → 2), 2336 B (2 → 2): 30 × 2 × 2 × 0.8 = 96 */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 2336, 5000), ==, 96);
  /* larger payloads and slower rates stay at the clamps: still 96 */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 65536, 1), ==, 96);
  /* 0 kbps counts as the slowest rate: 30 × 2 × 1 × 0.8 = 48 */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 1136, 0), ==, 48);
  /* 100000 kbps (0.2 → 0.5), 0 B (0.053 → 0.5): 7.5 × 0.8 = 6 → 20 */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 0, 100000), ==, 20);
  /* 10000 kbps (2), 236 B (0.25 → 0.5): 30 × 2 × 0.5 × 0.8 = 24 */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 236, 10000), ==, 24);
  /* 30000 kbps (0.667), 1136 B (1): 20 × 0.8 = 16 → 20 */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 1136, 30000), ==, 20);
  /* 16000 kbps (1.25), 1436 B (1.25): 46.875 × 0.8 = 37.5 → 38 */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 1436, 16000), ==, 38);
}

/* rtt 20 then 36 ms: rtt_s = (7·20 + 36)/8 = 22 ms, rtt_min 20 ms,
 * rtt_inc = 0.1; jitter 0 then 4 ms: jitter_s = (3·0 + 4)/4 = 1 ms, jit = 0.5.
 * factor = 1 + 0.15 + 0.25 = 1.4 (no ×0.8): 30 × 1.4 = 42. */
static void
test_ewma (void)
{
  g_autoptr(WavryRiftPacer) p = wavry_rift_pacer_new ();

  wavry_rift_pacer_on_stats (p, 0, 20000, 0);
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 1136, 20000), ==, 24);
  wavry_rift_pacer_on_stats (p, SEC, 36000, 4000);
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 1136, 20000), ==, 42);
  /* 2336 B, 5000 kbps: 120 × 1.4 = 168 */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 2336, 5000), ==, 168);
}

/* The ×0.8 rule at its edges. */
static void
test_discount_edges (void)
{
  g_autoptr(WavryRiftPacer) a = wavry_rift_pacer_new ();
  g_autoptr(WavryRiftPacer) b = wavry_rift_pacer_new ();
  g_autoptr(WavryRiftPacer) c = wavry_rift_pacer_new ();
  g_autoptr(WavryRiftPacer) d = wavry_rift_pacer_new ();

  /* jitter_s 399 µs: jit 0.1995, factor 1.09975 × 0.8: 26.394 → 26 */
  wavry_rift_pacer_on_stats (a, 0, 20000, 399);
  g_assert_cmpint (wavry_rift_pacer_interval_us (a, 1136, 20000), ==, 26);
  /* jitter_s 400 µs: jit 0.2, factor 1.1: 33 */
  wavry_rift_pacer_on_stats (b, 0, 20000, 400);
  g_assert_cmpint (wavry_rift_pacer_interval_us (b, 1136, 20000), ==, 33);

  /* rtt 100 then 116 ms: rtt_s 102 ms, rtt_inc 0.02, factor 1.03: 30.9 → 31 */
  wavry_rift_pacer_on_stats (c, 0, 100000, 0);
  wavry_rift_pacer_on_stats (c, SEC, 116000, 0);
  g_assert_cmpint (wavry_rift_pacer_interval_us (c, 1136, 20000), ==, 31);
  /* rtt 100 then 115.992 ms: rtt_s 101.999 ms, rtt_inc 0.01999,
   * factor 1.029985 × 0.8 = 0.823988: 24.72 → 25 */
  wavry_rift_pacer_on_stats (d, 0, 100000, 0);
  wavry_rift_pacer_on_stats (d, SEC, 115992, 0);
  g_assert_cmpint (wavry_rift_pacer_interval_us (d, 1136, 20000), ==, 25);
}

/* rtt 10 then 200 ms: rtt_s 33.75 ms, rtt_inc 2.375 → 2; jitter 0 then
 * 40 ms: jitter_s 10 ms, jit 5 → 3; factor 1 + 3 + 1.5 = 5.5.
 * 1000 kbps, 3000 B: 120 × 5.5 = 660 → 500. 20000 kbps, 1136 B: 165. */
static void
test_congested_corners (void)
{
  g_autoptr(WavryRiftPacer) p = wavry_rift_pacer_new ();

  wavry_rift_pacer_on_stats (p, 0, 10000, 0);
  wavry_rift_pacer_on_stats (p, SEC, 200000, 40000);
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 3000, 1000), ==, 500);
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 1136, 20000), ==, 165);
  /* 100000 kbps, 0 B: 7.5 × 5.5 = 41.25 → 41 */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 0, 100000), ==, 41);
}

/* rtt_min is the 10 s windowed minimum: once the 10 ms sample is 10 s old,
 * a steady 40 ms path counts as idle again. */
static void
test_rtt_min_window (void)
{
  g_autoptr(WavryRiftPacer) p = wavry_rift_pacer_new ();

  wavry_rift_pacer_on_stats (p, 0, 10000, 0);
  for (guint i = 1; i < 10; i++)
    wavry_rift_pacer_on_stats (p, i * SEC, 40000, 0);
  /* rtt_s = 40 − 30·(7/8)^9 ≈ 30.1 ms vs 10 ms: rtt_inc 2 → factor 4: 120 */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 1136, 20000), ==, 120);
  for (guint i = 10; i < 80; i++)
    wavry_rift_pacer_on_stats (p, i * SEC, 40000, 0);
  /* rtt_min 40 ms and rtt_s within 0.02 of it: 24 */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 1136, 20000), ==, 24);
}

/* The per-frame cap: a 150-chunk keyframe at 144 fps gets 0.5 s/144/150 =
 * 23 µs per chunk even on a congested path (500 µs uncapped). */
static void
test_frame_interval (void)
{
  g_autoptr(WavryRiftPacer) p = wavry_rift_pacer_new ();

  /* Idle: 24 µs per chunk, 60 fps budget 8333/150 = 55: stays 24. */
  g_assert_cmpint (wavry_rift_pacer_frame_interval_us (p, 1136, 20000, 150, 60), ==, 24);
  wavry_rift_pacer_on_stats (p, 0, 10000, 0);
  wavry_rift_pacer_on_stats (p, SEC, 200000, 40000);
  g_assert_cmpint (wavry_rift_pacer_frame_interval_us (p, 3000, 1000, 150, 144), ==, 23);
  /* 500000/60 = 8333 µs over 4 chunks = 2083: not binding, 500 */
  g_assert_cmpint (wavry_rift_pacer_frame_interval_us (p, 3000, 1000, 4, 60), ==, 500);
  /* fps 0 or a single chunk: no cap */
  g_assert_cmpint (wavry_rift_pacer_frame_interval_us (p, 3000, 1000, 150, 0), ==, 500);
  g_assert_cmpint (wavry_rift_pacer_frame_interval_us (p, 3000, 1000, 1, 144), ==, 500);
  /* absurd counts go to 0 (back to back), never negative */
  g_assert_cmpint (wavry_rift_pacer_frame_interval_us (p, 3000, 1000, G_MAXUINT, 144), ==, 0);
}

static void
test_rejects_malformed (void)
{
  g_autoptr(WavryRiftPacer) p = wavry_rift_pacer_new ();

  wavry_rift_pacer_on_stats (p, 10 * SEC, 20000, 0);
  wavry_rift_pacer_on_stats (p, 11 * SEC, -1, 0);
  wavry_rift_pacer_on_stats (p, 11 * SEC, 20000, -1);
  wavry_rift_pacer_on_stats (p, 11 * SEC, G_MAXINT64, 0);
  wavry_rift_pacer_on_stats (p, 11 * SEC, 20000, G_MAXINT64);
  wavry_rift_pacer_on_stats (p, 9 * SEC, 1000, 0);
  g_assert_cmpuint (wavry_rift_pacer_get_rejected (p), ==, 5);
  /* Nothing changed: still idle at 20 ms. */
  g_assert_cmpint (wavry_rift_pacer_interval_us (p, 1136, 20000), ==, 24);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/core/pacer/new-free", test_new_free);
  g_test_add_func ("/wavry/core/pacer/idle-corners", test_idle_corners);
  g_test_add_func ("/wavry/core/pacer/ewma", test_ewma);
  g_test_add_func ("/wavry/core/pacer/discount-edges", test_discount_edges);
  g_test_add_func ("/wavry/core/pacer/congested-corners", test_congested_corners);
  g_test_add_func ("/wavry/core/pacer/rtt-min-window", test_rtt_min_window);
  g_test_add_func ("/wavry/core/pacer/frame-interval", test_frame_interval);
  g_test_add_func ("/wavry/core/pacer/rejects-malformed", test_rejects_malformed);

  return g_test_run ();
}
