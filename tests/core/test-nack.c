/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-nack.h"
#include "wavry-rift-proto.h"

static void
expect_ids (GArray  *ids,
            guint64  first,
            guint64  last)
{
  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, last - first + 1);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpuint (g_array_index (ids, guint64, i), ==, first + i);
  g_array_unref (ids);
}

static void
test_ranges (void)
{
  g_autoptr(WavryRiftNackTracker) t = wavry_rift_nack_tracker_new ();
  g_autoptr(GArray) ids = NULL;

  /* The first packet starts the sequence: nothing before it. */
  g_assert_null (wavry_rift_nack_tracker_on_packet (t, 100));
  g_assert_null (wavry_rift_nack_tracker_on_packet (t, 101));
  /* Jump: 102..104. */
  expect_ids (wavry_rift_nack_tracker_on_packet (t, 105), 102, 104);
  /* Reorder fills and duplicates send nothing. */
  g_assert_null (wavry_rift_nack_tracker_on_packet (t, 103));
  g_assert_null (wavry_rift_nack_tracker_on_packet (t, 105));
  g_assert_null (wavry_rift_nack_tracker_on_packet (t, 50));
  g_assert_null (wavry_rift_nack_tracker_on_packet (t, 106));

  /* Window clip: only the 128 ids below the new one. */
  expect_ids (wavry_rift_nack_tracker_on_packet (t, 1000), 1000 - 128, 999);
  /* Exactly 128 missing: all listed. */
  expect_ids (wavry_rift_nack_tracker_on_packet (t, 1129), 1001, 1128);

  /* Recovered by FEC (ahead of highest and below it): never NACKed. */
  wavry_rift_nack_tracker_mark_received (t, 1131);
  wavry_rift_nack_tracker_mark_received (t, 1133);
  ids = wavry_rift_nack_tracker_on_packet (t, 1135);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpuint (g_array_index (ids, guint64, 0), ==, 1130);
  g_assert_cmpuint (g_array_index (ids, guint64, 1), ==, 1132);
  g_assert_cmpuint (g_array_index (ids, guint64, 2), ==, 1134);
}

/* Random arrivals against a brute-force model of RIFT §6.4. */
static void
test_model (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(WavryRiftNackTracker) t = wavry_rift_nack_tracker_new ();
  g_autofree guint8 *done = g_malloc0 (1 << 22);  /* seen or NACKed */
  guint64 highest = 1000, next = 1000;

  g_assert_null (wavry_rift_nack_tracker_on_packet (t, 1000));
  done[1000] = 1;

  for (guint step = 0; step < 20000; step++)
    {
      guint64 id;
      g_autoptr(GArray) ids = NULL;
      guint n = 0;

      switch (g_rand_int_range (rand, 0, 10))
        {
        case 0:  /* burst loss, sometimes beyond the window */
          next += g_rand_int_range (rand, 2, 300);
          id = next;
          break;
        case 1:  /* late */
          id = highest - g_rand_int_range (rand, 0, 200);
          break;
        case 2:  /* FEC recovery */
          id = highest - g_rand_int_range (rand, 0, 40) + 20;
          wavry_rift_nack_tracker_mark_received (t, id);
          done[id] = 1;
          continue;
        default:
          id = ++next;
          break;
        }
      g_assert_cmpuint (id + 1, <, 1 << 22);
      next = MAX (next, id);

      ids = wavry_rift_nack_tracker_on_packet (t, id);
      if (id > highest)
        {
          guint64 lo = MAX (highest + 1, id - 128);

          for (guint64 x = lo; x < id; x++)
            {
              if (done[x])
                continue;
              g_assert_nonnull (ids);
              g_assert_cmpuint (n, <, ids->len);
              g_assert_cmpuint (g_array_index (ids, guint64, n), ==, x);
              n++;
              done[x] = 1;
            }
          highest = id;
        }
      g_assert_cmpuint (ids ? ids->len : 0, ==, n);
      done[id] = 1;
    }
}

static void
test_build (void)
{
  static const guint64 ids[] = { 7, 8, 9, G_GUINT64_CONSTANT (1) << 40 };
  g_autoptr(GBytes) bytes = wavry_rift_nack_build (ids, G_N_ELEMENTS (ids));
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autoptr(Rift__Message) message = wavry_rift_message_unpack (data, len);

  g_assert_nonnull (message);
  g_assert_cmpstr (wavry_rift_message_describe (message), ==, "nack");
  g_assert_cmpmem (message->control->nack->packet_ids,
                   message->control->nack->n_packet_ids * sizeof (guint64),
                   ids, sizeof ids);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wavry/core/nack/ranges", test_ranges);
  g_test_add_func ("/wavry/core/nack/model", test_model);
  g_test_add_func ("/wavry/core/nack/build", test_build);
  return g_test_run ();
}
