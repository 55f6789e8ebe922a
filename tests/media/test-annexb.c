/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-annexb.h"
#include "wavry-media-error.h"

/* SPS, PPS (4-byte start codes), IDR slice (3-byte), trailing zero. */
static const guint8 h264_idr[] = {
  0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e,
  0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80,
  0, 0, 1, 0x65, 0x88, 0x84, 0x00, 0x33,
  0,
};
static const guint8 h264_p[] = { 0, 0, 0, 1, 0x41, 0x9a, 0x02, 0x04 };

static void
test_find_start_code (void)
{
  static const guint8 data[] = { 0xff, 0, 0, 1, 0x65, 0, 0, 0, 1, 0x41, 0, 0 };
  guint sc_len = 0;

  g_assert_cmpuint (wavry_annexb_find_start_code (data, sizeof data, 0, &sc_len), ==, 1);
  g_assert_cmpuint (sc_len, ==, 3);
  g_assert_cmpuint (wavry_annexb_find_start_code (data, sizeof data, 4, &sc_len), ==, 5);
  g_assert_cmpuint (sc_len, ==, 4);
  g_assert_cmpuint (wavry_annexb_find_start_code (data, sizeof data, 9, NULL), ==, sizeof data);
  g_assert_cmpuint (wavry_annexb_find_start_code (data, 2, 0, NULL), ==, 2);
  g_assert_cmpuint (wavry_annexb_find_start_code (data, sizeof data, 100, NULL), ==, sizeof data);
}

static void
test_iterate_h264 (void)
{
  static const guint8 types[] = { 7, 8, 5 };
  static const gsize offsets[] = { 4, 12, 19 };
  static const gsize sizes[] = { 4, 4, 5 };   /* the IDR without the trailing zero byte */
  WavryAnnexbIter iter;
  WavryNalUnit nal;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  wavry_annexb_iter_init (&iter, RIFT__CODEC__CODEC_H264, h264_idr, sizeof h264_idr);
  while (wavry_annexb_iter_next (&iter, &nal, &error))
    {
      g_assert_cmpuint (n, <, 3);
      g_assert_cmpuint (nal.type, ==, types[n]);
      g_assert_cmpuint (nal.offset, ==, offsets[n]);
      g_assert_cmpuint (nal.size, ==, sizes[n]);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
}

static void
test_scan_h264 (void)
{
  WavryAnnexbFlags flags = 0;
  guint n = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (wavry_annexb_scan (RIFT__CODEC__CODEC_H264, h264_idr, sizeof h264_idr, &flags, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmphex (flags, ==, WAVRY_ANNEXB_HAS_SPS | WAVRY_ANNEXB_HAS_PPS | WAVRY_ANNEXB_HAS_IDR |
                   WAVRY_ANNEXB_HAS_IRAP | WAVRY_ANNEXB_HAS_SLICE);
  g_assert_true (wavry_annexb_is_keyframe (RIFT__CODEC__CODEC_H264, h264_idr, sizeof h264_idr));

  g_assert_true (wavry_annexb_scan (RIFT__CODEC__CODEC_H264, h264_p, sizeof h264_p, &flags, &n, &error));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmphex (flags, ==, WAVRY_ANNEXB_HAS_SLICE);
  g_assert_false (wavry_annexb_is_keyframe (RIFT__CODEC__CODEC_H264, h264_p, sizeof h264_p));

  /* An IDR without its parameter sets is not a self-contained keyframe. */
  g_assert_false (wavry_annexb_is_keyframe (RIFT__CODEC__CODEC_H264, h264_idr + 16, sizeof h264_idr - 16));
}

static void
test_scan_hevc (void)
{
  /* VPS, SPS, PPS, IDR_W_RADL; then a CRA alone; then a TRAIL_R slice. */
  static const guint8 idr[] = {
    0, 0, 0, 1, 0x40, 0x01, 0x0c,
    0, 0, 0, 1, 0x42, 0x01, 0x01,
    0, 0, 0, 1, 0x44, 0x01, 0xc1,
    0, 0, 0, 1, 0x26, 0x01, 0xaf,
  };
  static const guint8 cra[] = { 0, 0, 1, 0x2a, 0x01, 0xaf };
  static const guint8 trail[] = { 0, 0, 1, 0x02, 0x01, 0xd0 };
  static const guint8 short_header[] = { 0, 0, 1, 0x02 };
  WavryAnnexbFlags flags = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (wavry_annexb_scan (RIFT__CODEC__CODEC_HEVC, idr, sizeof idr, &flags, NULL, &error));
  g_assert_cmphex (flags, ==, WAVRY_ANNEXB_HAS_VPS | WAVRY_ANNEXB_HAS_SPS | WAVRY_ANNEXB_HAS_PPS |
                   WAVRY_ANNEXB_HAS_IDR | WAVRY_ANNEXB_HAS_IRAP | WAVRY_ANNEXB_HAS_SLICE);
  g_assert_true (wavry_annexb_is_keyframe (RIFT__CODEC__CODEC_HEVC, idr, sizeof idr));
  /* Without the VPS it is not. */
  g_assert_false (wavry_annexb_is_keyframe (RIFT__CODEC__CODEC_HEVC, idr + 7, sizeof idr - 7));

  g_assert_true (wavry_annexb_scan (RIFT__CODEC__CODEC_HEVC, cra, sizeof cra, &flags, NULL, &error));
  g_assert_cmphex (flags, ==, WAVRY_ANNEXB_HAS_IRAP | WAVRY_ANNEXB_HAS_SLICE);
  g_assert_true (wavry_annexb_scan (RIFT__CODEC__CODEC_HEVC, trail, sizeof trail, &flags, NULL, &error));
  g_assert_cmphex (flags, ==, WAVRY_ANNEXB_HAS_SLICE);

  /* Two-byte HEVC header: one byte is too short (it is fine for H.264). */
  g_assert_false (wavry_annexb_scan (RIFT__CODEC__CODEC_HEVC, short_header, sizeof short_header, NULL, NULL, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_true (wavry_annexb_scan (RIFT__CODEC__CODEC_H264, short_header, sizeof short_header, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_malformed (void)
{
  static const struct {
    const char *what;
    guint8 data[12];
    gsize len;
  } cases[] = {
    { "empty", { 0 }, 0 },
    { "zeros only", { 0, 0, 0, 0 }, 4 },
    { "no start code", { 0x65, 0x88, 0x84 }, 3 },
    { "garbage before the start code", { 0x12, 0, 0, 1, 0x65, 0x88 }, 6 },
    { "empty NAL", { 0, 0, 1, 0, 0, 1, 0x65, 0x88 }, 8 },
    { "start code at the end", { 0, 0, 1, 0x65, 0x88, 0, 0, 1 }, 8 },
    { "forbidden_zero_bit", { 0, 0, 1, 0xe5, 0x88 }, 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      WavryAnnexbFlags flags = 0xff;

      g_test_message ("case: %s", cases[i].what);
      g_assert_false (wavry_annexb_scan (RIFT__CODEC__CODEC_H264, cases[i].data, cases[i].len,
                                         &flags, NULL, &error));
      g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
      g_assert_cmphex (flags, ==, 0xff);   /* untouched on failure */
      g_assert_false (wavry_annexb_is_keyframe (RIFT__CODEC__CODEC_H264, cases[i].data, cases[i].len));
    }
}

static void
test_unsupported_codec (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (wavry_annexb_scan (RIFT__CODEC__CODEC_AV1, h264_idr, sizeof h264_idr, NULL, NULL, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/media/annexb/find-start-code", test_find_start_code);
  g_test_add_func ("/wavry/media/annexb/iterate-h264", test_iterate_h264);
  g_test_add_func ("/wavry/media/annexb/scan-h264", test_scan_h264);
  g_test_add_func ("/wavry/media/annexb/scan-hevc", test_scan_hevc);
  g_test_add_func ("/wavry/media/annexb/malformed", test_malformed);
  g_test_add_func ("/wavry/media/annexb/unsupported-codec", test_unsupported_codec);

  return g_test_run ();
}
