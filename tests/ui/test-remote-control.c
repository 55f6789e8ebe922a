/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * Remote control the whole way, as a person does it: a key and a click in
 * the stream window (on the harness's X display) travel over RIFT to a host
 * that captures and injects
 *  - into a second X display (an Xvfb this test starts and stops by PID),
 *    where a test X client records them;
 *  - into a private `mutter --headless` (tests/wavry-test-mutter.c) through
 *    GNOME's RemoteDesktop API, the host being the real `wavry
 *    --service=host --capture mutter` as a subprocess on that compositor's
 *    bus and PipeWire, where a GTK window (tests/media/mutter-input-client)
 *    records them. */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <X11/Xlib.h>
#include <X11/keysym.h>
#include <X11/extensions/XTest.h>

#include "wavry-client-input-sink.h"
#include "wavry-host-daemon.h"
#include "wavry-input-injector-xtest.h"
#include "wavry-keystore.h"
#include "wavry-net-address.h"
#include "wavry-stream-window.h"
#include "wavry-test-input-client.h"
#include "wavry-test-mutter.h"
#include "wavry-ui-test-screen.h"
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

/* The client: a stream window on the harness's display, connected to a
 * host, showing its picture and sending it this window's input. */
typedef struct
{
  WavryStreamWindow *window;
  WavryGlPresenter  *presenter;
  WavryClientMedia  *media;
  WavryConnection   *connection;
  WavryInputSink    *sink;
} StreamClient;

static void
stream_client_start (StreamClient       *client,
                     WavryIdentity      *client_id,
                     GInetSocketAddress *host_address,
                     const char         *host_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) connect_error = NULL;
  WavryClientMediaConfig config = { 0 };
  Rift__Codec codecs[3];
  gsize n_codecs;

  client->window = wavry_stream_window_new (NULL, "remote control");
  client->presenter = wavry_stream_window_get_presenter (client->window);
  gtk_window_set_default_size (GTK_WINDOW (client->window), 640, 480);
  gtk_window_present (GTK_WINDOW (client->window));
  client->media = wavry_client_media_new (&config, &error);
  g_assert_no_error (error);
  wavry_client_media_set_frame_func (client->media, on_frame, client->presenter);
  client->connection = wavry_connection_new (client_id, "remote control client");
  n_codecs = wavry_client_media_get_codecs (client->media, codecs);
  wavry_connection_set_codecs (client->connection, codecs, n_codecs);
  wavry_connection_connect_async (client->connection, host_address, host_id, NULL, connected_cb,
                                  &connect_error);
  g_assert_true (wavry_ui_test_wait_until (is_connected, client->connection, 10000));
  g_assert_no_error (connect_error);
  g_assert_cmpint (wavry_connection_get_state (client->connection), ==,
                   WAVRY_RIFT_CLIENT_STATE_ESTABLISHED);
  g_assert_true (wavry_client_media_attach (client->media, client->connection, &error));
  g_assert_no_error (error);
  client->sink = wavry_client_input_sink_new (client->media);
  wavry_stream_window_set_input_sink (client->window, client->sink);
  g_assert_true (wavry_ui_test_wait_until (is_presenting, client->presenter, 15000));
}

static void
stream_client_stop (StreamClient *client)
{
  g_autoptr(GError) error = NULL;

  wavry_stream_window_set_input_sink (client->window, NULL);
  g_assert_true (wavry_client_media_detach (client->media, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (client->window));
  g_clear_object (&client->sink);
  g_clear_object (&client->connection);
  g_clear_object (&client->media);
}

/* A person focuses the window (no window manager on Xvfb). */
static void
focus_window (StreamClient *client)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (client->presenter));

  XSetInputFocus (dpy, gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                  RevertToParent, CurrentTime);
  XFlush (dpy);
  g_assert_true (wavry_ui_test_wait_until (is_active, client->window, 5000));
}

/* … presses and releases a key on the keyboard … */
static void
tap_key (KeySym keysym)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gdk_display_get_default ());

  XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, keysym), True, CurrentTime);
  XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, keysym), False, CurrentTime);
  XFlush (dpy);
}

/* … moves the pointer over the middle of the picture … */
static void
point_at_picture_centre (StreamClient *client)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (client->presenter));
  graphene_rect_t r;
  graphene_point_t in, out;
  double sx, sy;
  int rx, ry;
  Window child;

  g_assert_true (wavry_gl_presenter_get_picture_rect (client->presenter, &r));
  in = GRAPHENE_POINT_INIT (r.origin.x + r.size.width / 2, r.origin.y + r.size.height / 2);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (client->presenter), GTK_WIDGET (native),
                                           &in, &out));
  gtk_native_get_surface_transform (native, &sx, &sy);
  XTranslateCoordinates (dpy, gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                         DefaultRootWindow (dpy), (int) (out.x + sx), (int) (out.y + sy),
                         &rx, &ry, &child);
  XTestFakeMotionEvent (dpy, -1, rx, ry, CurrentTime);
  XFlush (dpy);
}

/* … and clicks the left button where it is. */
static void
click (void)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gdk_display_get_default ());

  XTestFakeButtonEvent (dpy, 1, True, CurrentTime);
  XTestFakeButtonEvent (dpy, 1, False, CurrentTime);
  XFlush (dpy);
}

/* The recorder saw a left click within @tolerance pixels of (@x, @y). */
static void
assert_click_near (WavryTestInputClient *recorder,
                   int                   want_x,
                   int                   want_y,
                   int                   tolerance)
{
  const char *click = wavry_test_input_client_wait_line (recorder, "button-press 1 ", 10000);
  int x = -1, y = -1;

  g_assert_nonnull (click);
  g_assert_cmpint (sscanf (click, "button-press 1 %d %d", &x, &y), ==, 2);
  g_test_message ("click arrived at %d,%d on the host's screen (want %d,%d)", x, y, want_x, want_y);
  g_assert_cmpint (ABS (x - want_x), <=, tolerance);
  g_assert_cmpint (ABS (y - want_y), <=, tolerance);
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
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetSocketAddress) listen = NULL;
  g_autoptr(GError) error = NULL;
  WavryHostMediaConfig host_config = { 0 };
  StreamClient client = { 0 };

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
  stream_client_start (&client, client_id, wavry_host_daemon_get_local_address (daemon),
                       wavry_identity_get_id (host_id));

  /* a person types 'a' and clicks the middle of the picture … */
  focus_window (&client);
  tap_key (XK_a);
  point_at_picture_centre (&client);
  click ();

  /* … and they happen on the host's display */
  g_assert_nonnull (wavry_test_input_client_wait_line (recorder, "key-press 38", 10000));
  g_assert_nonnull (wavry_test_input_client_wait_line (recorder, "key-release 38", 5000));
  assert_click_near (recorder, 320, 240, 8);   /* the host's 640×480 screen */

  stream_client_stop (&client);
  wavry_host_daemon_stop (daemon);
  g_clear_pointer (&recorder, wavry_test_input_client_free);
  /* every X connection to the second display closes before it goes
   * (Xlib exits the process on a connection whose server died) */
  g_clear_object (&daemon);
  g_clear_object (&media);
  g_clear_object (&injector);
  stop_second_display (&second);
}

/* The real `wavry --service=host`, a subprocess started and stopped by PID. */
typedef struct
{
  GSubprocess        *process;
  GDataInputStream   *out;
  GInetSocketAddress *address;
} HostProcess;

/* Children die with the test program, even when an assertion aborts it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts `wavry --service=host --capture mutter` as a service of the
 * private compositor's session would run: on its bus and its PipeWire,
 * with no X or Wayland display of this test's. Waits for the address it
 * listens on and checks the ID it announces. */
static void
host_process_start (HostProcess     *host,
                    WavryTestMutter *env,
                    WavryIdentity   *host_id,
                    WavryIdentity   *client_id)
{
  g_autofree char *prefix = g_build_filename (wavry_test_mutter_get_runtime_dir (env), "host", NULL);
  g_autofree char *key = g_strconcat (prefix, ".key", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_true (wavry_keystore_write_key_pair (host_id, prefix, TRUE, &error));
  g_assert_no_error (error);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                wavry_test_mutter_get_bus_address (env), TRUE);
  g_subprocess_launcher_setenv (launcher, "PIPEWIRE_RUNTIME_DIR",
                                wavry_test_mutter_get_runtime_dir (env), TRUE);
  g_subprocess_launcher_unsetenv (launcher, "PIPEWIRE_REMOTE");
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  host->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("WAVRY_BINARY"),
                                               "--service=host", "--listen", "127.0.0.1:0",
                                               "--key", key, "--capture", "mutter",
                                               "--input", "auto", "--encoder", "x264",
                                               "--fps", "30", "--bitrate-kbps", "4000",
                                               "--allow-client", wavry_identity_get_id (client_id),
                                               "--name", "mutter host", NULL);
  g_assert_no_error (error);
  g_test_message ("started wavry --service=host (pid %s)",
                  g_subprocess_get_identifier (host->process));
  host->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (host->process));

  while (host->address == NULL || id == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (host->out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);   /* the host exited: its messages are in the log */
      g_test_message ("host: %s", line);
      if (g_str_has_prefix (line, "Wavry host listening on "))
        {
          host->address = wavry_net_address_resolve (line + strlen ("Wavry host listening on "), 0,
                                                     NULL, &error);
          g_assert_no_error (error);
        }
      else if (g_str_has_prefix (line, "Wavry ID: "))
        id = g_strdup (line + strlen ("Wavry ID: "));
    }
  g_assert_cmpstr (id, ==, wavry_identity_get_id (host_id));
}

/* Stops the host by its PID; it must shut down cleanly. */
static void
host_process_stop (HostProcess *host)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (host->process, SIGTERM);
  g_subprocess_wait (host->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (host->process));
  g_assert_cmpint (g_subprocess_get_exit_status (host->process), ==, 0);
  g_clear_object (&host->out);
  g_clear_object (&host->process);
  g_clear_object (&host->address);
}

#define MUTTER_WIDTH  1280
#define MUTTER_HEIGHT 720

static void
test_key_and_click_reach_mutter (void)
{
  g_autofree char *painter = g_test_build_filename (G_TEST_BUILT, "media", "mutter-input-client", NULL);
  g_autoptr(WavryIdentity) host_id = wavry_identity_generate ();
  g_autoptr(WavryIdentity) client_id = wavry_identity_generate ();
  g_autoptr(WavryTestInputClient) recorder = NULL;
  g_autoptr(GError) error = NULL;
  WavryTestMutter *env;
  HostProcess host = { 0 };
  StreamClient client = { 0 };
  GSubprocess *process;
  guint motions;

  if (g_getenv ("DISPLAY") == NULL || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs an X display (Xvfb, started by build-aux/headless-session)");
      return;
    }
  if (g_getenv ("WAVRY_BINARY") == NULL)
    {
      g_test_skip ("needs WAVRY_BINARY (run through meson test)");
      return;
    }
  if (!g_file_test (painter, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("the GTK input client (tests/media/mutter-input-client) was not built");
      return;
    }
  env = wavry_test_mutter_start (TRUE);
  if (env == NULL)
    return;  /* skipped, naming the missing program */

  /* the host's screen: a GTK window on mutter, fullscreen in #ff2000,
   * recording its input */
  process = wavry_test_mutter_spawn_client (env, (const char *[]) { painter, "#ff2000", NULL },
                                            &error);
  g_assert_no_error (error);
  recorder = wavry_test_input_client_new (process);
  g_assert_nonnull (wavry_test_input_client_wait_line (recorder, "mapped", 20000));
  wavry_test_input_client_settle (recorder, 300);

  /* the host: `wavry --service=host --capture mutter`, input through
   * mutter's RemoteDesktop session (--input auto) */
  host_process_start (&host, env, host_id, client_id);

  /* the client: a stream window on this display, showing mutter's screen */
  stream_client_start (&client, client_id, host.address, wavry_identity_get_id (host_id));
  {
    guint w, h;
    graphene_rect_t r;
    guint8 rgb[3];

    g_assert_true (wavry_gl_presenter_get_frame_size (client.presenter, &w, &h));
    g_assert_cmpuint (w, ==, MUTTER_WIDTH);
    g_assert_cmpuint (h, ==, MUTTER_HEIGHT);
    wavry_ui_test_run_for (300);
    g_assert_true (wavry_gl_presenter_get_picture_rect (client.presenter, &r));
    wavry_ui_test_screen_pixel (GTK_WIDGET (client.presenter), r.origin.x + r.size.width / 4,
                                r.origin.y + r.size.height / 4, rgb);
    g_test_message ("the stream window shows %u,%u,%u (want 255,32,0)", rgb[0], rgb[1], rgb[2]);
    g_assert_cmpint (ABS ((int) rgb[0] - 0xff), <=, 24);
    g_assert_cmpint (ABS ((int) rgb[1] - 0x20), <=, 24);
    g_assert_cmpint (ABS ((int) rgb[2] - 0x00), <=, 24);
  }

  /* a person focuses the window, moves the pointer to the middle of the
   * picture, sees mutter's pointer get there, and clicks: the click lands
   * in the middle of mutter's screen (the picture is about half size here:
   * a pixel of the window is two of mutter's). Without the wait, about one
   * run in four lost the click: mutter got the motion and the button within
   * 3 ms of each other (dbus-monitor) and its window no button, the
   * session's first motion not yet having put the pointer over it. */
  focus_window (&client);
  motions = wavry_test_input_client_count (recorder, "motion ");
  point_at_picture_centre (&client);
  for (gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
       wavry_test_input_client_count (recorder, "motion ") == motions &&
       g_get_monotonic_time () < deadline;)
    wavry_test_input_client_settle (recorder, 20);
  g_assert_cmpuint (wavry_test_input_client_count (recorder, "motion "), >, motions);
  click ();
  assert_click_near (recorder, MUTTER_WIDTH / 2, MUTTER_HEIGHT / 2, 8);
  g_assert_nonnull (wavry_test_input_client_wait_line (recorder, "button-release 1 ", 5000));

  /* Headless mutter gives its window keyboard focus only once the
   * session's virtual keyboard was used (see test-mutter-session): a tap of
   * Shift in the stream window does that; then 'a' arrives as keycode 38. */
  tap_key (XK_Shift_L);
  g_assert_nonnull (wavry_test_input_client_wait_line (recorder, "active", 5000));
  wavry_test_input_client_settle (recorder, 100);
  tap_key (XK_a);
  g_assert_nonnull (wavry_test_input_client_wait_line (recorder, "key-press 38", 5000));
  g_assert_nonnull (wavry_test_input_client_wait_line (recorder, "key-release 38", 5000));

  stream_client_stop (&client);
  host_process_stop (&host);
  g_clear_pointer (&recorder, wavry_test_input_client_free);
  wavry_test_mutter_stop (env);
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
  g_test_add_func ("/wavry/ui/remote-control/key-and-click-reach-mutter",
                   test_key_and_click_reach_mutter);
  return g_test_run ();
}
