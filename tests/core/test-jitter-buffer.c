/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-jitter-buffer.h"

#define MS 1000

static WavryRiftVideoFrame *
frame_new (guint64   frame_id,
           gboolean  keyframe,
           WavryTime arrival)
{
  WavryRiftVideoFrame *frame = g_new0 (WavryRiftVideoFrame, 1);

  frame->frame_id = frame_id;
  frame->data = g_bytes_new (&frame_id, sizeof frame_id);
  frame->keyframe = keyframe;
  frame->first_arrival = arrival - 100;
  frame->last_arrival = arrival;
  return frame;
}

/* RIFT §6.2: EWMA(1/16) of |inter-arrival − EWMA(1/16) inter-arrival|. */
static void
test_jitter_estimate (void)
{
  g_autoptr(WavryRiftJitterBuffer) jb = wavry_rift_jitter_buffer_new ();
  WavryTime t = 0;

  for (guint i = 0; i < 50; i++)
    wavry_rift_jitter_buffer_on_datagram (jb, t += MS);
  g_assert_cmpint (wavry_rift_jitter_buffer_get_jitter_us (jb), ==, 0);

  /* One 17 ms gap: |17000 − 1000| / 16. */
  wavry_rift_jitter_buffer_on_datagram (jb, t += 17 * MS);
  g_assert_cmpint (wavry_rift_jitter_buffer_get_jitter_us (jb), ==, 1000);
}

/* Jittery arrivals raise the target by 1 ms per frame up to 10 ms; a
 * steady stream then lowers it by 0.5 ms per frame. */
static void
test_target_adapts (void)
{
  g_autoptr(WavryRiftJitterBuffer) jb = wavry_rift_jitter_buffer_new ();
  WavryTime t = 0;
  guint64 id = 0;

  /* Steady: stays at 0. */
  for (guint i = 0; i < 100; i++)
    {
      wavry_rift_jitter_buffer_on_datagram (jb, t += 2 * MS);
      if (i % 4 == 3)
        wavry_rift_jitter_buffer_push (jb, frame_new (id++, FALSE, t), t);
    }
  g_assert_cmpint (wavry_rift_jitter_buffer_get_target_us (jb), ==, 0);

  /* Alternating 0 and 10 ms gaps: jitter climbs past 2 ms. */
  for (guint i = 0; wavry_rift_jitter_buffer_get_jitter_us (jb) <= 2000; i++)
    {
      g_assert_cmpuint (i, <, 1000);
      wavry_rift_jitter_buffer_on_datagram (jb, t += (i % 2) * 10 * MS);
    }
  for (gint64 expect = 1000; expect <= 14000; expect += 1000)
    {
      wavry_rift_jitter_buffer_on_datagram (jb, t += 10 * MS);
      wavry_rift_jitter_buffer_on_datagram (jb, t);
      wavry_rift_jitter_buffer_push (jb, frame_new (id++, FALSE, t), t);
      g_assert_cmpint (wavry_rift_jitter_buffer_get_jitter_us (jb), >, 2000);
      g_assert_cmpint (wavry_rift_jitter_buffer_get_target_us (jb), ==, MIN (expect, 10000));
    }

  /* Steady 5 ms gaps: the jitter decays; between 0.5 and 2 ms the target holds. */
  while (wavry_rift_jitter_buffer_get_jitter_us (jb) >= 500)
    {
      wavry_rift_jitter_buffer_on_datagram (jb, t += 5 * MS);
      if (wavry_rift_jitter_buffer_get_jitter_us (jb) <= 2000 &&
          wavry_rift_jitter_buffer_get_jitter_us (jb) >= 500)
        {
          wavry_rift_jitter_buffer_push (jb, frame_new (id++, FALSE, t), t);
          g_assert_cmpint (wavry_rift_jitter_buffer_get_target_us (jb), ==, 10000);
        }
    }
  for (gint64 expect = 9500; expect >= -1000; expect -= 500)
    {
      wavry_rift_jitter_buffer_on_datagram (jb, t += 5 * MS);
      wavry_rift_jitter_buffer_push (jb, frame_new (id++, FALSE, t), t);
      g_assert_cmpint (wavry_rift_jitter_buffer_get_target_us (jb), ==, MAX (expect, 0));
    }
}

/* Sets the target to @n ms with jittery arrivals. */
static void
raise_target (WavryRiftJitterBuffer *jb,
              guint                  n)
{
  WavryTime t = 0;

  for (guint i = 0; i < 200; i++)
    wavry_rift_jitter_buffer_on_datagram (jb, t += (i % 2) * 10 * MS);
  for (guint i = 0; i < n; i++)
    wavry_rift_jitter_buffer_push (jb, frame_new (0, TRUE, 0), 0);
  g_assert_cmpint (wavry_rift_jitter_buffer_get_target_us (jb), ==, n * MS);
  /* Drain the frames used to get there. */
  while (wavry_rift_jitter_buffer_next_timeout (jb) != G_MAXINT64)
    wavry_rift_video_frame_free (wavry_rift_jitter_buffer_pop (jb, G_MAXINT64 / 2));
}

/* A frame is released when now − arrival ≥ target. */
static void
test_release_timing (void)
{
  g_autoptr(WavryRiftJitterBuffer) jb = wavry_rift_jitter_buffer_new ();
  g_autoptr(WavryRiftVideoFrame) frame = NULL;
  guint64 dropped;

  raise_target (jb, 3);
  dropped = wavry_rift_jitter_buffer_get_dropped (jb);
  g_assert_cmpint (wavry_rift_jitter_buffer_next_timeout (jb), ==, G_MAXINT64);
  g_assert_null (wavry_rift_jitter_buffer_pop (jb, 1000 * MS));

  /* The jitter is still high: the push takes the target to 4 ms. */
  wavry_rift_jitter_buffer_push (jb, frame_new (7, FALSE, 1000 * MS), 1000 * MS);
  g_assert_cmpint (wavry_rift_jitter_buffer_get_target_us (jb), ==, 4 * MS);
  g_assert_cmpint (wavry_rift_jitter_buffer_next_timeout (jb), ==, 1004 * MS);
  g_assert_null (wavry_rift_jitter_buffer_pop (jb, 1004 * MS - 1));
  frame = wavry_rift_jitter_buffer_pop (jb, 1004 * MS);
  g_assert_nonnull (frame);
  g_assert_cmpuint (frame->frame_id, ==, 7);
  g_assert_cmpuint (wavry_rift_jitter_buffer_get_dropped (jb), ==, dropped);
}

/* Several due: P-frames are all needed and come out in order; a due
 * keyframe makes the older frames droppable. */
static void
test_latency_first (void)
{
  g_autoptr(WavryRiftJitterBuffer) jb = wavry_rift_jitter_buffer_new ();
  static const struct { gboolean key; gboolean out; } frames[] = {
    { TRUE, FALSE }, { FALSE, FALSE }, { TRUE, TRUE }, { FALSE, TRUE }, { FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    wavry_rift_jitter_buffer_push (jb, frame_new (i, frames[i].key, i * MS), i * MS);
  g_assert_cmpint (wavry_rift_jitter_buffer_get_target_us (jb), ==, 0);

  /* At 1 ms only frames 0 and 1 are due: both needed. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(WavryRiftVideoFrame) frame = wavry_rift_jitter_buffer_pop (jb, 1 * MS);

      g_assert_cmpuint (frame->frame_id, ==, i);
    }
  g_assert_null (wavry_rift_jitter_buffer_pop (jb, 1 * MS));
  g_assert_cmpuint (wavry_rift_jitter_buffer_get_dropped (jb), ==, 0);

  /* Push them back and let everything fall due at once. */
  wavry_rift_jitter_buffer_free (g_steal_pointer (&jb));
  jb = wavry_rift_jitter_buffer_new ();
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    wavry_rift_jitter_buffer_push (jb, frame_new (i, frames[i].key, i * MS), i * MS);
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(WavryRiftVideoFrame) frame = NULL;

      if (!frames[i].out)
        continue;
      frame = wavry_rift_jitter_buffer_pop (jb, 100 * MS);
      g_assert_nonnull (frame);
      g_assert_cmpuint (frame->frame_id, ==, i);
    }
  g_assert_null (wavry_rift_jitter_buffer_pop (jb, 100 * MS));
  g_assert_cmpuint (wavry_rift_jitter_buffer_get_dropped (jb), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wavry/core/jitter-buffer/estimate", test_jitter_estimate);
  g_test_add_func ("/wavry/core/jitter-buffer/target-adapts", test_target_adapts);
  g_test_add_func ("/wavry/core/jitter-buffer/release-timing", test_release_timing);
  g_test_add_func ("/wavry/core/jitter-buffer/latency-first", test_latency_first);
  return g_test_run ();
}
