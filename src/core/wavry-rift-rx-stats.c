/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-rx-stats.h"

/* Ids seen, at id % RING, stored as id + 1 (0 = empty). */
#define RING (2 * WAVRY_RIFT_RX_STATS_WINDOW)

struct _WavryRiftRxStats
{
  gboolean  started;
  guint64   highest;
  guint64   period_highest;  /* highest when the period started */
  gboolean  have_period_start;
  WavryTime period_start;
  guint64   received;
  guint64   lost;
  guint64   seen[RING];
};

WavryRiftRxStats *
wavry_rift_rx_stats_new (void)
{
  return g_new0 (WavryRiftRxStats, 1);
}

void
wavry_rift_rx_stats_free (WavryRiftRxStats *self)
{
  g_free (self);
}

void
wavry_rift_rx_stats_on_packet (WavryRiftRxStats *self,
                               guint64           packet_id,
                               WavryTime         arrival)
{
  wavry_rift_rx_stats_on_packet_full (self, packet_id, arrival, FALSE);
}

void
wavry_rift_rx_stats_on_packet_full (WavryRiftRxStats *self,
                                    guint64           packet_id,
                                    WavryTime         arrival,
                                    gboolean          repair)
{
  guint64 *slot;

  g_return_if_fail (self != NULL);

  if (!self->have_period_start)
    {
      self->have_period_start = TRUE;
      self->period_start = arrival;
    }

  slot = &self->seen[packet_id % RING];

  if (!self->started)
    {
      self->started = TRUE;
      self->highest = self->period_highest = packet_id;
    }
  else if (packet_id > self->highest)
    {
      self->lost += packet_id - self->highest - 1;
      self->highest = packet_id;
    }
  else if (self->highest - packet_id < WAVRY_RIFT_RX_STATS_WINDOW)
    {
      if (*slot == packet_id + 1)
        return;  /* duplicate */
      /* Late: its id was counted lost by the jump over it, in this period
       * if it lies above the highest id the period started with. */
      if (!repair && packet_id > self->period_highest && self->lost > 0)
        self->lost--;
    }
  /* else: too old to tell a duplicate from a late arrival; counted received. */

  *slot = packet_id + 1;
  self->received++;
}

void
wavry_rift_rx_stats_take_report (WavryRiftRxStats  *self,
                                 WavryTime          now,
                                 gint64             rtt_us,
                                 guint32            jitter_us,
                                 Rift__StatsReport *report)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (report != NULL);

  report->period_ms = self->have_period_start && now > self->period_start
                      ? (guint32) MIN ((now - self->period_start) / 1000, G_MAXUINT32)
                      : 0;
  report->received_packets = MIN (self->received, G_MAXUINT32);
  report->lost_packets = MIN (self->lost, G_MAXUINT32);
  report->rtt_us = MAX (rtt_us, 0);
  report->jitter_us = jitter_us;

  self->have_period_start = TRUE;
  self->period_start = now;
  self->period_highest = self->highest;
  self->received = 0;
  self->lost = 0;
}
