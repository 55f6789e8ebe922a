/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-rift-proto.h"

G_BEGIN_DECLS

/* Muxes encoded access units (H.264/HEVC Annex-B, as received: RIFT §6.1)
 * into a file without re-encoding, for the headless client's --record FILE.
 *
 * The container follows the file extension: .mkv, .mp4, .mov or .ts (any
 * case). The parameter sets (SPS/PPS, and VPS for HEVC) of the first keyframe
 * become the stream's extradata and the header is written then; frames
 * before it are skipped and counted. The file's timestamps start at 0: a
 * frame is written at pts_us − (pts_us of the first keyframe written), so
 * pts_us must increase strictly; a frame that does not is refused.
 *
 * Not thread-safe: call from one thread (the client's decode thread). */

typedef struct _WavryRecorder WavryRecorder;

#define WAVRY_RECORDER_EXTENSIONS ".mkv, .mp4, .mov, .ts"

/* Opens @path for writing (truncating it). Fails for an unknown extension
 * (WAVRY_MEDIA_ERROR_UNSUPPORTED, the message lists the known ones), AV1 or
 * a path that cannot be created (WAVRY_MEDIA_ERROR_IO). */
WavryRecorder *wavry_recorder_new        (const char     *path,
                                          Rift__Codec     codec,
                                          guint           width,
                                          guint           height,
                                          GError        **error);
/* Writes one access unit. Returns TRUE also for a frame skipped while
 * waiting for the first keyframe; FALSE with WAVRY_MEDIA_ERROR_MALFORMED for
 * an empty frame or a pts that does not increase (the frame is dropped and
 * the recording goes on), WAVRY_MEDIA_ERROR_IO when the muxer fails. */
gboolean       wavry_recorder_write      (WavryRecorder  *self,
                                          const guint8   *data,
                                          gsize           len,
                                          gint64          pts_us,
                                          gboolean        keyframe,
                                          GError        **error);
/* Writes the trailer; the file is then playable. Without any keyframe
 * nothing was recorded: the empty file is removed and an error returned.
 * Calling it again is a no-op that returns TRUE. */
gboolean       wavry_recorder_close      (WavryRecorder  *self,
                                          GError        **error);
/* Closes if needed (errors are logged, not returned). */
void           wavry_recorder_free       (WavryRecorder  *self);

guint64        wavry_recorder_get_n_written (WavryRecorder *self);
/* Frames skipped before the first keyframe plus frames refused by _write. */
guint64        wavry_recorder_get_n_skipped (WavryRecorder *self);

/* The parameter-set NAL units (H.264 SPS 7, PPS 8; HEVC VPS 32, SPS 33,
 * PPS 34) of an Annex-B access unit, each with a 4-byte start code, in
 * stream order; NULL when there are none. Exposed for the fuzz target. */
GBytes        *wavry_recorder_extract_parameter_sets (Rift__Codec   codec,
                                                      const guint8 *data,
                                                      gsize         len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRecorder, wavry_recorder_free)

G_END_DECLS
