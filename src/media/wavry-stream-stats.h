/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Per-frame latency samples and per-period counters of a stream, for the
 * headless client's --stats FILE, its terminal status line and the
 * benchmarks. Every function is thread-safe: the client's network thread
 * (bytes, packets, NACKs, RTT) and decode thread (frames, latencies) both
 * report into one object.
 *
 * Time is injected (monotonic µs, as g_get_monotonic_time) so that tests
 * are deterministic.
 *
 * Percentiles are nearest-rank: the p-th percentile of n sorted samples is
 * the sample at rank ceil(p/100 × n) (1-based; rank 1 for p = 0). Within a
 * period they are exact over every sample, up to 100 000 samples per kind;
 * past that, a uniform reservoir of 100 000 is kept. Whole-run percentiles
 * (wavry_stream_stats_get_summary) come from a log-scaled histogram per kind:
 * exact below 128 µs, at most 0.8 % relative error above (64 buckets per
 * power of two, reported at the bucket midpoint). */

typedef enum /*< prefix=WAVRY_LATENCY >*/
{
  WAVRY_LATENCY_CAPTURE,   /* capture → encoder input (host, VideoChunk.capture_us) */
  WAVRY_LATENCY_ENCODE,    /* encoder (host, VideoChunk.encode_us) */
  WAVRY_LATENCY_NETWORK,   /* first chunk sent → frame complete at the client */
  WAVRY_LATENCY_DECODE,    /* decoder */
  WAVRY_LATENCY_TOTAL,     /* capture → decoded, end to end */
  WAVRY_LATENCY_LAST
} WavryLatencyKind;

typedef struct _WavryStreamStats WavryStreamStats;

/* The run starts at g_get_monotonic_time() (_new) or at @start_us (_new_at). */
WavryStreamStats *wavry_stream_stats_new      (void);
WavryStreamStats *wavry_stream_stats_new_at   (gint64            start_us);
void              wavry_stream_stats_free     (WavryStreamStats *self);

/* A negative sample (clock skew between host and client) is rejected and
 * counted in "rejected_samples". */
void wavry_stream_stats_add_latency       (WavryStreamStats *self,
                                           WavryLatencyKind  kind,
                                           gint64            us);

/* Counters; add_* are cumulative increments in the current period. */
void wavry_stream_stats_add_frame_decoded (WavryStreamStats *self);
void wavry_stream_stats_add_frame_dropped (WavryStreamStats *self);
void wavry_stream_stats_add_bytes         (WavryStreamStats *self,
                                           gsize             bytes);   /* on the wire */
void wavry_stream_stats_add_fec_recovered (WavryStreamStats *self,
                                           guint             n);
void wavry_stream_stats_add_nacks         (WavryStreamStats *self,
                                           guint             n);       /* ids requested */
void wavry_stream_stats_add_lost          (WavryStreamStats *self,
                                           guint             n);       /* packets */
void wavry_stream_stats_add_received      (WavryStreamStats *self,
                                           guint             n);       /* packets */
/* Latest values (RIFT §6.8): reported as they were at the end of a period. */
void wavry_stream_stats_set_rtt           (WavryStreamStats *self,
                                           gint64            rtt_us);
void wavry_stream_stats_set_jitter        (WavryStreamStats *self,
                                           gint64            jitter_us);
/* Stream size, for the status line only. */
void wavry_stream_stats_set_resolution    (WavryStreamStats *self,
                                           guint             width,
                                           guint             height);

/* Ends the period at @now_us and returns its summary as a one-line JSON
 * object:
 *   {"t":…,"fps":…,"bitrate_kbps":…,"rtt_ms":…,"jitter_ms":…,"loss_pct":…,
 *    "fec_recovered":…,"nacks":…,"frames_dropped":…,"frames_decoded":…,
 *    "received":…,"lost":…,"rejected_samples":…,
 *    "latency_ms":{"capture":{"n":…,"p50":…,"p95":…,"p99":…},"encode":{…},
 *                  "network":{…},"decode":{…},"total":{…}}}
 * "t" is seconds since the start of the run at the end of the period; rtt_ms
 * and jitter_ms are null until set; percentiles are null for a kind without
 * samples. A @now_us before the period's start is treated as the start. */
char *wavry_stream_stats_take_period  (WavryStreamStats *self,
                                       gint64            now_us);
/* The whole run up to @now_us, same shape; "t" is the duration, rates are
 * averages over it, counters are totals (the current period included). */
char *wavry_stream_stats_get_summary  (WavryStreamStats *self,
                                       gint64            now_us);
/* A one-line human status of the last completed period, e.g.
 * "1280×720 59.8 fps · 8.1 Mb/s · RTT 0.4 ms · loss 0.0 % · latency p50 9.2 ms". */
char *wavry_stream_stats_format_status (WavryStreamStats *self);

/* Nearest-rank percentile (@p in 0…100) of @n values; sorts a copy.
 * NAN when @n is 0. */
double wavry_percentile (const gint64 *values,
                         gsize         n,
                         double        p);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryStreamStats, wavry_stream_stats_free)

G_END_DECLS
