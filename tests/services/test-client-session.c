/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * Connecting as the Connect page does: stages, trust on first use of the
 * host's ID, refusal of a different host at the same address, clear errors
 * for bad addresses; over real loopback UDP with a streaming host. */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>

#include "wavry-client-session.h"
#include "wavry-error.h"
#include "wavry-host-daemon.h"
#include "wavry-test-udp-proxy.h"

typedef struct
{
  gboolean   done;
  gboolean   ok;
  GError    *error;
  GPtrArray *stages;
} Run;

static void
on_stage (WavryClientSession *session,
          const char         *text,
          Run                *run)
{
  g_ptr_array_add (run->stages, g_strdup (text));
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;

  run->ok = wavry_client_session_connect_finish (WAVRY_CLIENT_SESSION (source), result, &run->error);
  run->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Run *) data)->done;
}

static WavryHostDaemon *
start_host (WavryIdentity       *identity,
            WavryTrustedClients *trusted,
            guint16              port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) listen = g_inet_socket_address_new (loopback, port);
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryHostMedia) media = NULL;
  WavryHostMediaConfig config = { 0 };
  WavryHostDaemon *daemon;

  config.capture_spec = "test-pattern";
  config.capture.width = 320;
  config.capture.height = 240;
  config.encoder = "x264";
  media = wavry_host_media_new (&config, &error);
  g_assert_no_error (error);
  daemon = wavry_host_daemon_new (identity, trusted, "session test host");
  wavry_host_daemon_set_media (daemon, media);
  g_assert_true (wavry_host_daemon_start (daemon, G_INET_SOCKET_ADDRESS (listen), &error));
  g_assert_no_error (error);
  return daemon;
}

static void
run_connect (WavryClientSession *session,
             const char         *address,
             const char         *expected,
             Run                *run)
{
  run->done = FALSE;
  g_clear_error (&run->error);
  if (run->stages == NULL)
    run->stages = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (run->stages, 0);
  g_signal_connect (session, "stage", G_CALLBACK (on_stage), run);
  wavry_client_session_connect_async (session, address, expected, "desk", NULL, connect_cb, run);
  g_assert_true (wavry_test_wait_for (is_done, run, 15000));
}

static void
test_pin_and_impostor (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wavry-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "known-hosts", NULL);
  g_autoptr(WavryIdentity) client_id = wavry_identity_generate ();
  g_autoptr(WavryIdentity) host_id = wavry_identity_generate ();
  g_autoptr(WavryIdentity) impostor_id = wavry_identity_generate ();
  g_autoptr(WavryTrustedClients) trusted = wavry_trusted_clients_new ();
  g_autoptr(WavryKnownHosts) known = wavry_known_hosts_new (path, NULL);
  g_autoptr(WavryHostDaemon) daemon = NULL;
  g_autoptr(WavryHostDaemon) impostor = NULL;
  g_autoptr(WavryClientSession) first = NULL;
  g_autoptr(WavryClientSession) second = NULL;
  g_autofree char *address = NULL;
  g_autofree char *pin = NULL;
  Run run = { 0 };
  guint16 port;

  wavry_trusted_clients_add (trusted, wavry_identity_get_id (client_id));
  daemon = start_host (host_id, trusted, 0);
  port = g_inet_socket_address_get_port (wavry_host_daemon_get_local_address (daemon));
  address = g_strdup_printf ("127.0.0.1:%u", port);

  /* first connection: no expected ID, the proved one is pinned */
  first = wavry_client_session_new (client_id, known);
  run_connect (first, address, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_nonnull (wavry_client_session_get_media (first));
  g_assert_cmpuint (run.stages->len, >=, 3);
  g_assert_cmpstr (g_ptr_array_index (run.stages, 0), ==, "Looking up the address…");
  g_assert_cmpstr (g_ptr_array_index (run.stages, 1), ==, "Checking the host’s identity…");
  g_assert_cmpstr (g_ptr_array_index (run.stages, 2), ==, "Negotiating the stream…");
  pin = wavry_known_hosts_lookup (known, address);
  g_assert_cmpstr (pin, ==, wavry_identity_get_id (host_id));
  wavry_client_session_close (first);
  wavry_host_daemon_stop (daemon);

  /* another computer at the same address is refused, with both IDs named */
  impostor = start_host (impostor_id, trusted, port);
  second = wavry_client_session_new (client_id, known);
  run_connect (second, address, NULL, &run);
  g_assert_false (run.ok);
  g_assert_error (run.error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_IDENTITY_MISMATCH);
  g_assert_nonnull (strstr (run.error->message, wavry_identity_get_id (host_id)));
  g_clear_pointer (&pin, g_free);
  pin = wavry_known_hosts_lookup (known, address);
  g_assert_cmpstr (pin, ==, wavry_identity_get_id (host_id));
  wavry_host_daemon_stop (impostor);

  g_clear_error (&run.error);
  g_ptr_array_unref (run.stages);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_bad_addresses (void)
{
  g_autoptr(WavryIdentity) client_id = wavry_identity_generate ();
  g_autoptr(WavryClientSession) no_port = wavry_client_session_new (client_id, NULL);
  g_autoptr(WavryClientSession) bad_id = wavry_client_session_new (client_id, NULL);
  g_autoptr(WavryClientSession) no_host = wavry_client_session_new (client_id, NULL);
  Run run = { 0 };

  run_connect (no_port, "127.0.0.1", NULL, &run);
  g_assert_false (run.ok);
  g_assert_nonnull (strstr (run.error->message, "HOST:PORT"));
  run_connect (bad_id, "127.0.0.1:9", "not-an-id", &run);
  g_assert_false (run.ok);
  g_assert_nonnull (strstr (run.error->message, "not a Wavry ID"));
  run_connect (no_host, "no-such-host.invalid:7878", NULL, &run);
  g_assert_false (run.ok);
  g_assert_nonnull (run.error);
  g_test_message ("unresolvable: %s", run.error->message);

  g_clear_error (&run.error);
  g_ptr_array_unref (run.stages);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  g_test_add_func ("/wavry/services/client-session/pin-and-impostor", test_pin_and_impostor);
  g_test_add_func ("/wavry/services/client-session/bad-addresses", test_bad_addresses);
  return g_test_run ();
}
