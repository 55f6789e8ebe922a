/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <fcntl.h>

#include "wavry-capture.h"
#include "wavry-capture-test-pattern.h"
#include "wavry-capture-y4m.h"
#include "wavry-media-error.h"
#include "wavry-y4m.h"

static gboolean
frames_equal (WavryVideoFrame *a,
              WavryVideoFrame *b)
{
  for (guint p = 0; p < wavry_video_frame_get_n_planes (a); p++)
    for (guint r = 0; r < wavry_video_frame_get_rows (a, p); r++)
      if (memcmp (wavry_video_frame_get_data (a, p) + r * wavry_video_frame_get_stride (a, p),
                  wavry_video_frame_get_data (b, p) + r * wavry_video_frame_get_stride (b, p),
                  wavry_video_frame_get_row_bytes (a, p)) != 0)
        return FALSE;
  return TRUE;
}

static guint8
luma_at (WavryVideoFrame *frame,
         guint            x,
         guint            y)
{
  return wavry_video_frame_get_data (frame, 0)[y * wavry_video_frame_get_stride (frame, 0) + x];
}

static void
test_pattern_render (void)
{
  g_autoptr(WavryVideoFrame) a = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, 320, 180);
  g_autoptr(WavryVideoFrame) b = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, 320, 180);
  guint32 decoded = 0;

  /* Deterministic: the same index gives the same picture, whatever was there before. */
  wavry_test_pattern_render (a, 12345);
  wavry_test_pattern_render (b, 7);
  g_assert_false (frames_equal (a, b));
  wavry_test_pattern_render (b, 12345);
  g_assert_true (frames_equal (a, b));

  /* The first bar is 75% white, the last black (BT.601 limited range). */
  g_assert_cmpuint (luma_at (a, 4, 4), ==, 180);
  g_assert_cmpuint (luma_at (a, 316, 4), ==, 16);

  /* The counter: 32 blocks of 10 pixels on the bottom rows, MSB first. */
  for (guint bit = 0; bit < 32; bit++)
    decoded = (decoded << 1) | (luma_at (a, bit * 10 + 5, 175) > 128);
  g_assert_cmpuint (decoded, ==, 12345);

  /* The box (30 px, white, centred vertically) starts at the left and moves
   * 4 px a frame. */
  wavry_test_pattern_render (a, 0);
  g_assert_cmpuint (luma_at (a, 15, 90), ==, 235);
  g_assert_cmpuint (luma_at (a, 45, 90), !=, 235);
  wavry_test_pattern_render (a, 10);
  g_assert_cmpuint (luma_at (a, 45, 90), ==, 235);
  g_assert_cmpuint (luma_at (a, 15, 90), !=, 235);
  /* …and bounces: frame 2×travel/4 is frame 0 again, the counter aside. */
  wavry_test_pattern_render (b, 2 * (320 - 30) / 4);
  g_assert_cmpuint (luma_at (b, 15, 90), ==, 235);
}

static void
test_pattern_pacing (void)
{
  g_autoptr(GError) error = NULL;
  WavryCaptureOptions options = { 64, 36, 40 };
  g_autoptr(WavryCapture) capture = wavry_capture_new_for_spec ("test-pattern", &options, &error);
  gint64 start, end;
  guint received = 0;
  gint64 last_pts = -1;

  g_assert_no_error (error);
  g_assert_cmpstr (wavry_capture_get_description (capture), ==, "test pattern 64×36@40");
  g_assert_true (wavry_capture_start (capture, &error));

  start = g_get_monotonic_time ();
  end = start + G_USEC_PER_SEC / 2;
  for (;;)
    {
      g_autoptr(WavryVideoFrame) frame = wavry_capture_wait_frame (capture, end, &error);
      g_autoptr(WavryVideoFrame) expected = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, 64, 36);
      guint64 index;

      g_assert_no_error (error);
      if (frame == NULL)
        break;
      received++;
      /* pts = index / 40 s, increasing; the picture is that index's. */
      g_assert_cmpint (wavry_video_frame_get_pts (frame), >, last_pts);
      last_pts = wavry_video_frame_get_pts (frame);
      g_assert_cmpint (last_pts % 25000, ==, 0);
      index = (guint64) last_pts / 25000;
      wavry_test_pattern_render (expected, index);
      g_assert_true (frames_equal (frame, expected));
      g_assert_cmpint (wavry_video_frame_get_capture_time (frame), >=, start - G_USEC_PER_SEC);
    }
  wavry_capture_stop (capture);

  /* ≈ 20 frames in 0.5 s at 40 fps; loose bounds for a loaded machine, but
   * never a burst above the rate. */
  g_test_message ("%u frames in 0.5 s at 40 fps", received);
  g_assert_cmpuint (received, >=, 8);
  g_assert_cmpuint (received, <=, 22);
  g_assert_cmpuint (wavry_capture_get_n_frames (capture), <=, 22);
}

static void
test_newest_frame_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryCapture) capture = wavry_capture_test_pattern_new (32, 32, 200, &error);
  g_autoptr(WavryVideoFrame) last = NULL;
  guint received = 0;
  gint64 previous_pts = -1;

  g_assert_no_error (error);
  g_assert_true (wavry_capture_start (capture, &error));

  /* A consumer much slower than the source: each frame it gets is the newest,
   * the ones in between are dropped and counted, never queued. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(WavryVideoFrame) frame = NULL;

      g_usleep (60000);
      frame = wavry_capture_wait_frame (capture, g_get_monotonic_time () + G_USEC_PER_SEC, &error);
      g_assert_no_error (error);
      g_assert_nonnull (frame);
      received++;
      if (previous_pts >= 0)
        /* 60 ms at 200 fps ≈ 12 frames later, not the next one. */
        g_assert_cmpint (wavry_video_frame_get_pts (frame) - previous_pts, >, 2 * 5000);
      previous_pts = wavry_video_frame_get_pts (frame);
    }
  wavry_capture_stop (capture);

  g_test_message ("%" G_GUINT64_FORMAT " pushed, %" G_GUINT64_FORMAT " dropped, %u received",
                  wavry_capture_get_n_frames (capture), wavry_capture_get_n_dropped (capture), received);
  g_assert_cmpuint (wavry_capture_get_n_dropped (capture), >, 0);
  /* Every pushed frame was either received, dropped, or is the one still waiting. */
  g_assert_cmpuint (wavry_capture_get_n_frames (capture), >=, received + wavry_capture_get_n_dropped (capture));
  g_assert_cmpuint (wavry_capture_get_n_frames (capture), <=, received + wavry_capture_get_n_dropped (capture) + 1);
  last = wavry_capture_get_last_frame (capture);
  g_assert_nonnull (last);
  g_assert_cmpint (wavry_video_frame_get_pts (last), >=, previous_pts);
}

/* Writes @n test-pattern frames of 48×32 as y4m to @out. */
static void
write_pattern_y4m (GOutputStream *out,
                   guint          n,
                   guint          fps)
{
  g_autoptr(WavryY4mWriter) writer = wavry_y4m_writer_new (out, 48, 32, fps, 1);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WavryVideoFrame) frame = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, 48, 32);

      wavry_test_pattern_render (frame, i);
      g_assert_true (wavry_y4m_writer_write (writer, frame, &error));
      g_assert_no_error (error);
    }
}

/* Reads until the end of @capture; checks each frame against the pattern
 * index its pts names; returns the number received. */
static guint
drain_pattern (WavryCapture *capture,
               guint         fps,
               guint         n,
               gint64       *elapsed_us)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  guint received = 0;
  gint64 last_index = -1;

  for (;;)
    {
      g_autoptr(WavryVideoFrame) frame = wavry_capture_wait_frame (capture, g_get_monotonic_time () + 5 * G_USEC_PER_SEC, &error);
      g_autoptr(WavryVideoFrame) expected = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, 48, 32);
      gint64 index;

      if (frame == NULL)
        break;
      index = wavry_video_frame_get_pts (frame) * fps / G_USEC_PER_SEC;
      g_assert_cmpint (index, >, last_index);
      g_assert_cmpint (index, <, n);
      last_index = index;
      wavry_test_pattern_render (expected, (guint64) index);
      g_assert_true (frames_equal (frame, expected));
      received++;
    }
  /* The end of the stream, after the last frame. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpint (last_index, ==, n - 1);
  g_assert_cmpuint (received + wavry_capture_get_n_dropped (capture), ==, n);
  g_assert_cmpuint (wavry_capture_get_n_frames (capture), ==, n);
  if (elapsed_us != NULL)
    *elapsed_us = g_get_monotonic_time () - start;
  return received;
}

static void
test_y4m_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(WavryCapture) capture = NULL;
  g_autofree char *spec = NULL;
  gint64 elapsed;
  int fd;

  fd = g_file_open_tmp ("wavry-test-XXXXXX.y4m", &path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  file = g_file_new_for_path (path);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  write_pattern_y4m (G_OUTPUT_STREAM (out), 10, 50);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL));

  spec = g_strconcat ("y4m:", path, NULL);
  capture = wavry_capture_new_for_spec (spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wavry_capture_get_description (capture), ==, "y4m file 48×32");
  g_assert_true (wavry_capture_start (capture, &error));
  drain_pattern (capture, 50, 10, &elapsed);
  /* A file is played at its F rate: 10 frames at 50 fps take ≈ 180 ms. */
  g_test_message ("10 frames at F50:1 in %" G_GINT64_FORMAT " µs", elapsed);
  g_assert_cmpint (elapsed, >=, 150000);

  g_unlink (path);
}

static void
test_y4m_pipe (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(WavryCapture) capture = NULL;
  gint64 elapsed;
  int fds[2];

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  g_assert_no_error (error);
  /* The header is read on the source's thread: creating it never blocks. */
  capture = wavry_capture_y4m_new_for_fd (fds[0], TRUE, 0, &error);
  g_assert_no_error (error);
  g_assert_true (wavry_capture_start (capture, &error));

  /* 5 × 2.3 KB fits the pipe's buffer; the producer sets the pace (here as
   * fast as possible, at 1 fps in the header: no pacing on a pipe). */
  out = g_unix_output_stream_new (fds[1], TRUE);
  write_pattern_y4m (out, 5, 1);
  g_assert_true (g_output_stream_close (out, NULL, NULL));

  drain_pattern (capture, 1, 5, &elapsed);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);
}

static void
test_y4m_pipe_malformed_and_stop (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(WavryVideoFrame) frame = NULL;
  static const char bad[] = "YUV4MPEG2 W4 H2\nFRAME\n0123456789abFRAMEX\n";
  int fds[2];

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  capture = wavry_capture_y4m_new_for_fd (fds[0], TRUE, 0, &error);
  g_assert_no_error (error);
  g_assert_true (wavry_capture_start (capture, &error));
  g_assert_cmpint (write (fds[1], bad, sizeof bad - 1), ==, sizeof bad - 1);

  frame = wavry_capture_wait_frame (capture, g_get_monotonic_time () + 5 * G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_nonnull (frame);
  g_assert_null (wavry_capture_wait_frame (capture, g_get_monotonic_time () + 5 * G_USEC_PER_SEC, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);
  g_close (fds[1], NULL);

  /* A source blocked on an idle pipe stops promptly. */
  g_clear_object (&capture);
  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  capture = wavry_capture_y4m_new_for_fd (fds[0], TRUE, 0, &error);
  g_assert_true (wavry_capture_start (capture, &error));
  g_usleep (20000);
  wavry_capture_stop (capture);
  g_assert_null (wavry_capture_wait_frame (capture, g_get_monotonic_time () + G_USEC_PER_SEC, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_close (fds[1], NULL);
}

static void
test_spec_refusals (void)
{
  static const struct {
    const char *spec;
    const char *domain;
    gint code;
  } cases[] = {
    { "", "media", WAVRY_MEDIA_ERROR_UNSUPPORTED },
    { "webcam", "media", WAVRY_MEDIA_ERROR_UNSUPPORTED },
    { "test-pattern:foo", "media", WAVRY_MEDIA_ERROR_UNSUPPORTED },
    { "Y4M:/tmp/x", "media", WAVRY_MEDIA_ERROR_UNSUPPORTED },
    { "x11display", "media", WAVRY_MEDIA_ERROR_UNSUPPORTED },
    { "y4m:", "io", G_IO_ERROR_INVALID_ARGUMENT },
    { "x11:", "io", G_IO_ERROR_INVALID_ARGUMENT },
    { "x11:localhost", "io", G_IO_ERROR_INVALID_ARGUMENT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].spec);
      g_assert_null (wavry_capture_new_for_spec (cases[i].spec, NULL, &error));
      if (g_str_equal (cases[i].domain, "media"))
        g_assert_error (error, WAVRY_MEDIA_ERROR, cases[i].code);
      else
        g_assert_error (error, G_IO_ERROR, cases[i].code);
      /* The message lists the valid forms. */
      g_assert_nonnull (strstr (error->message, "test-pattern, y4m:PATH, y4m:-, x11[:DISPLAY]"));
    }

  {
    g_autoptr(GError) error = NULL;
    WavryCaptureOptions odd = { 641, 480, 30 };

    g_assert_null (wavry_capture_new_for_spec ("test-pattern", &odd, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);

    g_assert_null (wavry_capture_new_for_spec ("y4m:/nonexistent/wavry.y4m", NULL, &error));
    g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO);
    g_assert_nonnull (strstr (error->message, "/nonexistent/wavry.y4m"));
  }

  {
    /* A file's header is checked when the source is created. */
    g_autoptr(GError) error = NULL;
    g_autofree char *path = NULL;
    g_autofree char *spec = NULL;
    static const char c444[] = "YUV4MPEG2 W4 H2 C444\n";
    int fd = g_file_open_tmp ("wavry-test-XXXXXX.y4m", &path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (write (fd, c444, sizeof c444 - 1), ==, sizeof c444 - 1);
    g_close (fd, NULL);
    spec = g_strconcat ("y4m:", path, NULL);
    g_assert_null (wavry_capture_new_for_spec (spec, NULL, &error));
    g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
    g_assert_nonnull (strstr (error->message, "C444"));
    g_unlink (path);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/media/capture/test-pattern/render", test_pattern_render);
  g_test_add_func ("/wavry/media/capture/test-pattern/pacing", test_pattern_pacing);
  g_test_add_func ("/wavry/media/capture/newest-frame-only", test_newest_frame_only);
  g_test_add_func ("/wavry/media/capture/y4m/file", test_y4m_file);
  g_test_add_func ("/wavry/media/capture/y4m/pipe", test_y4m_pipe);
  g_test_add_func ("/wavry/media/capture/y4m/pipe-malformed-and-stop", test_y4m_pipe_malformed_and_stop);
  g_test_add_func ("/wavry/media/capture/spec-refusals", test_spec_refusals);

  return g_test_run ();
}
