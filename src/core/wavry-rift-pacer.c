/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <math.h>

#include "wavry-rift-pacer.h"
#include "wavry-rift-windowed-min.h"

#define RTT_MIN_WINDOW_US  (10 * G_USEC_PER_SEC)
#define MAX_SANE_US        (60 * G_USEC_PER_SEC)

struct _WavryRiftPacer
{
  WavryRiftWindowedMin *rtt_min;
  gboolean              have_stats;
  WavryTime             last_now;
  double                rtt_s;     /* µs */
  double                jitter_s;  /* µs */
  guint64               rejected;
};

WavryRiftPacer *
wavry_rift_pacer_new (void)
{
  WavryRiftPacer *self = g_new0 (WavryRiftPacer, 1);

  self->rtt_min = wavry_rift_windowed_min_new (RTT_MIN_WINDOW_US);
  return self;
}

void
wavry_rift_pacer_free (WavryRiftPacer *self)
{
  if (self == NULL)
    return;
  wavry_rift_windowed_min_free (self->rtt_min);
  g_free (self);
}

void
wavry_rift_pacer_on_stats (WavryRiftPacer *self,
                           WavryTime       now,
                           gint64          rtt_us,
                           gint64          jitter_us)
{
  g_return_if_fail (self != NULL);

  if ((self->have_stats && now < self->last_now) ||
      rtt_us < 0 || rtt_us > MAX_SANE_US ||
      jitter_us < 0 || jitter_us > MAX_SANE_US)
    {
      self->rejected++;
      return;
    }

  wavry_rift_windowed_min_update (self->rtt_min, now, rtt_us);
  if (!self->have_stats)
    {
      self->rtt_s = rtt_us;
      self->jitter_s = jitter_us;
    }
  else
    {
      /* RIFT §6.5: rtt_s = EWMA 7/8, jitter_s = EWMA 3/4 (weight of the old value). */
      self->rtt_s = (7.0 * self->rtt_s + rtt_us) / 8.0;
      self->jitter_s = (3.0 * self->jitter_s + jitter_us) / 4.0;
    }
  self->have_stats = TRUE;
  self->last_now = now;
}

gint64
wavry_rift_pacer_interval_us (WavryRiftPacer *self,
                              gsize           payload_len,
                              guint           bitrate_kbps)
{
  double rate_scale, size_scale, base, rtt_inc = 0.0, jit = 0.0, factor, interval;

  g_return_val_if_fail (self != NULL, WAVRY_RIFT_PACER_MAX_INTERVAL_US);

  /* RIFT §6.5: base = 30 µs × clamp(20000/kbps, 0.5, 2) × clamp((payload+64)/1200, 0.5, 2).
   * 0 kbps is the slowest rate there is: the top of the clamp. */
  rate_scale = bitrate_kbps > 0 ? CLAMP (20000.0 / bitrate_kbps, 0.5, 2.0) : 2.0;
  size_scale = CLAMP (((double) payload_len + 64.0) / 1200.0, 0.5, 2.0);
  base = 30.0 * rate_scale * size_scale;

  if (self->have_stats)
    {
      double rtt_min = wavry_rift_windowed_min_get (self->rtt_min);

      /* The ratio is taken against at least WAVRY_RIFT_PACER_RTT_FLOOR_US:
       * on a LAN or loopback an RTT of 0.05–0.3 ms varies by several times
       * with scheduling noise alone, which read literally (§6.5) triples
       * the interval and spreads every frame over milliseconds. Queueing
       * that small is not congestion (doc/protocol-notes.md). */
      rtt_min = MAX (rtt_min, WAVRY_RIFT_PACER_RTT_FLOOR_US);
      rtt_inc = CLAMP ((self->rtt_s - rtt_min) / rtt_min, 0.0, 2.0);
      jit = CLAMP (self->jitter_s / 2000.0, 0.0, 3.0);
    }

  factor = 1.0 + 1.5 * rtt_inc + 0.5 * jit;
  if (rtt_inc < 0.02 && jit < 0.2)
    factor *= 0.8;

  interval = CLAMP (base * factor, WAVRY_RIFT_PACER_MIN_INTERVAL_US,
                    WAVRY_RIFT_PACER_MAX_INTERVAL_US);
  return (gint64) lround (interval);
}

gint64
wavry_rift_pacer_frame_interval_us (WavryRiftPacer *self,
                                    gsize           payload_len,
                                    guint           bitrate_kbps,
                                    guint           chunk_count,
                                    guint           fps)
{
  gint64 interval, budget;

  g_return_val_if_fail (self != NULL, 0);

  interval = wavry_rift_pacer_interval_us (self, payload_len, bitrate_kbps);
  if (fps == 0 || chunk_count <= 1)
    return interval;

  /* Half the frame interval for the whole frame: the other half is left
   * for the encoder's next frame, NACK retransmits and FEC parity. */
  budget = G_USEC_PER_SEC / 2 / fps / chunk_count;
  return MIN (interval, budget);
}

guint64
wavry_rift_pacer_get_rejected (WavryRiftPacer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rejected;
}
