/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-core-types.h"

G_BEGIN_DECLS

/* RIFT §6.6: encoder skip. The client watches Pong RTTs and asks the host to
 * drop encoded frames when the RTT spikes; the host counts the request down
 * frame by frame. Sans-I/O, one owner each. */

#define WAVRY_RIFT_SKIP_THRESHOLD_1_US   30000   /* RTT > smooth + 30 ms → skip 1 */
#define WAVRY_RIFT_SKIP_THRESHOLD_2_US   50000   /* RTT > smooth + 50 ms → skip 2 */
#define WAVRY_RIFT_SKIP_MIN_GAP_US       200000  /* at most one request per 200 ms */
#define WAVRY_RIFT_SKIP_PENDING_MAX      4

typedef struct _WavryRiftSkipDetector WavryRiftSkipDetector;

WavryRiftSkipDetector *wavry_rift_skip_detector_new          (void);
void                   wavry_rift_skip_detector_free         (WavryRiftSkipDetector *self);
/* One Pong's RTT. Returns 0 when there is nothing to send, else the
 * EncoderControl.skip_frames to send (1 or 2). The sample is compared with
 * the smoothed RTT of the earlier Pongs, then folded into it (EWMA 7/8); the
 * first Pong only starts the average. Both sizes share the 200 ms limit.
 * A negative RTT or time going backwards is ignored and counted. */
guint                  wavry_rift_skip_detector_on_rtt       (WavryRiftSkipDetector *self,
                                                              WavryTime              now,
                                                              gint64                 rtt_us);
double                 wavry_rift_skip_detector_get_smoothed (WavryRiftSkipDetector *self);
guint64                wavry_rift_skip_detector_get_rejected (WavryRiftSkipDetector *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftSkipDetector, wavry_rift_skip_detector_free)

/* Host side: zero-initialise ({ 0 }). */
typedef struct
{
  guint pending;
} WavryRiftSkipCounter;

/* Adds an EncoderControl.skip_frames value (any u32 from the wire), capped
 * at WAVRY_RIFT_SKIP_PENDING_MAX pending frames. */
void     wavry_rift_skip_counter_add  (WavryRiftSkipCounter *self,
                                       guint                 n);
/* Call once per encoded frame: TRUE means drop this frame. */
gboolean wavry_rift_skip_counter_take (WavryRiftSkipCounter *self);

G_END_DECLS
