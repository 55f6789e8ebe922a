/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <math.h>
#include <string.h>

#include <libavcodec/avcodec.h>

#include "wavry-annexb.h"
#include "wavry-media-error.h"
#include "wavry-video-decoder.h"
#include "wavry-video-encoder.h"

#define W 320
#define H 240
#define FPS 30

/* Deterministic moving content: smooth waves plus a bright box that moves
 * 6 px per frame, and optional per-frame noise (for the bitrate test). */
static guint8
luma_at (guint x,
         guint y,
         guint t)
{
  double v = 110 + 45 * sin ((x + 3.0 * t) / 17.0) + 35 * cos ((y + 2.0 * t) / 13.0);
  guint bx = (t * 6) % (W - 60), by = 40 + (t * 3) % (H - 100);

  if (x >= bx && x < bx + 48 && y >= by && y < by + 40)
    v = 225;
  return (guint8) CLAMP (v, 16, 235);
}

static guint32
noise (guint32 *state)
{
  *state = *state * 1664525u + 1013904223u;
  return *state >> 24;
}

static WavryVideoFrame *
render_i420 (guint    width,
             guint    height,
             guint    t,
             gboolean noisy)
{
  WavryVideoFrame *frame = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, width, height);
  guint32 seed = t + 1;

  for (guint y = 0; y < height; y++)
    {
      guint8 *row = wavry_video_frame_get_data (frame, 0) + y * wavry_video_frame_get_stride (frame, 0);

      for (guint x = 0; x < width; x++)
        {
          guint v = luma_at (x * W / width, y * H / height, t);

          if (noisy)
            v = CLAMP (v + noise (&seed) % 48, 16, 235);
          row[x] = (guint8) v;
        }
    }
  for (guint p = 1; p < 3; p++)
    for (guint y = 0; y < height / 2; y++)
      {
        guint8 *row = wavry_video_frame_get_data (frame, p) + y * wavry_video_frame_get_stride (frame, p);

        for (guint x = 0; x < width / 2; x++)
          row[x] = (guint8) (128 + (p == 1 ? 30 : -30) * sin ((x + y + t) / 23.0));
      }
  wavry_video_frame_set_pts (frame, (gint64) t * G_USEC_PER_SEC / FPS);
  wavry_video_frame_set_capture_time (frame, 1000000 + t);
  return frame;
}

/* The same picture as render_i420(), chroma interleaved. */
static WavryVideoFrame *
render_nv12 (guint t)
{
  g_autoptr(WavryVideoFrame) i420 = render_i420 (W, H, t, FALSE);
  WavryVideoFrame *frame = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_NV12, W, H);

  for (guint y = 0; y < H; y++)
    memcpy (wavry_video_frame_get_data (frame, 0) + y * wavry_video_frame_get_stride (frame, 0),
            wavry_video_frame_get_data (i420, 0) + y * wavry_video_frame_get_stride (i420, 0), W);
  for (guint y = 0; y < H / 2; y++)
    {
      guint8 *uv = wavry_video_frame_get_data (frame, 1) + y * wavry_video_frame_get_stride (frame, 1);

      for (guint x = 0; x < W / 2; x++)
        {
          uv[2 * x] = wavry_video_frame_get_data (i420, 1)[y * wavry_video_frame_get_stride (i420, 1) + x];
          uv[2 * x + 1] = wavry_video_frame_get_data (i420, 2)[y * wavry_video_frame_get_stride (i420, 2) + x];
        }
    }
  wavry_video_frame_set_pts (frame, wavry_video_frame_get_pts (i420));
  return frame;
}

/* Colourful RGB content, so that swapping R and B changes the luma: the
 * channels move differently, plus a red box. */
static void
rgb_at (guint   x,
        guint   y,
        guint   t,
        guint8 *rgb)
{
  guint bx = (t * 6) % (W - 60), by = 40 + (t * 3) % (H - 100);

  if (x >= bx && x < bx + 48 && y >= by && y < by + 40)
    {
      rgb[0] = 240, rgb[1] = 40, rgb[2] = 40;
      return;
    }
  rgb[0] = (guint8) (128 + 100 * sin ((x + 3.0 * t) / 17.0));
  rgb[1] = (guint8) (128 + 90 * cos ((y + 2.0 * t) / 13.0));
  rgb[2] = (guint8) (128 + 120 * sin ((x + y) / 9.0));
}

static WavryVideoFrame *
render_rgb (guint            t,
            WavryPixelFormat format)
{
  WavryVideoFrame *frame = wavry_video_frame_new (format, W, H);
  gboolean bgr = format == WAVRY_PIXEL_FORMAT_BGRX;

  for (guint y = 0; y < H; y++)
    {
      guint8 *row = wavry_video_frame_get_data (frame, 0) + y * wavry_video_frame_get_stride (frame, 0);

      for (guint x = 0; x < W; x++)
        {
          guint8 rgb[3];

          rgb_at (x, y, t, rgb);
          row[4 * x + 0] = bgr ? rgb[2] : rgb[0];
          row[4 * x + 1] = rgb[1];
          row[4 * x + 2] = bgr ? rgb[0] : rgb[2];
          row[4 * x + 3] = 0xff;
        }
    }
  wavry_video_frame_set_pts (frame, (gint64) t * G_USEC_PER_SEC / FPS);
  return frame;
}

/* BT.709 limited-range luma of rgb_at(), what the encoder's conversion
 * should produce (the VUI says BT.709). */
static guint8 *
reference_luma_rgb (guint t)
{
  guint8 *ref = g_malloc ((gsize) W * H);

  for (guint y = 0; y < H; y++)
    for (guint x = 0; x < W; x++)
      {
        guint8 rgb[3];

        rgb_at (x, y, t, rgb);
        ref[y * W + x] = (guint8) lround (16 + 219.0 * (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255.0);
      }
  return ref;
}

/* PSNR of the Y plane of @decoded against @reference (W×H luma, tight). */
static double
psnr_y (WavryVideoFrame *decoded,
        const guint8    *reference,
        guint            width,
        guint            height)
{
  double sse = 0;

  g_assert_cmpuint (wavry_video_frame_get_format (decoded), ==, WAVRY_PIXEL_FORMAT_I420);
  g_assert_cmpuint (wavry_video_frame_get_width (decoded), ==, width);
  g_assert_cmpuint (wavry_video_frame_get_height (decoded), ==, height);
  for (guint y = 0; y < height; y++)
    {
      const guint8 *row = wavry_video_frame_get_data (decoded, 0) + y * wavry_video_frame_get_stride (decoded, 0);

      for (guint x = 0; x < width; x++)
        {
          double d = (double) row[x] - reference[y * width + x];
          sse += d * d;
        }
    }
  if (sse == 0)
    return 99.0;
  return 10.0 * log10 (255.0 * 255.0 * width * height / sse);
}

static guint8 *
reference_luma (guint t)
{
  guint8 *ref = g_malloc ((gsize) W * H);

  for (guint y = 0; y < H; y++)
    for (guint x = 0; x < W; x++)
      ref[y * W + x] = luma_at (x, y, t);
  return ref;
}

/* 2×2 box average of a 2W×2H rendering: what a 2:1 downscale should give. */
static guint8 *
reference_luma_downscaled (guint t)
{
  g_autoptr(WavryVideoFrame) big = render_i420 (2 * W, 2 * H, t, FALSE);
  guint8 *ref = g_malloc ((gsize) W * H);
  const guint8 *src = wavry_video_frame_get_data (big, 0);
  gsize stride = wavry_video_frame_get_stride (big, 0);

  for (guint y = 0; y < H; y++)
    for (guint x = 0; x < W; x++)
      ref[y * W + x] = (src[2 * y * stride + 2 * x] + src[2 * y * stride + 2 * x + 1] +
                        src[(2 * y + 1) * stride + 2 * x] + src[(2 * y + 1) * stride + 2 * x + 1] + 2) / 4;
  return ref;
}

static WavryVideoEncoder *
new_encoder (const char *name,
             Rift__Codec codec,
             guint       kbps)
{
  WavryVideoEncoderConfig config = {
    .codec = codec, .width = W, .height = H, .fps = FPS, .bitrate_kbps = kbps,
  };
  g_autoptr(GError) error = NULL;
  WavryVideoEncoder *encoder = wavry_video_encoder_new (name, &config, &error);

  g_assert_no_error (error);
  g_assert_nonnull (encoder);
  return encoder;
}

typedef enum
{
  INPUT_I420,
  INPUT_BGRX,
  INPUT_I420_SCALED,
  INPUT_NV12,
  INPUT_RGBX,
} Input;

static void
roundtrip (const char *name,
           Rift__Codec codec,
           Input       input,
           guint       n_frames)
{
  g_autoptr(WavryVideoEncoder) encoder = new_encoder (name, codec, 2000);
  g_autoptr(WavryVideoDecoder) decoder = NULL;
  g_autoptr(GError) error = NULL;
  double worst = 99;

  decoder = wavry_video_decoder_new (codec, FALSE, &error);
  g_assert_no_error (error);

  for (guint t = 0; t < n_frames; t++)
    {
      g_autoptr(WavryVideoFrame) frame = NULL;
      g_autoptr(WavryEncodedFrame) encoded = NULL;
      g_autoptr(WavryVideoFrame) decoded = NULL;
      g_autofree guint8 *ref = NULL;
      WavryAnnexbFlags flags = 0;
      const guint8 *data;
      gsize len;
      double psnr;

      if (input == INPUT_BGRX || input == INPUT_RGBX)
        frame = render_rgb (t, input == INPUT_BGRX ? WAVRY_PIXEL_FORMAT_BGRX : WAVRY_PIXEL_FORMAT_RGBX);
      else if (input == INPUT_NV12)
        frame = render_nv12 (t);
      else if (input == INPUT_I420_SCALED)
        frame = render_i420 (2 * W, 2 * H, t, FALSE);
      else
        frame = render_i420 (W, H, t, FALSE);

      /* One access unit out for every frame in, for this frame. */
      encoded = wavry_video_encoder_encode (encoder, frame, FALSE, &error);
      g_assert_no_error (error);
      g_assert_nonnull (encoded);
      g_assert_cmpint (encoded->pts_us, ==, wavry_video_frame_get_pts (frame));
      g_assert_cmpint (encoded->capture_time_us, ==, wavry_video_frame_get_capture_time (frame));
      g_assert_cmpint (encoded->encode_us, >=, 0);
      data = g_bytes_get_data (encoded->data, &len);
      g_assert_true (wavry_annexb_scan (codec, data, len, &flags, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (flags & WAVRY_ANNEXB_HAS_SLICE);

      /* RIFT §6.1: the first frame is an IDR with its parameter sets;
       * after that intra refresh, not periodic IDRs. */
      g_assert_cmpint (encoded->keyframe, ==, t == 0);
      if (t == 0)
        {
          g_assert_true (flags & WAVRY_ANNEXB_HAS_SPS);
          g_assert_true (flags & WAVRY_ANNEXB_HAS_PPS);
          g_assert_true (flags & WAVRY_ANNEXB_HAS_IDR);
          g_assert_true (wavry_annexb_is_keyframe (codec, data, len));
        }
      else
        g_assert_false (flags & WAVRY_ANNEXB_HAS_IDR);

      /* No B-frames: the decoder outputs this very frame now. */
      decoded = wavry_video_decoder_decode (decoder, data, len, encoded->pts_us, &error);
      g_assert_no_error (error);
      g_assert_nonnull (decoded);
      g_assert_cmpint (wavry_video_frame_get_pts (decoded), ==, encoded->pts_us);

      if (input == INPUT_I420_SCALED)
        ref = reference_luma_downscaled (t);
      else if (input == INPUT_BGRX || input == INPUT_RGBX)
        ref = reference_luma_rgb (t);
      else
        ref = reference_luma (t);
      psnr = psnr_y (decoded, ref, W, H);
      worst = MIN (worst, psnr);
      g_assert_cmpfloat (psnr, >=, 30.0);
    }
  g_test_message ("%s: worst Y PSNR %.1f dB over %u frames", wavry_video_encoder_get_name (encoder),
                  worst, n_frames);
  g_assert_cmpuint (wavry_video_decoder_get_n_rejected (decoder), ==, 0);
}

static void
test_h264_i420 (void)
{
  roundtrip ("x264", RIFT__CODEC__CODEC_H264, INPUT_I420, 30);
}

static void
test_h264_bgrx (void)
{
  roundtrip ("x264", RIFT__CODEC__CODEC_H264, INPUT_BGRX, 20);
}

static void
test_h264_rgbx (void)
{
  roundtrip ("x264", RIFT__CODEC__CODEC_H264, INPUT_RGBX, 10);
}

static void
test_h264_nv12 (void)
{
  roundtrip ("x264", RIFT__CODEC__CODEC_H264, INPUT_NV12, 10);
}

static void
test_h264_scaled (void)
{
  roundtrip ("x264", RIFT__CODEC__CODEC_H264, INPUT_I420_SCALED, 20);
}

static void
test_hevc (void)
{
  if (avcodec_find_encoder_by_name ("libx265") == NULL)
    {
      g_test_skip ("this libavcodec has no libx265");
      return;
    }
  roundtrip ("x265", RIFT__CODEC__CODEC_HEVC, INPUT_I420, 10);
}

static WavryEncodedFrame *encode_t (WavryVideoEncoder *encoder, guint t, gboolean noisy, gboolean force_keyframe);

static void
test_hevc_bitrate_reopen (void)
{
  g_autoptr(WavryVideoEncoder) encoder = NULL;
  g_autoptr(WavryEncodedFrame) first = NULL, second = NULL, third = NULL;

  if (avcodec_find_encoder_by_name ("libx265") == NULL)
    {
      g_test_skip ("this libavcodec has no libx265");
      return;
    }
  encoder = new_encoder ("x265", RIFT__CODEC__CODEC_HEVC, 1000);
  first = encode_t (encoder, 0, FALSE, FALSE);
  second = encode_t (encoder, 1, FALSE, FALSE);
  g_assert_true (first->keyframe);
  g_assert_false (second->keyframe);
  /* libx265 cannot change its rate in place: reopened, so a keyframe. */
  wavry_video_encoder_set_bitrate (encoder, 3000);
  third = encode_t (encoder, 2, FALSE, FALSE);
  g_assert_true (third->keyframe);
  g_assert_true (wavry_annexb_is_keyframe (RIFT__CODEC__CODEC_HEVC, g_bytes_get_data (third->data, NULL),
                                           g_bytes_get_size (third->data)));
}

static WavryEncodedFrame *
encode_t (WavryVideoEncoder *encoder,
          guint              t,
          gboolean           noisy,
          gboolean           force_keyframe)
{
  g_autoptr(WavryVideoFrame) frame = render_i420 (W, H, t, noisy);
  g_autoptr(GError) error = NULL;
  WavryEncodedFrame *encoded = wavry_video_encoder_encode (encoder, frame, force_keyframe, &error);

  g_assert_no_error (error);
  g_assert_nonnull (encoded);
  return encoded;
}

static void
test_force_keyframe (void)
{
  g_autoptr(WavryVideoEncoder) encoder = new_encoder ("x264", RIFT__CODEC__CODEC_H264, 2000);
  g_autoptr(WavryVideoDecoder) late = NULL;
  g_autoptr(GError) error = NULL;

  late = wavry_video_decoder_new (RIFT__CODEC__CODEC_H264, FALSE, &error);
  g_assert_no_error (error);

  for (guint t = 0; t < 12; t++)
    {
      gboolean force = t == 6;
      g_autoptr(WavryEncodedFrame) encoded = encode_t (encoder, t, FALSE, force);
      gsize len;
      const guint8 *data = g_bytes_get_data (encoded->data, &len);
      g_autoptr(WavryVideoFrame) decoded = NULL;

      g_assert_cmpint (encoded->keyframe, ==, t == 0 || force);
      g_assert_cmpint (wavry_annexb_is_keyframe (RIFT__CODEC__CODEC_H264, data, len), ==, t == 0 || force);

      /* A decoder joining after the first IDR refuses P-frames, then
       * decodes from the forced keyframe on. */
      if (t == 0)
        continue;
      decoded = wavry_video_decoder_decode (late, data, len, encoded->pts_us, t < 6 ? NULL : &error);
      g_assert_no_error (error);
      g_assert_true ((decoded != NULL) == (t >= 6));
      if (decoded != NULL)
        {
          g_autofree guint8 *ref = reference_luma (t);

          g_assert_cmpfloat (psnr_y (decoded, ref, W, H), >=, 30.0);
        }
    }
  g_assert_cmpuint (wavry_video_decoder_get_n_rejected (late), ==, 5);
}

static void
test_bitrate_change (void)
{
  g_autoptr(WavryVideoEncoder) encoder = new_encoder ("x264", RIFT__CODEC__CODEC_H264, 500);
  gsize low = 0, high = 0;

  /* Frame 0 (the IDR) is left out of the averages. */
  for (guint t = 0; t < 31; t++)
    {
      g_autoptr(WavryEncodedFrame) encoded = encode_t (encoder, t, TRUE, FALSE);

      if (t > 0)
        low += g_bytes_get_size (encoded->data);
    }
  wavry_video_encoder_set_bitrate (encoder, 4000);
  g_assert_cmpuint (wavry_video_encoder_get_config (encoder)->bitrate_kbps, ==, 4000);
  for (guint t = 31; t < 61; t++)
    {
      g_autoptr(WavryEncodedFrame) encoded = encode_t (encoder, t, TRUE, FALSE);

      /* libx264 reconfigures rate control in place: no new IDR. */
      g_assert_false (encoded->keyframe);
      high += g_bytes_get_size (encoded->data);
    }
  low /= 30;
  high /= 30;
  g_test_message ("average frame: %" G_GSIZE_FORMAT " B at 500 kbit/s, %" G_GSIZE_FORMAT " B at 4000 kbit/s",
                  low, high);
  /* 500 kbit/s at 30 fps is ~2083 B a frame; allow the VBV its slack. */
  g_assert_cmpuint (low, <=, 2083 * 3 / 2);
  g_assert_cmpuint (low * 3, <, high);
}

static void
test_fps_change (void)
{
  g_autoptr(WavryVideoEncoder) encoder = new_encoder ("x264", RIFT__CODEC__CODEC_H264, 2000);
  g_autoptr(WavryEncodedFrame) first = encode_t (encoder, 0, FALSE, FALSE);
  g_autoptr(WavryEncodedFrame) second = encode_t (encoder, 1, FALSE, FALSE);
  g_autoptr(WavryEncodedFrame) third = NULL;

  g_assert_true (first->keyframe);
  g_assert_false (second->keyframe);
  /* A new frame rate reopens the encoder: the next frame is a keyframe. */
  wavry_video_encoder_set_fps (encoder, 60);
  third = encode_t (encoder, 2, FALSE, FALSE);
  g_assert_true (third->keyframe);
  g_assert_true (wavry_annexb_is_keyframe (RIFT__CODEC__CODEC_H264, g_bytes_get_data (third->data, NULL),
                                           g_bytes_get_size (third->data)));
}

static void
assert_refused (WavryVideoDecoder *decoder,
                const guint8      *data,
                gsize              len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryVideoFrame) decoded = wavry_video_decoder_decode (decoder, data, len, 0, &error);

  g_assert_null (decoded);
  g_assert_nonnull (error);
  g_assert_true (error->domain == WAVRY_MEDIA_ERROR);
  g_test_message ("refused: %s", error->message);
}

/* A decoder that has decoded frames[0 .. n-1]. */
static WavryVideoDecoder *
decoder_after (WavryEncodedFrame **frames,
               guint               n)
{
  g_autoptr(GError) error = NULL;
  WavryVideoDecoder *decoder = wavry_video_decoder_new (RIFT__CODEC__CODEC_H264, FALSE, &error);

  g_assert_no_error (error);
  for (guint t = 0; t < n; t++)
    {
      g_autoptr(WavryVideoFrame) decoded = wavry_video_decoder_decode (
          decoder, g_bytes_get_data (frames[t]->data, NULL), g_bytes_get_size (frames[t]->data), 0, &error);

      g_assert_no_error (error);
      g_assert_nonnull (decoded);
    }
  return decoder;
}

static void
test_corrupt (void)
{
  g_autoptr(WavryVideoEncoder) encoder = new_encoder ("x264", RIFT__CODEC__CODEC_H264, 2000);
  WavryEncodedFrame *frames[8];
  gsize len;
  const guint8 *data;

  for (guint t = 0; t < G_N_ELEMENTS (frames); t++)
    frames[t] = encode_t (encoder, t, FALSE, t == 5);

  /* Each case on a decoder that is in a good state, so that it is the
   * decoder's own checks, not the wait for a keyframe, that refuse it. */
  data = g_bytes_get_data (frames[2]->data, &len);
  for (guint c = 0; c < 3; c++)
    {
      g_autoptr(WavryVideoDecoder) decoder = decoder_after (frames, 2);
      g_autofree guint8 *bad = g_memdup2 (data, len);
      gsize bad_len = len;

      if (c == 0)
        bad_len = len / 2;                  /* truncated P-frame */
      else if (c == 1)
        bad_len = len - 3;                  /* a few bytes short */
      else
        for (gsize i = 8; i < len; i++)     /* slice data scrambled */
          bad[i] ^= (guint8) (i * 37 + 11);
      g_test_message ("case %u: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes", c, bad_len, len);
      assert_refused (decoder, bad, bad_len);
      g_assert_cmpuint (wavry_video_decoder_get_n_rejected (decoder), ==, 1);
    }

  /* A truncated keyframe on a fresh decoder. */
  {
    g_autoptr(WavryVideoDecoder) decoder = decoder_after (frames, 0);

    data = g_bytes_get_data (frames[0]->data, &len);
    assert_refused (decoder, data, len * 2 / 3);
  }

  {
    g_autoptr(WavryVideoDecoder) decoder = decoder_after (frames, 2);
    static const guint8 junk[] = { 0xde, 0xad, 0xbe, 0xef, 0, 0, 1, 0x41 };
    guint64 rejected = 0;

    /* Not even Annex-B. */
    assert_refused (decoder, junk, sizeof junk);
    g_assert_cmpuint (wavry_video_decoder_get_n_rejected (decoder), ==, ++rejected);

    /* After a flush, P-frames refer to pictures the decoder dropped. */
    wavry_video_decoder_flush (decoder);
    for (guint t = 3; t < 5; t++)
      {
        assert_refused (decoder, g_bytes_get_data (frames[t]->data, NULL), g_bytes_get_size (frames[t]->data));
        g_assert_cmpuint (wavry_video_decoder_get_n_rejected (decoder), ==, ++rejected);
      }

    /* The keyframe recovers. */
    for (guint t = 5; t < G_N_ELEMENTS (frames); t++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(WavryVideoFrame) decoded = wavry_video_decoder_decode (
            decoder, g_bytes_get_data (frames[t]->data, NULL), g_bytes_get_size (frames[t]->data), 0, &error);
        g_autofree guint8 *ref = reference_luma (t);

        g_assert_no_error (error);
        g_assert_nonnull (decoded);
        g_assert_cmpfloat (psnr_y (decoded, ref, W, H), >=, 30.0);
      }
    g_assert_cmpuint (wavry_video_decoder_get_n_rejected (decoder), ==, rejected);
  }

  for (guint t = 0; t < G_N_ELEMENTS (frames); t++)
    wavry_encoded_frame_free (frames[t]);
}

static void
test_probe (void)
{
  Rift__Codec codecs[3];
  gsize n = wavry_video_encoder_probe_codecs (NULL, codecs);
  gboolean h264 = FALSE;

  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (n, <=, 3);
  for (gsize i = 0; i < n; i++)
    h264 |= codecs[i] == RIFT__CODEC__CODEC_H264;
  g_assert_true (h264);
  /* Best first: H264 is the least preferred, so it is last. */
  g_assert_cmpint (codecs[n - 1], ==, RIFT__CODEC__CODEC_H264);

  g_assert_cmpuint (wavry_video_encoder_probe_codecs ("x264", codecs), ==, 1);
  g_assert_cmpint (codecs[0], ==, RIFT__CODEC__CODEC_H264);
  if (avcodec_find_encoder_by_name ("libx265") != NULL)
    {
      g_assert_cmpuint (wavry_video_encoder_probe_codecs ("x265", codecs), ==, 1);
      g_assert_cmpint (codecs[0], ==, RIFT__CODEC__CODEC_HEVC);
    }
  if (!g_file_test ("/dev/dri/renderD128", G_FILE_TEST_EXISTS))
    g_assert_cmpuint (wavry_video_encoder_probe_codecs ("vaapi", codecs), ==, 0);
}

static void
test_decoder_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryVideoDecoder) decoder = NULL;

  decoder = wavry_video_decoder_new ((Rift__Codec) 7, FALSE, &error);
  g_assert_null (decoder);
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  decoder = wavry_video_decoder_new (RIFT__CODEC__CODEC_H264, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wavry_video_decoder_get_name (decoder), ==, "h264");
  g_assert_cmpuint (wavry_video_decoder_get_n_rejected (decoder), ==, 0);
  g_clear_pointer (&decoder, wavry_video_decoder_free);

  /* Hardware asked for where there is none: software, silently. */
  if (g_file_test ("/dev/dri/renderD128", G_FILE_TEST_EXISTS))
    return;
  decoder = wavry_video_decoder_new (RIFT__CODEC__CODEC_HEVC, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wavry_video_decoder_get_name (decoder), ==, "hevc");
}

/* DMA-BUF output asked for: software pictures still come out as I420 in
 * memory (the consumers that read pixels never see a DMA-BUF unless VA-API
 * decodes); where VA-API decodes, the pictures are NV12 DMA-BUFs, R8 + GR88. */
static void
test_dmabuf_output (void)
{
  g_autoptr(WavryVideoEncoder) encoder = new_encoder ("x264", RIFT__CODEC__CODEC_H264, 2000);
  g_autoptr(GError) error = NULL;

  for (guint hw = 0; hw < 2; hw++)
    {
      g_autoptr(WavryVideoDecoder) decoder = wavry_video_decoder_new (RIFT__CODEC__CODEC_H264, hw, &error);
      gboolean vaapi;

      g_assert_no_error (error);
      g_assert_false (wavry_video_decoder_get_dmabuf_output (decoder));
      wavry_video_decoder_set_dmabuf_output (decoder, TRUE);
      g_assert_true (wavry_video_decoder_get_dmabuf_output (decoder));
      vaapi = g_str_has_suffix (wavry_video_decoder_get_name (decoder), "(VA-API)");
      if (hw)
        g_test_message ("decoder with hw: %s", wavry_video_decoder_get_name (decoder));

      for (guint t = 0; t < 3; t++)
        {
          g_autoptr(WavryEncodedFrame) encoded = encode_t (encoder, t, FALSE, t == 0);
          gsize len;
          const guint8 *data = g_bytes_get_data (encoded->data, &len);
          g_autoptr(WavryVideoFrame) decoded = NULL;

          decoded = wavry_video_decoder_decode (decoder, data, len, encoded->pts_us, &error);
          g_assert_no_error (error);
          g_assert_nonnull (decoded);
          g_assert_cmpint (wavry_video_frame_get_pts (decoded), ==, encoded->pts_us);
          if (wavry_video_frame_is_dmabuf (decoded))
            {
              guint n = 0;
              const WavryDmabufPlane *planes = wavry_video_frame_get_dmabuf_planes (decoded, &n);

              g_assert_true (vaapi);
              g_assert_cmpuint (n, ==, 2);
              g_assert_cmpuint (planes[0].fourcc, ==, WAVRY_DRM_FORMAT_R8);
              g_assert_cmpuint (planes[1].fourcc, ==, WAVRY_DRM_FORMAT_GR88);
              g_assert_cmpint (planes[0].fd, >=, 0);
              g_assert_cmpuint (wavry_video_frame_get_n_planes (decoded), ==, 0);
            }
          else
            {
              g_autofree guint8 *ref = reference_luma (t);

              g_assert_cmpint (wavry_video_frame_get_format (decoded), ==, WAVRY_PIXEL_FORMAT_I420);
              g_assert_cmpfloat (psnr_y (decoded, ref, W, H), >=, 30.0);
            }
        }
    }
}

static gboolean
have_render_node (void)
{
  return g_file_test ("/dev/dri/renderD128", G_FILE_TEST_EXISTS);
}

static void
test_vaapi_refused (void)
{
  WavryVideoEncoderConfig config = {
    .codec = RIFT__CODEC__CODEC_H264, .width = W, .height = H, .fps = FPS, .bitrate_kbps = 1000,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryVideoEncoder) encoder = NULL;

  if (have_render_node ())
    {
      g_test_skip ("this machine has a DRM render node");
      return;
    }
  encoder = wavry_video_encoder_new ("vaapi", &config, &error);
  g_assert_null (encoder);
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==, "VA-API: no render node in /dev/dri");
}

static void
test_auto_fallback (void)
{
  g_autoptr(WavryVideoEncoder) encoder = NULL;
  const char *reason;

  if (have_render_node () || g_file_test ("/dev/nvidiactl", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("this machine may have a hardware encoder");
      return;
    }
  encoder = new_encoder (NULL, RIFT__CODEC__CODEC_H264, 1000);
  g_assert_cmpstr (wavry_video_encoder_get_name (encoder), ==, "libx264");
  reason = wavry_video_encoder_get_fallback_reason (encoder);
  g_assert_nonnull (reason);
  g_test_message ("fallback reason: %s", reason);
  g_assert_nonnull (strstr (reason, "VA-API: no render node in /dev/dri"));
  g_assert_nonnull (strstr (reason, "NVENC: no NVIDIA driver"));

  /* A named encoder has no fallback. */
  g_clear_pointer (&encoder, wavry_video_encoder_free);
  encoder = new_encoder ("x264", RIFT__CODEC__CODEC_H264, 1000);
  g_assert_null (wavry_video_encoder_get_fallback_reason (encoder));
}

static void
test_bad_config (void)
{
  static const struct {
    const char *name;
    WavryVideoEncoderConfig config;
    WavryMediaError code;
  } cases[] = {
    { "x264", { RIFT__CODEC__CODEC_H264, 0, H, FPS, 1000, 0, 0 }, WAVRY_MEDIA_ERROR_UNSUPPORTED },
    { "x264", { RIFT__CODEC__CODEC_H264, 321, H, FPS, 1000, 0, 0 }, WAVRY_MEDIA_ERROR_UNSUPPORTED },
    { "x264", { RIFT__CODEC__CODEC_H264, W, H, 0, 1000, 0, 0 }, WAVRY_MEDIA_ERROR_UNSUPPORTED },
    { "x264", { RIFT__CODEC__CODEC_H264, W, H, FPS, 0, 0, 0 }, WAVRY_MEDIA_ERROR_UNSUPPORTED },
    { "x264", { RIFT__CODEC__CODEC_HEVC, W, H, FPS, 1000, 0, 0 }, WAVRY_MEDIA_ERROR_UNSUPPORTED },
    { "x265", { RIFT__CODEC__CODEC_H264, W, H, FPS, 1000, 0, 0 }, WAVRY_MEDIA_ERROR_UNSUPPORTED },
    { "x264", { RIFT__CODEC__CODEC_AV1, W, H, FPS, 1000, 0, 0 }, WAVRY_MEDIA_ERROR_UNSUPPORTED },
    { "mpeg2", { RIFT__CODEC__CODEC_H264, W, H, FPS, 1000, 0, 0 }, WAVRY_MEDIA_ERROR_UNSUPPORTED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WavryVideoEncoder) encoder = wavry_video_encoder_new (cases[i].name, &cases[i].config, &error);

      g_assert_null (encoder);
      g_assert_error (error, WAVRY_MEDIA_ERROR, (gint) cases[i].code);
      g_test_message ("refused: %s", error->message);
    }
}

static void
test_slice_threads (void)
{
  WavryVideoEncoderConfig config = {
    .codec = RIFT__CODEC__CODEC_H264, .width = W, .height = H, .fps = FPS, .bitrate_kbps = 2000,
    .threads = 2,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryVideoEncoder) encoder = wavry_video_encoder_new ("x264", &config, &error);
  g_autoptr(WavryVideoDecoder) decoder = wavry_video_decoder_new (RIFT__CODEC__CODEC_H264, FALSE, &error);

  g_assert_no_error (error);
  /* Slice threads keep one frame in, one frame out. */
  for (guint t = 0; t < 5; t++)
    {
      g_autoptr(WavryEncodedFrame) encoded = encode_t (encoder, t, FALSE, FALSE);
      g_autoptr(WavryVideoFrame) decoded = wavry_video_decoder_decode (
          decoder, g_bytes_get_data (encoded->data, NULL), g_bytes_get_size (encoded->data),
          encoded->pts_us, &error);
      g_autofree guint8 *ref = reference_luma (t);

      g_assert_no_error (error);
      g_assert_cmpfloat (psnr_y (decoded, ref, W, H), >=, 30.0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/media/video-codec/h264-i420", test_h264_i420);
  g_test_add_func ("/wavry/media/video-codec/h264-bgrx", test_h264_bgrx);
  g_test_add_func ("/wavry/media/video-codec/h264-rgbx", test_h264_rgbx);
  g_test_add_func ("/wavry/media/video-codec/h264-nv12", test_h264_nv12);
  g_test_add_func ("/wavry/media/video-codec/h264-scaled", test_h264_scaled);
  g_test_add_func ("/wavry/media/video-codec/hevc", test_hevc);
  g_test_add_func ("/wavry/media/video-codec/hevc-bitrate-reopen", test_hevc_bitrate_reopen);
  g_test_add_func ("/wavry/media/video-codec/force-keyframe", test_force_keyframe);
  g_test_add_func ("/wavry/media/video-codec/bitrate-change", test_bitrate_change);
  g_test_add_func ("/wavry/media/video-codec/fps-change", test_fps_change);
  g_test_add_func ("/wavry/media/video-codec/corrupt", test_corrupt);
  g_test_add_func ("/wavry/media/video-codec/slice-threads", test_slice_threads);
  g_test_add_func ("/wavry/media/video-codec/probe", test_probe);
  g_test_add_func ("/wavry/media/video-codec/decoder-new", test_decoder_new);
  g_test_add_func ("/wavry/media/video-codec/dmabuf-output", test_dmabuf_output);
  g_test_add_func ("/wavry/media/video-codec/vaapi-refused", test_vaapi_refused);
  g_test_add_func ("/wavry/media/video-codec/auto-fallback", test_auto_fallback);
  g_test_add_func ("/wavry/media/video-codec/bad-config", test_bad_config);

  return g_test_run ();
}
