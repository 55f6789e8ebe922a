/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-skip.h"

/* Pong RTTs beyond this cannot come from a working link. */
#define MAX_SANE_RTT_US (60 * G_USEC_PER_SEC)

struct _WavryRiftSkipDetector
{
  gboolean  have_rtt;
  WavryTime last_now;
  double    smooth;        /* µs */
  gboolean  requested;
  WavryTime last_request;
  guint64   rejected;
};

WavryRiftSkipDetector *
wavry_rift_skip_detector_new (void)
{
  return g_new0 (WavryRiftSkipDetector, 1);
}

void
wavry_rift_skip_detector_free (WavryRiftSkipDetector *self)
{
  g_free (self);
}

guint
wavry_rift_skip_detector_on_rtt (WavryRiftSkipDetector *self,
                                 WavryTime              now,
                                 gint64                 rtt_us)
{
  guint skip = 0;

  g_return_val_if_fail (self != NULL, 0);

  if ((self->have_rtt && now < self->last_now) || rtt_us < 0 || rtt_us > MAX_SANE_RTT_US)
    {
      self->rejected++;
      return 0;
    }
  self->last_now = now;

  if (!self->have_rtt)
    {
      self->smooth = rtt_us;
      self->have_rtt = TRUE;
      return 0;
    }

  /* RIFT §6.6: > smooth + 30 ms → 1, > smooth + 50 ms → 2, and never two
   * requests less than 200 ms apart. The unsigned difference is exact since
   * now >= last_request. */
  if (!self->requested ||
      (guint64) now - (guint64) self->last_request >= WAVRY_RIFT_SKIP_MIN_GAP_US)
    {
      if (rtt_us > self->smooth + WAVRY_RIFT_SKIP_THRESHOLD_2_US)
        skip = 2;
      else if (rtt_us > self->smooth + WAVRY_RIFT_SKIP_THRESHOLD_1_US)
        skip = 1;
    }
  if (skip > 0)
    {
      self->requested = TRUE;
      self->last_request = now;
    }

  /* The spike itself joins the average, as every Pong does. */
  self->smooth = (7.0 * self->smooth + rtt_us) / 8.0;
  return skip;
}

double
wavry_rift_skip_detector_get_smoothed (WavryRiftSkipDetector *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->smooth;
}

guint64
wavry_rift_skip_detector_get_rejected (WavryRiftSkipDetector *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rejected;
}

void
wavry_rift_skip_counter_add (WavryRiftSkipCounter *self,
                             guint                 n)
{
  g_return_if_fail (self != NULL);

  /* Compared before adding so that a huge wire value cannot wrap. */
  if (n >= WAVRY_RIFT_SKIP_PENDING_MAX - MIN (self->pending, WAVRY_RIFT_SKIP_PENDING_MAX))
    self->pending = WAVRY_RIFT_SKIP_PENDING_MAX;
  else
    self->pending += n;
}

gboolean
wavry_rift_skip_counter_take (WavryRiftSkipCounter *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->pending == 0)
    return FALSE;
  self->pending--;
  return TRUE;
}
