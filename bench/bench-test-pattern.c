/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-bench-util.h"
#include "wavry-capture-test-pattern.h"
#include "wavry-y4m.h"

/* What the synthetic and y4m sources cost per frame, one thread:
 *   render: wavry_test_pattern_render() into an existing I420 frame (the
 *           test-pattern source also allocates one frame per picture);
 *   y4m read: wavry_y4m_reader_read_frame() from memory (FRAME line +
 *           picture straight into a new frame's planes), i.e. the parse and
 *           copy cost of the y4m:- path without the pipe's system calls;
 *   y4m write: wavry_y4m_writer_write() to a memory stream that is reset. */

static const guint sizes[][2] = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 } };

static double
bench_render (guint   width,
              guint   height,
              double  seconds)
{
  g_autoptr(WavryVideoFrame) frame = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, width, height);
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (seconds * G_USEC_PER_SEC);
  guint64 n = 0;

  while (g_get_monotonic_time () < end)
    for (guint i = 0; i < 16; i++)
      wavry_test_pattern_render (frame, n++);
  return (double) (g_get_monotonic_time () - start) / n;
}

static double
bench_y4m_read (guint   width,
                guint   height,
                double  seconds)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(WavryY4mWriter) writer = wavry_y4m_writer_new (out, width, height, 60, 1);
  g_autoptr(WavryVideoFrame) frame = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, width, height);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  gint64 start, end;

  wavry_test_pattern_render (frame, 0);
  for (guint i = 0; i < 8; i++)
    if (!wavry_y4m_writer_write (writer, frame, &error))
      wavry_bench_die ("bench-test-pattern: write failed: %s", error->message);
  g_output_stream_close (out, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  start = g_get_monotonic_time ();
  end = start + (gint64) (seconds * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bytes);
      g_autoptr(WavryY4mReader) reader = wavry_y4m_reader_new (in, NULL, &error);

      if (reader == NULL)
        wavry_bench_die ("bench-test-pattern: %s", error->message);
      for (guint i = 0; i < 8; i++)
        {
          g_autoptr(WavryVideoFrame) got = wavry_y4m_reader_read_frame (reader, NULL, NULL, &error);

          if (got == NULL)
            wavry_bench_die ("bench-test-pattern: read failed: %s", error->message);
          n++;
        }
    }
  return (double) (g_get_monotonic_time () - start) / n;
}

static double
bench_y4m_write (guint   width,
                 guint   height,
                 double  seconds)
{
  g_autoptr(WavryVideoFrame) frame = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, width, height);
  g_autoptr(GError) error = NULL;
  gsize frame_bytes = (gsize) width * height * 3 / 2 + 6;
  g_autofree guint8 *sink = g_malloc (frame_bytes + 256);
  guint64 n = 0;
  gint64 start, end;

  wavry_test_pattern_render (frame, 0);
  start = g_get_monotonic_time ();
  end = start + (gint64) (seconds * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GOutputStream) out = g_memory_output_stream_new (sink, frame_bytes + 256, NULL, NULL);
      g_autoptr(WavryY4mWriter) writer = wavry_y4m_writer_new (out, width, height, 60, 1);

      if (!wavry_y4m_writer_write (writer, frame, &error))
        wavry_bench_die ("bench-test-pattern: write failed: %s", error->message);
      n++;
    }
  return (double) (g_get_monotonic_time () - start) / n;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *command = wavry_bench_command_line (argc, argv);
  double seconds;

  seconds = wavry_bench_parse_options (&argc, &argv, "bench-test-pattern",
                                       "Test pattern and y4m per-frame cost, single thread.",
                                       0.1, NULL);

  wavry_bench_print_header (command);
  g_print ("# single thread, %.1f s per case; µs per frame (and the frame rate one core sustains)\n", seconds);
  g_print ("# render = wavry_test_pattern_render; y4m read/write = from/to memory, header excluded\n");
  g_print ("# %9s  %16s  %18s  %18s\n", "size", "render µs (fps)", "y4m read µs (fps)", "y4m write µs (fps)");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      double render = bench_render (sizes[i][0], sizes[i][1], seconds);
      double read = bench_y4m_read (sizes[i][0], sizes[i][1], seconds);
      double write = bench_y4m_write (sizes[i][0], sizes[i][1], seconds);
      g_autofree char *size = g_strdup_printf ("%u×%u", sizes[i][0], sizes[i][1]);

      g_print ("  %9s  %7.1f (%6.0f)  %8.1f (%7.0f)  %8.1f (%7.0f)\n", size,
               render, 1e6 / render, read, 1e6 / read, write, 1e6 / write);
    }
  return 0;
}
