/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-replay-window.h"

static void
accept (WavryRiftReplayWindow *w,
        guint64                id)
{
  g_assert_true (wavry_rift_replay_window_check (w, id));
  wavry_rift_replay_window_mark (w, id);
  g_assert_false (wavry_rift_replay_window_check (w, id));
}

static void
test_in_order (void)
{
  WavryRiftReplayWindow w;

  wavry_rift_replay_window_init (&w);
  for (guint64 id = 0; id < 1000; id++)
    accept (&w, id);
  for (guint64 id = 0; id < 1000; id++)
    g_assert_false (wavry_rift_replay_window_check (&w, id));
}

static void
test_edges (void)
{
  WavryRiftReplayWindow w;

  wavry_rift_replay_window_init (&w);
  accept (&w, 500);
  /* RIFT §3.3: reject if id + 128 <= highest */
  g_assert_false (wavry_rift_replay_window_check (&w, 500 - 128));
  g_assert_true (wavry_rift_replay_window_check (&w, 500 - 127));
  accept (&w, 500 - 127);
  accept (&w, 499);
  accept (&w, 437);
  /* jump forward by exactly 64 and by more than the window */
  accept (&w, 564);
  g_assert_false (wavry_rift_replay_window_check (&w, 500));
  g_assert_false (wavry_rift_replay_window_check (&w, 499));
  g_assert_true (wavry_rift_replay_window_check (&w, 498));
  accept (&w, 10000);
  g_assert_false (wavry_rift_replay_window_check (&w, 564));
  g_assert_true (wavry_rift_replay_window_check (&w, 9999));
}

static void
test_reordered_random (void)
{
  GRand *rand = g_rand_new_with_seed (99);
  WavryRiftReplayWindow w;
  g_autofree guint8 *seen = g_malloc0 (20000);
  guint64 highest = 0;
  gboolean any = FALSE;

  wavry_rift_replay_window_init (&w);
  /* Compare against a brute-force model of the rule. */
  for (guint i = 0; i < 100000; i++)
    {
      guint64 id = g_rand_int_range (rand, 0, 20000);
      gboolean expect;

      if (!any || id > highest)
        expect = TRUE;
      else if (id + 128 <= highest)
        expect = FALSE;
      else
        expect = !seen[id];

      g_assert_cmpint (wavry_rift_replay_window_check (&w, id), ==, expect);
      if (expect && g_rand_boolean (rand))
        {
          wavry_rift_replay_window_mark (&w, id);
          seen[id] = 1;
          if (!any || id > highest)
            highest = id;
          any = TRUE;
        }
    }
  g_rand_free (rand);
}

static void
test_huge_ids (void)
{
  WavryRiftReplayWindow w;

  wavry_rift_replay_window_init (&w);
  accept (&w, G_MAXUINT64 - 1);
  accept (&w, G_MAXUINT64);
  g_assert_false (wavry_rift_replay_window_check (&w, 0));
  accept (&w, G_MAXUINT64 - 100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/core/replay-window/in-order", test_in_order);
  g_test_add_func ("/wavry/core/replay-window/edges", test_edges);
  g_test_add_func ("/wavry/core/replay-window/reordered-random", test_reordered_random);
  g_test_add_func ("/wavry/core/replay-window/huge-ids", test_huge_ids);

  return g_test_run ();
}
