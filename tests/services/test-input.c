/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * Remote control end to end over loopback UDP: a host daemon streaming the
 * harness's Xvfb (--capture x11) with the XTest injector, a client sending
 * keys and clicks with WavryClientMedia; a real X client
 * (tests/media/x-input-client) records what arrives. View-only sessions
 * and malformed input never reach the display and are counted. */
#include "config.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "wavry-client-media.h"
#include "wavry-connection.h"
#include "wavry-host-daemon.h"
#include "wavry-host-media.h"
#include "wavry-input-injector-xtest.h"
#include "wavry-test-input-client.h"
#include "wavry-test-udp-proxy.h"
#include "wavry-trusted-clients.h"

#define KEY_A 30

typedef struct
{
  WavryIdentity       *host_id;
  WavryIdentity       *client_id;
  WavryTrustedClients *trusted;
  WavryHostMedia      *media;
  WavryHostDaemon     *daemon;
  WavryConnection     *connection;
  WavryClientMedia    *client_media;
  gboolean             view_only;
} Rig;

static gboolean
is_connected (gpointer data)
{
  return wavry_connection_get_state (data) == WAVRY_RIFT_CLIENT_STATE_ESTABLISHED ||
         wavry_connection_get_state (data) == WAVRY_RIFT_CLIENT_STATE_CLOSED;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  wavry_connection_connect_finish (WAVRY_CONNECTION (source), result, error);
}

static void
on_client_connected (WavryHostDaemon *daemon,
                     guint            alias,
                     const char      *wavry_id,
                     gpointer         user_data)
{
  Rig *rig = user_data;

  if (rig->view_only)
    wavry_host_media_set_view_only (rig->media, alias, TRUE);
}

static void
rig_start (Rig      *rig,
           gboolean  view_only)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetSocketAddress) listen = NULL;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) connect_error = NULL;
  WavryHostMediaConfig host_config = { 0 };
  WavryClientMediaConfig client_config = { 0 };
  Rift__Codec codecs[3];
  gsize n_codecs;

  memset (rig, 0, sizeof *rig);
  rig->view_only = view_only;
  rig->host_id = wavry_identity_generate ();
  rig->client_id = wavry_identity_generate ();
  rig->trusted = wavry_trusted_clients_new ();
  wavry_trusted_clients_add (rig->trusted, wavry_identity_get_id (rig->client_id));

  host_config.capture_spec = "x11";
  host_config.fps = 30;
  host_config.bitrate_kbps = 3000;
  host_config.encoder = "x264";
  rig->media = wavry_host_media_new (&host_config, &error);
  g_assert_no_error (error);
  injector = wavry_input_injector_new_for_backend (WAVRY_INPUT_BACKEND_AUTO, "x11", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (injector), ==, "WavryInputInjectorXtest");
  wavry_host_media_set_injector (rig->media, injector);

  rig->daemon = wavry_host_daemon_new (rig->host_id, rig->trusted, "input test host");
  wavry_host_daemon_set_media (rig->daemon, rig->media);
  g_signal_connect (rig->daemon, "client-connected", G_CALLBACK (on_client_connected), rig);
  listen = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (loopback, 0));
  g_assert_true (wavry_host_daemon_start (rig->daemon, listen, &error));
  g_assert_no_error (error);

  rig->client_media = wavry_client_media_new (&client_config, &error);
  g_assert_no_error (error);
  rig->connection = wavry_connection_new (rig->client_id, "input test client");
  n_codecs = wavry_client_media_get_codecs (rig->client_media, codecs);
  wavry_connection_set_codecs (rig->connection, codecs, n_codecs);

  /* Not attached yet: nothing can be sent. */
  g_assert_false (wavry_client_media_send_key (rig->client_media, KEY_A, TRUE));

  wavry_connection_connect_async (rig->connection, wavry_host_daemon_get_local_address (rig->daemon),
                                  wavry_identity_get_id (rig->host_id), NULL, connected_cb,
                                  &connect_error);
  g_assert_true (wavry_test_wait_for (is_connected, rig->connection, 10000));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_no_error (connect_error);
  g_assert_true (wavry_client_media_attach (rig->client_media, rig->connection, &error));
  g_assert_no_error (error);
}

static void
rig_clear (Rig *rig)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wavry_client_media_detach (rig->client_media, &error));
  g_assert_no_error (error);
  wavry_host_daemon_stop (rig->daemon);
  g_clear_object (&rig->client_media);
  g_clear_object (&rig->connection);
  g_clear_object (&rig->daemon);
  g_clear_object (&rig->media);
  g_clear_object (&rig->trusted);
  g_clear_object (&rig->host_id);
  g_clear_object (&rig->client_id);
}

static WavryTestInputClient *
start_x_client (int *width,
                int *height)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "media", "x-input-client", NULL);
  g_autoptr(GError) error = NULL;
  WavryTestInputClient *client;
  GSubprocess *process;
  const char *mapped;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, NULL);
  g_assert_no_error (error);
  client = wavry_test_input_client_new (process);
  mapped = wavry_test_input_client_wait_line (client, "mapped", 10000);
  g_assert_nonnull (mapped);
  g_assert_cmpint (sscanf (mapped, "mapped %d %d", width, height), ==, 2);
  return client;
}

static gboolean
have_x_display (void)
{
  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs an X display (Xvfb, started by build-aux/headless-session)");
      return FALSE;
    }
  return TRUE;
}

static void
send_raw (WavryConnection    *connection,
          Rift__InputMessage *input)
{
  Rift__Message message = RIFT__MESSAGE__INIT;

  message.content_case = RIFT__MESSAGE__CONTENT_INPUT;
  message.input = input;
  g_assert_true (wavry_connection_send (connection, &message));
}

static void
test_control (void)
{
  g_autoptr(WavryTestInputClient) client = NULL;
  g_autofree char *click = NULL;
  WavryHostMediaStats stats;
  int width, height;
  Rig rig;

  if (!have_x_display ())
    return;
  client = start_x_client (&width, &height);
  rig_start (&rig, FALSE);

  g_assert_true (wavry_client_media_send_key (rig.client_media, KEY_A, TRUE));
  g_assert_true (wavry_client_media_send_key (rig.client_media, KEY_A, FALSE));
  g_assert_true (wavry_client_media_send_pointer (rig.client_media, 0.5, 0.5));
  g_assert_true (wavry_client_media_send_button (rig.client_media, 0x110, TRUE));
  g_assert_true (wavry_client_media_send_button (rig.client_media, 0x110, FALSE));
  g_assert_true (wavry_client_media_send_scroll (rig.client_media, 0, 1));
  /* The client refuses what the host would drop. */
  g_assert_false (wavry_client_media_send_pointer (rig.client_media, 7.0, 0.5));
  g_assert_false (wavry_client_media_send_key (rig.client_media, 0x110, TRUE));
  g_assert_false (wavry_client_media_send_button (rig.client_media, KEY_A, TRUE));

  g_assert_nonnull (wavry_test_input_client_wait_line (client, "key-press 38", 5000));
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "key-release 38", 5000));
  click = g_strdup_printf ("button-press 1 %ld %ld", lround (0.5 * (width - 1)),
                           lround (0.5 * (height - 1)));
  g_assert_nonnull (wavry_test_input_client_wait_line (client, click, 5000));
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "button-release 1 ", 5000));
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "button-press 5 ", 5000));

  /* Malformed input, sent raw: dropped and counted, nothing arrives. */
  {
    Rift__InputMessage input = RIFT__INPUT_MESSAGE__INIT;
    Rift__MouseMove move = RIFT__MOUSE_MOVE__INIT;
    Rift__Key key = RIFT__KEY__INIT;
    Rift__MouseButton button = RIFT__MOUSE_BUTTON__INIT;
    Rift__InputMessage empty = RIFT__INPUT_MESSAGE__INIT;
    guint lines;

    wavry_test_input_client_settle (client, 300);
    lines = wavry_test_input_client_count (client, "");

    move.x = 7.0f;
    move.y = 0.5f;
    input.event_case = RIFT__INPUT_MESSAGE__EVENT_MOUSE_MOVE;
    input.mouse_move = &move;
    send_raw (rig.connection, &input);
    key.keycode = 0x110;   /* a button code is not a key */
    key.pressed = TRUE;
    input.event_case = RIFT__INPUT_MESSAGE__EVENT_KEY;
    input.key = &key;
    send_raw (rig.connection, &input);
    key.keycode = 0x1000;  /* beyond KEY_MAX */
    send_raw (rig.connection, &input);
    button.button = 0x118; /* not one of the five buttons */
    button.pressed = TRUE;
    input.event_case = RIFT__INPUT_MESSAGE__EVENT_MOUSE_BUTTON;
    input.mouse_button = &button;
    send_raw (rig.connection, &input);
    send_raw (rig.connection, &empty);  /* no event at all */

    wavry_test_input_client_settle (client, 500);
    g_assert_cmpuint (wavry_test_input_client_count (client, ""), ==, lines);
  }

  wavry_host_media_get_stats (rig.media, &stats);
  g_assert_cmpuint (stats.input_injected, ==, 6);
  g_assert_cmpuint (stats.input_refused, ==, 0);
  g_assert_cmpuint (stats.input_invalid, ==, 5);
  g_assert_cmpuint (stats.input_failed, ==, 0);
  rig_clear (&rig);
}

static void
test_view_only (void)
{
  g_autoptr(WavryTestInputClient) client = NULL;
  WavryHostMediaStats stats;
  int width, height;
  Rig rig;

  if (!have_x_display ())
    return;
  client = start_x_client (&width, &height);
  rig_start (&rig, TRUE);

  g_assert_true (wavry_client_media_send_key (rig.client_media, KEY_A, TRUE));
  g_assert_true (wavry_client_media_send_key (rig.client_media, KEY_A, FALSE));
  g_assert_true (wavry_client_media_send_pointer (rig.client_media, 0.25, 0.25));
  g_assert_true (wavry_client_media_send_button (rig.client_media, 0x110, TRUE));
  g_assert_true (wavry_client_media_send_button (rig.client_media, 0x110, FALSE));
  wavry_test_input_client_settle (client, 1000);

  g_assert_cmpuint (wavry_test_input_client_count (client, "key-"), ==, 0);
  g_assert_cmpuint (wavry_test_input_client_count (client, "button-"), ==, 0);
  g_assert_cmpuint (wavry_test_input_client_count (client, "motion"), ==, 0);
  wavry_host_media_get_stats (rig.media, &stats);
  g_assert_cmpuint (stats.input_refused, ==, 5);
  g_assert_cmpuint (stats.input_injected, ==, 0);
  rig_clear (&rig);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  g_test_add_func ("/input/control", test_control);
  g_test_add_func ("/input/view-only", test_view_only);

  return g_test_run ();
}
