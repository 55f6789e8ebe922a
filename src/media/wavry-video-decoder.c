/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-video-decoder.h"

#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/hwcontext.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "wavry-annexb.h"
#include "wavry-dmabuf.h"
#include "wavry-ffmpeg-private.h"
#include "wavry-media-error.h"

#define VAAPI_RENDER_NODE "/dev/dri/renderD128"
/* Surfaces a consumer may hold on top of the decoder's references when
 * pictures leave as DMA-BUFs: the presenter's pending, current and
 * retiring frame, plus one on its way. */
#define EXTRA_HW_FRAMES 4

struct _WavryVideoDecoder
{
  Rift__Codec         codec;
  AVCodecContext     *ctx;
  AVBufferRef        *hw_device;
  AVPacket           *packet;
  AVFrame            *frame;
  AVFrame            *sw_frame;        /* VA-API surface downloaded */
  struct SwsContext  *sws;
  char               *name;
  gboolean            need_keyframe;   /* after creation, flush or an error */
  gboolean            dmabuf_output;   /* asked for by the consumer */
  gboolean            dmabuf_broken;   /* the driver could not export: download */
  guint64             n_rejected;
};

static enum AVPixelFormat
get_vaapi_format (AVCodecContext           *ctx,
                  const enum AVPixelFormat *formats)
{
  for (const enum AVPixelFormat *f = formats; *f != AV_PIX_FMT_NONE; f++)
    if (*f == AV_PIX_FMT_VAAPI)
      return *f;
  /* No VA-API profile for this stream: the first software format. */
  for (const enum AVPixelFormat *f = formats; *f != AV_PIX_FMT_NONE; f++)
    if (!(av_pix_fmt_desc_get (*f)->flags & AV_PIX_FMT_FLAG_HWACCEL))
      return *f;
  return AV_PIX_FMT_NONE;
}

static gboolean
codec_supports_vaapi (const AVCodec *codec)
{
  for (int i = 0;; i++)
    {
      const AVCodecHWConfig *config = avcodec_get_hw_config (codec, i);

      if (config == NULL)
        return FALSE;
      if (config->device_type == AV_HWDEVICE_TYPE_VAAPI &&
          (config->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX))
        return TRUE;
    }
}

WavryVideoDecoder *
wavry_video_decoder_new (Rift__Codec codec,
                         gboolean    hw,
                         GError    **error)
{
  g_autoptr(WavryVideoDecoder) self = NULL;
  enum AVCodecID id;
  const AVCodec *av_codec;
  int err;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  wavry_ffmpeg_init ();

  if (codec == RIFT__CODEC__CODEC_H264)
    id = AV_CODEC_ID_H264;
  else if (codec == RIFT__CODEC__CODEC_HEVC)
    id = AV_CODEC_ID_HEVC;
  else if (codec == RIFT__CODEC__CODEC_AV1)
    id = AV_CODEC_ID_AV1;
  else
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Unknown codec %d"), (int) codec);
      return NULL;
    }

  av_codec = avcodec_find_decoder (id);
  if (av_codec == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("This libavcodec has no %s decoder"), avcodec_get_name (id));
      return NULL;
    }

  self = g_new0 (WavryVideoDecoder, 1);
  self->codec = codec;
  self->need_keyframe = TRUE;
  self->packet = av_packet_alloc ();
  self->frame = av_frame_alloc ();
  self->sw_frame = av_frame_alloc ();
  self->ctx = avcodec_alloc_context3 (av_codec);
  if (self->packet == NULL || self->frame == NULL || self->sw_frame == NULL || self->ctx == NULL)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                           _("Cannot allocate a decoder"));
      return NULL;
    }

  /* Lowest latency: output as soon as a picture is complete, one thread
   * (frame threads add a frame of delay each), and never a picture the
   * decoder knows to be damaged. */
  self->ctx->flags |= AV_CODEC_FLAG_LOW_DELAY;
  self->ctx->flags &= ~AV_CODEC_FLAG_OUTPUT_CORRUPT;
  self->ctx->thread_count = 1;
  self->ctx->thread_type = FF_THREAD_SLICE;
  self->ctx->err_recognition |= AV_EF_CRCCHECK | AV_EF_BITSTREAM | AV_EF_EXPLODE;

  if (hw && codec_supports_vaapi (av_codec) && g_file_test (VAAPI_RENDER_NODE, G_FILE_TEST_EXISTS) &&
      av_hwdevice_ctx_create (&self->hw_device, AV_HWDEVICE_TYPE_VAAPI, VAAPI_RENDER_NODE, NULL, 0) >= 0)
    {
      self->ctx->hw_device_ctx = av_buffer_ref (self->hw_device);
      self->ctx->get_format = get_vaapi_format;
      self->ctx->extra_hw_frames = EXTRA_HW_FRAMES;
    }

  err = avcodec_open2 (self->ctx, av_codec, NULL);
  if (err < 0 && self->hw_device != NULL)
    {
      /* Hardware was offered but the decoder would not open with it: try
       * again in software, as promised. */
      avcodec_free_context (&self->ctx);
      av_buffer_unref (&self->hw_device);
      return wavry_video_decoder_new (codec, FALSE, error);
    }
  if (err < 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_CODEC,
                   _("%s: cannot open the decoder: %s"), av_codec->name, WAVRY_AV_ERR (err));
      return NULL;
    }

  self->name = g_strdup_printf ("%s%s", av_codec->name, self->hw_device != NULL ? " (VA-API)" : "");
  return g_steal_pointer (&self);
}

void
wavry_video_decoder_free (WavryVideoDecoder *self)
{
  if (self == NULL)
    return;
  avcodec_free_context (&self->ctx);
  av_buffer_unref (&self->hw_device);
  av_packet_free (&self->packet);
  av_frame_free (&self->frame);
  av_frame_free (&self->sw_frame);
  sws_freeContext (self->sws);
  g_free (self->name);
  g_free (self);
}

const char *
wavry_video_decoder_get_name (WavryVideoDecoder *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

guint64
wavry_video_decoder_get_n_rejected (WavryVideoDecoder *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_rejected;
}

void
wavry_video_decoder_set_dmabuf_output (WavryVideoDecoder *self,
                                       gboolean           enable)
{
  g_return_if_fail (self != NULL);
  self->dmabuf_output = !!enable;
}

gboolean
wavry_video_decoder_get_dmabuf_output (WavryVideoDecoder *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->dmabuf_output;
}

void
wavry_video_decoder_flush (WavryVideoDecoder *self)
{
  g_return_if_fail (self != NULL);

  avcodec_flush_buffers (self->ctx);
  self->need_keyframe = TRUE;
}

/* Copies or converts @src (any software format) into a new I420 frame. */
static WavryVideoFrame *
to_i420 (WavryVideoDecoder *self,
         const AVFrame     *src,
         GError           **error)
{
  g_autoptr(WavryVideoFrame) out = NULL;
  uint8_t *dst[4] = { NULL };
  int dst_stride[4] = { 0 };

  out = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, (guint) src->width, (guint) src->height);
  if (out == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("%s: decoded picture of %d×%d cannot be shown (even sizes up to %u only)"),
                   self->name, src->width, src->height, WAVRY_VIDEO_FRAME_MAX_DIMENSION);
      return NULL;
    }
  for (guint p = 0; p < 3; p++)
    {
      dst[p] = wavry_video_frame_get_data (out, p);
      dst_stride[p] = (int) wavry_video_frame_get_stride (out, p);
    }

  if (src->format == AV_PIX_FMT_YUV420P || src->format == AV_PIX_FMT_YUVJ420P)
    {
      av_image_copy (dst, dst_stride, (const uint8_t **) src->data, src->linesize,
                     AV_PIX_FMT_YUV420P, src->width, src->height);
      return g_steal_pointer (&out);
    }

  self->sws = sws_getCachedContext (self->sws, src->width, src->height, src->format,
                                    src->width, src->height, AV_PIX_FMT_YUV420P,
                                    SWS_BILINEAR, NULL, NULL, NULL);
  if (self->sws == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("%s: cannot convert decoded %s pictures to I420"), self->name,
                   av_get_pix_fmt_name (src->format));
      return NULL;
    }
  sws_scale (self->sws, (const uint8_t * const *) src->data, src->linesize, 0, src->height,
             dst, dst_stride);
  return g_steal_pointer (&out);
}

static void
free_av_frame (gpointer data)
{
  AVFrame *frame = data;

  av_frame_free (&frame);
}

/* Maps the VA-API surface in self->frame as DRM PRIME (vaExportSurfaceHandle
 * with separate layers, read-only, synced) into a DMA-BUF frame. The
 * mapped AVFrame references the surface, so the surface goes back to the
 * pool only when the last reference to the returned frame is dropped. */
static WavryVideoFrame *
export_dmabuf (WavryVideoDecoder *self,
               GError           **error)
{
  AVFrame *drm = av_frame_alloc ();
  WavryDmabufPlane planes[2];
  WavryVideoFrame *out;
  int err;

  if (drm == NULL)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                           _("Cannot allocate a frame"));
      return NULL;
    }
  drm->format = AV_PIX_FMT_DRM_PRIME;
  err = av_hwframe_map (drm, self->frame, AV_HWFRAME_MAP_READ);
  if (err < 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("the driver cannot export the surface as DMA-BUF: %s"), WAVRY_AV_ERR (err));
      av_frame_free (&drm);
      return NULL;
    }
  if (!wavry_dmabuf_planes_from_drm ((const AVDRMFrameDescriptor *) drm->data[0],
                                     (guint) self->frame->width, (guint) self->frame->height,
                                     planes, error))
    {
      av_frame_free (&drm);
      return NULL;
    }
  out = wavry_video_frame_new_dmabuf (WAVRY_PIXEL_FORMAT_NV12, (guint) self->frame->width,
                                      (guint) self->frame->height, planes, G_N_ELEMENTS (planes),
                                      drm, free_av_frame);
  if (out == NULL)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                           _("the exported DMA-BUF does not describe an NV12 picture"));
      av_frame_free (&drm);
      return NULL;
    }
  return out;
}

static WavryVideoFrame *
reject (WavryVideoDecoder *self)
{
  self->n_rejected++;
  self->need_keyframe = TRUE;
  return NULL;
}

WavryVideoFrame *
wavry_video_decoder_decode (WavryVideoDecoder *self,
                            const guint8      *data,
                            gsize              len,
                            gint64             pts_us,
                            GError           **error)
{
  g_autoptr(WavryVideoFrame) out = NULL;
  const AVFrame *picture;
  int err;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len == 0 || len > G_MAXINT - AV_INPUT_BUFFER_PADDING_SIZE)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("%s: unusable access unit of %lu bytes"), self->name, (gulong) len);
      return reject (self);
    }

  if (self->codec != RIFT__CODEC__CODEC_AV1)
    {
      GError *scan_error = NULL;
      WavryAnnexbFlags flags = 0;

      if (!wavry_annexb_scan (self->codec, data, len, &flags, NULL, &scan_error))
        {
          g_propagate_prefixed_error (error, scan_error, "%s: ", self->name);
          return reject (self);
        }
      /* Without a keyframe the decoder would conceal the missing references
       * and output a damaged picture. */
      if (self->need_keyframe && !(flags & WAVRY_ANNEXB_HAS_IRAP))
        {
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_CODEC,
                       _("%s: waiting for a keyframe; this access unit refers to pictures the decoder does not have"),
                       self->name);
          self->n_rejected++;
          return NULL;
        }
    }

  /* The packet owns a padded copy: libavcodec may read past the end. */
  err = av_new_packet (self->packet, (int) len);
  if (err < 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                   _("%s: cannot allocate a packet: %s"), self->name, WAVRY_AV_ERR (err));
      return NULL;
    }
  memcpy (self->packet->data, data, len);
  self->packet->pts = pts_us;

  err = avcodec_send_packet (self->ctx, self->packet);
  av_packet_unref (self->packet);
  if (err < 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_CODEC,
                   _("%s: corrupt access unit: %s"), self->name, WAVRY_AV_ERR (err));
      avcodec_flush_buffers (self->ctx);
      return reject (self);
    }

  err = avcodec_receive_frame (self->ctx, self->frame);
  if (err == AVERROR (EAGAIN))
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_CODEC,
                   _("%s: no picture from this access unit (incomplete, or it refers to a missing picture)"),
                   self->name);
      /* Whatever the decoder holds back would come out one call late,
       * against the wrong pts: start again from the next keyframe. */
      avcodec_flush_buffers (self->ctx);
      return reject (self);
    }
  if (err < 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_CODEC,
                   _("%s: corrupt access unit: %s"), self->name, WAVRY_AV_ERR (err));
      avcodec_flush_buffers (self->ctx);
      return reject (self);
    }

  if ((self->frame->flags & AV_FRAME_FLAG_CORRUPT) || self->frame->decode_error_flags != 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_CODEC,
                   _("%s: the picture is damaged (corrupt data or a missing reference)"), self->name);
      av_frame_unref (self->frame);
      return reject (self);
    }

  if (self->hw_device != NULL && self->frame->format != AV_PIX_FMT_VAAPI && g_str_has_suffix (self->name, " (VA-API)"))
    {
      /* get_format found no VA-API profile for this stream: libavcodec
       * decodes it in software. */
      g_autofree char *old_name = g_steal_pointer (&self->name);

      self->name = g_strndup (old_name, strlen (old_name) - strlen (" (VA-API)"));
    }

  if (self->frame->format == AV_PIX_FMT_VAAPI && self->dmabuf_output && !self->dmabuf_broken)
    {
      g_autoptr(GError) export_error = NULL;

      out = export_dmabuf (self, &export_error);
      if (out != NULL)
        {
          av_frame_unref (self->frame);
          self->need_keyframe = FALSE;
          wavry_video_frame_set_pts (out, pts_us);
          return g_steal_pointer (&out);
        }
      /* Once is enough to know: from now on, download as without export. */
      g_debug ("%s: pictures are downloaded, not passed as DMA-BUFs: %s",
               self->name, export_error->message);
      self->dmabuf_broken = TRUE;
    }

  picture = self->frame;
  if (self->frame->format == AV_PIX_FMT_VAAPI)
    {
      av_frame_unref (self->sw_frame);
      err = av_hwframe_transfer_data (self->sw_frame, self->frame, 0);
      if (err < 0)
        {
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_CODEC,
                       _("%s: cannot download the picture: %s"), self->name, WAVRY_AV_ERR (err));
          av_frame_unref (self->frame);
          return NULL;
        }
      picture = self->sw_frame;
    }

  out = to_i420 (self, picture, error);
  av_frame_unref (self->frame);
  av_frame_unref (self->sw_frame);
  if (out == NULL)
    return NULL;

  self->need_keyframe = FALSE;
  wavry_video_frame_set_pts (out, pts_us);
  return g_steal_pointer (&out);
}
