/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "rift.pb-c.h"
#include "wavry-video-frame.h"

G_BEGIN_DECLS

/* Video decoding through FFmpeg (libavcodec 59), lowest latency: one access
 * unit in, one picture out, no frame threading. A damaged picture is never
 * returned (RIFT §6.1: show the last good frame, never a corrupted one).
 *
 * A decoder is not thread-safe: use it from one thread (the decode thread). */

typedef struct _WavryVideoDecoder WavryVideoDecoder;

/* @hw: try VA-API hwaccel first (falls back to software silently;
 * get_name says which). */
WavryVideoDecoder *wavry_video_decoder_new      (Rift__Codec         codec,
                                                 gboolean            hw,
                                                 GError            **error);
void               wavry_video_decoder_free     (WavryVideoDecoder  *self);
/* "h264", "hevc", … with " (VA-API)" when hardware decodes. */
const char        *wavry_video_decoder_get_name (WavryVideoDecoder  *self);

/* Decodes one access unit into an I420 frame (or a DMA-BUF frame, see
 * set_dmabuf_output) with @pts_us set. NULL with an
 * error (WAVRY_MEDIA_ERROR_CODEC or _MALFORMED) when the data is corrupt or
 * references a frame the decoder does not have. After an error, a new
 * decoder or a flush, only a keyframe (IDR/IRAP with parameter sets for
 * H.264/HEVC) is accepted. */
WavryVideoFrame   *wavry_video_decoder_decode   (WavryVideoDecoder  *self,
                                                 const guint8       *data,
                                                 gsize               len,
                                                 gint64              pts_us,
                                                 GError            **error);
/* With @enable, pictures decoded by VA-API come out as DMA-BUF frames
 * (wavry_video_frame_is_dmabuf(); NV12, no copy) instead of being
 * downloaded into I420, for a consumer that imports them into GL. Software
 * pictures are always I420 in memory. When the driver cannot export a
 * surface (or exports a layout other than NV12) the picture is downloaded
 * as before and the decoder stops trying (logged once). Off by default. */
void               wavry_video_decoder_set_dmabuf_output (WavryVideoDecoder *self,
                                                          gboolean           enable);
gboolean           wavry_video_decoder_get_dmabuf_output (WavryVideoDecoder *self);

/* Forget references (after a lost frame, until the next keyframe). */
void               wavry_video_decoder_flush    (WavryVideoDecoder  *self);

/* Pictures refused since creation (corrupt, undecodable, or while waiting
 * for a keyframe). */
guint64            wavry_video_decoder_get_n_rejected (WavryVideoDecoder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryVideoDecoder, wavry_video_decoder_free)

G_END_DECLS
