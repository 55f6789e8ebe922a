/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-rift-packetizer.h"
#include "wavry-rift-proto.h"
#include "wavry-rift-reassembler.h"

#define MS 1000

static GBytes *
pattern (gsize    len,
         guint64  seed)
{
  guint8 *data = g_malloc (MAX (len, 1));

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 131 + (i >> 9) + seed * 17);
  return g_bytes_new_take (data, len);
}

/* The unpacked chunks of one frame, as the client would see them. */
static GPtrArray *
chunks_of (guint64  frame_id,
           GBytes  *frame,
           gboolean keyframe)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);
  g_autoptr(GPtrArray) packed = wavry_rift_packetize_frame (frame_id, data, len, frame_id * 16667,
                                                            keyframe, 1000 + frame_id, 2000);
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) wavry_rift_message_free);

  for (guint i = 0; i < packed->len; i++)
    {
      gsize size;
      const guint8 *bytes = g_bytes_get_data (packed->pdata[i], &size);
      Rift__Message *message = wavry_rift_message_unpack (bytes, size);

      g_assert_nonnull (message);
      g_ptr_array_add (messages, message);
    }
  return messages;
}

static const Rift__VideoChunk *
video (GPtrArray *messages,
       guint      i)
{
  return ((Rift__Message *) messages->pdata[i])->media->video;
}

static void
shuffle (GPtrArray *array,
         GRand     *rand)
{
  for (guint i = array->len; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      gpointer tmp = array->pdata[i - 1];

      array->pdata[i - 1] = array->pdata[j];
      array->pdata[j] = tmp;
    }
}

static void
assert_frame (WavryRiftVideoFrame *frame,
              guint64              frame_id,
              GBytes              *data)
{
  g_assert_nonnull (frame);
  g_assert_cmpuint (frame->frame_id, ==, frame_id);
  g_assert_true (g_bytes_equal (frame->data, data));
  g_assert_cmpuint (frame->timestamp_us, ==, frame_id * 16667);
  g_assert_cmpuint (frame->capture_us, ==, 1000 + frame_id);
  g_assert_cmpuint (frame->encode_us, ==, 2000);
}

/* Packetize → shuffle and duplicate → reassemble gives the same bytes. */
static void
test_round_trip (void)
{
  static const gsize sizes[] = { 1, 1199, 1200, 1201, 7 * 1200 + 5, 3 * 1000 * 1000 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(WavryRiftReassembler) r = wavry_rift_reassembler_new ();
  WavryRiftReassemblerStats stats;
  guint64 duplicates = 0;

  for (guint f = 0; f < G_N_ELEMENTS (sizes); f++)
    {
      g_autoptr(GBytes) data = pattern (sizes[f], f);
      g_autoptr(GPtrArray) messages = chunks_of (f, data, f == 0);
      g_autoptr(GPtrArray) order = g_ptr_array_new ();
      g_autoptr(WavryRiftVideoFrame) frame = NULL;
      WavryTime t = f * 16 * MS;

      for (guint i = 0; i < messages->len; i++)
        {
          g_ptr_array_add (order, (gpointer) video (messages, i));
          if (g_rand_int_range (rand, 0, 4) == 0)
            {
              g_ptr_array_add (order, (gpointer) video (messages, i));
              duplicates++;
            }
        }
      shuffle (order, rand);

      for (guint i = 0; i < order->len; i++)
        {
          gboolean first = TRUE;

          for (guint j = 0; j < i; j++)
            if (order->pdata[j] == order->pdata[i])
              first = FALSE;
          if (!first)
            {
              g_assert_false (wavry_rift_reassembler_add_chunk (r, order->pdata[i], t + i));
              continue;
            }
          /* Nothing is delivered before the last distinct chunk. */
          g_assert_null (wavry_rift_reassembler_pop_frame (r));
          g_assert_true (wavry_rift_reassembler_add_chunk (r, order->pdata[i], t + i));
        }

      frame = wavry_rift_reassembler_pop_frame (r);
      assert_frame (frame, f, data);
      g_assert_cmpint (frame->keyframe, ==, f == 0);
      g_assert_false (frame->after_gap);
      g_assert_cmpint (frame->first_arrival, ==, t);
      g_assert_cmpint (frame->last_arrival, >=, t + messages->len - 1);
      g_assert_null (wavry_rift_reassembler_pop_frame (r));
      g_assert_cmpint (wavry_rift_reassembler_next_timeout (r), ==, G_MAXINT64);
    }

  wavry_rift_reassembler_get_stats (r, &stats);
  g_assert_cmpuint (stats.frames_complete, ==, G_N_ELEMENTS (sizes));
  g_assert_cmpuint (stats.frames_lost, ==, 0);
  g_assert_cmpuint (stats.chunks_dropped, ==, 0);
  g_assert_cmpuint (stats.chunks_duplicate, ==, duplicates);
  g_assert_cmpuint (duplicates, >, 0);
}

/* Chunks of ten frames shuffled together come out in frame order. */
static void
test_interleaved (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(WavryRiftReassembler) r = wavry_rift_reassembler_new ();
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  for (guint64 f = 100; f < 110; f++)
    {
      GBytes *data = pattern (g_rand_int_range (rand, 1, 20000), f);
      GPtrArray *messages = chunks_of (f, data, FALSE);

      g_ptr_array_add (datas, data);
      g_ptr_array_add (all, messages);
      for (guint i = 0; i < messages->len; i++)
        g_ptr_array_add (order, (gpointer) video (messages, i));
    }
  /* Frame 100's first chunk comes first: the first frame id seen starts the sequence. */
  shuffle (order, rand);
  for (guint i = 0; i < order->len; i++)
    if (((Rift__VideoChunk *) order->pdata[i])->frame_id == 100)
      {
        gpointer tmp = order->pdata[0];
        order->pdata[0] = order->pdata[i];
        order->pdata[i] = tmp;
        break;
      }

  for (guint i = 0; i < order->len; i++)
    g_assert_true (wavry_rift_reassembler_add_chunk (r, order->pdata[i], i));

  for (guint64 f = 100; f < 110; f++)
    {
      g_autoptr(WavryRiftVideoFrame) frame = wavry_rift_reassembler_pop_frame (r);

      assert_frame (frame, f, datas->pdata[f - 100]);
    }
  g_assert_null (wavry_rift_reassembler_pop_frame (r));
}

/* Frame 1 misses a chunk: frame 2 waits; 50 ms after frame 1's first chunk
 * frame 1 is discarded, reported lost, and frame 2 comes out after_gap. */
static void
test_missing_middle (void)
{
  g_autoptr(WavryRiftReassembler) r = wavry_rift_reassembler_new ();
  g_autoptr(GBytes) d0 = pattern (3000, 0);
  g_autoptr(GBytes) d1 = pattern (3000, 1);
  g_autoptr(GBytes) d2 = pattern (3000, 2);
  g_autoptr(GBytes) d3 = pattern (100, 3);
  g_autoptr(GPtrArray) m0 = chunks_of (0, d0, TRUE);
  g_autoptr(GPtrArray) m1 = chunks_of (1, d1, FALSE);
  g_autoptr(GPtrArray) m2 = chunks_of (2, d2, FALSE);
  g_autoptr(GPtrArray) m3 = chunks_of (3, d3, FALSE);
  g_autoptr(WavryRiftVideoFrame) f0 = NULL;
  g_autoptr(WavryRiftVideoFrame) f2 = NULL;
  g_autoptr(WavryRiftVideoFrame) f3 = NULL;
  WavryRiftReassemblerStats stats;
  guint64 lost;

  for (guint i = 0; i < m0->len; i++)
    g_assert_true (wavry_rift_reassembler_add_chunk (r, video (m0, i), 0));
  g_assert_true (wavry_rift_reassembler_add_chunk (r, video (m1, 0), 10 * MS));
  g_assert_true (wavry_rift_reassembler_add_chunk (r, video (m1, 2), 10 * MS));
  for (guint i = 0; i < m2->len; i++)
    g_assert_true (wavry_rift_reassembler_add_chunk (r, video (m2, i), 20 * MS));

  f0 = wavry_rift_reassembler_pop_frame (r);
  assert_frame (f0, 0, d0);
  g_assert_false (f0->after_gap);
  g_assert_null (wavry_rift_reassembler_pop_frame (r));
  g_assert_cmpint (wavry_rift_reassembler_next_timeout (r), ==, 60 * MS);

  wavry_rift_reassembler_handle_timeout (r, 60 * MS - 1);
  g_assert_null (wavry_rift_reassembler_pop_frame (r));
  g_assert_false (wavry_rift_reassembler_pop_lost (r, &lost));

  wavry_rift_reassembler_handle_timeout (r, 60 * MS);
  g_assert_true (wavry_rift_reassembler_pop_lost (r, &lost));
  g_assert_cmpuint (lost, ==, 1);
  g_assert_false (wavry_rift_reassembler_pop_lost (r, &lost));
  g_assert_cmpint (wavry_rift_reassembler_next_timeout (r), ==, G_MAXINT64);

  f2 = wavry_rift_reassembler_pop_frame (r);
  assert_frame (f2, 2, d2);
  g_assert_true (f2->after_gap);
  g_assert_null (wavry_rift_reassembler_pop_frame (r));

  /* The missing chunk arriving late is refused; the next frame is clean. */
  g_assert_false (wavry_rift_reassembler_add_chunk (r, video (m1, 1), 61 * MS));
  g_assert_true (wavry_rift_reassembler_add_chunk (r, video (m3, 0), 62 * MS));
  f3 = wavry_rift_reassembler_pop_frame (r);
  assert_frame (f3, 3, d3);
  g_assert_false (f3->after_gap);

  wavry_rift_reassembler_get_stats (r, &stats);
  g_assert_cmpuint (stats.frames_complete, ==, 3);
  g_assert_cmpuint (stats.frames_lost, ==, 1);
  g_assert_cmpuint (stats.chunks_dropped, ==, 1);
}

/* Frames none of whose chunks arrive time out from the first later chunk. */
static void
test_missing_whole (void)
{
  g_autoptr(WavryRiftReassembler) r = wavry_rift_reassembler_new ();
  g_autoptr(GBytes) d = pattern (10, 0);
  g_autoptr(GPtrArray) m0 = chunks_of (0, d, TRUE);
  g_autoptr(GPtrArray) m3 = chunks_of (3, d, FALSE);
  g_autoptr(WavryRiftVideoFrame) f0 = NULL;
  g_autoptr(WavryRiftVideoFrame) f3 = NULL;
  guint64 lost;

  g_assert_true (wavry_rift_reassembler_add_chunk (r, video (m0, 0), 0));
  g_assert_true (wavry_rift_reassembler_add_chunk (r, video (m3, 0), 5 * MS));
  f0 = wavry_rift_reassembler_pop_frame (r);
  g_assert_cmpuint (f0->frame_id, ==, 0);
  g_assert_null (wavry_rift_reassembler_pop_frame (r));
  g_assert_cmpint (wavry_rift_reassembler_next_timeout (r), ==, 55 * MS);
  wavry_rift_reassembler_handle_timeout (r, 55 * MS);
  for (guint64 id = 1; id <= 2; id++)
    {
      g_assert_true (wavry_rift_reassembler_pop_lost (r, &lost));
      g_assert_cmpuint (lost, ==, id);
    }
  g_assert_false (wavry_rift_reassembler_pop_lost (r, &lost));
  f3 = wavry_rift_reassembler_pop_frame (r);
  g_assert_cmpuint (f3->frame_id, ==, 3);
  g_assert_true (f3->after_gap);
}

static void
expect_drop (WavryRiftReassembler   *r,
             const Rift__VideoChunk *chunk,
             guint64                 dropped)
{
  WavryRiftReassemblerStats stats;

  g_assert_false (wavry_rift_reassembler_add_chunk (r, chunk, 1 * MS));
  wavry_rift_reassembler_get_stats (r, &stats);
  g_assert_cmpuint (stats.chunks_dropped, ==, dropped);
}

/* Every kind of inconsistent chunk is refused and counted; the frame it
 * claimed to belong to still reassembles from the good chunks. */
static void
test_malformed (void)
{
  g_autoptr(WavryRiftReassembler) r = wavry_rift_reassembler_new ();
  g_autoptr(GBytes) d = pattern (2500, 5);
  g_autoptr(GPtrArray) m = chunks_of (10, d, TRUE);
  g_autoptr(WavryRiftVideoFrame) frame = NULL;
  WavryRiftReassemblerStats stats;
  guint8 big[WAVRY_RIFT_VIDEO_CHUNK_MAX + 1] = { 0 };
  Rift__VideoChunk bad;
  guint64 n = 0;

  g_assert_cmpuint (m->len, ==, 3);
  g_assert_true (wavry_rift_reassembler_add_chunk (r, video (m, 0), 0));

  bad = *video (m, 1);
  bad.chunk_index = 3;
  expect_drop (r, &bad, ++n);
  bad.chunk_index = 1;
  bad.chunk_count = 0;
  expect_drop (r, &bad, ++n);
  bad.chunk_count = WAVRY_RIFT_VIDEO_CHUNKS_MAX + 1;
  expect_drop (r, &bad, ++n);
  bad.chunk_count = 4;                     /* disagrees with chunk 0 */
  expect_drop (r, &bad, ++n);
  bad = *video (m, 1);
  bad.keyframe = FALSE;
  expect_drop (r, &bad, ++n);
  bad = *video (m, 1);
  bad.timestamp_us++;
  expect_drop (r, &bad, ++n);
  bad = *video (m, 1);
  bad.payload.data = big;
  bad.payload.len = sizeof big;
  expect_drop (r, &bad, ++n);
  bad = *video (m, 1);
  bad.frame_id = 9;                        /* before the first frame seen */
  expect_drop (r, &bad, ++n);
  bad.frame_id = 10 + WAVRY_RIFT_REASSEMBLER_WINDOW;  /* beyond the window */
  expect_drop (r, &bad, ++n);
  bad.frame_id = G_MAXUINT64;
  expect_drop (r, &bad, ++n);

  /* A duplicate is counted apart. */
  g_assert_false (wavry_rift_reassembler_add_chunk (r, video (m, 0), 2 * MS));
  wavry_rift_reassembler_get_stats (r, &stats);
  g_assert_cmpuint (stats.chunks_duplicate, ==, 1);

  /* The last frame id inside the window is accepted. */
  bad = *video (m, 1);
  bad.frame_id = 10 + WAVRY_RIFT_REASSEMBLER_WINDOW - 1;
  g_assert_true (wavry_rift_reassembler_add_chunk (r, &bad, 2 * MS));

  g_assert_true (wavry_rift_reassembler_add_chunk (r, video (m, 2), 3 * MS));
  g_assert_true (wavry_rift_reassembler_add_chunk (r, video (m, 1), 3 * MS));
  frame = wavry_rift_reassembler_pop_frame (r);
  assert_frame (frame, 10, d);
  g_assert_true (frame->keyframe);

  /* Once delivered, its chunks are too old. */
  expect_drop (r, video (m, 1), ++n);
  wavry_rift_reassembler_get_stats (r, &stats);
  g_assert_cmpuint (stats.frames_complete, ==, 1);
  g_assert_cmpuint (stats.chunks_duplicate, ==, 1);
}

/* A sender more than a window ahead (a long outage) restarts the sequence
 * once the timeout passes, instead of stalling for ever. */
static void
test_resync (void)
{
  g_autoptr(WavryRiftReassembler) r = wavry_rift_reassembler_new ();
  g_autoptr(GBytes) d = pattern (10, 0);
  g_autoptr(GPtrArray) m0 = chunks_of (0, d, TRUE);
  g_autoptr(GPtrArray) m1000 = chunks_of (1000, d, TRUE);
  g_autoptr(WavryRiftVideoFrame) f0 = NULL;
  g_autoptr(WavryRiftVideoFrame) f1000 = NULL;
  WavryRiftReassemblerStats stats;
  guint64 lost;

  g_assert_true (wavry_rift_reassembler_add_chunk (r, video (m0, 0), 0));
  f0 = wavry_rift_reassembler_pop_frame (r);
  g_assert_nonnull (f0);
  g_assert_false (wavry_rift_reassembler_add_chunk (r, video (m1000, 0), 1 * MS));
  g_assert_cmpint (wavry_rift_reassembler_next_timeout (r), ==, 51 * MS);
  wavry_rift_reassembler_handle_timeout (r, 51 * MS);
  g_assert_true (wavry_rift_reassembler_pop_lost (r, &lost));
  g_assert_cmpuint (lost, ==, 999);
  wavry_rift_reassembler_get_stats (r, &stats);
  g_assert_cmpuint (stats.frames_lost, ==, 999);

  g_assert_true (wavry_rift_reassembler_add_chunk (r, video (m1000, 0), 52 * MS));
  f1000 = wavry_rift_reassembler_pop_frame (r);
  g_assert_cmpuint (f1000->frame_id, ==, 1000);
  g_assert_true (f1000->after_gap);
}

/* Frames that never complete cannot hold more than the byte budget: the
 * chunks beyond it are dropped and counted, and once the frames time out
 * the budget is free again. */
static void
test_budget (void)
{
  g_autoptr(WavryRiftReassembler) r = wavry_rift_reassembler_new ();
  static guint8 payload[WAVRY_RIFT_VIDEO_CHUNK_MAX];
  Rift__VideoChunk chunk = RIFT__VIDEO_CHUNK__INIT;
  WavryRiftReassemblerStats stats;
  guint64 accepted = 0, refused = 0, lost;

  chunk.chunk_count = WAVRY_RIFT_VIDEO_CHUNKS_MAX;
  chunk.payload.data = payload;
  chunk.payload.len = sizeof payload;

  /* 16 frames of 4.9 MB, each missing its last chunk: 78 MB offered. */
  for (chunk.frame_id = 0; chunk.frame_id < 16; chunk.frame_id++)
    for (chunk.chunk_index = 0; chunk.chunk_index + 1 < chunk.chunk_count; chunk.chunk_index++)
      {
        if (wavry_rift_reassembler_add_chunk (r, &chunk, 0))
          accepted++;
        else
          refused++;
        g_assert_cmpuint (wavry_rift_reassembler_get_held_bytes (r), <=,
                          WAVRY_RIFT_REASSEMBLER_MAX_BYTES);
      }
  g_assert_cmpuint (accepted * sizeof payload, >, WAVRY_RIFT_REASSEMBLER_MAX_BYTES * 9 / 10);
  g_assert_cmpuint (refused, >, 0);
  wavry_rift_reassembler_get_stats (r, &stats);
  g_assert_cmpuint (stats.chunks_dropped, ==, refused);

  wavry_rift_reassembler_handle_timeout (r, WAVRY_RIFT_REASSEMBLER_TIMEOUT_US);
  g_assert_cmpuint (wavry_rift_reassembler_get_held_bytes (r), ==, 0);
  for (guint64 id = 0; id < 16; id++)
    {
      g_assert_true (wavry_rift_reassembler_pop_lost (r, &lost));
      g_assert_cmpuint (lost, ==, id);
    }

  /* A whole frame fits again. */
  chunk.frame_id = 16;
  chunk.chunk_count = 2;
  for (chunk.chunk_index = 0; chunk.chunk_index < 2; chunk.chunk_index++)
    g_assert_true (wavry_rift_reassembler_add_chunk (r, &chunk, 60 * MS));
  {
    g_autoptr(WavryRiftVideoFrame) frame = wavry_rift_reassembler_pop_frame (r);

    g_assert_cmpuint (frame->frame_id, ==, 16);
    g_assert_cmpuint (g_bytes_get_size (frame->data), ==, 2 * sizeof payload);
    g_assert_true (frame->after_gap);
  }
  g_assert_cmpuint (wavry_rift_reassembler_get_held_bytes (r), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wavry/core/reassembler/round-trip", test_round_trip);
  g_test_add_func ("/wavry/core/reassembler/interleaved", test_interleaved);
  g_test_add_func ("/wavry/core/reassembler/missing-middle", test_missing_middle);
  g_test_add_func ("/wavry/core/reassembler/missing-whole", test_missing_whole);
  g_test_add_func ("/wavry/core/reassembler/malformed", test_malformed);
  g_test_add_func ("/wavry/core/reassembler/resync", test_resync);
  g_test_add_func ("/wavry/core/reassembler/budget", test_budget);
  return g_test_run ();
}
