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

typedef struct _WavryVideoFrame WavryVideoFrame;

#define WAVRY_TYPE_VIDEO_FRAME (wavry_video_frame_get_type ())
GType             wavry_video_frame_get_type     (void) G_GNUC_CONST;

/* Allocates a frame with 64-byte aligned rows (SIMD friendly). NULL when
 * the size is 0, odd for a 4:2:0 format, or over 8192. */
WavryVideoFrame  *wavry_video_frame_new          (WavryPixelFormat  format,
                                                  guint             width,
                                                  guint             height);
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
