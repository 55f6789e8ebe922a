/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * "Share this screen" on a Wayland desktop without Mutter's private API:
 * WavryHostController with the portal capture (`pipewire`) opens ONE
 * RemoteDesktop portal session (keyboard, pointer and one monitor), streams
 * that session's screen (a real PipeWire node of a known colour, reached
 * over the fd the portal's OpenPipeWireRemote gives) and injects a client's
 * keys and pointer through the same session. A refused dialog, or sharing
 * switched off while it is up, shares nothing. The portal is the fake of
 * tests/wavry-test-portal.c on a private session bus; PipeWire and
 * WirePlumber are real (tests/wavry-test-pipewire.c). */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "wavry-client-media.h"
#include "wavry-connection.h"
#include "wavry-host-controller.h"
#include "wavry-input-injector-portal.h"
#include "wavry-test-pipewire.h"
#include "wavry-test-pipewire-source.h"
#include "wavry-test-portal.h"
#include "wavry-test-udp-proxy.h"

#define KEY_A 30
#define SCREEN_RGB 0xff2000   /* BT.709 limited range: Y ≈ 82, Cb ≈ 92, Cr ≈ 227 */

static char *bus_missing;  /* why the tests skip, or NULL */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Start;

typedef struct
{
  GMutex           lock;
  guint            frames;
  WavryVideoFrame *last;
} Seen;

static void
start_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Start *start = user_data;

  start->ok = wavry_host_controller_start_finish (WAVRY_HOST_CONTROLLER (source), result,
                                                  &start->error);
  start->done = TRUE;
}

static gboolean
is_started (gpointer data)
{
  return ((Start *) data)->done;
}

static gboolean
is_connected (gpointer data)
{
  return wavry_connection_get_state (data) == WAVRY_RIFT_CLIENT_STATE_ESTABLISHED ||
         wavry_connection_get_state (data) == WAVRY_RIFT_CLIENT_STATE_CLOSED;
}

static gboolean
has_frames (gpointer data)
{
  Seen *seen = data;
  gboolean enough;

  g_mutex_lock (&seen->lock);
  enough = seen->frames >= 5;
  g_mutex_unlock (&seen->lock);
  return enough;
}

static void
on_frame (WavryVideoFrame *frame,
          gpointer         user_data)
{
  Seen *seen = user_data;

  g_mutex_lock (&seen->lock);
  seen->frames++;
  g_clear_pointer (&seen->last, wavry_video_frame_unref);
  seen->last = wavry_video_frame_ref (frame);
  g_mutex_unlock (&seen->lock);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  wavry_connection_connect_finish (WAVRY_CONNECTION (source), result, error);
}

static WavryHostController *
new_controller (WavryIdentity *host_id,
                WavryIdentity *client_id)
{
  g_autoptr(WavryTrustedClients) trusted = wavry_trusted_clients_new ();

  if (client_id != NULL)
    wavry_trusted_clients_add (trusted, wavry_identity_get_id (client_id));
  return wavry_host_controller_new (host_id, trusted, "portal test host");
}

static void
start_sharing (WavryHostController *controller,
               GCancellable        *cancellable,
               Start               *start)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) listen = g_inet_socket_address_new (loopback, 0);
  WavryHostMediaConfig config = { 0 };

  config.capture_spec = "pipewire";
  config.fps = 30;
  config.bitrate_kbps = 2000;
  config.encoder = "x264";
  wavry_host_controller_start_async (controller, &config, G_INET_SOCKET_ADDRESS (listen),
                                     cancellable, start_cb, start);
}

/* The centre of @frame (I420 or NV12) against a BT.709 limited-range colour. */
static void
assert_centre_colour (WavryVideoFrame *frame,
                      guint            want_y,
                      guint            want_cb,
                      guint            want_cr)
{
  guint x = wavry_video_frame_get_width (frame) / 2 & ~1u;
  guint y = wavry_video_frame_get_height (frame) / 2 & ~1u;
  const guint8 *chroma = wavry_video_frame_get_data (frame, 1);
  guint py = wavry_video_frame_get_data (frame, 0)[y * wavry_video_frame_get_stride (frame, 0) + x];
  guint pu, pv;

  if (wavry_video_frame_get_format (frame) == WAVRY_PIXEL_FORMAT_NV12)
    {
      pu = chroma[y / 2 * wavry_video_frame_get_stride (frame, 1) + x];
      pv = chroma[y / 2 * wavry_video_frame_get_stride (frame, 1) + x + 1];
    }
  else
    {
      g_assert_cmpint (wavry_video_frame_get_format (frame), ==, WAVRY_PIXEL_FORMAT_I420);
      pu = chroma[y / 2 * wavry_video_frame_get_stride (frame, 1) + x / 2];
      pv = wavry_video_frame_get_data (frame, 2)[y / 2 * wavry_video_frame_get_stride (frame, 2) + x / 2];
    }
  g_test_message ("centre Y %u Cb %u Cr %u (want about %u %u %u)", py, pu, pv,
                  want_y, want_cb, want_cr);
  g_assert_cmpint (ABS ((int) py - (int) want_y), <=, 10);
  g_assert_cmpint (ABS ((int) pu - (int) want_cb), <=, 12);
  g_assert_cmpint (ABS ((int) pv - (int) want_cr), <=, 12);
}

/* Lets replies to the injector's calls arrive on this thread. */
static gboolean
has_call (gpointer data)
{
  gpointer *args = data;
  WavryTestPortal *fake = args[0];

  return wavry_test_portal_count_calls (fake, args[1]) > 0;
}

static char *
wait_call (WavryTestPortal *fake,
           const char      *prefix)
{
  gpointer args[2] = { fake, (gpointer) prefix };

  wavry_test_wait_for (has_call, args, 5000);
  return wavry_test_portal_find_call (fake, prefix);
}

static void
test_one_dialog (void)
{
  g_autoptr(WavryIdentity) host_id = NULL;
  g_autoptr(WavryIdentity) client_id = NULL;
  g_autoptr(WavryHostController) controller = NULL;
  g_autoptr(WavryClientMedia) client_media = NULL;
  g_autoptr(WavryConnection) connection = NULL;
  g_autoptr(WavryTestPipewireSource) src = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) connect_error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *key = NULL;
  g_autofree char *motion = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *close = NULL;
  WavryTestPipewire *pw;
  WavryTestPortal *fake;
  WavryClientMediaConfig client_config = { 0 };
  Start start = { 0 };
  Seen seen = { 0 };
  Rift__Codec codecs[3];
  gsize n_codecs;

  if (bus_missing != NULL)
    {
      g_test_skip (bus_missing);
      return;
    }
  pw = wavry_test_pipewire_start_or_skip ();
  if (pw == NULL)
    return;

  src = wavry_test_pipewire_source_new (320, 240, 30, SCREEN_RGB, &error);
  g_assert_no_error (error);
  fake = wavry_test_portal_new (0, WAVRY_PORTAL_DEVICE_KEYBOARD | WAVRY_PORTAL_DEVICE_POINTER,
                                TRUE);
  wavry_test_portal_set_node_id (fake, wavry_test_pipewire_source_get_node_id (src));

  host_id = wavry_identity_generate ();
  client_id = wavry_identity_generate ();
  controller = new_controller (host_id, client_id);
  start_sharing (controller, NULL, &start);
  g_assert_true (wavry_test_wait_for (is_started, &start, 10000));
  g_assert_no_error (start.error);
  g_assert_true (start.ok);
  g_assert_true (wavry_host_controller_get_active (controller));
  g_assert_cmpstr (wavry_host_controller_get_input_description (controller), ==,
                   "Desktop portal remote control");
  /* The desktop remembered the answer: its token is kept for next time. */
  g_assert_cmpstr (wavry_host_controller_get_restore_token (controller), ==,
                   "wavry-test-restore-1");

  /* One dialog: a RemoteDesktop session that also picked the monitor; no
   * ScreenCast session of its own. */
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "RemoteDesktop.CreateSession"), ==, 1);
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "RemoteDesktop.SelectDevices"), ==, 1);
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "ScreenCast.SelectSources"), ==, 1);
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "RemoteDesktop.Start"), ==, 1);
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "ScreenCast.CreateSession"), ==, 0);
  g_mutex_lock (&fake->lock);
  session = g_strdup (fake->session_path);
  g_mutex_unlock (&fake->lock);

  /* A trusted client sees the portal's screen … */
  g_mutex_init (&seen.lock);
  client_media = wavry_client_media_new (&client_config, &error);
  g_assert_no_error (error);
  wavry_client_media_set_frame_func (client_media, on_frame, &seen);
  connection = wavry_connection_new (client_id, "portal test client");
  n_codecs = wavry_client_media_get_codecs (client_media, codecs);
  wavry_connection_set_codecs (connection, codecs, n_codecs);
  wavry_connection_connect_async (connection, wavry_host_controller_get_local_address (controller),
                                  wavry_identity_get_id (host_id), NULL, connected_cb,
                                  &connect_error);
  g_assert_true (wavry_test_wait_for (is_connected, connection, 10000));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_no_error (connect_error);
  g_assert_true (wavry_client_media_attach (client_media, connection, &error));
  g_assert_no_error (error);
  g_assert_true (wavry_test_wait_for (has_frames, &seen, 15000));
  g_mutex_lock (&seen.lock);
  g_assert_cmpuint (wavry_video_frame_get_width (seen.last), ==, 320);
  g_assert_cmpuint (wavry_video_frame_get_height (seen.last), ==, 240);
  assert_centre_colour (seen.last, 82, 92, 227);
  g_mutex_unlock (&seen.lock);
  /* … over the session's own PipeWire connection, still one session. */
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "ScreenCast.OpenPipeWireRemote"), ==, 1);
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "ScreenCast.CreateSession"), ==, 0);

  /* … and controls it through that session. */
  g_assert_true (wavry_client_media_send_key (client_media, KEY_A, TRUE));
  g_assert_true (wavry_client_media_send_pointer (client_media, 0.5, 0.5));
  key = wait_call (fake, "RemoteDesktop.NotifyKeyboardKeycode");
  expected = g_strdup_printf ("RemoteDesktop.NotifyKeyboardKeycode (objectpath '%s', @a{sv} {}, "
                              "%d, uint32 1)", session, KEY_A);
  g_assert_cmpstr (key, ==, expected);
  motion = wait_call (fake, "RemoteDesktop.NotifyPointerMotionAbsolute");
  g_assert_nonnull (motion);
  g_assert_nonnull (strstr (motion, "639.5, 359.5"));

  g_assert_true (wavry_client_media_detach (client_media, &error));
  g_assert_no_error (error);

  /* Switching sharing off closes the portal session. */
  wavry_host_controller_stop (controller);
  g_clear_object (&controller);
  close = wait_call (fake, "Session.Close");
  g_assert_nonnull (close);
  g_assert_nonnull (strstr (close, session));

  wavry_test_portal_drain ();
  g_clear_pointer (&seen.last, wavry_video_frame_unref);
  g_mutex_clear (&seen.lock);
  g_clear_object (&client_media);
  g_clear_object (&connection);
  wavry_test_portal_free (fake);
  g_clear_pointer (&src, wavry_test_pipewire_source_free);
  wavry_test_pipewire_stop (pw);
}

/* The user refuses the dialog: nothing is shared, no second dialog. */
static void
test_refused (void)
{
  g_autoptr(WavryIdentity) host_id = NULL;
  g_autoptr(WavryHostController) controller = NULL;
  WavryTestPortal *fake;
  Start start = { 0 };

  if (bus_missing != NULL)
    {
      g_test_skip (bus_missing);
      return;
    }

  fake = wavry_test_portal_new (1, 3, TRUE);
  host_id = wavry_identity_generate ();
  controller = new_controller (host_id, NULL);
  start_sharing (controller, NULL, &start);
  g_assert_true (wavry_test_wait_for (is_started, &start, 10000));
  g_assert_false (start.ok);
  g_assert_error (start.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (wavry_host_controller_get_active (controller));
  g_assert_null (wavry_host_controller_get_local_address (controller));
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "ScreenCast.CreateSession"), ==, 0);
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "ScreenCast.OpenPipeWireRemote"), ==, 0);
  g_clear_error (&start.error);
  g_clear_object (&controller);
  wavry_test_portal_drain ();
  wavry_test_portal_free (fake);
}

/* Sharing switched off while the dialog is up: the dialog is withdrawn
 * and nothing starts. */
static void
test_switched_off (void)
{
  g_autoptr(WavryIdentity) host_id = NULL;
  g_autoptr(WavryHostController) controller = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *start_call = NULL;
  WavryTestPortal *fake;
  Start start = { 0 };

  if (bus_missing != NULL)
    {
      g_test_skip (bus_missing);
      return;
    }

  fake = wavry_test_portal_new (WAVRY_TEST_PORTAL_NO_RESPONSE, 3, TRUE);
  host_id = wavry_identity_generate ();
  controller = new_controller (host_id, NULL);
  start_sharing (controller, cancellable, &start);
  start_call = wait_call (fake, "RemoteDesktop.Start");
  g_assert_nonnull (start_call);
  g_assert_false (start.done);
  g_cancellable_cancel (cancellable);
  g_assert_true (wavry_test_wait_for (is_started, &start, 10000));
  g_assert_false (start.ok);
  g_assert_error (start.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (wavry_host_controller_get_active (controller));
  g_clear_error (&start.error);
  g_clear_object (&controller);
  wavry_test_portal_drain ();
  wavry_test_portal_free (fake);
}

static void
on_ended (WavryHostController *controller,
          const char          *reason,
          char               **out)
{
  *out = g_strdup (reason);
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* The user stops sharing from the desktop's indicator: the portal closes
 * the session, and the host stops as if switched off, saying why. */
static void
test_desktop_stops (void)
{
  g_autoptr(WavryIdentity) host_id = NULL;
  g_autoptr(WavryHostController) controller = NULL;
  g_autofree char *reason = NULL;
  WavryTestPortal *fake;
  Start start = { 0 };

  if (bus_missing != NULL)
    {
      g_test_skip (bus_missing);
      return;
    }

  fake = wavry_test_portal_new (0, 3, TRUE);
  host_id = wavry_identity_generate ();
  controller = new_controller (host_id, NULL);
  g_signal_connect (controller, "ended", G_CALLBACK (on_ended), &reason);
  start_sharing (controller, NULL, &start);
  g_assert_true (wavry_test_wait_for (is_started, &start, 10000));
  g_assert_true (start.ok);
  g_assert_true (wavry_host_controller_get_active (controller));

  wavry_test_portal_emit_closed (fake);
  g_assert_true (wavry_test_wait_for (is_set, &reason, 5000));
  g_assert_cmpstr (reason, ==, "The desktop stopped sharing this screen.");
  g_assert_false (wavry_host_controller_get_active (controller));
  g_assert_null (wavry_host_controller_get_local_address (controller));
  g_clear_object (&controller);
  wavry_test_portal_drain ();
  wavry_test_portal_free (fake);
}

/* `wavry --service=host --capture pipewire` (input auto): the same single
 * dialog at start; refused, the daemon says why and exits 1 without asking
 * again for the screen alone. */
static void
test_service_refused (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  WavryTestPortal *fake;

  if (bus_missing != NULL)
    {
      g_test_skip (bus_missing);
      return;
    }
  if (g_getenv ("WAVRY_BINARY") == NULL)
    {
      g_test_skip ("needs the wavry binary (WAVRY_BINARY, set by meson test)");
      return;
    }

  fake = wavry_test_portal_new (1, 3, TRUE);
  state = g_dir_make_tmp ("wavry-portal-host-XXXXXX", &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("WAVRY_BINARY"),
                                         "--service=host", "--capture", "pipewire",
                                         "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (err, "wavry --service=host: the screen was not shared: "
                                 "The user did not allow remote control."));
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "RemoteDesktop.Start"), ==, 1);
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "ScreenCast.CreateSession"), ==, 0);
  wavry_test_portal_free (fake);
  g_rmdir (state);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *bus_dir = NULL;
  GPid bus_pid;
  int ret;

  /* Always a private session bus: the fake portal must not meet a real one. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_unsetenv ("DBUS_SYSTEM_BUS_ADDRESS");
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  g_test_add_func ("/portal-host/one-dialog", test_one_dialog);
  g_test_add_func ("/portal-host/refused", test_refused);
  g_test_add_func ("/portal-host/switched-off", test_switched_off);
  g_test_add_func ("/portal-host/desktop-stops", test_desktop_stops);
  g_test_add_func ("/portal-host/service-refused", test_service_refused);

  bus_pid = wavry_test_portal_bus_start_or_missing (&bus_dir, &bus_missing);

  ret = g_test_run ();
  wavry_test_portal_bus_stop (bus_pid, bus_dir);
  g_free (bus_missing);
  return ret;
}
