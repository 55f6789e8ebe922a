/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-proto.h"
#include "wavry-rift-rx-stats.h"

#define MS 1000

static void
take (WavryRiftRxStats *s,
      WavryTime         now,
      guint32           period_ms,
      guint32           received,
      guint32           lost)
{
  Rift__StatsReport report;

  rift__stats_report__init (&report);
  wavry_rift_rx_stats_take_report (s, now, 12345, 678, &report);
  g_assert_cmpuint (report.period_ms, ==, period_ms);
  g_assert_cmpuint (report.received_packets, ==, received);
  g_assert_cmpuint (report.lost_packets, ==, lost);
  g_assert_cmpuint (report.rtt_us, ==, 12345);
  g_assert_cmpuint (report.jitter_us, ==, 678);
}

static void
test_loss_and_reorder (void)
{
  g_autoptr(WavryRiftRxStats) s = wavry_rift_rx_stats_new ();
  static const guint64 ids[] = { 1, 2, 3, 6, 4, 4, 6, 10 };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    wavry_rift_rx_stats_on_packet (s, ids[i], 100 * MS + i);
  /* 1 2 3 6 4 10 received (duplicates of 4 and 6 ignored); 4, 5, 7, 8, 9
   * skipped, 4 came back: lost 4. */
  take (s, 1100 * MS, 1000, 6, 4);

  /* 5 arrives in the next period: it was reported lost already, and the
   * new period does not go below what it counted. */
  wavry_rift_rx_stats_on_packet (s, 5, 1200 * MS);
  wavry_rift_rx_stats_on_packet (s, 12, 1300 * MS);
  wavry_rift_rx_stats_on_packet (s, 11, 1400 * MS);
  wavry_rift_rx_stats_on_packet (s, 11, 1400 * MS);
  take (s, 2100 * MS, 1000, 3, 0);

  /* An empty period. */
  take (s, 3100 * MS, 1000, 0, 0);

  /* A jump beyond the reorder window still counts every id lost. */
  wavry_rift_rx_stats_on_packet (s, 1012, 3200 * MS);
  take (s, 4100 * MS, 1000, 1, 999);
}

/* A retransmitted packet is received but its loss stays counted; the same
 * id arriving merely late (reordered) undoes it. */
static void
test_repair_keeps_loss (void)
{
  g_autoptr(WavryRiftRxStats) repaired = wavry_rift_rx_stats_new ();
  g_autoptr(WavryRiftRxStats) reordered = wavry_rift_rx_stats_new ();
  static const guint64 ids[] = { 1, 2, 4, 5 };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      wavry_rift_rx_stats_on_packet (repaired, ids[i], 100 * MS + i);
      wavry_rift_rx_stats_on_packet (reordered, ids[i], 100 * MS + i);
    }
  wavry_rift_rx_stats_on_packet_full (repaired, 3, 110 * MS, TRUE);
  wavry_rift_rx_stats_on_packet_full (reordered, 3, 110 * MS, FALSE);
  take (repaired, 1100 * MS, 1000, 5, 1);
  take (reordered, 1100 * MS, 1000, 5, 0);
}

static void
test_before_first (void)
{
  g_autoptr(WavryRiftRxStats) s = wavry_rift_rx_stats_new ();

  take (s, 5 * MS, 0, 0, 0);
  wavry_rift_rx_stats_on_packet (s, 0, 6 * MS);
  take (s, 505 * MS, 500, 1, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wavry/core/rx-stats/loss-and-reorder", test_loss_and_reorder);
  g_test_add_func ("/wavry/core/rx-stats/before-first", test_before_first);
  g_test_add_func ("/wavry/core/rx-stats/repair-keeps-loss", test_repair_keeps_loss);
  return g_test_run ();
}
