/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <math.h>

#include "wavry-rift-delta.h"

/* Samples beyond these cannot come from a working link; they are counted and
 * ignored rather than allowed to poison rtt_min or the EWMA. */
#define MAX_SANE_RTT_US    (60 * G_USEC_PER_SEC)
#define MAX_SANE_JITTER_US (60 * G_USEC_PER_SEC)

/* RIFT §7 step 5/7: FPS steps after more than 1 s of continuous congestion. */
#define FPS_STEP_AFTER_US  G_USEC_PER_SEC

/* RIFT §7 steps 6/7. */
#define FEC_JITTER_HIGH_US   10000
#define FEC_JITTER_MID_US    5000
#define FEC_LOSS_THRESHOLD   0.01

struct _WavryRiftDelta
{
  WavryRiftDeltaConfig  config;
  WavryRiftWindowedMin *rtt_min;

  WavryRiftDeltaState   state;
  guint                 bitrate_kbps;
  guint                 fps;
  double                fec;

  gboolean              have_sample;
  WavryTime             last_now;
  double                smoothed_rtt;  /* s, µs */
  double                dq_prev;       /* µs */
  guint                 rising;
  guint                 stable;
  WavryTime             congested_since;

  guint64               rejected;
};

void
wavry_rift_delta_config_init (WavryRiftDeltaConfig *config)
{
  g_return_if_fail (config != NULL);

  /* RIFT §7 table, [CODE] column (D8). */
  *config = (WavryRiftDeltaConfig) {
    .t_limit_us = 20000,
    .alpha = 0.125,
    .beta = 0.85,
    .step_kbps = 500,
    .min_kbps = 2000,
    .max_kbps = 50000,
    .k = 5,
    .rtt_min_window_us = 10 * G_USEC_PER_SEC,
    .fec_start = 0.05,
  };
}

gboolean
wavry_rift_delta_config_is_valid (const WavryRiftDeltaConfig *config)
{
  g_return_val_if_fail (config != NULL, FALSE);

  /* Written so that NaN fails every comparison and so the check. */
  return config->t_limit_us > 0 &&
         config->alpha > 0.0 && config->alpha <= 1.0 &&
         config->beta > 0.0 && config->beta <= 1.0 &&
         config->k >= 1 &&
         config->min_kbps > 0 && config->min_kbps <= config->max_kbps &&
         config->rtt_min_window_us > 0 &&
         config->fec_start >= 0.0 && config->fec_start <= WAVRY_RIFT_DELTA_FEC_MAX;
}

WavryRiftDelta *
wavry_rift_delta_new (const WavryRiftDeltaConfig *config,
                      guint                       initial_kbps,
                      guint                       initial_fps)
{
  WavryRiftDeltaConfig defaults;
  WavryRiftDelta *self;

  if (config == NULL)
    {
      wavry_rift_delta_config_init (&defaults);
      config = &defaults;
    }
  g_return_val_if_fail (wavry_rift_delta_config_is_valid (config), NULL);

  self = g_new0 (WavryRiftDelta, 1);
  self->config = *config;
  self->rtt_min = wavry_rift_windowed_min_new (config->rtt_min_window_us);
  self->state = WAVRY_RIFT_DELTA_STABLE;
  self->bitrate_kbps = CLAMP (initial_kbps, config->min_kbps, config->max_kbps);
  self->fps = initial_fps;
  self->fec = config->fec_start;
  return self;
}

void
wavry_rift_delta_free (WavryRiftDelta *self)
{
  if (self == NULL)
    return;
  wavry_rift_windowed_min_free (self->rtt_min);
  g_free (self);
}

guint
wavry_rift_delta_next_fps (guint fps)
{
  /* RIFT §7 step 7: 144/120 → 90, 90 → 60, 60 → 45, 45 → 30, other > 60 → 60. */
  switch (fps)
    {
    case 144:
    case 120:
      return 90;
    case 90:
      return 60;
    case 60:
      return 45;
    case 45:
      return 30;
    default:
      return fps > 60 ? 60 : fps;
    }
}

static gboolean
sample_is_sane (WavryRiftDelta *self,
                WavryTime       now,
                gint64          rtt_us,
                double          loss,
                gint64          jitter_us)
{
  if (self->have_sample && now < self->last_now)
    return FALSE;
  if (rtt_us < 0 || rtt_us > MAX_SANE_RTT_US)
    return FALSE;
  if (jitter_us < 0 || jitter_us > MAX_SANE_JITTER_US)
    return FALSE;
  /* !(a && b) rather than (a || b) so that NaN is refused too. */
  if (!(loss >= 0.0 && loss <= 1.0))
    return FALSE;
  return TRUE;
}

/* RIFT §7 step 4. With smoothing (alpha < 1) the threshold is 5 % of s. With
 * alpha = 1 s is the raw RTT, so the threshold follows the measured jitter
 * instead, and a fixed 100 µs when the peer reports no jitter at all
 * (see doc/protocol-notes.md). */
static double
epsilon (WavryRiftDelta *self,
         gint64          jitter_us)
{
  if (self->config.alpha < 1.0)
    return 0.05 * self->smoothed_rtt;
  if (jitter_us > 0)
    return jitter_us / 2.0;
  return 100.0;
}

static void
update_state (WavryRiftDelta *self,
              WavryTime       now,
              double          dq,
              double          delta,
              double          eps)
{
  const WavryRiftDeltaConfig *c = &self->config;

  if (dq > c->t_limit_us)
    {
      if (self->state != WAVRY_RIFT_DELTA_CONGESTED)
        self->congested_since = now;
      self->state = WAVRY_RIFT_DELTA_CONGESTED;
      self->rising = 0;
      self->stable = 0;
    }
  else if (delta > eps)
    {
      self->rising++;
      self->stable = 0;
      if (self->rising >= c->k && self->state == WAVRY_RIFT_DELTA_STABLE)
        self->state = WAVRY_RIFT_DELTA_RISING;
    }
  else if (delta <= 0.0)
    {
      self->stable++;
      self->rising = 0;
      if (self->stable >= c->k && self->state != WAVRY_RIFT_DELTA_STABLE)
        self->state = WAVRY_RIFT_DELTA_STABLE;
    }
  /* 0 < Δ <= ε: noise; neither counter moves. */

  /* Counters only saturate in practice, but keep them from wrapping on a
   * link that stays flat for years. */
  self->rising = MIN (self->rising, c->k);
  self->stable = MIN (self->stable, c->k);
}

static void
apply_jitter_fec (WavryRiftDelta *self,
                  gint64          jitter_us)
{
  /* RIFT §7 step 6. The caps limit how far jitter alone raises FEC; they
   * never lower a higher fraction that loss asked for (see
   * doc/protocol-notes.md). */
  if (jitter_us > FEC_JITTER_HIGH_US)
    self->fec = MAX (self->fec, MIN (self->fec + 0.02, 0.25));
  else if (jitter_us > FEC_JITTER_MID_US)
    self->fec = MAX (self->fec, MIN (self->fec + 0.01, 0.20));
}

static void
apply_actions (WavryRiftDelta *self,
               WavryTime       now,
               double          dq,
               double          loss,
               gint64          jitter_us)
{
  const WavryRiftDeltaConfig *c = &self->config;

  switch (self->state)
    {
    case WAVRY_RIFT_DELTA_STABLE:
      {
        double room = MAX (0.0, 1.0 - dq / (double) c->t_limit_us);
        guint64 r = (guint64) self->bitrate_kbps + (guint64) floor (c->step_kbps * room);

        self->bitrate_kbps = (guint) MIN (r, (guint64) c->max_kbps);
        if (jitter_us < FEC_JITTER_MID_US)
          self->fec = MAX (self->fec - 0.001, c->fec_start);
      }
      break;

    case WAVRY_RIFT_DELTA_RISING:
      /* Queue building but not yet over the limit: hold R. */
      break;

    case WAVRY_RIFT_DELTA_CONGESTED:
      {
        guint r = (guint) floor (self->bitrate_kbps * c->beta);

        self->bitrate_kbps = MAX (r, c->min_kbps);
        /* Unsigned: now >= congested_since, and the difference of extreme
         * times must not overflow. */
        if ((guint64) now - (guint64) self->congested_since > FPS_STEP_AFTER_US)
          {
            self->fps = wavry_rift_delta_next_fps (self->fps);
            self->congested_since = now;
          }
        if (loss > FEC_LOSS_THRESHOLD)
          self->fec = MIN (1.5 * self->fec, WAVRY_RIFT_DELTA_FEC_MAX);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  /* fec_start may be 0, and 1.5 · 0 stays 0: keep it inside its bounds
   * whatever the path. */
  self->fec = CLAMP (self->fec, c->fec_start, WAVRY_RIFT_DELTA_FEC_MAX);
}

void
wavry_rift_delta_on_report (WavryRiftDelta *self,
                            WavryTime       now,
                            gint64          rtt_us,
                            double          loss,
                            gint64          jitter_us)
{
  const WavryRiftDeltaConfig *c;
  double rtt_min, dq, delta;

  g_return_if_fail (self != NULL);
  c = &self->config;

  if (!sample_is_sane (self, now, rtt_us, loss, jitter_us))
    {
      self->rejected++;
      return;
    }

  /* Step 1: rtt_min over the last window (10 s by default). */
  rtt_min = wavry_rift_windowed_min_update (self->rtt_min, now, rtt_us);

  /* Step 2: s = rtt on the first sample, else (1 − α)s + α·rtt. */
  if (!self->have_sample)
    self->smoothed_rtt = rtt_us;
  else
    self->smoothed_rtt = (1.0 - c->alpha) * self->smoothed_rtt + c->alpha * rtt_us;
  self->have_sample = TRUE;
  self->last_now = now;

  /* Step 3: queueing delay and its change. */
  dq = MAX (0.0, self->smoothed_rtt - rtt_min);
  delta = dq - self->dq_prev;
  self->dq_prev = dq;

  /* Steps 4–7. */
  update_state (self, now, dq, delta, epsilon (self, jitter_us));
  apply_jitter_fec (self, jitter_us);
  apply_actions (self, now, dq, loss, jitter_us);
}

guint
wavry_rift_delta_get_bitrate_kbps (WavryRiftDelta *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bitrate_kbps;
}

guint
wavry_rift_delta_get_fps (WavryRiftDelta *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->fps;
}

double
wavry_rift_delta_get_fec (WavryRiftDelta *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->fec;
}

WavryRiftDeltaState
wavry_rift_delta_get_state (WavryRiftDelta *self)
{
  g_return_val_if_fail (self != NULL, WAVRY_RIFT_DELTA_STABLE);
  return self->state;
}

gint64
wavry_rift_delta_get_rtt_min (WavryRiftDelta *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->have_sample ? wavry_rift_windowed_min_get (self->rtt_min) : 0;
}

double
wavry_rift_delta_get_smoothed_rtt (WavryRiftDelta *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->smoothed_rtt;
}

guint64
wavry_rift_delta_get_rejected (WavryRiftDelta *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rejected;
}
