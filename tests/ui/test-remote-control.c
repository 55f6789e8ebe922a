/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * Remote control the whole way, as a person does it: a key and a click in
 * the stream window (on the harness's X display) travel over RIFT to a host
 * that captures and injects into a second X display (an Xvfb this test
 * starts and stops by PID), where a test X client records them. */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <X11/Xlib.h>
#include <X11/keysym.h>
#include <X11/extensions/XTest.h>

#include "wavry-client-input-sink.h"
#include "wavry-host-daemon.h"
#include "wavry-input-injector-xtest.h"
#include "wavry-stream-window.h"
#include "wavry-test-input-client.h"
#include "wavry-ui-test-util.h"

typedef struct
{
  GPid  xvfb;
  int   number;
  char *name;     /* ":N" */
} SecondDisplay;

static gboolean
start_second_display (SecondDisplay *d)
{
  g_autofree char *xvfb = g_find_program_in_path ("Xvfb");
  g_autoptr(GError) error = NULL;

  if (xvfb == NULL)
    return FALSE;
  for (d->number = 150 + getpid () % 50; d->number < 260; d->number++)
    {
      g_autofree char *lock = g_strdup_printf ("/tmp/.X%d-lock", d->number);

      if (!g_file_test (lock, G_FILE_TEST_EXISTS))
        break;
    }
  d->name = g_strdup_printf (":%d", d->number);
  g_assert_true (g_spawn_async (NULL, (char **) (const char *[]) { xvfb, d->name, "-screen", "0",
                                                                   "640x480x24", "-nolisten",
                                                                   "tcp", NULL },
                                NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &d->xvfb, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 100; i++)
    {
      Display *probe = XOpenDisplay (d->name);

      if (probe != NULL)
        {
          XCloseDisplay (probe);
          return TRUE;
        }
      g_usleep (50 * 1000);
    }
  g_error ("Xvfb %s did not start", d->name);
}

static void
stop_second_display (SecondDisplay *d)
{
  kill (d->xvfb, SIGTERM);
  waitpid (d->xvfb, NULL, 0);
  g_spawn_close_pid (d->xvfb);
  g_free (d->name);
}

static gboolean
is_connected (gpointer data)
{
  return wavry_connection_get_state (data) == WAVRY_RIFT_CLIENT_STATE_ESTABLISHED ||
         wavry_connection_get_state (data) == WAVRY_RIFT_CLIENT_STATE_CLOSED;
}

static gboolean
is_presenting (gpointer data)
{
  return wavry_gl_presenter_get_presented_count (data) > 0;
}

static gboolean
is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

static void
on_frame (WavryVideoFrame *frame,
          gpointer         presenter)
{
  wavry_gl_presenter_push_frame (presenter, frame);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  wavry_connection_connect_finish (WAVRY_CONNECTION (source), result, user_data);
}

static void
test_key_and_click_reach_the_host (void)
{
  SecondDisplay second = { 0 };
  g_autofree char *recorder_path = g_test_build_filename (G_TEST_BUILT, "media", "x-input-client", NULL);
  g_autofree char *capture = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(WavryTestInputClient) recorder = NULL;
  g_autoptr(WavryIdentity) host_id = wavry_identity_generate ();
  g_autoptr(WavryIdentity) client_id = wavry_identity_generate ();
  g_autoptr(WavryTrustedClients) trusted = wavry_trusted_clients_new ();
  g_autoptr(WavryHostMedia) media = NULL;
  g_autoptr(WavryHostDaemon) daemon = NULL;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(WavryClientMedia) client_media = NULL;
  g_autoptr(WavryConnection) connection = NULL;
  g_autoptr(WavryInputSink) sink = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetSocketAddress) listen = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) connect_error = NULL;
  WavryHostMediaConfig host_config = { 0 };
  WavryClientMediaConfig client_config = { 0 };
  WavryStreamWindow *window;
  WavryGlPresenter *presenter;
  GtkNative *native;
  Display *dpy;
  Rift__Codec codecs[3];
  gsize n_codecs;
  graphene_rect_t r;
  graphene_point_t in, out;
  double sx, sy;
  int rx, ry;
  Window child;

  if (g_getenv ("DISPLAY") == NULL || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs an X display (Xvfb, started by build-aux/headless-session)");
      return;
    }
  if (!start_second_display (&second))
    {
      g_test_skip ("needs Xvfb for the host's own display");
      return;
    }

  /* the host's screen: a recorder window covering it */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "DISPLAY", second.name, TRUE);
  recorder = wavry_test_input_client_new (g_subprocess_launcher_spawn (launcher, &error, recorder_path, NULL));
  g_assert_no_error (error);
  g_assert_nonnull (wavry_test_input_client_wait_line (recorder, "mapped", 10000));

  /* the host: captures that display, injects into it with XTest */
  capture = g_strdup_printf ("x11:%s", second.name);
  host_config.capture_spec = capture;
  host_config.fps = 30;
  host_config.bitrate_kbps = 2000;
  host_config.encoder = "x264";
  media = wavry_host_media_new (&host_config, &error);
  g_assert_no_error (error);
  injector = wavry_input_injector_xtest_new (second.name, &error);
  g_assert_no_error (error);
  wavry_host_media_set_injector (media, injector);
  wavry_trusted_clients_add (trusted, wavry_identity_get_id (client_id));
  daemon = wavry_host_daemon_new (host_id, trusted, "remote control host");
  wavry_host_daemon_set_media (daemon, media);
  listen = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (loopback, 0));
  g_assert_true (wavry_host_daemon_start (daemon, listen, &error));
  g_assert_no_error (error);

  /* the client: a stream window on this display */
  window = wavry_stream_window_new (NULL, "remote control");
  presenter = wavry_stream_window_get_presenter (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 480);
  gtk_window_present (GTK_WINDOW (window));
  client_media = wavry_client_media_new (&client_config, &error);
  g_assert_no_error (error);
  wavry_client_media_set_frame_func (client_media, on_frame, presenter);
  connection = wavry_connection_new (client_id, "remote control client");
  n_codecs = wavry_client_media_get_codecs (client_media, codecs);
  wavry_connection_set_codecs (connection, codecs, n_codecs);
  wavry_connection_connect_async (connection, wavry_host_daemon_get_local_address (daemon),
                                  wavry_identity_get_id (host_id), NULL, connected_cb, &connect_error);
  g_assert_true (wavry_ui_test_wait_until (is_connected, connection, 10000));
  g_assert_no_error (connect_error);
  g_assert_true (wavry_client_media_attach (client_media, connection, &error));
  g_assert_no_error (error);
  sink = wavry_client_input_sink_new (client_media);
  wavry_stream_window_set_input_sink (window, sink);
  g_assert_true (wavry_ui_test_wait_until (is_presenting, presenter, 15000));

  /* a person focuses the window (no window manager on Xvfb), types 'a' and
   * clicks the middle of the picture */
  dpy = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  native = gtk_widget_get_native (GTK_WIDGET (presenter));
  XSetInputFocus (dpy, gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                  RevertToParent, CurrentTime);
  XFlush (dpy);
  g_assert_true (wavry_ui_test_wait_until (is_active, window, 5000));
  XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, XK_a), True, CurrentTime);
  XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, XK_a), False, CurrentTime);
  XFlush (dpy);
  g_assert_true (wavry_gl_presenter_get_picture_rect (presenter, &r));
  in = GRAPHENE_POINT_INIT (r.origin.x + r.size.width / 2, r.origin.y + r.size.height / 2);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (presenter), GTK_WIDGET (native), &in, &out));
  gtk_native_get_surface_transform (native, &sx, &sy);
  XTranslateCoordinates (dpy, gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                         DefaultRootWindow (dpy), (int) (out.x + sx), (int) (out.y + sy),
                         &rx, &ry, &child);
  XTestFakeMotionEvent (dpy, -1, rx, ry, CurrentTime);
  XTestFakeButtonEvent (dpy, 1, True, CurrentTime);
  XTestFakeButtonEvent (dpy, 1, False, CurrentTime);
  XFlush (dpy);

  /* … and they happen on the host's display */
  g_assert_nonnull (wavry_test_input_client_wait_line (recorder, "key-press 38", 10000));
  g_assert_nonnull (wavry_test_input_client_wait_line (recorder, "key-release 38", 5000));
  {
    const char *click = wavry_test_input_client_wait_line (recorder, "button-press 1 ", 5000);
    int x = -1, y = -1;

    g_assert_nonnull (click);
    g_assert_cmpint (sscanf (click, "button-press 1 %d %d", &x, &y), ==, 2);
    g_test_message ("click arrived at %d,%d on the host's 640×480 screen", x, y);
    g_assert_cmpint (ABS (x - 320), <=, 8);
    g_assert_cmpint (ABS (y - 240), <=, 8);
  }

  wavry_stream_window_set_input_sink (window, NULL);
  g_assert_true (wavry_client_media_detach (client_media, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (window));
  wavry_host_daemon_stop (daemon);
  g_clear_pointer (&recorder, wavry_test_input_client_free);
  /* every X connection to the second display closes before it goes
   * (Xlib exits the process on a connection whose server died) */
  g_clear_object (&daemon);
  g_clear_object (&media);
  g_clear_object (&injector);
  stop_second_display (&second);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_true (wavry_identity_init_crypto (NULL));

  g_test_add_func ("/wavry/ui/remote-control/key-and-click-reach-the-host",
                   test_key_and_click_reach_the_host);
  return g_test_run ();
}
