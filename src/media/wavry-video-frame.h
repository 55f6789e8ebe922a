/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Raw video frames as they move between capture, encoder, decoder and
 * sinks. Reference counted and immutable once handed on, so the newest frame
 * can be passed between threads without copying (latency first). */

typedef enum /*< prefix=WAVRY_PIXEL_FORMAT >*/
{
  WAVRY_PIXEL_FORMAT_I420,   /* 8-bit Y, U, V planes; U/V at half width and height */
  WAVRY_PIXEL_FORMAT_NV12,   /* 8-bit Y plane, interleaved UV plane at half resolution */
  WAVRY_PIXEL_FORMAT_BGRX,   /* packed 32-bit, B G R X in memory */
  WAVRY_PIXEL_FORMAT_RGBX,   /* packed 32-bit, R G B X in memory */
} WavryPixelFormat;

#define WAVRY_VIDEO_FRAME_MAX_PLANES 3
#define WAVRY_VIDEO_FRAME_MAX_DIMENSION 8192
#define WAVRY_VIDEO_FRAME_MAX_DMABUF_PLANES 2

/* DRM fourccs and modifiers as in <drm_fourcc.h>, spelled out here so the
 * media layer needs no libdrm headers. */
#define WAVRY_DRM_FOURCC(a, b, c, d) \
  ((guint32) (a) | ((guint32) (b) << 8) | ((guint32) (c) << 16) | ((guint32) (d) << 24))
#define WAVRY_DRM_FORMAT_R8   WAVRY_DRM_FOURCC ('R', '8', ' ', ' ')
#define WAVRY_DRM_FORMAT_GR88 WAVRY_DRM_FOURCC ('G', 'R', '8', '8')   /* byte 0 R, byte 1 G */
#define WAVRY_DRM_FORMAT_NV12 WAVRY_DRM_FOURCC ('N', 'V', '1', '2')
#define WAVRY_DRM_FORMAT_MOD_LINEAR  G_GUINT64_CONSTANT (0)
#define WAVRY_DRM_FORMAT_MOD_INVALID G_GUINT64_CONSTANT (0x00ffffffffffffff)

/* One single-plane image to import (one EGLImage each): for NV12 the luma
 * as R8 (width × height) and the chroma as GR88 (width/2 × height/2), so
 * U lands in .r and V in .g as with the CPU upload. The fd belongs to
 * whoever created the frame and stays open while the frame lives. */
typedef struct
{
  guint32 fourcc;     /* WAVRY_DRM_FORMAT_R8 or _GR88 */
  int     fd;
  guint32 offset;
  guint32 pitch;
  guint64 modifier;   /* WAVRY_DRM_FORMAT_MOD_INVALID: implicit (driver's choice) */
  guint   width;
  guint   height;
} WavryDmabufPlane;

typedef struct _WavryVideoFrame WavryVideoFrame;

#define WAVRY_TYPE_VIDEO_FRAME (wavry_video_frame_get_type ())
GType             wavry_video_frame_get_type     (void) G_GNUC_CONST;

/* Allocates a frame with 64-byte aligned rows (SIMD friendly). NULL when
 * the size is 0, odd for a 4:2:0 format, or over 8192. */
WavryVideoFrame  *wavry_video_frame_new          (WavryPixelFormat  format,
                                                  guint             width,
                                                  guint             height);
/* A frame whose pixels stay in GPU memory, as DMA-BUFs (a decoded VA-API
 * surface): only NV12, with @n_planes == 2 (an R8 luma and a GR88 chroma
 * plane; see WavryDmabufPlane). @owner keeps the buffers alive and is
 * released with @owner_destroy, on whichever thread drops the last
 * reference. Such a frame has no planes in memory: get_n_planes() is 0 and
 * consumers that read pixels must check is_dmabuf() first. NULL (and
 * @owner_destroy is not called) when the description is unusable. */
WavryVideoFrame  *wavry_video_frame_new_dmabuf   (WavryPixelFormat        format,
                                                  guint                   width,
                                                  guint                   height,
                                                  const WavryDmabufPlane *planes,
                                                  guint                   n_planes,
                                                  gpointer                owner,
                                                  GDestroyNotify          owner_destroy);
gboolean          wavry_video_frame_is_dmabuf    (WavryVideoFrame  *frame);
/* The DMA-BUF planes of a frame from new_dmabuf(); NULL (and 0) otherwise. */
const WavryDmabufPlane *wavry_video_frame_get_dmabuf_planes (WavryVideoFrame *frame,
                                                             guint           *n_planes);
WavryVideoFrame  *wavry_video_frame_ref          (WavryVideoFrame  *frame);
void              wavry_video_frame_unref        (WavryVideoFrame  *frame);

WavryPixelFormat  wavry_video_frame_get_format   (WavryVideoFrame  *frame);
guint             wavry_video_frame_get_width    (WavryVideoFrame  *frame);
guint             wavry_video_frame_get_height   (WavryVideoFrame  *frame);
guint             wavry_video_frame_get_n_planes (WavryVideoFrame  *frame);
guint8           *wavry_video_frame_get_data     (WavryVideoFrame  *frame,
                                                  guint             plane);
gsize             wavry_video_frame_get_stride   (WavryVideoFrame  *frame,
                                                  guint             plane);
/* Bytes per row that carry pixels (≤ stride) and rows, of @plane. */
gsize             wavry_video_frame_get_row_bytes (WavryVideoFrame *frame,
                                                   guint            plane);
guint             wavry_video_frame_get_rows     (WavryVideoFrame  *frame,
                                                  guint             plane);

/* Presentation time (µs, from the source's clock) and the monotonic time
 * (g_get_monotonic_time) at which it was captured, for latency accounting. */
gint64            wavry_video_frame_get_pts      (WavryVideoFrame  *frame);
void              wavry_video_frame_set_pts      (WavryVideoFrame  *frame,
                                                  gint64            pts_us);
gint64            wavry_video_frame_get_capture_time (WavryVideoFrame *frame);
void              wavry_video_frame_set_capture_time (WavryVideoFrame *frame,
                                                      gint64           monotonic_us);

const char       *wavry_pixel_format_to_string   (WavryPixelFormat  format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryVideoFrame, wavry_video_frame_unref)

G_END_DECLS
