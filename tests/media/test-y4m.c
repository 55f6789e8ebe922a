/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-media-error.h"
#include "wavry-y4m.h"

/* A frame whose every byte depends on plane, position and @seed. */
static WavryVideoFrame *
make_frame (WavryPixelFormat format,
            guint            width,
            guint            height,
            guint            seed)
{
  WavryVideoFrame *frame = wavry_video_frame_new (format, width, height);

  for (guint p = 0; p < wavry_video_frame_get_n_planes (frame); p++)
    {
      guint8 *data = wavry_video_frame_get_data (frame, p);
      gsize stride = wavry_video_frame_get_stride (frame, p);

      for (guint r = 0; r < wavry_video_frame_get_rows (frame, p); r++)
        for (gsize x = 0; x < wavry_video_frame_get_row_bytes (frame, p); x++)
          data[r * stride + x] = (guint8) (x * 7 + r * 13 + p * 51 + seed * 31);
    }
  return frame;
}

static void
assert_planes_equal (WavryVideoFrame *a,
                     WavryVideoFrame *b)
{
  g_assert_cmpint (wavry_video_frame_get_format (a), ==, wavry_video_frame_get_format (b));
  g_assert_cmpuint (wavry_video_frame_get_width (a), ==, wavry_video_frame_get_width (b));
  g_assert_cmpuint (wavry_video_frame_get_height (a), ==, wavry_video_frame_get_height (b));
  for (guint p = 0; p < wavry_video_frame_get_n_planes (a); p++)
    for (guint r = 0; r < wavry_video_frame_get_rows (a, p); r++)
      g_assert_cmpmem (wavry_video_frame_get_data (a, p) + r * wavry_video_frame_get_stride (a, p),
                       wavry_video_frame_get_row_bytes (a, p),
                       wavry_video_frame_get_data (b, p) + r * wavry_video_frame_get_stride (b, p),
                       wavry_video_frame_get_row_bytes (b, p));
}

static WavryY4mReader *
reader_for_bytes (const void *data,
                  gsize       len,
                  GError    **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (g_memdup2 (data, len), len, g_free);

  return wavry_y4m_reader_new (in, NULL, error);
}

static void
test_round_trip (void)
{
  /* 128: whole-plane reads; 100×50: row by row, odd chroma height. */
  static const guint sizes[][2] = { { 128, 64 }, { 100, 50 }, { 2, 2 } };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      guint w = sizes[s][0], h = sizes[s][1];
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr(WavryY4mWriter) writer = wavry_y4m_writer_new (out, w, h, 30000, 1001);
      g_autoptr(WavryY4mReader) reader = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *expected_header = g_strdup_printf ("YUV4MPEG2 W%u H%u F30000:1001 Ip A1:1 C420jpeg\n", w, h);
      WavryVideoFrame *frames[4];
      gsize frame_size = (gsize) w * h * 3 / 2;

      /* The header is written lazily, with the first frame. */
      g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);

      for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
        {
          frames[i] = make_frame (WAVRY_PIXEL_FORMAT_I420, w, h, i);
          g_assert_true (wavry_y4m_writer_write (writer, frames[i], &error));
          g_assert_no_error (error);
        }
      g_assert_cmpuint (wavry_y4m_writer_get_n_frames (writer), ==, 4);
      g_assert_true (g_output_stream_close (out, NULL, NULL));
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, strlen (expected_header) + 4 * (6 + frame_size));
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), strlen (expected_header),
                       expected_header, strlen (expected_header));

      reader = reader_for_bytes (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (wavry_y4m_reader_get_header (reader)->width, ==, w);
      g_assert_cmpuint (wavry_y4m_reader_get_header (reader)->fps_num, ==, 30000);
      g_assert_cmpuint (wavry_y4m_reader_get_header (reader)->fps_den, ==, 1001);
      g_assert_cmpint (wavry_y4m_reader_get_header (reader)->interlace, ==, 'p');

      for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
        {
          g_autoptr(WavryVideoFrame) got = NULL;

          /* Every other frame read into a reused one. */
          if (i % 2 == 1)
            {
              g_autoptr(WavryVideoFrame) reuse = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, w, h);

              got = wavry_y4m_reader_read_frame (reader, reuse, NULL, &error);
              g_assert_true (got == reuse);
            }
          else
            got = wavry_y4m_reader_read_frame (reader, NULL, NULL, &error);
          g_assert_no_error (error);
          g_assert_nonnull (got);
          assert_planes_equal (got, frames[i]);
          /* pts = i × 1001/30000 s */
          g_assert_cmpint (wavry_video_frame_get_pts (got), ==, (gint64) i * 1001 * 1000000 / 30000);
          wavry_video_frame_unref (frames[i]);
        }
      g_assert_null (wavry_y4m_reader_read_frame (reader, NULL, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
      g_assert_cmpuint (wavry_y4m_reader_get_n_frames (reader), ==, 4);
    }
}

static void
test_writer_nv12 (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(WavryY4mWriter) writer = wavry_y4m_writer_new (out, 0, 0, 25, 1);
  g_autoptr(WavryVideoFrame) nv12 = make_frame (WAVRY_PIXEL_FORMAT_NV12, 70, 20, 3);
  g_autoptr(WavryVideoFrame) got = NULL;
  g_autoptr(WavryY4mReader) reader = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (wavry_y4m_writer_write (writer, nv12, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  reader = reader_for_bytes (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  got = wavry_y4m_reader_read_frame (reader, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wavry_video_frame_get_format (got), ==, WAVRY_PIXEL_FORMAT_I420);

  /* Y identical; U and V are the de-interleaved UV plane. */
  for (guint r = 0; r < 20; r++)
    g_assert_cmpmem (wavry_video_frame_get_data (got, 0) + r * wavry_video_frame_get_stride (got, 0), 70,
                     wavry_video_frame_get_data (nv12, 0) + r * wavry_video_frame_get_stride (nv12, 0), 70);
  for (guint r = 0; r < 10; r++)
    for (guint x = 0; x < 35; x++)
      {
        const guint8 *uv = wavry_video_frame_get_data (nv12, 1) + r * wavry_video_frame_get_stride (nv12, 1);

        g_assert_cmpuint (wavry_video_frame_get_data (got, 1)[r * wavry_video_frame_get_stride (got, 1) + x], ==, uv[2 * x]);
        g_assert_cmpuint (wavry_video_frame_get_data (got, 2)[r * wavry_video_frame_get_stride (got, 2) + x], ==, uv[2 * x + 1]);
      }
}

static void
test_writer_refusals (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(WavryY4mWriter) writer = wavry_y4m_writer_new (out, 64, 32, 60, 1);
  g_autoptr(WavryVideoFrame) wrong_size = make_frame (WAVRY_PIXEL_FORMAT_I420, 64, 34, 0);
  g_autoptr(WavryVideoFrame) bgrx = make_frame (WAVRY_PIXEL_FORMAT_BGRX, 64, 32, 0);
  g_autoptr(WavryVideoFrame) good = make_frame (WAVRY_PIXEL_FORMAT_I420, 64, 32, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (wavry_y4m_writer_write (writer, wrong_size, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (wavry_y4m_writer_write (writer, bgrx, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  /* Nothing was written by the refused frames. */
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);
  g_assert_true (wavry_y4m_writer_write (writer, good, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wavry_y4m_writer_get_n_frames (writer), ==, 1);
}

static void
test_header_accepts (void)
{
  static const struct {
    const char *line;
    guint w, h, fn, fd, an, ad;
    char interlace;
  } cases[] = {
    { "YUV4MPEG2 W320 H240", 320, 240, 0, 0, 0, 0, '?' },
    { "YUV4MPEG2 H240 F25:1 W320 Ip A1:1 C420jpeg", 320, 240, 25, 1, 1, 1, 'p' },
    { "YUV4MPEG2 C420paldv XYSCSS=420PALDV W8192 H8192 It A0:0", 8192, 8192, 0, 0, 0, 0, 't' },
    { "YUV4MPEG2 C420mpeg2 W2 H2 F60000:1001 Ib A128:117", 2, 2, 60000, 1001, 128, 117, 'b' },
    { "YUV4MPEG2 W16 H16 C420 Im Qunknown Zwhatever", 16, 16, 0, 0, 0, 0, 'm' },
    /* Extra spaces between tags are tolerated; a later tag wins. */
    { "YUV4MPEG2  W16   H16 W32 ", 32, 16, 0, 0, 0, 0, '?' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      WavryY4mHeader h;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].line);
      g_assert_true (wavry_y4m_parse_header (cases[i].line, strlen (cases[i].line), &h, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (h.width, ==, cases[i].w);
      g_assert_cmpuint (h.height, ==, cases[i].h);
      g_assert_cmpuint (h.fps_num, ==, cases[i].fn);
      g_assert_cmpuint (h.fps_den, ==, cases[i].fd);
      g_assert_cmpuint (h.par_num, ==, cases[i].an);
      g_assert_cmpuint (h.par_den, ==, cases[i].ad);
      g_assert_cmpint (h.interlace, ==, cases[i].interlace);
      g_assert_cmpuint (wavry_y4m_header_frame_size (&h), ==, (gsize) h.width * h.height * 3 / 2);
    }
}

static void
test_header_refusals (void)
{
  static const struct {
    const char *line;
    gint code;
    const char *mentions;
  } cases[] = {
    { "YUV4MPEG2 W320 H240 C422", WAVRY_MEDIA_ERROR_UNSUPPORTED, "C422" },
    { "YUV4MPEG2 W320 H240 C444", WAVRY_MEDIA_ERROR_UNSUPPORTED, "C444" },
    { "YUV4MPEG2 W320 H240 Cmono", WAVRY_MEDIA_ERROR_UNSUPPORTED, "Cmono" },
    { "YUV4MPEG2 W320 H240 C420p10 XYSCSS=420P10", WAVRY_MEDIA_ERROR_UNSUPPORTED, "C420p10" },
    { "YUV4MPEG2 C444alpha W320 H240", WAVRY_MEDIA_ERROR_UNSUPPORTED, "C444alpha" },
    { "YUV4MPEG2 W321 H240", WAVRY_MEDIA_ERROR_UNSUPPORTED, "W321" },
    { "YUV4MPEG2 W320 H241", WAVRY_MEDIA_ERROR_UNSUPPORTED, "H241" },
    { "YUV4MPEG2 W8194 H240", WAVRY_MEDIA_ERROR_MALFORMED, "W8194" },
    { "YUV4MPEG2 W320 H99999999999", WAVRY_MEDIA_ERROR_MALFORMED, "H99999999999" },
    { "YUV4MPEG2 W0 H240", WAVRY_MEDIA_ERROR_MALFORMED, "W0" },
    { "YUV4MPEG2 W-2 H240", WAVRY_MEDIA_ERROR_MALFORMED, "W-2" },
    { "YUV4MPEG2 Wabc H240", WAVRY_MEDIA_ERROR_MALFORMED, "Wabc" },
    { "YUV4MPEG2 W H240", WAVRY_MEDIA_ERROR_MALFORMED, NULL },
    { "YUV4MPEG2 W320", WAVRY_MEDIA_ERROR_MALFORMED, "H (height)" },
    { "YUV4MPEG2 H240", WAVRY_MEDIA_ERROR_MALFORMED, "W (width)" },
    { "YUV4MPEG2 W320 H240 F30", WAVRY_MEDIA_ERROR_MALFORMED, "F30" },
    { "YUV4MPEG2 W320 H240 F30:0", WAVRY_MEDIA_ERROR_MALFORMED, "F30:0" },
    { "YUV4MPEG2 W320 H240 F0:1", WAVRY_MEDIA_ERROR_MALFORMED, "F0:1" },
    { "YUV4MPEG2 W320 H240 F2000000:1", WAVRY_MEDIA_ERROR_MALFORMED, "F2000000:1" },
    { "YUV4MPEG2 W320 H240 A1:0", WAVRY_MEDIA_ERROR_MALFORMED, "A1:0" },
    { "YUV4MPEG2 W320 H240 Ix", WAVRY_MEDIA_ERROR_MALFORMED, "Ix" },
    { "YUV4MPEG2 W320 H240 Ipp", WAVRY_MEDIA_ERROR_MALFORMED, "Ipp" },
    { "YUV4MPEG W320 H240", WAVRY_MEDIA_ERROR_MALFORMED, "YUV4MPEG2" },
    { "YUV4MPEG2W320 H240", WAVRY_MEDIA_ERROR_MALFORMED, "YUV4MPEG2" },
    { "", WAVRY_MEDIA_ERROR_MALFORMED, NULL },
    { "YUV4MPEG2", WAVRY_MEDIA_ERROR_MALFORMED, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      WavryY4mHeader h = { 0 };
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].line);
      g_assert_false (wavry_y4m_parse_header (cases[i].line, strlen (cases[i].line), &h, &error));
      g_assert_error (error, WAVRY_MEDIA_ERROR, cases[i].code);
      if (cases[i].mentions != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].mentions));
      g_assert_cmpuint (h.width, ==, 0);   /* untouched on failure */
    }
}

static void
test_frame_header (void)
{
  static const char * const good[] = { "FRAME", "FRAME Ip", "FRAME Ib Xsomething=1 ", "FRAME " };
  static const char * const bad[] = { "", "FRAM", "FRAMES", "frame", "XFRAME", "FRAME\tIp" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (wavry_y4m_parse_frame_header (good[i], strlen (good[i]), NULL));
  {
    /* Lines over the reader's limit are refused by the parsers too. */
    g_autofree char *frame_line = g_strnfill (WAVRY_Y4M_MAX_LINE + 1, 'x');
    g_autofree char *header_line = g_strdup_printf ("YUV4MPEG2 W2 H2 X%s", frame_line);
    WavryY4mHeader h;

    memcpy (frame_line, "FRAME ", 6);
    g_assert_true (wavry_y4m_parse_frame_header (frame_line, WAVRY_Y4M_MAX_LINE, NULL));
    g_assert_false (wavry_y4m_parse_frame_header (frame_line, WAVRY_Y4M_MAX_LINE + 1, NULL));
    g_assert_false (wavry_y4m_parse_header (header_line, strlen (header_line), &h, NULL));
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (wavry_y4m_parse_frame_header (bad[i], strlen (bad[i]), &error));
      g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
    }
}

static void
test_reader_refusals (void)
{
  static const char header[] = "YUV4MPEG2 W4 H2 F10:1\n";   /* frames of 12 bytes */
  g_autoptr(GString) long_line = g_string_new ("YUV4MPEG2 W4 H2 X");
  struct {
    const char *data;
    gsize len;
    GQuark domain;
    gint code;
    guint good_frames;
  } cases[] = {
    { "", 0, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED, 0 },
    { "YUV4MPEG2 W4 H2", 15, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED, 0 },   /* no '\n' */
    { "YUV4MPEG2 W4 H2 C444\nFRAME\n", 26, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED, 0 },
    /* One good frame, then a frame cut short. */
    { "YUV4MPEG2 W4 H2 F10:1\nFRAME\n0123456789abFRAME\n0123", 0, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED, 1 },
    /* A FRAME line cut short, or missing. */
    { "YUV4MPEG2 W4 H2 F10:1\nFRAME\n0123456789abFRA", 0, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED, 1 },
    { "YUV4MPEG2 W4 H2 F10:1\nFRAME\n0123456789ab0123456789ab", 0, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED, 1 },
    /* Header only: a clean end of stream. */
    { header, sizeof header - 1, G_IO_ERROR, G_IO_ERROR_CLOSED, 0 },
    /* Two full frames, then the end. */
    { "YUV4MPEG2 W4 H2 F10:1\nFRAME\n0123456789abFRAME Ip\n0123456789ab", 0, G_IO_ERROR, G_IO_ERROR_CLOSED, 2 },
  };

  /* A header line over the limit. */
  while (long_line->len <= WAVRY_Y4M_MAX_LINE)
    g_string_append_c (long_line, 'x');
  g_string_append_c (long_line, '\n');

  for (guint i = 0; i <= G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WavryY4mReader) reader = NULL;
      g_autoptr(GError) error = NULL;
      const char *data = i < G_N_ELEMENTS (cases) ? cases[i].data : long_line->str;
      gsize len = i < G_N_ELEMENTS (cases) ? cases[i].len : long_line->len;
      GQuark domain = i < G_N_ELEMENTS (cases) ? cases[i].domain : WAVRY_MEDIA_ERROR;
      gint code = i < G_N_ELEMENTS (cases) ? cases[i].code : WAVRY_MEDIA_ERROR_MALFORMED;
      guint good_frames = i < G_N_ELEMENTS (cases) ? cases[i].good_frames : 0;

      if (len == 0)
        len = strlen (data);
      reader = reader_for_bytes (data, len, &error);
      if (reader == NULL)
        {
          g_assert_error (error, domain, code);
          g_assert_cmpuint (good_frames, ==, 0);
          continue;
        }
      g_assert_no_error (error);
      for (guint f = 0; f < good_frames; f++)
        {
          g_autoptr(WavryVideoFrame) frame = wavry_y4m_reader_read_frame (reader, NULL, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpmem (wavry_video_frame_get_data (frame, 0), 4, "0123", 4);
          g_assert_cmpint (wavry_video_frame_get_pts (frame), ==, f * 100000);
        }
      g_assert_null (wavry_y4m_reader_read_frame (reader, NULL, NULL, &error));
      g_assert_error (error, domain, code);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/media/y4m/round-trip", test_round_trip);
  g_test_add_func ("/wavry/media/y4m/writer-nv12", test_writer_nv12);
  g_test_add_func ("/wavry/media/y4m/writer-refusals", test_writer_refusals);
  g_test_add_func ("/wavry/media/y4m/header-accepts", test_header_accepts);
  g_test_add_func ("/wavry/media/y4m/header-refusals", test_header_refusals);
  g_test_add_func ("/wavry/media/y4m/frame-header", test_frame_header);
  g_test_add_func ("/wavry/media/y4m/reader-refusals", test_reader_refusals);

  return g_test_run ();
}
