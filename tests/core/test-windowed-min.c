/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-windowed-min.h"

static void
test_basic (void)
{
  g_autoptr(WavryRiftWindowedMin) w = wavry_rift_windowed_min_new (10);

  g_assert_cmpint (wavry_rift_windowed_min_get (w), ==, G_MAXINT64);
  g_assert_cmpint (wavry_rift_windowed_min_update (w, 0, 50), ==, 50);
  g_assert_cmpint (wavry_rift_windowed_min_update (w, 3, 70), ==, 50);
  g_assert_cmpint (wavry_rift_windowed_min_update (w, 5, 60), ==, 50);
  /* 50 at t=0 counts while now − 0 < 10. */
  g_assert_cmpint (wavry_rift_windowed_min_update (w, 9, 80), ==, 50);
  g_assert_cmpint (wavry_rift_windowed_min_update (w, 10, 90), ==, 60);
  g_assert_cmpint (wavry_rift_windowed_min_update (w, 15, 95), ==, 80);
  g_assert_cmpint (wavry_rift_windowed_min_get (w), ==, 80);
  /* A new minimum replaces everything behind it. */
  g_assert_cmpint (wavry_rift_windowed_min_update (w, 16, 1), ==, 1);
  g_assert_cmpuint (wavry_rift_windowed_min_get_size (w), ==, 1);
  /* A sample much later than the window leaves only itself. */
  g_assert_cmpint (wavry_rift_windowed_min_update (w, 1000, 500), ==, 500);
  g_assert_cmpuint (wavry_rift_windowed_min_get_size (w), ==, 1);
  /* Time going backwards is treated as the newest time seen. */
  g_assert_cmpint (wavry_rift_windowed_min_update (w, 0, 600), ==, 500);
  g_assert_cmpint (wavry_rift_windowed_min_update (w, 1009, 700), ==, 500);
  g_assert_cmpuint (wavry_rift_windowed_min_get_size (w), ==, 3);
  /* 500 and 600 both count as recorded at 1000. */
  g_assert_cmpint (wavry_rift_windowed_min_update (w, 1010, 800), ==, 700);
}

/* Against a brute-force minimum, with a rising trend so that the deque grows
 * past its initial capacity, and extreme times. */
static void
test_random_model (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  const gint64 window = 1000;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(WavryRiftWindowedMin) w = wavry_rift_windowed_min_new (window);
  gint64 now = G_MININT64 / 2;

  for (guint i = 0; i < 20000; i++)
    {
      gint64 value = (i % 3000) * 10 + g_rand_int_range (rand, 0, i % 7 == 0 ? 5000 : 50);
      gint64 expect = G_MAXINT64;

      now += g_rand_int_range (rand, 0, 30);
      g_array_append_val (times, now);
      g_array_append_val (values, value);
      for (guint j = 0; j < times->len; j++)
        if (now - g_array_index (times, gint64, j) < window)
          expect = MIN (expect, g_array_index (values, gint64, j));
      g_assert_cmpint (wavry_rift_windowed_min_update (w, now, value), ==, expect);
      g_assert_cmpint (wavry_rift_windowed_min_get (w), ==, expect);
      /* Keep the model short: drop what fell out long ago. */
      if (times->len > 512)
        {
          g_array_remove_range (times, 0, 256);
          g_array_remove_range (values, 0, 256);
        }
    }
  g_assert_cmpuint (wavry_rift_windowed_min_get_size (w), >, 16);
}

static void
test_extreme_times (void)
{
  g_autoptr(WavryRiftWindowedMin) w = wavry_rift_windowed_min_new (G_MAXINT64);

  g_assert_cmpint (wavry_rift_windowed_min_update (w, G_MININT64, 5), ==, 5);
  g_assert_cmpint (wavry_rift_windowed_min_update (w, G_MAXINT64, 9), ==, 9);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/core/windowed-min/basic", test_basic);
  g_test_add_func ("/wavry/core/windowed-min/random-model", test_random_model);
  g_test_add_func ("/wavry/core/windowed-min/extreme-times", test_extreme_times);

  return g_test_run ();
}
