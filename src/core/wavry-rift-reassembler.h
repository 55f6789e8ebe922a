/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "rift.pb-c.h"
#include "wavry-core-types.h"

G_BEGIN_DECLS

/* RIFT §6.1: frame ids the reassembler holds at once, counted from the
 * oldest frame not yet delivered or discarded. */
#define WAVRY_RIFT_REASSEMBLER_WINDOW 256
/* RIFT §6.1: an incomplete frame is discarded this long after its first chunk. */
#define WAVRY_RIFT_REASSEMBLER_TIMEOUT_US 50000
/* Bytes held at once for incomplete and undelivered frames (payload plus a
 * per-chunk overhead); chunks beyond it are dropped and counted, so a peer
 * cannot make us hold 256 × 4.9 MB. */
#define WAVRY_RIFT_REASSEMBLER_MAX_BYTES (64 * 1024 * 1024)

/* A reassembled frame. */
typedef struct
{
  guint64   frame_id;
  GBytes   *data;
  guint64   timestamp_us;
  gboolean  keyframe;
  guint32   capture_us;
  guint32   encode_us;
  WavryTime first_arrival;  /* of its chunks */
  WavryTime last_arrival;
  gboolean  after_gap;      /* an earlier frame was lost: not decodable unless keyframe */
} WavryRiftVideoFrame;

void wavry_rift_video_frame_free (WavryRiftVideoFrame *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftVideoFrame, wavry_rift_video_frame_free)

typedef struct
{
  guint64 frames_complete;
  guint64 frames_lost;
  guint64 chunks_dropped;
  guint64 chunks_duplicate;
} WavryRiftReassemblerStats;

typedef struct _WavryRiftReassembler WavryRiftReassembler;

WavryRiftReassembler *wavry_rift_reassembler_new  (void);
void                  wavry_rift_reassembler_free (WavryRiftReassembler *self);

/* Takes a copy of @chunk's payload. FALSE (dropped, counted) for
 * inconsistent chunks: index ≥ count, count 0 or > 4096, count, keyframe or
 * timestamp disagreeing with earlier chunks of the frame, payload > 1200,
 * frames too far behind or ahead (window of 256 frame ids), duplicates.
 * The first frame id seen starts the sequence. */
gboolean  wavry_rift_reassembler_add_chunk  (WavryRiftReassembler   *self,
                                             const Rift__VideoChunk *chunk,
                                             WavryTime               now);
/* Complete frames, strictly in frame_id order, or NULL: a complete frame
 * waits while an earlier frame is still incomplete and not yet discarded. */
WavryRiftVideoFrame *wavry_rift_reassembler_pop_frame (WavryRiftReassembler *self);
/* Discards incomplete frames 50 ms after their first chunk (RIFT §6.1);
 * the next frame delivered after a discarded one has after_gap set. */
void      wavry_rift_reassembler_handle_timeout (WavryRiftReassembler *self,
                                                 WavryTime             now);
/* When handle_timeout() next has work; G_MAXINT64 = none. */
WavryTime wavry_rift_reassembler_next_timeout   (WavryRiftReassembler *self);
/* The frame ids discarded since the last call, oldest first (the client
 * sends ReferenceInvalidation for them). */
gboolean  wavry_rift_reassembler_pop_lost       (WavryRiftReassembler *self,
                                                 guint64              *frame_id);
/* What the frames held now count against WAVRY_RIFT_REASSEMBLER_MAX_BYTES. */
gsize     wavry_rift_reassembler_get_held_bytes (WavryRiftReassembler      *self);
void      wavry_rift_reassembler_get_stats      (WavryRiftReassembler      *self,
                                                 WavryRiftReassemblerStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftReassembler, wavry_rift_reassembler_free)

G_END_DECLS
