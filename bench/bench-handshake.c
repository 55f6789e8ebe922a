/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "wavry-bench-util.h"
#include "wavry-identity.h"
#include "wavry-rift-client.h"
#include "wavry-rift-host.h"

/* CPU cost of a complete RIFT session establishment (Noise XX with identity
 * proof, Hello/HelloAck) between a sans-I/O client and host in memory: no
 * network, so this is the floor under the handshake time `wavry ping`
 * reports over loopback. */

static void
shuttle (WavryRiftClient     *client,
         WavryRiftHost       *host,
         const WavryRiftAddr *addr,
         WavryTime            now)
{
  gboolean moved;

  do
    {
      WavryRiftDatagram *d;

      moved = FALSE;
      while ((d = wavry_rift_client_poll_transmit (client)) != NULL)
        {
          wavry_rift_host_handle_datagram (host, addr, d->data, d->len, now);
          wavry_rift_datagram_free (d);
          moved = TRUE;
        }
      while ((d = wavry_rift_host_poll_transmit (host)) != NULL)
        {
          wavry_rift_client_handle_datagram (client, d->data, d->len, now);
          wavry_rift_datagram_free (d);
          moved = TRUE;
        }
    }
  while (moved);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *command = wavry_bench_command_line (argc, argv);
  g_autoptr(WavryIdentity) host_id = NULL;
  g_autoptr(WavryIdentity) client_id = NULL;
  g_autoptr(WavryRiftHost) host = NULL;
  WavryRiftHostConfig host_config = { .device_name = "bench host" };
  WavryRiftClientConfig client_config = { .device_name = "bench client" };
  double seconds;
  guint64 done = 0;
  gint64 start, elapsed, min_us = G_MAXINT64;

  seconds = wavry_bench_parse_options (&argc, &argv, "bench-handshake",
                                       "RIFT session establishment (Noise handshake, msg1 to "
                                       "HelloAck), client and host in one thread.",
                                       0.2, NULL);

  if (!wavry_identity_init_crypto (NULL))
    wavry_bench_die ("bench-handshake: libsodium failed to start");
  host_id = wavry_identity_generate ();
  client_id = wavry_identity_generate ();
  client_config.expected_host_id = wavry_identity_get_id (host_id);
  host = wavry_rift_host_new (host_id, &host_config);

  wavry_bench_print_header (command);
  printf ("# one thread: client and host both run here, so per-core cost is the sum\n");

  start = g_get_monotonic_time ();
  do
    {
      WavryRiftClient *client = wavry_rift_client_new (client_id, &client_config);
      WavryRiftAddr addr;
      WavryRiftEvent event;
      guint32 port = done;
      gint64 t0 = g_get_monotonic_time ();
      gboolean connected = FALSE;

      wavry_rift_addr_init (&addr, &port, sizeof port);
      wavry_rift_client_start (client, t0);
      shuttle (client, host, &addr, t0);
      while (wavry_rift_client_poll_event (client, &event))
        {
          connected |= event.kind == WAVRY_RIFT_EVENT_CONNECTED;
          wavry_rift_event_clear (&event);
        }
      if (!connected)
        wavry_bench_die ("bench-handshake: handshake %" G_GUINT64_FORMAT " did not complete", done);
      min_us = MIN (min_us, g_get_monotonic_time () - t0);

      while (wavry_rift_host_poll_event (host, &event))
        wavry_rift_event_clear (&event);
      wavry_rift_client_free (client);
      /* Forget the session so the host does not grow without bound. */
      wavry_rift_host_handle_timeout (host, t0 + 60 * G_TIME_SPAN_SECOND);
      done++;
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < seconds * G_USEC_PER_SEC);

  printf ("%-28s %10s %12s %12s\n", "case", "count", "mean µs", "min µs");
  printf ("%-28s %10" G_GUINT64_FORMAT " %12.1f %12" G_GINT64_FORMAT "\n",
          "msg1..HelloAck (both sides)", done, (double) elapsed / done, min_us);
  printf ("# %.0f session establishments/s on one core\n", done / (elapsed / 1e6));

  return 0;
}
