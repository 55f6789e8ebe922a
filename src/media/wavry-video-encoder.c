/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-video-encoder.h"

#include <libavcodec/avcodec.h>
#include <libavutil/hwcontext.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>

#include "wavry-annexb.h"
#include "wavry-ffmpeg-private.h"
#include "wavry-media-error.h"

#define VAAPI_RENDER_NODE "/dev/dri/renderD128"

typedef enum
{
  BACKEND_SOFTWARE,
  BACKEND_VAAPI,
  BACKEND_NVENC,
} Backend;

struct _WavryVideoEncoder
{
  WavryVideoEncoderConfig  config;
  Backend                  backend;
  const AVCodec           *codec;
  AVCodecContext          *ctx;
  AVBufferRef             *hw_device;
  struct SwsContext       *sws;
  AVFrame                 *sw_frame;     /* input converted to the encoder's software format */
  AVFrame                 *hw_frame;     /* VA-API surface the sw_frame is uploaded to */
  AVPacket                *packet;
  gint64                   next_pts;     /* frame counter in 1/fps units */
  gboolean                 reopen;       /* rate or fps changed beyond what the encoder reconfigures */
  char                    *fallback_reason;
};

static const char *
codec_label (Rift__Codec codec)
{
  if (codec == RIFT__CODEC__CODEC_H264)
    return "H.264";
  if (codec == RIFT__CODEC__CODEC_HEVC)
    return "HEVC";
  if (codec == RIFT__CODEC__CODEC_AV1)
    return "AV1";
  return "an unknown codec";
}

static const char *
encoder_name_for (Backend     backend,
                  Rift__Codec codec)
{
  static const char *names[3][3] = {
    /* HEVC, H264, AV1 (Rift__Codec order) */
    [BACKEND_SOFTWARE] = { "libx265", "libx264", NULL },
    [BACKEND_VAAPI] = { "hevc_vaapi", "h264_vaapi", "av1_vaapi" },
    [BACKEND_NVENC] = { "hevc_nvenc", "h264_nvenc", "av1_nvenc" },
  };

  if ((guint) codec > RIFT__CODEC__CODEC_AV1)
    return NULL;
  return names[backend][codec];
}

static guint
keyint_frames (const WavryVideoEncoderConfig *config)
{
  guint ms = config->keyframe_interval_ms ? config->keyframe_interval_ms : 1000;

  return MAX (1, (guint) (((guint64) config->fps * ms + 500) / 1000));
}

static void
close_context (WavryVideoEncoder *self)
{
  avcodec_free_context (&self->ctx);
  av_frame_free (&self->hw_frame);
}

/* libx264 / libx265 options for RIFT §6.1: ultrafast + zerolatency, no
 * B-frames, no look-ahead, intra refresh over one keyframe interval, Annex-B
 * with parameter sets repeated before every IDR, VBV of about one frame. */
static void
set_software_options (WavryVideoEncoder *self,
                      AVCodecContext    *ctx)
{
  const WavryVideoEncoderConfig *c = &self->config;
  guint keyint = keyint_frames (c);
  guint64 kbps = c->bitrate_kbps;
  guint64 vbv_kbit = MAX (1, kbps / c->fps);

  av_opt_set (ctx->priv_data, "preset", "ultrafast", 0);
  av_opt_set (ctx->priv_data, "tune", "zerolatency", 0);
  av_opt_set_int (ctx->priv_data, "forced-idr", 1, 0);

  if (self->codec->id == AV_CODEC_ID_H264)
    {
      av_opt_set_int (ctx->priv_data, "rc-lookahead", 0, 0);
      av_opt_set_int (ctx->priv_data, "intra-refresh", 1, 0);
      av_opt_set (ctx->priv_data, "x264-params", "repeat-headers=1:annexb=1:sync-lookahead=0", 0);
    }
  else
    {
      g_autofree char *params = NULL;

      /* libx265 has no rate-control AVOptions of its own beyond bit_rate;
       * frame threads add a frame of delay per thread, so use one. */
      params = g_strdup_printf ("repeat-headers=1:annexb=1:bframes=0:rc-lookahead=0:open-gop=0:"
                                "keyint=%u:min-keyint=%u:intra-refresh=1:frame-threads=1:"
                                "vbv-maxrate=%" G_GUINT64_FORMAT ":vbv-bufsize=%" G_GUINT64_FORMAT ":"
                                "pools=%u:log-level=error",
                                keyint, keyint, kbps, vbv_kbit, MAX (1, c->threads));
      av_opt_set (ctx->priv_data, "x265-params", params, 0);
    }
}

static void
set_hardware_options (WavryVideoEncoder *self,
                      AVCodecContext    *ctx)
{
  if (self->backend == BACKEND_VAAPI)
    {
      av_opt_set_int (ctx->priv_data, "async_depth", 1, 0);
      av_opt_set (ctx->priv_data, "rc_mode", "CBR", 0);
    }
  else
    {
      av_opt_set (ctx->priv_data, "preset", "p1", 0);
      av_opt_set (ctx->priv_data, "tune", "ull", 0);
      av_opt_set (ctx->priv_data, "rc", "cbr", 0);
      av_opt_set_int (ctx->priv_data, "zerolatency", 1, 0);
      av_opt_set_int (ctx->priv_data, "delay", 0, 0);
      av_opt_set_int (ctx->priv_data, "forced-idr", 1, 0);
      av_opt_set_int (ctx->priv_data, "intra-refresh", 1, 0);
    }
}

static gboolean
open_vaapi_frames (WavryVideoEncoder *self,
                   AVCodecContext    *ctx,
                   GError           **error)
{
  AVBufferRef *frames_ref = av_hwframe_ctx_alloc (self->hw_device);
  AVHWFramesContext *frames;
  int err;

  if (frames_ref == NULL)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                           _("VA-API: cannot allocate a frame pool"));
      return FALSE;
    }
  frames = (AVHWFramesContext *) frames_ref->data;
  frames->format = AV_PIX_FMT_VAAPI;
  frames->sw_format = AV_PIX_FMT_NV12;
  frames->width = self->config.width;
  frames->height = self->config.height;
  frames->initial_pool_size = 4;
  err = av_hwframe_ctx_init (frames_ref);
  if (err < 0)
    {
      av_buffer_unref (&frames_ref);
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("VA-API: no NV12 surfaces of %u×%u: %s"),
                   self->config.width, self->config.height, WAVRY_AV_ERR (err));
      return FALSE;
    }
  ctx->hw_frames_ctx = frames_ref;
  return TRUE;
}

static gboolean
open_context (WavryVideoEncoder *self,
              GError           **error)
{
  const WavryVideoEncoderConfig *c = &self->config;
  AVCodecContext *ctx;
  int err;

  close_context (self);

  ctx = avcodec_alloc_context3 (self->codec);
  if (ctx == NULL)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                           _("Cannot allocate an encoder context"));
      return FALSE;
    }

  ctx->width = c->width;
  ctx->height = c->height;
  ctx->time_base = (AVRational) { 1, c->fps };
  ctx->framerate = (AVRational) { c->fps, 1 };
  ctx->pix_fmt = self->backend == BACKEND_VAAPI ? AV_PIX_FMT_VAAPI : AV_PIX_FMT_YUV420P;
  ctx->bit_rate = (int64_t) c->bitrate_kbps * 1000;
  ctx->rc_max_rate = ctx->bit_rate;
  ctx->rc_buffer_size = (int) MIN ((int64_t) G_MAXINT, MAX (1000, ctx->bit_rate / c->fps));
  ctx->gop_size = keyint_frames (c);
  ctx->max_b_frames = 0;
  ctx->flags |= AV_CODEC_FLAG_LOW_DELAY;
  ctx->thread_count = MAX (1, c->threads);
  /* Frame threads delay output by a frame each; slice threads do not. */
  ctx->thread_type = FF_THREAD_SLICE;
  ctx->color_range = AVCOL_RANGE_MPEG;
  ctx->colorspace = AVCOL_SPC_BT709;
  ctx->color_primaries = AVCOL_PRI_BT709;
  ctx->color_trc = AVCOL_TRC_BT709;

  if (self->backend == BACKEND_SOFTWARE)
    set_software_options (self, ctx);
  else
    set_hardware_options (self, ctx);

  if (self->backend == BACKEND_VAAPI && !open_vaapi_frames (self, ctx, error))
    {
      avcodec_free_context (&ctx);
      return FALSE;
    }

  err = avcodec_open2 (ctx, self->codec, NULL);
  if (err < 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_CODEC,
                   _("%s: cannot open the encoder at %u×%u, %u fps, %u kbit/s: %s"),
                   self->codec->name, c->width, c->height, c->fps, c->bitrate_kbps, WAVRY_AV_ERR (err));
      avcodec_free_context (&ctx);
      return FALSE;
    }

  self->ctx = ctx;
  if (self->backend == BACKEND_VAAPI)
    self->hw_frame = av_frame_alloc ();
  self->reopen = FALSE;
  return TRUE;
}

static gboolean
hardware_available (Backend   backend,
                    AVBufferRef **device,
                    GError  **error)
{
  int err;

  if (backend == BACKEND_VAAPI)
    {
      if (!g_file_test (VAAPI_RENDER_NODE, G_FILE_TEST_EXISTS))
        {
          g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                               _("VA-API: no render node in /dev/dri"));
          return FALSE;
        }
      err = av_hwdevice_ctx_create (device, AV_HWDEVICE_TYPE_VAAPI, VAAPI_RENDER_NODE, NULL, 0);
      if (err < 0)
        {
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                       _("VA-API: cannot open %s: %s"), VAAPI_RENDER_NODE, WAVRY_AV_ERR (err));
          return FALSE;
        }
      return TRUE;
    }

  /* NVENC loads libcuda/libnvidia-encode at open; without the kernel
   * driver that fails with a vaguer message, so check first. */
  if (!g_file_test ("/proc/driver/nvidia/version", G_FILE_TEST_EXISTS) &&
      !g_file_test ("/dev/nvidiactl", G_FILE_TEST_EXISTS))
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                           _("NVENC: no NVIDIA driver"));
      return FALSE;
    }
  return TRUE;
}

static const char *
backend_label (Backend backend)
{
  return backend == BACKEND_VAAPI ? "VA-API" : backend == BACKEND_NVENC ? "NVENC" : "software";
}

/* Opens one backend for @config; errors start with the backend's name. */
static WavryVideoEncoder *
try_backend (Backend                        backend,
             const WavryVideoEncoderConfig *config,
             gboolean                       require_x265,
             GError                       **error)
{
  g_autoptr(WavryVideoEncoder) self = NULL;
  const char *name = encoder_name_for (backend, config->codec);
  AVBufferRef *device = NULL;

  if (name == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("%s: cannot encode %s%s"), backend_label (backend), codec_label (config->codec),
                   backend == BACKEND_SOFTWARE ? " (AV1 is offered with hardware encoders only)" : "");
      return NULL;
    }
  if (require_x265 && config->codec != RIFT__CODEC__CODEC_HEVC)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("x265 encodes HEVC only, not %s"), codec_label (config->codec));
      return NULL;
    }
  if (avcodec_find_encoder_by_name (name) == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("%s: this libavcodec has no %s encoder"), backend_label (backend), name);
      return NULL;
    }
  if (backend != BACKEND_SOFTWARE && !hardware_available (backend, &device, error))
    return NULL;

  self = g_new0 (WavryVideoEncoder, 1);
  self->config = *config;
  self->backend = backend;
  self->hw_device = device;
  self->codec = avcodec_find_encoder_by_name (name);
  self->packet = av_packet_alloc ();
  self->sw_frame = av_frame_alloc ();
  if (self->packet == NULL || self->sw_frame == NULL)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                           _("Cannot allocate encoder buffers"));
      return NULL;
    }
  self->sw_frame->format = backend == BACKEND_VAAPI ? AV_PIX_FMT_NV12 : AV_PIX_FMT_YUV420P;
  self->sw_frame->width = config->width;
  self->sw_frame->height = config->height;
  if (av_frame_get_buffer (self->sw_frame, 64) < 0)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                           _("Cannot allocate encoder buffers"));
      return NULL;
    }

  if (!open_context (self, error))
    {
      if (backend != BACKEND_SOFTWARE && error != NULL && *error != NULL &&
          !g_str_has_prefix ((*error)->message, backend_label (backend)))
        g_prefix_error (error, "%s: ", backend_label (backend));
      return NULL;
    }
  return g_steal_pointer (&self);
}

static gboolean
config_valid (const WavryVideoEncoderConfig *config,
              GError                       **error)
{
  if (config->width == 0 || config->height == 0 || (config->width & 1) || (config->height & 1) ||
      config->width > WAVRY_VIDEO_FRAME_MAX_DIMENSION || config->height > WAVRY_VIDEO_FRAME_MAX_DIMENSION ||
      config->fps == 0 || config->fps > 1000 || config->bitrate_kbps == 0 || config->bitrate_kbps > 2000000)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Unusable encoder settings: %u×%u (even, up to %u), %u fps (1–1000), %u kbit/s (1–2000000)"),
                   config->width, config->height, WAVRY_VIDEO_FRAME_MAX_DIMENSION,
                   config->fps, config->bitrate_kbps);
      return FALSE;
    }
  return TRUE;
}

WavryVideoEncoder *
wavry_video_encoder_new (const char                    *name,
                         const WavryVideoEncoderConfig *config,
                         GError                       **error)
{
  WavryVideoEncoder *self;
  g_autoptr(GString) reasons = NULL;
  static const Backend order[] = { BACKEND_VAAPI, BACKEND_NVENC, BACKEND_SOFTWARE };

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  wavry_ffmpeg_init ();
  if (!config_valid (config, error))
    return NULL;

  if (g_strcmp0 (name, "x264") == 0 || g_strcmp0 (name, "libx264") == 0)
    {
      if (config->codec != RIFT__CODEC__CODEC_H264)
        {
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                       _("x264 encodes H.264 only, not %s"), codec_label (config->codec));
          return NULL;
        }
      return try_backend (BACKEND_SOFTWARE, config, FALSE, error);
    }
  if (g_strcmp0 (name, "x265") == 0 || g_strcmp0 (name, "libx265") == 0)
    return try_backend (BACKEND_SOFTWARE, config, TRUE, error);
  if (g_strcmp0 (name, "vaapi") == 0)
    return try_backend (BACKEND_VAAPI, config, FALSE, error);
  if (g_strcmp0 (name, "nvenc") == 0)
    return try_backend (BACKEND_NVENC, config, FALSE, error);
  if (name != NULL && g_strcmp0 (name, "auto") != 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Unknown encoder “%s” (auto, x264, x265, vaapi or nvenc)"), name);
      return NULL;
    }

  reasons = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(GError) local_error = NULL;

      self = try_backend (order[i], config, FALSE, &local_error);
      if (self != NULL)
        {
          if (reasons->len > 0)
            {
              g_debug ("Encoder fallback to %s: %s", self->codec->name, reasons->str);
              self->fallback_reason = g_string_free (g_steal_pointer (&reasons), FALSE);
            }
          return self;
        }
      if (reasons->len > 0)
        g_string_append (reasons, "; ");
      g_string_append (reasons, local_error->message);
    }

  g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
               _("No %s encoder works here: %s"), codec_label (config->codec), reasons->str);
  return NULL;
}

void
wavry_video_encoder_free (WavryVideoEncoder *self)
{
  if (self == NULL)
    return;
  close_context (self);
  av_frame_free (&self->sw_frame);
  av_packet_free (&self->packet);
  av_buffer_unref (&self->hw_device);
  sws_freeContext (self->sws);
  g_free (self->fallback_reason);
  g_free (self);
}

const char *
wavry_video_encoder_get_name (WavryVideoEncoder *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->codec->name;
}

const char *
wavry_video_encoder_get_fallback_reason (WavryVideoEncoder *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->fallback_reason;
}

const WavryVideoEncoderConfig *
wavry_video_encoder_get_config (WavryVideoEncoder *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->config;
}

gsize
wavry_video_encoder_probe_codecs (const char  *name,
                                  Rift__Codec  codecs[3])
{
  /* RIFT §4 preference order. */
  static const Rift__Codec preference[] = {
    RIFT__CODEC__CODEC_AV1, RIFT__CODEC__CODEC_HEVC, RIFT__CODEC__CODEC_H264,
  };
  gsize n = 0;

  g_return_val_if_fail (codecs != NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (preference); i++)
    {
      WavryVideoEncoderConfig config = {
        .codec = preference[i], .width = 256, .height = 256, .fps = 30, .bitrate_kbps = 1000,
      };
      g_autoptr(WavryVideoEncoder) encoder = NULL;

      /* A small open proves the library and, for hardware, the driver and
       * its profile support. */
      encoder = wavry_video_encoder_new (name, &config, NULL);
      if (encoder != NULL)
        codecs[n++] = preference[i];
    }
  return n;
}

static enum AVPixelFormat
av_format_for (WavryPixelFormat format)
{
  switch (format)
    {
    case WAVRY_PIXEL_FORMAT_I420:
      return AV_PIX_FMT_YUV420P;
    case WAVRY_PIXEL_FORMAT_NV12:
      return AV_PIX_FMT_NV12;
    case WAVRY_PIXEL_FORMAT_BGRX:
      return AV_PIX_FMT_BGR0;
    case WAVRY_PIXEL_FORMAT_RGBX:
      return AV_PIX_FMT_RGB0;
    default:
      return AV_PIX_FMT_NONE;
    }
}

/* Converts (and scales) @frame into self->sw_frame. */
static gboolean
convert_input (WavryVideoEncoder *self,
               WavryVideoFrame   *frame,
               GError           **error)
{
  enum AVPixelFormat src_format = av_format_for (wavry_video_frame_get_format (frame));
  guint width = wavry_video_frame_get_width (frame);
  guint height = wavry_video_frame_get_height (frame);
  const uint8_t *src[4] = { NULL };
  int src_stride[4] = { 0 };
  int err;

  for (guint p = 0; p < wavry_video_frame_get_n_planes (frame); p++)
    {
      src[p] = wavry_video_frame_get_data (frame, p);
      src_stride[p] = (int) wavry_video_frame_get_stride (frame, p);
    }

  err = av_frame_make_writable (self->sw_frame);
  if (err < 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                   _("Cannot get an encoder input buffer: %s"), WAVRY_AV_ERR (err));
      return FALSE;
    }

  if (src_format == self->sw_frame->format && width == self->config.width && height == self->config.height)
    {
      av_image_copy (self->sw_frame->data, self->sw_frame->linesize, src, src_stride,
                     src_format, (int) width, (int) height);
      return TRUE;
    }

  /* RGB input is screen content in sRGB: BT.709 limited range, like the
   * colour description the encoder writes into the VUI. */
  self->sws = sws_getCachedContext (self->sws, (int) width, (int) height, src_format,
                                    (int) self->config.width, (int) self->config.height,
                                    self->sw_frame->format, SWS_BILINEAR, NULL, NULL, NULL);
  if (self->sws == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Cannot convert %s %u×%u frames to %u×%u"),
                   wavry_pixel_format_to_string (wavry_video_frame_get_format (frame)),
                   width, height, self->config.width, self->config.height);
      return FALSE;
    }
  sws_setColorspaceDetails (self->sws, sws_getCoefficients (SWS_CS_ITU709), 0,
                            sws_getCoefficients (SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
  sws_scale (self->sws, src, src_stride, 0, (int) height, self->sw_frame->data, self->sw_frame->linesize);
  return TRUE;
}

WavryEncodedFrame *
wavry_video_encoder_encode (WavryVideoEncoder *self,
                            WavryVideoFrame   *frame,
                            gboolean           force_keyframe,
                            GError           **error)
{
  gint64 start = g_get_monotonic_time ();
  AVFrame *input;
  g_autoptr(WavryEncodedFrame) result = NULL;
  GByteArray *data = NULL;
  int err;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->reopen || self->ctx == NULL)
    {
      if (!open_context (self, error))
        return NULL;
      force_keyframe = TRUE;
    }

  if (!convert_input (self, frame, error))
    return NULL;

  input = self->sw_frame;
  if (self->backend == BACKEND_VAAPI)
    {
      av_frame_unref (self->hw_frame);
      err = av_hwframe_get_buffer (self->ctx->hw_frames_ctx, self->hw_frame, 0);
      if (err >= 0)
        err = av_hwframe_transfer_data (self->hw_frame, self->sw_frame, 0);
      if (err < 0)
        {
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_CODEC,
                       _("VA-API: cannot upload the frame: %s"), WAVRY_AV_ERR (err));
          return NULL;
        }
      input = self->hw_frame;
    }

  input->pts = self->next_pts++;
  input->pict_type = force_keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
  input->key_frame = force_keyframe ? 1 : 0;

  err = avcodec_send_frame (self->ctx, input);
  input->pict_type = AV_PICTURE_TYPE_NONE;
  if (err < 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_CODEC,
                   _("%s: cannot encode: %s"), self->codec->name, WAVRY_AV_ERR (err));
      return NULL;
    }

  result = g_new0 (WavryEncodedFrame, 1);
  result->pts_us = wavry_video_frame_get_pts (frame);
  result->capture_time_us = wavry_video_frame_get_capture_time (frame);

  /* Zero latency: the packet for this frame comes out now. Collect every
   * packet there is so that nothing is left queued behind the next frame. */
  while ((err = avcodec_receive_packet (self->ctx, self->packet)) >= 0)
    {
      if (data == NULL)
        data = g_byte_array_sized_new (self->packet->size);
      g_byte_array_append (data, self->packet->data, self->packet->size);
      if (self->packet->flags & AV_PKT_FLAG_KEY)
        result->keyframe = TRUE;
      av_packet_unref (self->packet);
    }
  if (err != AVERROR (EAGAIN))
    {
      if (data != NULL)
        g_byte_array_unref (data);
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_CODEC,
                   _("%s: cannot encode: %s"), self->codec->name, WAVRY_AV_ERR (err));
      return NULL;
    }
  if (data == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_CODEC,
                   _("%s: the encoder held the frame back (it is not set up for zero latency)"),
                   self->codec->name);
      return NULL;
    }

  result->data = g_byte_array_free_to_bytes (data);
  /* libx264 with intra refresh flags the first frame of every refresh
   * cycle (a P-frame with a recovery point) as a key packet. RIFT's keyframe
   * means a decoder can start here: an IDR/IRAP picture. */
  if (self->config.codec != RIFT__CODEC__CODEC_AV1)
    {
      WavryAnnexbFlags flags = 0;

      result->keyframe = wavry_annexb_scan (self->config.codec, g_bytes_get_data (result->data, NULL),
                                            g_bytes_get_size (result->data), &flags, NULL, NULL) &&
                         (flags & WAVRY_ANNEXB_HAS_IRAP);
    }
  result->encode_us = g_get_monotonic_time () - start;
  return g_steal_pointer (&result);
}

void
wavry_video_encoder_set_bitrate (WavryVideoEncoder *self,
                                 guint              kbps)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (kbps > 0 && kbps <= 2000000);

  if (kbps == self->config.bitrate_kbps)
    return;
  self->config.bitrate_kbps = kbps;

  if (self->ctx != NULL && self->codec->id == AV_CODEC_ID_H264 && self->backend == BACKEND_SOFTWARE)
    {
      /* libx264 compares these with its parameters before every frame and
       * calls x264_encoder_reconfig(): no new IDR. */
      self->ctx->bit_rate = (int64_t) kbps * 1000;
      self->ctx->rc_max_rate = self->ctx->bit_rate;
      self->ctx->rc_buffer_size = (int) MIN ((int64_t) G_MAXINT,
                                             MAX (1000, self->ctx->bit_rate / self->config.fps));
      return;
    }
  self->reopen = TRUE;
}

void
wavry_video_encoder_set_fps (WavryVideoEncoder *self,
                             guint              fps)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (fps > 0 && fps <= 1000);

  if (fps == self->config.fps)
    return;
  /* The time base is 1/fps, which no encoder changes while open. */
  self->config.fps = fps;
  self->reopen = TRUE;
}

void
wavry_encoded_frame_free (WavryEncodedFrame *frame)
{
  if (frame == NULL)
    return;
  g_clear_pointer (&frame->data, g_bytes_unref);
  g_free (frame);
}
