/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "rift.pb-c.h"
#include "wavry-core-types.h"

G_BEGIN_DECLS

/* Packet ids below the highest that a late arrival is recognised for. */
#define WAVRY_RIFT_RX_STATS_WINDOW 128

/* RIFT §6.8 receive statistics (client). */
typedef struct _WavryRiftRxStats WavryRiftRxStats;

WavryRiftRxStats *wavry_rift_rx_stats_new  (void);
void              wavry_rift_rx_stats_free (WavryRiftRxStats *self);

/* Counts an authenticated datagram: received++, and lost += the ids
 * skipped when @packet_id jumps past highest+1. A late arrival of a skipped
 * id counted in this period takes it back out of lost, once; duplicates
 * are ignored. The first packet starts the first period. */
void wavry_rift_rx_stats_on_packet   (WavryRiftRxStats *self,
                                      guint64           packet_id,
                                      WavryTime         arrival);
/* The same for a packet that arrived because it was asked for again (a
 * NACK retransmission): it counts as received but, unlike a reordered
 * arrival, does not undo the loss its id jump counted (§6.8: congestion
 * control must see the loss the link had, not what repair hid). */
void wavry_rift_rx_stats_on_packet_full (WavryRiftRxStats *self,
                                         guint64           packet_id,
                                         WavryTime         arrival,
                                         gboolean          repair);
/* Fills @report (initialised by the caller with rift__stats_report__init())
 * for the period ending at @now and starts a new period. */
void wavry_rift_rx_stats_take_report (WavryRiftRxStats  *self,
                                      WavryTime          now,
                                      gint64             rtt_us,
                                      guint32            jitter_us,
                                      Rift__StatsReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftRxStats, wavry_rift_rx_stats_free)

G_END_DECLS
