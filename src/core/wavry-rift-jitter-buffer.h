/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-core-types.h"
#include "wavry-rift-reassembler.h"

G_BEGIN_DECLS

/* RIFT §6.2 constants. */
#define WAVRY_RIFT_JITTER_TARGET_MAX_US  10000
#define WAVRY_RIFT_JITTER_TARGET_STEP_US 1000
#define WAVRY_RIFT_JITTER_TARGET_DECAY_US 500
#define WAVRY_RIFT_JITTER_HIGH_US        2000
#define WAVRY_RIFT_JITTER_LOW_US         500
/* Frames held at once; beyond it the oldest is dropped (a stalled consumer). */
#define WAVRY_RIFT_JITTER_BUFFER_MAX_FRAMES 128

/* RIFT §6.2 adaptive jitter buffer (client). */
typedef struct _WavryRiftJitterBuffer WavryRiftJitterBuffer;

WavryRiftJitterBuffer *wavry_rift_jitter_buffer_new  (void);
void                   wavry_rift_jitter_buffer_free (WavryRiftJitterBuffer *self);

/* Call for every arriving datagram: updates the jitter estimate,
 * EWMA(1/16) of |inter-arrival − EWMA(1/16) inter-arrival|. */
void      wavry_rift_jitter_buffer_on_datagram (WavryRiftJitterBuffer *self,
                                                WavryTime              arrival);
/* The jitter of one-way transit times (RFC 3550 §6.4.1): @transit_us is a
 * frame's arrival minus its send time on the sender's clock (any constant
 * offset cancels). Unlike inter-arrival times, it does not count the
 * sender's own variance (encode time, frame size) as network jitter, so
 * the buffer does not delay every frame for it (doc/protocol-notes.md). */
void wavry_rift_jitter_buffer_on_transit (WavryRiftJitterBuffer *self,
                                          gint64                 transit_us);
/* Queues a completed frame (ownership taken) and adapts the target: jitter
 * > 2 ms → +1 ms (max 10 ms), jitter < 0.5 ms → −0.5 ms (min 0). The
 * frame's arrival is its last_arrival. */
void      wavry_rift_jitter_buffer_push        (WavryRiftJitterBuffer *self,
                                                WavryRiftVideoFrame   *frame,
                                                WavryTime              now);
/* A frame whose now − arrival ≥ target, or NULL. Latency first: when
 * several are due, the ones before the newest due keyframe are dropped
 * (counted); P-frames are all needed, so they are returned in order. */
WavryRiftVideoFrame *wavry_rift_jitter_buffer_pop (WavryRiftJitterBuffer *self,
                                                   WavryTime              now);
/* When the oldest held frame is due; G_MAXINT64 = empty. */
WavryTime wavry_rift_jitter_buffer_next_timeout (WavryRiftJitterBuffer *self);
gint64    wavry_rift_jitter_buffer_get_target_us (WavryRiftJitterBuffer *self);
gint64    wavry_rift_jitter_buffer_get_jitter_us (WavryRiftJitterBuffer *self);
guint64   wavry_rift_jitter_buffer_get_dropped   (WavryRiftJitterBuffer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftJitterBuffer, wavry_rift_jitter_buffer_free)

G_END_DECLS
