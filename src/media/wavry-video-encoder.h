/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "rift.pb-c.h"
#include "wavry-video-frame.h"

G_BEGIN_DECLS

/* Video encoding through FFmpeg (libavcodec 59): libx264/libx265 in
 * software, h264/hevc/av1 VA-API and NVENC in hardware. Output follows
 * RIFT §6.1: Annex-B, one access unit per input frame, no B-frames, no
 * look-ahead, intra refresh, parameter sets before every IDR.
 *
 * An encoder is not thread-safe: use it from one thread (the encode thread). */

typedef struct
{
  Rift__Codec codec;
  guint       width;                 /* output size; other input sizes/formats are converted */
  guint       height;
  guint       fps;
  guint       bitrate_kbps;
  guint       keyframe_interval_ms;  /* 0 → 1000 */
  guint       threads;               /* 0 = 1 (lowest latency; slice threads only if > 1) */
} WavryVideoEncoderConfig;

typedef struct
{
  GBytes   *data;              /* one access unit, Annex-B */
  gint64    pts_us;            /* the frame's pts */
  gint64    capture_time_us;   /* copied from the input frame (monotonic) */
  gint64    encode_us;         /* time spent in this encode call */
  gboolean  keyframe;          /* an IDR (IRAP for HEVC) with its parameter sets: a decoder
                                * can start here. libx264's intra-refresh recovery points are
                                * not keyframes. */
} WavryEncodedFrame;

void wavry_encoded_frame_free (WavryEncodedFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryEncodedFrame, wavry_encoded_frame_free)

typedef struct _WavryVideoEncoder WavryVideoEncoder;

/* @name: NULL or "auto" (VA-API when a render node works, then NVENC, then
 * software), "x264", "x265" (if libavcodec has libx265), "vaapi", "nvenc".
 * Errors name what was tried and why it failed. */
WavryVideoEncoder *wavry_video_encoder_new          (const char                    *name,
                                                     const WavryVideoEncoderConfig *config,
                                                     GError                       **error);
void               wavry_video_encoder_free         (WavryVideoEncoder             *self);
/* The libavcodec encoder: "libx264", "h264_vaapi", … */
const char        *wavry_video_encoder_get_name     (WavryVideoEncoder             *self);
/* Why "auto" did not use the encoders it tried before this one ("VA-API: …;
 * NVENC: …"), or NULL when the first choice worked or a name was given. */
const char        *wavry_video_encoder_get_fallback_reason (WavryVideoEncoder      *self);
const WavryVideoEncoderConfig *
                   wavry_video_encoder_get_config   (WavryVideoEncoder             *self);

/* Codecs the named encoder family (NULL = auto) can produce on this machine,
 * best first per RIFT §4 (AV1 → HEVC → H264; AV1 only with hardware): fills
 * @codecs, returns the count. Probes hardware by opening a small encoder. */
gsize              wavry_video_encoder_probe_codecs (const char                    *name,
                                                     Rift__Codec                    codecs[3]);

/* Encodes @frame; the result is the access unit for this frame (one in, one
 * out). @force_keyframe makes it an IDR with parameter sets. */
WavryEncodedFrame *wavry_video_encoder_encode       (WavryVideoEncoder             *self,
                                                     WavryVideoFrame               *frame,
                                                     gboolean                       force_keyframe,
                                                     GError                       **error);

/* Runtime changes: without a new IDR where the encoder allows (libx264
 * reconfigures rate control); otherwise the encoder is reopened on the next
 * frame, which is then a keyframe. */
void               wavry_video_encoder_set_bitrate  (WavryVideoEncoder             *self,
                                                     guint                          kbps);
void               wavry_video_encoder_set_fps      (WavryVideoEncoder             *self,
                                                     guint                          fps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryVideoEncoder, wavry_video_encoder_free)

G_END_DECLS
