/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-core-types.h"
#include "wavry-rift-windowed-min.h"

G_BEGIN_DECLS

/* RIFT §7: DELTA congestion control. Sans-I/O: the caller feeds one sample
 * per StatsReport (RIFT §6.8) with its own clock, then applies the bitrate,
 * frame rate and FEC fraction it reads back. Not thread-safe; one owner. */

typedef enum /*< prefix=WAVRY_RIFT_DELTA >*/
{
  WAVRY_RIFT_DELTA_STABLE,
  WAVRY_RIFT_DELTA_RISING,
  WAVRY_RIFT_DELTA_CONGESTED,
} WavryRiftDeltaState;

typedef struct
{
  gint64 t_limit_us;          /* queueing delay that means congestion */
  double alpha;               /* RTT EWMA weight of the new sample, (0, 1] */
  double beta;                /* multiplicative decrease, (0, 1] */
  guint  step_kbps;           /* additive increase at dq = 0 */
  guint  min_kbps;
  guint  max_kbps;
  guint  k;                   /* samples to confirm RISING or STABLE */
  gint64 rtt_min_window_us;
  double fec_start;           /* initial and lowest FEC fraction */
} WavryRiftDeltaConfig;

/* Highest FEC overhead fraction DELTA asks for (RIFT §6.3, §7). */
#define WAVRY_RIFT_DELTA_FEC_MAX 0.5

/* Fills in the [CODE] defaults of RIFT §7: 20 ms, 0.125, 0.85, 500 kbps,
 * 2000..50000 kbps, k = 5, 10 s, 0.05. */
void                 wavry_rift_delta_config_init      (WavryRiftDeltaConfig       *config);
/* TRUE if wavry_rift_delta_new() accepts @config: t_limit and window > 0,
 * 0 < alpha <= 1, 0 < beta <= 1, k >= 1, 0 < min <= max,
 * 0 <= fec_start <= WAVRY_RIFT_DELTA_FEC_MAX. */
gboolean             wavry_rift_delta_config_is_valid  (const WavryRiftDeltaConfig *config);

typedef struct _WavryRiftDelta WavryRiftDelta;

/* @config NULL means the defaults. @initial_kbps is clamped to min..max.
 * Returns NULL (with a critical) for an invalid config. */
WavryRiftDelta      *wavry_rift_delta_new              (const WavryRiftDeltaConfig *config,
                                                        guint                       initial_kbps,
                                                        guint                       initial_fps);
void                 wavry_rift_delta_free             (WavryRiftDelta             *self);

/* One StatsReport sample: loss = lost/(received+lost) in 0..1. A sample the
 * peer could not have measured (negative or absurd RTT or jitter, loss that
 * is NaN or outside 0..1, time going backwards) is ignored and counted, see
 * wavry_rift_delta_get_rejected(). */
void                 wavry_rift_delta_on_report        (WavryRiftDelta             *self,
                                                        WavryTime                   now,
                                                        gint64                      rtt_us,
                                                        double                      loss,
                                                        gint64                      jitter_us);
guint                wavry_rift_delta_get_bitrate_kbps (WavryRiftDelta             *self);
/* Never above initial_fps: DELTA only steps the frame rate down [CODE]. */
guint                wavry_rift_delta_get_fps          (WavryRiftDelta             *self);
/* FEC overhead fraction, fec_start … WAVRY_RIFT_DELTA_FEC_MAX. */
double               wavry_rift_delta_get_fec          (WavryRiftDelta             *self);
WavryRiftDeltaState  wavry_rift_delta_get_state        (WavryRiftDelta             *self);
/* The windowed RTT minimum in µs; 0 before the first sample. */
gint64               wavry_rift_delta_get_rtt_min      (WavryRiftDelta             *self);
/* The smoothed RTT s of RIFT §7 step 2, in µs; 0 before the first sample. */
double               wavry_rift_delta_get_smoothed_rtt (WavryRiftDelta             *self);
/* Samples ignored as malformed since creation. */
guint64              wavry_rift_delta_get_rejected     (WavryRiftDelta             *self);
/* The frame-rate step of RIFT §7 (144/120 → 90, 90 → 60, 60 → 45, 45 → 30,
 * other > 60 → 60); rates it does not name are returned unchanged. */
guint                wavry_rift_delta_next_fps         (guint                       fps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftDelta, wavry_rift_delta_free)

G_END_DECLS
