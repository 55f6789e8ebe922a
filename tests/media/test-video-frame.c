/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-video-frame.h"

static void
test_layouts (void)
{
  static const struct {
    WavryPixelFormat format;
    guint planes;
    gsize row0, row1;
    guint rows0, rows1;
  } cases[] = {
    { WAVRY_PIXEL_FORMAT_I420, 3, 1280, 640, 720, 360 },
    { WAVRY_PIXEL_FORMAT_NV12, 2, 1280, 1280, 720, 360 },
    { WAVRY_PIXEL_FORMAT_BGRX, 1, 5120, 0, 720, 0 },
    { WAVRY_PIXEL_FORMAT_RGBX, 1, 5120, 0, 720, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WavryVideoFrame) frame = wavry_video_frame_new (cases[i].format, 1280, 720);

      g_assert_nonnull (frame);
      g_assert_cmpuint (wavry_video_frame_get_n_planes (frame), ==, cases[i].planes);
      g_assert_cmpuint (wavry_video_frame_get_row_bytes (frame, 0), ==, cases[i].row0);
      g_assert_cmpuint (wavry_video_frame_get_rows (frame, 0), ==, cases[i].rows0);
      if (cases[i].planes > 1)
        {
          g_assert_cmpuint (wavry_video_frame_get_row_bytes (frame, 1), ==, cases[i].row1);
          g_assert_cmpuint (wavry_video_frame_get_rows (frame, 1), ==, cases[i].rows1);
        }
      for (guint p = 0; p < cases[i].planes; p++)
        {
          guint8 *data = wavry_video_frame_get_data (frame, p);
          gsize stride = wavry_video_frame_get_stride (frame, p);

          g_assert_cmpuint (GPOINTER_TO_SIZE (data) % 64, ==, 0);
          g_assert_cmpuint (stride % 64, ==, 0);
          g_assert_cmpuint (stride, >=, wavry_video_frame_get_row_bytes (frame, p));
          /* The whole plane is writable (ASan/valgrind would catch overruns). */
          for (guint r = 0; r < wavry_video_frame_get_rows (frame, p); r++)
            data[r * stride + wavry_video_frame_get_row_bytes (frame, p) - 1] = 0xAB;
        }
    }
}

static void
test_invalid (void)
{
  g_assert_null (wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, 0, 10));
  g_assert_null (wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, 11, 10));
  g_assert_null (wavry_video_frame_new (WAVRY_PIXEL_FORMAT_NV12, 10, 11));
  g_assert_null (wavry_video_frame_new (WAVRY_PIXEL_FORMAT_BGRX, 8193, 10));
  {
    /* Packed formats have no parity constraint. */
    g_autoptr(WavryVideoFrame) odd = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_BGRX, 11, 7);

    g_assert_nonnull (odd);
  }
}

static void
test_ref_and_times (void)
{
  WavryVideoFrame *frame = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, 64, 64);

  wavry_video_frame_set_pts (frame, 16666);
  wavry_video_frame_set_capture_time (frame, 123456789);
  g_assert_true (wavry_video_frame_ref (frame) == frame);
  wavry_video_frame_unref (frame);
  g_assert_cmpint (wavry_video_frame_get_pts (frame), ==, 16666);
  g_assert_cmpint (wavry_video_frame_get_capture_time (frame), ==, 123456789);
  g_assert_cmpstr (wavry_pixel_format_to_string (wavry_video_frame_get_format (frame)), ==, "I420");
  g_assert_true (g_type_is_a (WAVRY_TYPE_VIDEO_FRAME, G_TYPE_BOXED));
  wavry_video_frame_unref (frame);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/media/video-frame/layouts", test_layouts);
  g_test_add_func ("/wavry/media/video-frame/invalid", test_invalid);
  g_test_add_func ("/wavry/media/video-frame/ref-and-times", test_ref_and_times);

  return g_test_run ();
}
