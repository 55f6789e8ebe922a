/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-cli.h"
#include "wavry-cli-private.h"
#include "wavry-connection.h"
#include "wavry-error.h"
#include "wavry-keystore.h"
#include "wavry-net-address.h"

typedef struct
{
  GMainLoop       *loop;
  WavryConnection *connection;
  char            *server;
  guint            count;
  guint            interval_ms;
  guint            timeout_ms;
  guint            sent;
  guint            received;
  gint64           min_us;
  gint64           max_us;
  gint64           sum_us;
  int              exit_code;
} PingRun;

WavryIdentity *
wavry_cli_load_identity (const char  *key_path,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  WavryIdentity *identity;

  if (key_path != NULL)
    return wavry_keystore_read_key_file (key_path, error);

  /* The desktop user's identity lives in the keyring; without a Secret
   * Service (a server, a container) fall back to a key file. */
  identity = wavry_keystore_load_user_identity (TRUE, NULL, NULL, &local_error);
  if (identity != NULL)
    return identity;
  if (!g_error_matches (local_error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_UNAVAILABLE))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  path = wavry_keystore_get_user_key_file_path ();
  return wavry_keystore_load_or_create_file (path, NULL, error);
}

static void send_next_ping (PingRun *run);

static gboolean
on_interval (gpointer user_data)
{
  send_next_ping (user_data);
  return G_SOURCE_REMOVE;
}

static void
finish (PingRun *run)
{
  g_print (_("--- %s ping statistics ---\n"), run->server);
  g_print (_("%u sent, %u received, %.0f%% lost"), run->sent, run->received,
           run->sent ? 100.0 * (run->sent - run->received) / run->sent : 0.0);
  if (run->received > 0)
    g_print (_(", rtt min/avg/max = %.3f/%.3f/%.3f ms"),
             run->min_us / 1000.0, run->sum_us / 1000.0 / run->received, run->max_us / 1000.0);
  g_print ("\n");

  if (run->received == 0)
    {
      g_printerr (_("wavry ping: no answer to any ping\n"));
      run->exit_code = WAVRY_EXIT_FAILURE;
    }
  g_main_loop_quit (run->loop);
}

static void
ping_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  PingRun *run = user_data;
  g_autoptr(GError) error = NULL;
  gint64 rtt;

  rtt = wavry_connection_ping_finish (WAVRY_CONNECTION (source), result, &error);
  if (rtt < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          g_printerr ("wavry ping: %s\n", error->message);
          run->exit_code = WAVRY_EXIT_FAILURE;
          g_main_loop_quit (run->loop);
          return;
        }
      g_print (_("seq=%u: no answer within %u ms\n"), run->sent, run->timeout_ms);
    }
  else
    {
      run->received++;
      run->sum_us += rtt;
      run->min_us = run->received == 1 ? rtt : MIN (run->min_us, rtt);
      run->max_us = MAX (run->max_us, rtt);
      g_print (_("Pong from %s: seq=%u time=%.3f ms\n"), run->server, run->sent, rtt / 1000.0);
    }

  if (run->sent >= run->count)
    finish (run);
  else
    g_timeout_add_once (run->interval_ms, (GSourceOnceFunc) on_interval, run);
}

static void
send_next_ping (PingRun *run)
{
  run->sent++;
  wavry_connection_ping_async (run->connection, run->timeout_ms, NULL, ping_cb, run);
}

static void
on_pending_approval (WavryConnection *connection,
                     gpointer         user_data)
{
  g_print (_("Waiting for the host’s owner to approve this device…\n"));
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PingRun *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!wavry_connection_connect_finish (WAVRY_CONNECTION (source), result, &error))
    {
      g_printerr (_("wavry ping: cannot connect to %s: %s\n"), run->server, error->message);
      run->exit_code = WAVRY_EXIT_FAILURE;
      g_main_loop_quit (run->loop);
      return;
    }

  g_print (_("Connected to %s in %.3f ms\n"), run->server,
           wavry_connection_get_handshake_us (run->connection) / 1000.0);
  g_print (_("Host Wavry ID: %s\n"), wavry_connection_get_host_id (run->connection));
  send_next_ping (run);
}

int
wavry_cli_ping (int    argc,
                char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *key = NULL;
  g_autofree char *expect_id = NULL;
  int count = 4;
  int interval_ms = 500;
  int timeout_ms = 2000;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_("The host to reach"), N_("HOST:PORT") },
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key,
      N_("Connect as the identity in this secret key file (default: your own)"), N_("PATH") },
    { "expect-id", 'e', 0, G_OPTION_ARG_STRING, &expect_id,
      N_("Refuse the host unless it proves this Wavry ID"), N_("ID") },
    { "count", 'c', 0, G_OPTION_ARG_INT, &count, N_("Number of pings (default 4)"), N_("N") },
    { "interval", 'i', 0, G_OPTION_ARG_INT, &interval_ms,
      N_("Milliseconds between pings (default 500)"), N_("MS") },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout_ms,
      N_("Milliseconds to wait for each answer (default 2000)"), N_("MS") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  PingRun run = { 0 };

  g_option_context_set_summary (context, _("Connect to a Wavry host over RIFT (full "
                                           "handshake) and measure round trips."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("wavry ping: %s\n", error->message);
      g_printerr (_("Run “wavry ping --help” for usage.\n"));
      return WAVRY_EXIT_USAGE;
    }

  if (server == NULL)
    {
      g_printerr (_("wavry ping: --server HOST:PORT is required, for example "
                    "“wavry ping --server 192.0.2.10:7878”\n"));
      return WAVRY_EXIT_USAGE;
    }
  if (count < 1 || count > 100000 || interval_ms < 0 || timeout_ms < 1)
    {
      g_printerr (_("wavry ping: --count must be 1…100000, --interval ≥ 0 and --timeout ≥ 1\n"));
      return WAVRY_EXIT_USAGE;
    }
  if (expect_id != NULL && !wavry_id_is_valid (expect_id))
    {
      g_autoptr(GError) id_error = NULL;

      wavry_id_decode (expect_id, (guint8[32]) { 0 }, &id_error);
      g_printerr ("wavry ping: --expect-id: %s\n", id_error->message);
      return WAVRY_EXIT_USAGE;
    }

  address = wavry_net_address_resolve (server, 0, NULL, &error);
  if (address == NULL)
    {
      g_printerr ("wavry ping: %s\n", error->message);
      return WAVRY_EXIT_USAGE;
    }
  if (g_inet_socket_address_get_port (address) == 0)
    {
      g_printerr (_("wavry ping: “%s” has no port; use HOST:PORT\n"), server);
      return WAVRY_EXIT_USAGE;
    }

  identity = wavry_cli_load_identity (key, &error);
  if (identity == NULL)
    {
      g_printerr ("wavry ping: %s\n", error->message);
      return WAVRY_EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.server = server;
  run.count = count;
  run.interval_ms = interval_ms;
  run.timeout_ms = timeout_ms;
  run.connection = wavry_connection_new (identity, NULL);
  g_signal_connect (run.connection, "pending-approval", G_CALLBACK (on_pending_approval), &run);

  if (expect_id == NULL)
    g_print (_("Note: no --expect-id given, so the host’s identity is reported but not "
               "verified.\n"));

  wavry_connection_connect_async (run.connection, address, expect_id, NULL, connect_cb, &run);
  g_main_loop_run (loop);

  wavry_connection_close (run.connection);
  g_clear_object (&run.connection);

  return run.exit_code;
}
