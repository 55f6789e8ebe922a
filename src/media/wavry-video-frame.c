/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-video-frame.h"

#include <string.h>

#define ROW_ALIGN 64

struct _WavryVideoFrame
{
  gatomicrefcount   ref_count;
  WavryPixelFormat  format;
  guint             width;
  guint             height;
  guint             n_planes;
  gsize             stride[WAVRY_VIDEO_FRAME_MAX_PLANES];
  gsize             row_bytes[WAVRY_VIDEO_FRAME_MAX_PLANES];
  guint             rows[WAVRY_VIDEO_FRAME_MAX_PLANES];
  guint8           *plane[WAVRY_VIDEO_FRAME_MAX_PLANES];
  guint8           *memory;
  gint64            pts_us;
  gint64            capture_time_us;

  /* DMA-BUF frames only */
  WavryDmabufPlane  dmabuf[WAVRY_VIDEO_FRAME_MAX_DMABUF_PLANES];
  guint             n_dmabuf;
  gpointer          owner;
  GDestroyNotify    owner_destroy;
};

G_DEFINE_BOXED_TYPE (WavryVideoFrame, wavry_video_frame,
                     wavry_video_frame_ref, wavry_video_frame_unref)

static gsize
align_up (gsize value)
{
  return (value + ROW_ALIGN - 1) & ~(gsize) (ROW_ALIGN - 1);
}

WavryVideoFrame *
wavry_video_frame_new (WavryPixelFormat format,
                       guint            width,
                       guint            height)
{
  WavryVideoFrame *frame;
  gsize total = 0;
  gsize offset = 0;
  gboolean subsampled = format == WAVRY_PIXEL_FORMAT_I420 || format == WAVRY_PIXEL_FORMAT_NV12;

  if (width == 0 || height == 0 ||
      width > WAVRY_VIDEO_FRAME_MAX_DIMENSION || height > WAVRY_VIDEO_FRAME_MAX_DIMENSION)
    return NULL;
  if (subsampled && ((width & 1) || (height & 1)))
    return NULL;

  frame = g_new0 (WavryVideoFrame, 1);
  g_atomic_ref_count_init (&frame->ref_count);
  frame->format = format;
  frame->width = width;
  frame->height = height;

  switch (format)
    {
    case WAVRY_PIXEL_FORMAT_I420:
      frame->n_planes = 3;
      frame->row_bytes[0] = width;
      frame->rows[0] = height;
      frame->row_bytes[1] = frame->row_bytes[2] = width / 2;
      frame->rows[1] = frame->rows[2] = height / 2;
      break;
    case WAVRY_PIXEL_FORMAT_NV12:
      frame->n_planes = 2;
      frame->row_bytes[0] = width;
      frame->rows[0] = height;
      frame->row_bytes[1] = width;
      frame->rows[1] = height / 2;
      break;
    case WAVRY_PIXEL_FORMAT_BGRX:
    case WAVRY_PIXEL_FORMAT_RGBX:
    default:
      frame->n_planes = 1;
      frame->row_bytes[0] = (gsize) width * 4;
      frame->rows[0] = height;
      break;
    }

  for (guint i = 0; i < frame->n_planes; i++)
    {
      frame->stride[i] = align_up (frame->row_bytes[i]);
      total += frame->stride[i] * frame->rows[i];
    }

  frame->memory = g_aligned_alloc0 (1, total, ROW_ALIGN);
  for (guint i = 0; i < frame->n_planes; i++)
    {
      frame->plane[i] = frame->memory + offset;
      offset += frame->stride[i] * frame->rows[i];
    }

  return frame;
}

WavryVideoFrame *
wavry_video_frame_new_dmabuf (WavryPixelFormat        format,
                              guint                   width,
                              guint                   height,
                              const WavryDmabufPlane *planes,
                              guint                   n_planes,
                              gpointer                owner,
                              GDestroyNotify          owner_destroy)
{
  static const guint32 nv12_fourcc[2] = { WAVRY_DRM_FORMAT_R8, WAVRY_DRM_FORMAT_GR88 };
  WavryVideoFrame *frame;

  g_return_val_if_fail (planes != NULL, NULL);

  if (format != WAVRY_PIXEL_FORMAT_NV12 || n_planes != 2 ||
      width == 0 || height == 0 || (width & 1) || (height & 1) ||
      width > WAVRY_VIDEO_FRAME_MAX_DIMENSION || height > WAVRY_VIDEO_FRAME_MAX_DIMENSION)
    return NULL;
  for (guint i = 0; i < n_planes; i++)
    {
      guint w = i == 0 ? width : width / 2;
      guint h = i == 0 ? height : height / 2;
      guint bpp = i == 0 ? 1 : 2;

      if (planes[i].fourcc != nv12_fourcc[i] || planes[i].fd < 0 ||
          planes[i].width != w || planes[i].height != h || planes[i].pitch < w * bpp)
        return NULL;
    }

  frame = g_new0 (WavryVideoFrame, 1);
  g_atomic_ref_count_init (&frame->ref_count);
  frame->format = format;
  frame->width = width;
  frame->height = height;
  memcpy (frame->dmabuf, planes, n_planes * sizeof *planes);
  frame->n_dmabuf = n_planes;
  frame->owner = owner;
  frame->owner_destroy = owner_destroy;
  return frame;
}

gboolean
wavry_video_frame_is_dmabuf (WavryVideoFrame *frame)
{
  g_return_val_if_fail (frame != NULL, FALSE);
  return frame->n_dmabuf > 0;
}

const WavryDmabufPlane *
wavry_video_frame_get_dmabuf_planes (WavryVideoFrame *frame,
                                     guint           *n_planes)
{
  g_return_val_if_fail (frame != NULL, NULL);

  if (n_planes != NULL)
    *n_planes = frame->n_dmabuf;
  return frame->n_dmabuf > 0 ? frame->dmabuf : NULL;
}

WavryVideoFrame *
wavry_video_frame_ref (WavryVideoFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);

  g_atomic_ref_count_inc (&frame->ref_count);
  return frame;
}

void
wavry_video_frame_unref (WavryVideoFrame *frame)
{
  g_return_if_fail (frame != NULL);

  if (g_atomic_ref_count_dec (&frame->ref_count))
    {
      if (frame->owner_destroy != NULL)
        frame->owner_destroy (frame->owner);
      g_aligned_free (frame->memory);
      g_free (frame);
    }
}

WavryPixelFormat
wavry_video_frame_get_format (WavryVideoFrame *frame)
{
  return frame->format;
}

guint
wavry_video_frame_get_width (WavryVideoFrame *frame)
{
  return frame->width;
}

guint
wavry_video_frame_get_height (WavryVideoFrame *frame)
{
  return frame->height;
}

guint
wavry_video_frame_get_n_planes (WavryVideoFrame *frame)
{
  return frame->n_planes;
}

guint8 *
wavry_video_frame_get_data (WavryVideoFrame *frame,
                            guint            plane)
{
  g_return_val_if_fail (plane < frame->n_planes, NULL);

  return frame->plane[plane];
}

gsize
wavry_video_frame_get_stride (WavryVideoFrame *frame,
                              guint            plane)
{
  g_return_val_if_fail (plane < frame->n_planes, 0);

  return frame->stride[plane];
}

gsize
wavry_video_frame_get_row_bytes (WavryVideoFrame *frame,
                                 guint            plane)
{
  g_return_val_if_fail (plane < frame->n_planes, 0);

  return frame->row_bytes[plane];
}

guint
wavry_video_frame_get_rows (WavryVideoFrame *frame,
                            guint            plane)
{
  g_return_val_if_fail (plane < frame->n_planes, 0);

  return frame->rows[plane];
}

gint64
wavry_video_frame_get_pts (WavryVideoFrame *frame)
{
  return frame->pts_us;
}

void
wavry_video_frame_set_pts (WavryVideoFrame *frame,
                           gint64           pts_us)
{
  frame->pts_us = pts_us;
}

gint64
wavry_video_frame_get_capture_time (WavryVideoFrame *frame)
{
  return frame->capture_time_us;
}

void
wavry_video_frame_set_capture_time (WavryVideoFrame *frame,
                                    gint64           monotonic_us)
{
  frame->capture_time_us = monotonic_us;
}

const char *
wavry_pixel_format_to_string (WavryPixelFormat format)
{
  switch (format)
    {
    case WAVRY_PIXEL_FORMAT_I420:
      return "I420";
    case WAVRY_PIXEL_FORMAT_NV12:
      return "NV12";
    case WAVRY_PIXEL_FORMAT_BGRX:
      return "BGRx";
    case WAVRY_PIXEL_FORMAT_RGBX:
      return "RGBx";
    default:
      return "unknown";
    }
}
