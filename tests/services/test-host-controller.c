/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * "Share this screen" in-process: the controller's live client list, the
 * approval prompt for an untrusted device (Always Allow persists in the
 * trusted list), disconnecting a client, stopping. Real loopback UDP and a
 * real x264 stream of the test pattern. */
#include "config.h"

#include <sodium.h>

#include <string.h>

#include "wavry-connection.h"
#include "wavry-error.h"
#include "wavry-host-controller.h"
#include "wavry-test-udp-proxy.h"

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
  char    *asked_id;
  char    *asked_name;
  gboolean closed;
} Run;

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;

  run->ok = wavry_connection_connect_finish (WAVRY_CONNECTION (source), result, &run->error);
  run->done = TRUE;
}

static void
on_approval (WavryHostController *controller,
             const char          *id,
             const char          *name,
             Run                 *run)
{
  run->asked_id = g_strdup (id);
  run->asked_name = g_strdup (name);
}

static void
on_closed (WavryConnection *connection,
           const GError    *error,
           Run             *run)
{
  run->closed = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Run *) data)->done;
}

static gboolean
is_asked (gpointer data)
{
  return ((Run *) data)->asked_id != NULL;
}

static gboolean
is_not_responding (gpointer data)
{
  return !wavry_host_client_get_responding (data);
}

static gboolean
has_no_clients (gpointer data)
{
  return g_list_model_get_n_items (data) == 0;
}

static WavryConnection *
connect_client (WavryIdentity      *identity,
                const char         *name,
                GInetSocketAddress *host_address,
                const char         *host_id,
                Run                *run)
{
  static const Rift__Codec codecs[] = { RIFT__CODEC__CODEC_H264 };
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) target =
    g_inet_socket_address_new (loopback, g_inet_socket_address_get_port (host_address));
  WavryConnection *connection = wavry_connection_new (identity, name);

  wavry_connection_set_codecs (connection, codecs, G_N_ELEMENTS (codecs));
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), run);
  wavry_connection_connect_async (connection, G_INET_SOCKET_ADDRESS (target), host_id, NULL,
                                  connect_cb, run);
  return connection;
}

static void
test_clients_and_approval (void)
{
  g_autoptr(WavryIdentity) host_id = wavry_identity_generate ();
  g_autoptr(WavryIdentity) friend_id = wavry_identity_generate ();
  g_autoptr(WavryIdentity) stranger_id = wavry_identity_generate ();
  g_autoptr(WavryTrustedClients) trusted = wavry_trusted_clients_new ();
  g_autoptr(WavryHostController) controller = NULL;
  g_autoptr(WavryConnection) friend = NULL;
  g_autoptr(WavryConnection) stranger = NULL;
  g_autoptr(WavryHostClient) first = NULL;
  g_autoptr(GError) error = NULL;
  WavryHostMediaConfig config = { 0 };
  Run friend_run = { 0 }, stranger_run = { 0 };
  GListModel *clients;
  guint32 alias;

  wavry_trusted_clients_add (trusted, wavry_identity_get_id (friend_id));
  controller = wavry_host_controller_new (host_id, trusted, "test host");
  g_signal_connect (controller, "approval-requested", G_CALLBACK (on_approval), &stranger_run);
  clients = wavry_host_controller_get_clients (controller);
  g_assert_false (wavry_host_controller_get_active (controller));

  config.capture_spec = "test-pattern";
  config.capture.width = 320;
  config.capture.height = 240;
  config.fps = 30;
  config.encoder = "x264";
  g_assert_true (wavry_host_controller_start (controller, &config, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wavry_host_controller_get_active (controller));

  /* a trusted device appears in the list with its name, address and short ID */
  friend = connect_client (friend_id, "friend's laptop",
                           wavry_host_controller_get_local_address (controller),
                           wavry_identity_get_id (host_id), &friend_run);
  g_assert_true (wavry_test_wait_for (is_done, &friend_run, 10000));
  g_assert_no_error (friend_run.error);
  g_assert_cmpuint (g_list_model_get_n_items (clients), ==, 1);
  first = g_list_model_get_item (clients, 0);
  g_assert_cmpstr (wavry_host_client_get_wavry_id (first), ==, wavry_identity_get_id (friend_id));
  g_assert_cmpstr (wavry_host_client_get_name (first), ==, "friend's laptop");
  g_assert_true (g_str_has_prefix (wavry_host_client_get_address (first), "127.0.0.1:"));
  g_assert_cmpuint (strlen (wavry_host_client_get_short_id (first)), ==, 8);
  g_assert_true (g_str_has_prefix (wavry_identity_get_id (friend_id),
                                   wavry_host_client_get_short_id (first)));

  /* an untrusted one waits for the owner; Always Allow admits and remembers it */
  stranger = connect_client (stranger_id, "stranger's phone",
                             wavry_host_controller_get_local_address (controller),
                             wavry_identity_get_id (host_id), &stranger_run);
  g_assert_true (wavry_test_wait_for (is_asked, &stranger_run, 10000));
  g_assert_cmpstr (stranger_run.asked_id, ==, wavry_identity_get_id (stranger_id));
  g_assert_cmpstr (stranger_run.asked_name, ==, "stranger's phone");
  g_assert_false (stranger_run.done);
  g_assert_cmpuint (g_list_model_get_n_items (clients), ==, 1);
  wavry_host_controller_resolve_approval (controller, stranger_run.asked_id, WAVRY_APPROVAL_ALWAYS);
  g_assert_true (wavry_test_wait_for (is_done, &stranger_run, 10000));
  g_assert_no_error (stranger_run.error);
  g_assert_true (wavry_trusted_clients_contains (trusted, wavry_identity_get_id (stranger_id)));
  g_assert_cmpuint (g_list_model_get_n_items (clients), ==, 2);

  /* A client that closes says nothing (RIFT has no goodbye): within a few
   * seconds its row says it is not responding, while the other one is. */
  {
    g_autoptr(WavryHostClient) second = g_list_model_get_item (clients, 1);

    g_assert_true (wavry_host_client_get_responding (second));
    g_assert_true (wavry_host_client_get_responding (first));
    wavry_connection_close (stranger);
    g_assert_true (wavry_test_wait_for (is_not_responding, second, 6000));
    g_assert_true (wavry_host_client_get_responding (first));
    g_assert_cmpuint (g_list_model_get_n_items (clients), ==, 2);
  }

  /* Disconnect ends that client's session and removes its row */
  alias = wavry_host_client_get_alias (first);
  wavry_host_controller_disconnect (controller, alias);
  g_assert_cmpuint (g_list_model_get_n_items (clients), ==, 1);
  {
    g_autoptr(WavryHostClient) left = g_list_model_get_item (clients, 0);

    g_assert_cmpstr (wavry_host_client_get_wavry_id (left), ==, wavry_identity_get_id (stranger_id));
  }

  /* The device that went silent comes back (its path broke, say): its new
   * session replaces the old one at once. */
  {
    g_autoptr(WavryConnection) again = NULL;
    g_autoptr(WavryHostClient) before = g_list_model_get_item (clients, 0);
    g_autoptr(WavryHostClient) after = NULL;
    Run again_run = { 0 };

    again = connect_client (stranger_id, "stranger's phone",
                            wavry_host_controller_get_local_address (controller),
                            wavry_identity_get_id (host_id), &again_run);
    g_assert_true (wavry_test_wait_for (is_done, &again_run, 10000));
    g_assert_no_error (again_run.error);
    g_assert_cmpuint (g_list_model_get_n_items (clients), ==, 1);
    after = g_list_model_get_item (clients, 0);
    g_assert_cmpstr (wavry_host_client_get_wavry_id (after), ==, wavry_identity_get_id (stranger_id));
    g_assert_cmpuint (wavry_host_client_get_alias (after), !=, wavry_host_client_get_alias (before));
    g_assert_true (wavry_host_client_get_responding (after));
    wavry_connection_close (again);
  }

  /* The device the owner disconnected is kept out for a while, told why. */
  {
    g_autoptr(WavryConnection) back = NULL;
    Run back_run = { 0 };

    back = connect_client (friend_id, "friend's laptop",
                           wavry_host_controller_get_local_address (controller),
                           wavry_identity_get_id (host_id), &back_run);
    g_assert_true (wavry_test_wait_for (is_done, &back_run, 10000));
    g_assert_error (back_run.error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_REFUSED);
    g_assert_nonnull (strstr (back_run.error->message, "ended this device's session"));
    g_assert_cmpuint (g_list_model_get_n_items (clients), ==, 1);
    g_clear_error (&back_run.error);
    wavry_connection_close (back);
  }

  /* stopping sharing empties the list and ends every session */
  wavry_host_controller_stop (controller);
  g_assert_false (wavry_host_controller_get_active (controller));
  g_assert_null (wavry_host_controller_get_local_address (controller));
  g_assert_true (has_no_clients (clients));

  wavry_connection_close (friend);
  wavry_connection_close (stranger);
  g_clear_error (&friend_run.error);
  g_clear_error (&stranger_run.error);
  g_free (stranger_run.asked_id);
  g_free (stranger_run.asked_name);
}

/* Deny: the device is refused with a reason and not remembered. */
static void
test_deny (void)
{
  g_autoptr(WavryIdentity) host_id = wavry_identity_generate ();
  g_autoptr(WavryIdentity) stranger_id = wavry_identity_generate ();
  g_autoptr(WavryTrustedClients) trusted = wavry_trusted_clients_new ();
  g_autoptr(WavryHostController) controller = wavry_host_controller_new (host_id, trusted, "h");
  g_autoptr(WavryConnection) stranger = NULL;
  g_autoptr(GError) error = NULL;
  WavryHostMediaConfig config = { 0 };
  Run run = { 0 };

  g_signal_connect (controller, "approval-requested", G_CALLBACK (on_approval), &run);
  config.capture_spec = "test-pattern";
  config.capture.width = 320;
  config.capture.height = 240;
  g_assert_true (wavry_host_controller_start (controller, &config, NULL, &error));
  g_assert_no_error (error);
  stranger = connect_client (stranger_id, "stranger",
                             wavry_host_controller_get_local_address (controller),
                             wavry_identity_get_id (host_id), &run);
  g_assert_true (wavry_test_wait_for (is_asked, &run, 10000));
  wavry_host_controller_resolve_approval (controller, run.asked_id, WAVRY_APPROVAL_DENY);
  g_assert_true (wavry_test_wait_for (is_done, &run, 10000));
  g_assert_false (run.ok);
  g_assert_error (run.error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_REFUSED);
  g_assert_false (wavry_trusted_clients_contains (trusted, wavry_identity_get_id (stranger_id)));
  g_assert_cmpuint (g_list_model_get_n_items (wavry_host_controller_get_clients (controller)), ==, 0);

  wavry_connection_close (stranger);
  g_clear_error (&run.error);
  g_free (run.asked_id);
  g_free (run.asked_name);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  g_test_add_func ("/wavry/services/host-controller/clients-and-approval", test_clients_and_approval);
  g_test_add_func ("/wavry/services/host-controller/deny", test_deny);

  return g_test_run ();
}
