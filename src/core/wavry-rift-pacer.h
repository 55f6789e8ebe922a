/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-core-types.h"

G_BEGIN_DECLS

/* RIFT §6.5: the gap a host leaves between two video chunks. Audio and
 * control messages are never paced. Sans-I/O: the caller keeps the clock and
 * sleeps or arms its timer for the returned interval. One owner, no locks. */

#define WAVRY_RIFT_PACER_MIN_INTERVAL_US 20
#define WAVRY_RIFT_PACER_MAX_INTERVAL_US 500
/* rtt_min below this counts as this much in rtt_inc (§6.5 reading) */
#define WAVRY_RIFT_PACER_RTT_FLOOR_US    1000

typedef struct _WavryRiftPacer WavryRiftPacer;

WavryRiftPacer *wavry_rift_pacer_new               (void);
void            wavry_rift_pacer_free              (WavryRiftPacer *self);
/* One StatsReport (RIFT §6.8): rtt_s = EWMA 7/8, jitter_s = EWMA 3/4, and
 * rtt_min over the last 10 s of raw RTTs (the DELTA window, RIFT §7). The
 * first report sets both averages. Negative or absurd values and time going
 * backwards are ignored and counted (wavry_rift_pacer_get_rejected()). */
void            wavry_rift_pacer_on_stats          (WavryRiftPacer *self,
                                                    WavryTime       now,
                                                    gint64          rtt_us,
                                                    gint64          jitter_us);
/* The interval to wait after sending a chunk of @payload_len bytes at
 * @bitrate_kbps, rounded to the nearest µs and clamped to 20..500 µs. Before
 * any stats the path counts as idle (rtt_inc = 0, jit = 0). */
gint64          wavry_rift_pacer_interval_us       (WavryRiftPacer *self,
                                                    gsize           payload_len,
                                                    guint           bitrate_kbps);
/* The same interval, capped so that the @chunk_count chunks of one frame
 * are paced over at most half of the frame interval 1 s / @fps; the cap may
 * go below 20 µs, down to 0 (send back to back). RIFT §6.5 alone paces a
 * 150-chunk frame over up to 75 ms, longer than any frame interval; see
 * doc/protocol-notes.md. @fps 0 means no cap. */
gint64          wavry_rift_pacer_frame_interval_us (WavryRiftPacer *self,
                                                    gsize           payload_len,
                                                    guint           bitrate_kbps,
                                                    guint           chunk_count,
                                                    guint           fps);
guint64         wavry_rift_pacer_get_rejected      (WavryRiftPacer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftPacer, wavry_rift_pacer_free)

G_END_DECLS
