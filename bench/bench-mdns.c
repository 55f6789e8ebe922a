/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <gio/gio.h>
#include <stdlib.h>

#include "wavry-bench-util.h"
#include "wavry-identity.h"
#include "wavry-mdns-browser.h"
#include "wavry-mdns-publisher.h"
#include "wavry-peer.h"
#include "wavry-test-avahi.h"

/* mDNS discovery: TXT parsing throughput, then (as root, with avahi-daemon
 * and unshare) how long a host takes to appear in a browser after it starts
 * publishing and to disappear after it stops, against a private
 * avahi-daemon in its own network namespace (tests/wavry-test-avahi.h). */

static double
bench_parse (const char *wavry_id,
             gint64      duration_us)
{
  g_autofree char *id_entry = g_strconcat ("id=", wavry_id, NULL);
  const char *txt[] = { "v=1", id_entry, "name=Living room PC", "codecs=h264,hevc,av1" };
  gint64 start = g_get_monotonic_time (), now;
  guint64 n = 0;

  do
    {
      for (guint i = 0; i < 1000; i++)
        {
          g_autofree char *id = NULL, *name = NULL, *codecs = NULL;

          if (!wavry_peer_parse_txt (txt, G_N_ELEMENTS (txt), &id, &name, &codecs, NULL))
            wavry_bench_die ("bench-mdns: a valid TXT record was refused");
        }
      n += 1000;
      now = g_get_monotonic_time ();
    }
  while (now - start < duration_us);
  return (double) n * G_USEC_PER_SEC / (now - start);
}

typedef struct
{
  const char *name;
  gboolean    seen;
  gboolean    gone;
} Watch;

static void
on_added (WavryMdnsBrowser *browser,
          WavryPeer        *peer,
          Watch            *watch)
{
  if (g_str_equal (wavry_peer_get_name (peer), watch->name))
    watch->seen = TRUE;
}

static void
on_removed (WavryMdnsBrowser *browser,
            WavryPeer        *peer,
            Watch            *watch)
{
  if (g_str_equal (wavry_peer_get_name (peer), watch->name))
    watch->gone = TRUE;
}

static gboolean
wait_flag (gboolean *flag,
           gint64    timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;

  /* Polls (0.2 ms) rather than blocks, so the figures are not rounded up
   * to a timeout. */
  while (!*flag && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (200);
    }
  return *flag;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
print_stats (const char *what,
             GArray     *ms)
{
  g_array_sort (ms, compare_double);
  g_print ("  %-26s %6u  %8.1f  %8.1f  %8.1f  %8.1f\n", what, ms->len,
           g_array_index (ms, double, 0), g_array_index (ms, double, ms->len / 2),
           g_array_index (ms, double, MIN (ms->len - 1, ms->len * 95 / 100)),
           g_array_index (ms, double, ms->len - 1));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *command = wavry_bench_command_line (argc, argv);
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) appear = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) vanish = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(WavryMdnsBrowser) browser = NULL;
  WavryTestAvahi *avahi;
  int rounds = 0;
  const GOptionEntry entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds,
      "Publish/unpublish rounds (default 10; --quick: 2)", "N" },
    { NULL }
  };
  double seconds;

  seconds = wavry_bench_parse_options (&argc, &argv, "bench-mdns",
                                       "mDNS: TXT parsing rate; time for a published host to "
                                       "appear in a browser and to vanish after it stops "
                                       "(private avahi-daemon in a network namespace).",
                                       0.1, entries);
  if (rounds <= 0)
    rounds = seconds < 0.5 ? 2 : 10;
  if (!wavry_identity_init_crypto (&error))
    wavry_bench_die ("bench-mdns: %s", error->message);
  identity = wavry_identity_generate ();

  wavry_bench_print_header (command);
  g_print ("# TXT parse (v, id, name, codecs; one thread): %.0f records/s\n",
           bench_parse (wavry_identity_get_id (identity), (gint64) (seconds * G_USEC_PER_SEC)));

  avahi = wavry_test_avahi_start (TRUE, &error);
  if (avahi == NULL)
    {
      g_print ("# discovery: not measured (%s)\n", error->message);
      return EXIT_SUCCESS;
    }
  browser = wavry_mdns_browser_new ();
  if (!wavry_mdns_browser_start (browser, &error))
    wavry_bench_die ("bench-mdns: %s", error->message);

  for (int r = 0; r < rounds; r++)
    {
      g_autofree char *name = g_strdup_printf ("Bench Host %d", r);
      g_autoptr(WavryMdnsPublisher) publisher =
        wavry_mdns_publisher_new (name, 40000 + r, wavry_identity_get_id (identity), NULL, NULL);
      Watch watch = { name, FALSE, FALSE };
      gulong added = g_signal_connect (browser, "peer-added", G_CALLBACK (on_added), &watch);
      gulong removed = g_signal_connect (browser, "peer-removed", G_CALLBACK (on_removed), &watch);
      gint64 start;
      double ms;

      start = g_get_monotonic_time ();
      if (!wavry_mdns_publisher_start (publisher, &error))
        wavry_bench_die ("bench-mdns: %s", error->message);
      if (!wait_flag (&watch.seen, 10 * G_USEC_PER_SEC))
        wavry_bench_die ("bench-mdns: “%s” not seen within 10 s", name);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (appear, ms);

      start = g_get_monotonic_time ();
      wavry_mdns_publisher_stop (publisher);
      if (!wait_flag (&watch.gone, 10 * G_USEC_PER_SEC))
        wavry_bench_die ("bench-mdns: “%s” not removed within 10 s", name);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (vanish, ms);

      g_signal_handler_disconnect (browser, added);
      g_signal_handler_disconnect (browser, removed);
    }

  g_print ("# discovery on one avahi-daemon (lo only), %d rounds, milliseconds\n", rounds);
  g_print ("  %-26s %6s  %8s  %8s  %8s  %8s\n", "", "n", "min", "median", "p95", "max");
  print_stats ("start -> peer-added", appear);
  print_stats ("stop -> peer-removed", vanish);

  wavry_mdns_browser_stop (browser);
  g_clear_object (&browser);
  wavry_test_avahi_stop (avahi);
  return EXIT_SUCCESS;
}
