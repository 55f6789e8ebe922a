/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>

#include "wavry-media-error.h"
#include "wavry-recorder.h"

#define WIDTH    160
#define HEIGHT   96
#define N_FRAMES 30
#define GOP      10
#define FRAME_US 40000   /* 25 fps: whole milliseconds, exact in Matroska's 1/1000 */

typedef struct
{
  const char     *encoder;
  Rift__Codec     codec;
  enum AVCodecID  codec_id;
} Case;

static const Case h264_case = { "libx264", RIFT__CODEC__CODEC_H264, AV_CODEC_ID_H264 };
static const Case hevc_case = { "libx265", RIFT__CODEC__CODEC_HEVC, AV_CODEC_ID_HEVC };

typedef struct
{
  const Case *c;
  GPtrArray *units;   /* GBytes, one H.264 Annex-B access unit per frame */
  gboolean   key[N_FRAMES];
  char      *dir;
} Fixture;

/* 30 frames of a moving gradient through libx264/libx265 (ultrafast,
 * zerolatency, no B-frames, an IDR every 10 frames with the parameter sets
 * in band, as RIFT §6.1). */
static gboolean
encode_stream (Fixture *f)
{
  const AVCodec *codec = avcodec_find_encoder_by_name (f->c->encoder);
  AVCodecContext *ctx;
  AVFrame *frame;
  AVPacket *pkt;
  guint got = 0;

  if (codec == NULL)
    return FALSE;

  ctx = avcodec_alloc_context3 (codec);
  ctx->width = WIDTH;
  ctx->height = HEIGHT;
  ctx->pix_fmt = AV_PIX_FMT_YUV420P;
  ctx->time_base = (AVRational) { 1, 25 };
  ctx->gop_size = GOP;
  ctx->keyint_min = GOP;
  ctx->max_b_frames = 0;
  av_opt_set (ctx->priv_data, "preset", "ultrafast", 0);
  av_opt_set (ctx->priv_data, "tune", "zerolatency", 0);
  if (f->c->codec == RIFT__CODEC__CODEC_H264)
    av_opt_set (ctx->priv_data, "x264-params", "scenecut=0", 0);
  else
    av_opt_set (ctx->priv_data, "x265-params",
                "scenecut=0:repeat-headers=1:log-level=error", 0);
  g_assert_cmpint (avcodec_open2 (ctx, codec, NULL), ==, 0);

  frame = av_frame_alloc ();
  frame->format = AV_PIX_FMT_YUV420P;
  frame->width = WIDTH;
  frame->height = HEIGHT;
  g_assert_cmpint (av_frame_get_buffer (frame, 0), ==, 0);
  pkt = av_packet_alloc ();

  for (guint i = 0; i <= N_FRAMES; i++)
    {
      if (i < N_FRAMES)
        {
          g_assert_cmpint (av_frame_make_writable (frame), ==, 0);
          for (int y = 0; y < HEIGHT; y++)
            for (int x = 0; x < WIDTH; x++)
              frame->data[0][y * frame->linesize[0] + x] = (guint8) (x + y + i * 3);
          for (int y = 0; y < HEIGHT / 2; y++)
            for (int x = 0; x < WIDTH / 2; x++)
              {
                frame->data[1][y * frame->linesize[1] + x] = (guint8) (128 + y + i);
                frame->data[2][y * frame->linesize[2] + x] = (guint8) (64 + x);
              }
          frame->pts = i;
          g_assert_cmpint (avcodec_send_frame (ctx, frame), ==, 0);
        }
      else
        {
          g_assert_cmpint (avcodec_send_frame (ctx, NULL), ==, 0);
        }

      while (avcodec_receive_packet (ctx, pkt) == 0)
        {
          g_assert_cmpint (pkt->pts, ==, got);
          g_ptr_array_add (f->units, g_bytes_new (pkt->data, pkt->size));
          f->key[got] = (pkt->flags & AV_PKT_FLAG_KEY) != 0;
          got++;
          av_packet_unref (pkt);
        }
    }
  g_assert_cmpuint (got, ==, N_FRAMES);

  av_packet_free (&pkt);
  av_frame_free (&frame);
  avcodec_free_context (&ctx);
  return TRUE;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->c = data;
  f->units = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  f->dir = g_dir_make_tmp ("wavry-recorder-XXXXXX", &error);
  g_assert_no_error (error);
  if (!encode_stream (f))
    {
      g_test_skip_printf ("FFmpeg has no %s encoder", f->c->encoder);
      return;
    }
  /* The stream this test relies on: IDR frames every GOP. */
  for (guint i = 0; i < N_FRAMES; i++)
    g_assert_cmpint (f->key[i], ==, i % GOP == 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_ptr_array_unref (f->units);
}

typedef struct
{
  int      n_streams;
  enum AVCodecID codec_id;
  int      width, height;
  int      extradata0;     /* first byte of the extradata, -1 without */
  guint    n_packets;
  gint64   pts_us[N_FRAMES * 2];
  guint    n_decoded;
} ReadBack;

/* Opens @path with libavformat, reads every packet and decodes them. */
static int
read_back (const char *path,
           ReadBack   *rb)
{
  AVFormatContext *fmt = NULL;
  const AVCodec *decoder;
  AVCodecContext *dec;
  AVPacket *pkt;
  AVFrame *frame;
  AVStream *st;
  int err;

  memset (rb, 0, sizeof *rb);
  err = avformat_open_input (&fmt, path, NULL, NULL);
  if (err < 0)
    return err;
  err = avformat_find_stream_info (fmt, NULL);
  if (err < 0)
    {
      avformat_close_input (&fmt);
      return err;
    }

  rb->n_streams = (int) fmt->nb_streams;
  g_assert_cmpint (rb->n_streams, >=, 1);
  st = fmt->streams[0];
  rb->codec_id = st->codecpar->codec_id;
  rb->width = st->codecpar->width;
  rb->height = st->codecpar->height;
  rb->extradata0 = st->codecpar->extradata_size > 0 ? st->codecpar->extradata[0] : -1;

  decoder = avcodec_find_decoder (st->codecpar->codec_id);
  g_assert_nonnull (decoder);
  dec = avcodec_alloc_context3 (decoder);
  g_assert_cmpint (avcodec_parameters_to_context (dec, st->codecpar), ==, 0);
  g_assert_cmpint (avcodec_open2 (dec, decoder, NULL), ==, 0);
  pkt = av_packet_alloc ();
  frame = av_frame_alloc ();

  while (av_read_frame (fmt, pkt) >= 0)
    {
      g_assert_cmpuint (rb->n_packets, <, G_N_ELEMENTS (rb->pts_us));
      rb->pts_us[rb->n_packets++] = av_rescale_q (pkt->pts, st->time_base,
                                                  (AVRational) { 1, 1000000 });
      g_assert_cmpint (avcodec_send_packet (dec, pkt), ==, 0);
      av_packet_unref (pkt);
      while (avcodec_receive_frame (dec, frame) == 0)
        {
          g_assert_cmpint (frame->width, ==, WIDTH);
          rb->n_decoded++;
          av_frame_unref (frame);
        }
    }
  avcodec_send_packet (dec, NULL);
  while (avcodec_receive_frame (dec, frame) == 0)
    {
      rb->n_decoded++;
      av_frame_unref (frame);
    }

  av_frame_free (&frame);
  av_packet_free (&pkt);
  avcodec_free_context (&dec);
  avformat_close_input (&fmt);
  return 0;
}

static void
record (Fixture    *f,
        const char *path,
        guint       first)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryRecorder) rec = wavry_recorder_new (path, f->c->codec,
                                                     WIDTH, HEIGHT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rec);
  for (guint i = first; i < N_FRAMES; i++)
    {
      GBytes *unit = g_ptr_array_index (f->units, i);
      gsize len;
      const guint8 *data = g_bytes_get_data (unit, &len);

      /* A stream that does not start at 0, as a host's encoder clock. */
      g_assert_true (wavry_recorder_write (rec, data, len, 7000000 + (gint64) i * FRAME_US,
                                           f->key[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (wavry_recorder_close (rec, &error));
  g_assert_no_error (error);
  g_assert_true (wavry_recorder_close (rec, &error));   /* again: a no-op */
}

static void
test_containers (Fixture       *f,
                 gconstpointer  data)
{
  const char *names[] = { "out.mkv", "out.mp4", "out.MOV" };

  if (f->units->len == 0)
    return;

  for (guint c = 0; c < G_N_ELEMENTS (names); c++)
    {
      g_autofree char *path = g_build_filename (f->dir, names[c], NULL);
      ReadBack rb;

      g_test_message ("container %s", names[c]);
      record (f, path, 0);
      g_assert_cmpint (read_back (path, &rb), ==, 0);
      g_assert_cmpint (rb.n_streams, ==, 1);
      g_assert_cmpint (rb.codec_id, ==, f->c->codec_id);
      g_assert_cmpint (rb.width, ==, WIDTH);
      g_assert_cmpint (rb.height, ==, HEIGHT);
      /* The muxer turned the Annex-B parameter sets into an avcC/hvcC
       * record (configurationVersion 1). */
      g_assert_cmpint (rb.extradata0, ==, 1);
      g_assert_cmpuint (rb.n_packets, ==, N_FRAMES);
      g_assert_cmpuint (rb.n_decoded, ==, N_FRAMES);
      for (guint i = 0; i < N_FRAMES; i++)
        g_assert_cmpint (rb.pts_us[i], ==, (gint64) i * FRAME_US);
    }
}

static void
test_mpegts (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "out.ts", NULL);
  ReadBack rb;

  if (f->units->len == 0)
    return;

  record (f, path, 0);
  g_assert_cmpint (read_back (path, &rb), ==, 0);
  g_assert_cmpint (rb.n_streams, ==, 1);
  g_assert_cmpint (rb.codec_id, ==, f->c->codec_id);
  g_assert_cmpuint (rb.n_packets, ==, N_FRAMES);
  g_assert_cmpuint (rb.n_decoded, ==, N_FRAMES);
  /* MPEG-TS adds its mux delay; the spacing is what must match. */
  for (guint i = 1; i < N_FRAMES; i++)
    g_assert_cmpint (rb.pts_us[i] - rb.pts_us[i - 1], ==, FRAME_US);
}

static void
test_skip_leading (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "late.mkv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryRecorder) rec = NULL;
  ReadBack rb;

  if (f->units->len == 0)
    return;

  /* Joining mid-stream at frame 5: 5…9 are skipped, the file starts with
   * the IDR of frame 10, at time 0. */
  rec = wavry_recorder_new (path, f->c->codec, WIDTH, HEIGHT, &error);
  g_assert_no_error (error);
  for (guint i = 5; i < N_FRAMES; i++)
    {
      gsize len;
      const guint8 *d = g_bytes_get_data (g_ptr_array_index (f->units, i), &len);

      g_assert_true (wavry_recorder_write (rec, d, len, (gint64) i * FRAME_US, f->key[i], &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (wavry_recorder_get_n_skipped (rec), ==, 5);
  g_assert_cmpuint (wavry_recorder_get_n_written (rec), ==, N_FRAMES - 10);
  g_assert_true (wavry_recorder_close (rec, &error));

  g_assert_cmpint (read_back (path, &rb), ==, 0);
  g_assert_cmpuint (rb.n_packets, ==, N_FRAMES - 10);
  g_assert_cmpuint (rb.n_decoded, ==, N_FRAMES - 10);
  for (guint i = 0; i < rb.n_packets; i++)
    g_assert_cmpint (rb.pts_us[i], ==, (gint64) i * FRAME_US);
}

static void
test_trailer (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "partial.mp4", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryRecorder) rec = NULL;
  ReadBack rb;

  if (f->units->len == 0)
    return;

  rec = wavry_recorder_new (path, f->c->codec, WIDTH, HEIGHT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_FRAMES; i++)
    {
      gsize len;
      const guint8 *d = g_bytes_get_data (g_ptr_array_index (f->units, i), &len);

      g_assert_true (wavry_recorder_write (rec, d, len, (gint64) i * FRAME_US, f->key[i], &error));
    }
  /* Before the trailer an mp4 has no index (moov): not readable. */
  g_assert_cmpint (read_back (path, &rb), <, 0);

  /* A pts that does not increase is refused, and recording goes on. */
  {
    gsize len;
    const guint8 *d = g_bytes_get_data (g_ptr_array_index (f->units, 1), &len);

    g_assert_false (wavry_recorder_write (rec, d, len, (N_FRAMES - 1) * FRAME_US, FALSE, &error));
    g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
    g_clear_error (&error);
    g_assert_false (wavry_recorder_write (rec, d, 0, N_FRAMES * FRAME_US, FALSE, &error));
    g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
    g_clear_error (&error);
    g_assert_cmpuint (wavry_recorder_get_n_skipped (rec), ==, 2);
  }

  g_assert_true (wavry_recorder_close (rec, &error));
  g_assert_no_error (error);
  g_assert_cmpint (read_back (path, &rb), ==, 0);
  g_assert_cmpuint (rb.n_packets, ==, N_FRAMES);

  /* Writing after close is refused. */
  {
    gsize len;
    const guint8 *d = g_bytes_get_data (g_ptr_array_index (f->units, 0), &len);

    g_assert_false (wavry_recorder_write (rec, d, len, N_FRAMES * FRAME_US, TRUE, &error));
    g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO);
  }
}

static void
test_free_closes (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "freed.mp4", NULL);
  g_autoptr(GError) error = NULL;
  WavryRecorder *rec;
  ReadBack rb;

  if (f->units->len == 0)
    return;

  rec = wavry_recorder_new (path, f->c->codec, WIDTH, HEIGHT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_FRAMES; i++)
    {
      gsize len;
      const guint8 *d = g_bytes_get_data (g_ptr_array_index (f->units, i), &len);

      g_assert_true (wavry_recorder_write (rec, d, len, (gint64) i * FRAME_US, f->key[i], &error));
    }
  /* A client that stops without close still leaves a playable file. */
  wavry_recorder_free (rec);
  g_assert_cmpint (read_back (path, &rb), ==, 0);
  g_assert_cmpuint (rb.n_packets, ==, N_FRAMES);
  g_assert_cmpuint (rb.n_decoded, ==, N_FRAMES);
}

static void
test_no_keyframe (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "empty.mkv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryRecorder) rec = NULL;
  gsize len;
  const guint8 *d;

  if (f->units->len == 0)
    return;

  rec = wavry_recorder_new (path, f->c->codec, WIDTH, HEIGHT, &error);
  g_assert_no_error (error);
  d = g_bytes_get_data (g_ptr_array_index (f->units, 1), &len);
  g_assert_true (wavry_recorder_write (rec, d, len, 0, FALSE, &error));
  /* Flagged as a keyframe but without SPS/PPS: cannot start a file. */
  g_assert_true (wavry_recorder_write (rec, d, len, FRAME_US, TRUE, &error));
  g_assert_cmpuint (wavry_recorder_get_n_skipped (rec), ==, 2);

  g_assert_false (wavry_recorder_close (rec, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wavry-recorder-XXXXXX", NULL);
  g_autofree char *avi = g_build_filename (dir, "out.avi", NULL);
  g_autofree char *bare = g_build_filename (dir, "out", NULL);
  g_autofree char *av1 = g_build_filename (dir, "out.mkv", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "dir.mkv", NULL);

  g_assert_null (wavry_recorder_new (avi, RIFT__CODEC__CODEC_H264, 64, 64, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, ".mkv, .mp4, .mov, .ts"));
  g_clear_error (&error);

  g_assert_null (wavry_recorder_new (bare, RIFT__CODEC__CODEC_H264, 64, 64, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  g_assert_null (wavry_recorder_new (av1, RIFT__CODEC__CODEC_AV1, 64, 64, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  g_assert_null (wavry_recorder_new (av1, RIFT__CODEC__CODEC_H264, 0, 64, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  g_assert_null (wavry_recorder_new (missing, RIFT__CODEC__CODEC_H264, 64, 64, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO);
  g_clear_error (&error);

  g_assert_false (g_file_test (avi, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (av1, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

static void
test_parameter_sets (void)
{
  /* SPS, PPS (3-byte start code, trailing zero), IDR, SEI. */
  const guint8 h264[] = {
    0, 0, 0, 1, 0x67, 0xaa, 0xbb,
    0, 0, 1, 0x68, 0xcc, 0x00,
    0, 0, 0, 1, 0x65, 0xdd,
    0, 0, 1, 0x06, 0xee,
  };
  const guint8 h264_ps[] = {
    0, 0, 0, 1, 0x67, 0xaa, 0xbb,
    0, 0, 0, 1, 0x68, 0xcc,
  };
  /* HEVC: VPS (32), SPS (33), PPS (34), IDR_W_RADL (19), a lone 1-byte NAL. */
  const guint8 hevc[] = {
    0, 0, 0, 1, 0x40, 0x01, 0x0c,
    0, 0, 0, 1, 0x42, 0x01, 0x01,
    0, 0, 0, 1, 0x44, 0x01, 0xc1,
    0, 0, 0, 1, 0x26, 0x01, 0xaf,
    0, 0, 1, 0x44,
  };
  const guint8 hevc_ps[] = {
    0, 0, 0, 1, 0x40, 0x01, 0x0c,
    0, 0, 0, 1, 0x42, 0x01, 0x01,
    0, 0, 0, 1, 0x44, 0x01, 0xc1,
  };
  const guint8 idr_only[] = { 0, 0, 1, 0x65, 0x88, 0x84 };
  g_autoptr(GBytes) a = wavry_recorder_extract_parameter_sets (RIFT__CODEC__CODEC_H264, h264, sizeof h264);
  g_autoptr(GBytes) b = wavry_recorder_extract_parameter_sets (RIFT__CODEC__CODEC_HEVC, hevc, sizeof hevc);
  gsize len;
  const guint8 *d;

  g_assert_nonnull (a);
  d = g_bytes_get_data (a, &len);
  g_assert_cmpmem (d, len, h264_ps, sizeof h264_ps);
  g_assert_nonnull (b);
  d = g_bytes_get_data (b, &len);
  g_assert_cmpmem (d, len, hevc_ps, sizeof hevc_ps);

  g_assert_null (wavry_recorder_extract_parameter_sets (RIFT__CODEC__CODEC_H264, idr_only, sizeof idr_only));
  g_assert_null (wavry_recorder_extract_parameter_sets (RIFT__CODEC__CODEC_H264, h264, 3));
  g_assert_null (wavry_recorder_extract_parameter_sets (RIFT__CODEC__CODEC_H264, NULL, 0));
  g_assert_null (wavry_recorder_extract_parameter_sets (RIFT__CODEC__CODEC_AV1, h264, sizeof h264));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  av_log_set_level (g_getenv ("WAVRY_TEST_AVLOG") ? AV_LOG_DEBUG : AV_LOG_FATAL);

  g_test_add_func ("/wavry/media/recorder/refused", test_refused);
  g_test_add_func ("/wavry/media/recorder/parameter-sets", test_parameter_sets);
#define ADD(path, fn) \
  g_test_add ("/wavry/media/recorder/" path, Fixture, &h264_case, fixture_setup, fn, fixture_teardown)
  ADD ("containers", test_containers);
  g_test_add ("/wavry/media/recorder/hevc-containers", Fixture, &hevc_case,
              fixture_setup, test_containers, fixture_teardown);
  ADD ("mpegts", test_mpegts);
  ADD ("skip-leading", test_skip_leading);
  ADD ("trailer", test_trailer);
  ADD ("free-closes", test_free_closes);
  ADD ("no-keyframe", test_no_keyframe);
#undef ADD

  return g_test_run ();
}
