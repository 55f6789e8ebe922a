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
 *    records them.
 * The same through the Host page: Preferences' "Allow control by default"
 * decides whether a device that may watch also controls. */
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
#include "wavry-host-page.h"
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

/* A test that aborts takes its Xvfb and recorder with it (meson would
 * otherwise wait for them, holding its pipes, until the timeout). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

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
                                G_SPAWN_STDERR_TO_DEV_NULL, die_with_parent, NULL, &d->xvfb, &error));
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

/* The client side: a stream window on the harness's display and, one at a
 * time, a RIFT connection shown in it. */
typedef struct
{
  WavryStreamWindow *window;
  WavryGlPresenter  *presenter;
  WavryClientMedia  *media;
  WavryConnection   *connection;
  WavryInputSink    *sink;
  GError            *connect_error;
  guint64            presented_before;
} Viewer;

static void
viewer_open (Viewer *v)
{
  memset (v, 0, sizeof *v);
  v->window = wavry_stream_window_new (NULL, "remote control");
  v->presenter = wavry_stream_window_get_presenter (v->window);
  gtk_window_set_default_size (GTK_WINDOW (v->window), 640, 480);
  gtk_window_present (GTK_WINDOW (v->window));
}

/* Starts connecting as @identity; a host that asks its owner keeps it
 * pending until viewer_wait_connected(). */
static void
viewer_connect_start (Viewer             *v,
                      WavryIdentity      *identity,
                      GInetSocketAddress *address,
                      const char         *host_id)
{
  WavryClientMediaConfig client_config = { 0 };
  g_autoptr(GError) error = NULL;
  Rift__Codec codecs[3];
  gsize n_codecs;

  g_assert_null (v->connection);
  v->media = wavry_client_media_new (&client_config, &error);
  g_assert_no_error (error);
  wavry_client_media_set_frame_func (v->media, on_frame, v->presenter);
  v->connection = wavry_connection_new (identity, "remote control client");
  n_codecs = wavry_client_media_get_codecs (v->media, codecs);
  wavry_connection_set_codecs (v->connection, codecs, n_codecs);
  v->presented_before = wavry_gl_presenter_get_presented_count (v->presenter);
  wavry_connection_connect_async (v->connection, address, host_id, NULL, connected_cb,
                                  &v->connect_error);
}

static gboolean
has_new_picture (gpointer data)
{
  Viewer *v = data;

  return wavry_gl_presenter_get_presented_count (v->presenter) > v->presented_before;
}

/* Connected, and the window shows the host's screen (it watches). */
static void
viewer_wait_connected (Viewer *v)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wavry_ui_test_wait_until (is_connected, v->connection, 10000));
  g_assert_no_error (v->connect_error);
  g_assert_cmpint (wavry_connection_get_state (v->connection), ==,
                   WAVRY_RIFT_CLIENT_STATE_ESTABLISHED);
  g_assert_true (wavry_client_media_attach (v->media, v->connection, &error));
  g_assert_no_error (error);
  v->sink = wavry_client_input_sink_new (v->media);
  wavry_stream_window_set_input_sink (v->window, v->sink);
  g_assert_true (wavry_ui_test_wait_until (has_new_picture, v, 15000));
}

/* A person focuses the window (no window manager on Xvfb: the test raises
 * it over the others and gives it the focus), types 'a' and clicks the
 * middle of the picture. */
static void
viewer_type_and_click (Viewer *v)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (v->presenter));
  Window xid = gdk_x11_surface_get_xid (gtk_native_get_surface (native));
  graphene_rect_t r;
  graphene_point_t in, out;
  double sx, sy;
  int rx, ry;
  Window child;

  XRaiseWindow (dpy, xid);
  XSetInputFocus (dpy, xid, RevertToParent, CurrentTime);
  XFlush (dpy);
  g_assert_true (wavry_ui_test_wait_until (is_active, v->window, 5000));
  XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, XK_a), True, CurrentTime);
  XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, XK_a), False, CurrentTime);
  XFlush (dpy);
  g_assert_true (wavry_gl_presenter_get_picture_rect (v->presenter, &r));
  in = GRAPHENE_POINT_INIT (r.origin.x + r.size.width / 2, r.origin.y + r.size.height / 2);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (v->presenter), GTK_WIDGET (native), &in, &out));
  gtk_native_get_surface_transform (native, &sx, &sy);
  XTranslateCoordinates (dpy, xid, DefaultRootWindow (dpy), (int) (out.x + sx), (int) (out.y + sy),
                         &rx, &ry, &child);
  XTestFakeMotionEvent (dpy, -1, rx, ry, CurrentTime);
  XTestFakeButtonEvent (dpy, 1, True, CurrentTime);
  XTestFakeButtonEvent (dpy, 1, False, CurrentTime);
  XFlush (dpy);
}

static void
viewer_disconnect (Viewer *v)
{
  g_autoptr(GError) error = NULL;

  wavry_stream_window_set_input_sink (v->window, NULL);
  g_clear_object (&v->sink);
  if (wavry_connection_get_state (v->connection) == WAVRY_RIFT_CLIENT_STATE_ESTABLISHED)
    {
      g_assert_true (wavry_client_media_detach (v->media, &error));
      g_assert_no_error (error);
    }
  wavry_connection_close (v->connection);
  g_clear_object (&v->media);
  g_clear_object (&v->connection);
  g_clear_error (&v->connect_error);
}

static void
viewer_close (Viewer *v)
{
  if (v->connection != NULL)
    viewer_disconnect (v);
  gtk_window_destroy (GTK_WINDOW (v->window));
}

/* The host's screen: the second display, covered by a window that records
 * the input it gets. */
static WavryTestInputClient *
start_recorder (SecondDisplay *second)
{
  g_autofree char *recorder_path = g_test_build_filename (G_TEST_BUILT, "media", "x-input-client", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  WavryTestInputClient *recorder;

  g_subprocess_launcher_setenv (launcher, "DISPLAY", second->name, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  recorder = wavry_test_input_client_new (g_subprocess_launcher_spawn (launcher, &error,
                                                                       recorder_path, NULL));
  g_assert_no_error (error);
  g_assert_nonnull (wavry_test_input_client_wait_line (recorder, "mapped", 10000));
  return recorder;
}

static gboolean
recorder_wait_count (WavryTestInputClient *recorder,
                     const char           *prefix,
                     guint                 n,
                     guint                 timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (wavry_test_input_client_count (recorder, prefix) < n &&
         g_get_monotonic_time () < deadline)
    wavry_test_input_client_settle (recorder, 10);
  return wavry_test_input_client_count (recorder, prefix) >= n;
}

/* Connected and showing the host's picture, sending it this window's input. */
static void
viewer_start (Viewer             *v,
              WavryIdentity      *identity,
              GInetSocketAddress *address,
              const char         *host_id)
{
  viewer_open (v);
  viewer_connect_start (v, identity, address, host_id);
  viewer_wait_connected (v);
}

/* A person focuses the window (no window manager on Xvfb). */
static void
focus_window (Viewer *client)
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
point_at_picture_centre (Viewer *client)
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
  Viewer client = { 0 };

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
  viewer_start (&client, client_id, wavry_host_daemon_get_local_address (daemon),
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

  viewer_close (&client);
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
  Viewer client = { 0 };
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
  viewer_start (&client, client_id, host.address, wavry_identity_get_id (host_id));
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

  viewer_close (&client);
  host_process_stop (&host);
  g_clear_pointer (&recorder, wavry_test_input_client_free);
  wavry_test_mutter_stop (env);
}

/* ---- "Allow control by default" through the Host page ------------------- */

static gboolean
is_sharing (gpointer data)
{
  WavryHostController *controller = wavry_host_page_get_controller (data);

  return controller != NULL && wavry_host_controller_get_active (controller);
}

static gboolean
is_not_sharing (gpointer data)
{
  return !is_sharing (data);
}

static gboolean
has_dialog (gpointer data)
{
  return wavry_host_page_get_approval_dialog (data) != NULL;
}

static gboolean
has_no_dialog (gpointer data)
{
  return !has_dialog (data);
}

/* The button labelled @label under @root, as a person finds it. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static WavryHostMediaStats
host_stats (WavryHostController *controller)
{
  WavryHostMediaStats stats;

  WavryHostDaemon *daemon = wavry_host_controller_get_daemon (controller);

  wavry_host_media_get_stats (wavry_host_daemon_get_media (daemon), &stats);
  return stats;
}

typedef struct
{
  WavryHostController *controller;
  guint64              refused;
} RefusedCount;

static gboolean
has_refused (gpointer data)
{
  RefusedCount *count = data;

  return host_stats (count->controller).input_refused >= count->refused;
}

/* The viewer's key and click reach the host, which refuses them: the
 * recorder on its screen gets nothing. */
static void
assert_view_only (Viewer               *viewer,
                  WavryHostController  *controller,
                  WavryTestInputClient *recorder)
{
  WavryHostMediaStats before = host_stats (controller);
  guint presses = wavry_test_input_client_count (recorder, "key-press");
  guint clicks = wavry_test_input_client_count (recorder, "button-press");
  /* at least key press and release, button press and release */
  RefusedCount count = { controller, before.input_refused + 4 };

  viewer_type_and_click (viewer);
  g_assert_true (wavry_ui_test_wait_until (has_refused, &count, 10000));
  g_assert_cmpuint (host_stats (controller).input_injected, ==, before.input_injected);
  wavry_test_input_client_settle (recorder, 200);
  g_assert_cmpuint (wavry_test_input_client_count (recorder, "key-press"), ==, presses);
  g_assert_cmpuint (wavry_test_input_client_count (recorder, "button-press"), ==, clicks);
}

/* The viewer's key and click happen on the host's screen. */
static void
assert_controls (Viewer               *viewer,
                 WavryHostController  *controller,
                 WavryTestInputClient *recorder)
{
  WavryHostMediaStats before = host_stats (controller);
  guint presses = wavry_test_input_client_count (recorder, "key-press 38");
  guint clicks = wavry_test_input_client_count (recorder, "button-press 1 ");

  viewer_type_and_click (viewer);
  g_assert_true (recorder_wait_count (recorder, "key-press 38", presses + 1, 10000));
  g_assert_true (recorder_wait_count (recorder, "button-press 1 ", clicks + 1, 5000));
  g_assert_cmpuint (host_stats (controller).input_injected, >, before.input_injected);
  g_assert_cmpuint (host_stats (controller).input_refused, ==, before.input_refused);
}

/* The viewer closes its connection. */
static void
viewer_leave (Viewer        *viewer,
              WavryHostPage *page)
{
  WavryHostController *controller = wavry_host_page_get_controller (page);

  /* RIFT has no goodbye: the host keeps the session (not responding) until
   * the device's next connection replaces it. The owner's Disconnect
   * would keep the device out for a minute. */
  viewer_disconnect (viewer);
  g_assert_cmpuint (g_list_model_get_n_items (wavry_host_controller_get_clients (controller)), >=, 1);
}

/* Preferences' "Allow control by default" (allow-remote-control) off: a
 * trusted device watches but its keyboard and mouse do not reach this
 * screen; on again: its next connection controls it, and a device the
 * owner allowed with View only still only watches. */
static void
test_allow_control_setting (void)
{
  SecondDisplay second = { 0 };
  g_autofree char *capture = NULL;
  g_autoptr(WavryTestInputClient) recorder = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(WavryIdentity) host_id = wavry_identity_generate ();
  g_autoptr(WavryIdentity) friend_id = wavry_identity_generate ();
  g_autoptr(WavryIdentity) guest_id = wavry_identity_generate ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetSocketAddress) address = NULL;
  const char *friend_ids[] = { wavry_identity_get_id (friend_id), NULL };
  GtkWidget *window;
  WavryHostPage *page;
  WavryHostController *controller;
  GtkSwitch *share_switch;
  AdwMessageDialog *dialog;
  GtkWidget *view_only;
  Viewer viewer;
  guint16 port;

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
  recorder = start_recorder (&second);

  /* "Share this screen" shares the second display (its default would be
   * this one) and controls it with XTest; the friend is trusted. */
  capture = g_strdup_printf ("x11:%s", second.name);
  g_setenv ("WAVRY_CAPTURE", capture, TRUE);
  g_settings_set_strv (settings, "trusted-clients", friend_ids);
  g_settings_set_boolean (settings, "allow-remote-control", TRUE);
  g_settings_set_int (settings, "stream-fps", 30);
  window = adw_application_window_new (NULL);
  page = WAVRY_HOST_PAGE (wavry_host_page_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  wavry_host_page_show_identity (page, host_id, NULL);
  share_switch = GTK_SWITCH (wavry_ui_test_find_widget (window, GTK_TYPE_SWITCH, NULL));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (share_switch)));
  g_assert_true (wavry_ui_test_wait_until (is_sharing, page, 5000));
  controller = wavry_host_page_get_controller (page);
  g_assert_nonnull (strstr (wavry_host_controller_get_input_description (controller), "XTest"));
  port = g_inet_socket_address_get_port (wavry_host_controller_get_local_address (controller));
  address = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (loopback, port));
  viewer_open (&viewer);

  /* A new device: the owner ticks View only and always allows it; it
   * watches without control. */
  viewer_connect_start (&viewer, guest_id, address, wavry_identity_get_id (host_id));
  g_assert_true (wavry_ui_test_wait_until (has_dialog, page, 10000));
  dialog = wavry_host_page_get_approval_dialog (page);
  view_only = wavry_ui_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON, NULL);
  g_assert_nonnull (view_only);
  g_assert_true (gtk_widget_activate (view_only));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (view_only)));
  /* clicked, the dialog closes too (adw_message_dialog_response() alone
   * leaves the modal dialog up, holding the input of every window) */
  g_assert_true (gtk_widget_activate (find_button (GTK_WIDGET (dialog), "_Always Allow")));
  g_assert_true (wavry_ui_test_wait_until (has_no_dialog, page, 5000));
  g_assert_null (wavry_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  viewer_wait_connected (&viewer);
  assert_view_only (&viewer, controller, recorder);
  viewer_leave (&viewer, page);

  /* Allow control by default off (the Preferences switch writes the key),
   * while sharing: the trusted friend watches, without control. */
  g_settings_set_boolean (settings, "allow-remote-control", FALSE);
  viewer_connect_start (&viewer, friend_id, address, wavry_identity_get_id (host_id));
  viewer_wait_connected (&viewer);
  assert_view_only (&viewer, controller, recorder);
  viewer_leave (&viewer, page);

  /* On again: the friend's next connection controls this screen … */
  g_settings_set_boolean (settings, "allow-remote-control", TRUE);
  viewer_connect_start (&viewer, friend_id, address, wavry_identity_get_id (host_id));
  viewer_wait_connected (&viewer);
  assert_controls (&viewer, controller, recorder);
  /* … the switch acts on a connected device at once, both ways … */
  g_settings_set_boolean (settings, "allow-remote-control", FALSE);
  assert_view_only (&viewer, controller, recorder);
  g_settings_set_boolean (settings, "allow-remote-control", TRUE);
  assert_controls (&viewer, controller, recorder);
  viewer_leave (&viewer, page);

  /* … and the device allowed with View only (now trusted: no dialog) still
   * only watches. */
  viewer_connect_start (&viewer, guest_id, address, wavry_identity_get_id (host_id));
  viewer_wait_connected (&viewer);
  g_assert_null (wavry_host_page_get_approval_dialog (page));
  assert_view_only (&viewer, controller, recorder);
  viewer_leave (&viewer, page);

  /* The choice is saved with the trusted device: after Wavry restarts (a
   * new Host page sharing again) it still only watches. */
  {
    g_auto(GStrv) saved = g_settings_get_strv (settings, "view-only-devices");

    g_assert_true (g_strv_contains ((const char * const *) saved,
                                    wavry_identity_get_id (guest_id)));
    g_assert_false (g_strv_contains ((const char * const *) saved,
                                     wavry_identity_get_id (friend_id)));
  }
  g_assert_true (gtk_widget_activate (GTK_WIDGET (share_switch)));
  g_assert_true (wavry_ui_test_wait_until (is_not_sharing, page, 5000));
  gtk_window_destroy (GTK_WINDOW (window));
  window = adw_application_window_new (NULL);
  page = WAVRY_HOST_PAGE (wavry_host_page_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  wavry_host_page_show_identity (page, host_id, NULL);
  share_switch = GTK_SWITCH (wavry_ui_test_find_widget (window, GTK_TYPE_SWITCH, NULL));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (share_switch)));
  g_assert_true (wavry_ui_test_wait_until (is_sharing, page, 5000));
  controller = wavry_host_page_get_controller (page);
  port = g_inet_socket_address_get_port (wavry_host_controller_get_local_address (controller));
  g_clear_object (&address);
  address = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (loopback, port));
  viewer_connect_start (&viewer, guest_id, address, wavry_identity_get_id (host_id));
  viewer_wait_connected (&viewer);
  g_assert_null (wavry_host_page_get_approval_dialog (page));
  assert_view_only (&viewer, controller, recorder);
  /* Preferences' "Can control" switch for it (it writes view-only-devices)
   * gives it control at once, while connected. */
  g_settings_set_strv (settings, "view-only-devices", NULL);
  assert_controls (&viewer, controller, recorder);
  /* … while the friend, trusted without View only, still controls. */
  viewer_leave (&viewer, page);
  viewer_connect_start (&viewer, friend_id, address, wavry_identity_get_id (host_id));
  viewer_wait_connected (&viewer);
  assert_controls (&viewer, controller, recorder);

  viewer_close (&viewer);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (share_switch)));
  g_assert_true (wavry_ui_test_wait_until (is_not_sharing, page, 5000));
  /* every X connection to the second display closes before it goes */
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_pointer (&recorder, wavry_test_input_client_free);
  stop_second_display (&second);
  g_unsetenv ("WAVRY_CAPTURE");
  g_settings_reset (settings, "trusted-clients");
  g_settings_reset (settings, "allow-remote-control");
  g_settings_reset (settings, "view-only-devices");
  g_settings_reset (settings, "stream-fps");
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
  g_test_add_func ("/wavry/ui/remote-control/allow-control-setting",
                   test_allow_control_setting);
  return g_test_run ();
}
