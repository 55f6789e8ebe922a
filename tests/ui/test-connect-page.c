/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * The Connect page as a person uses it: a host started with
 * `wavry --service=host --mdns` appears in the list (real avahi in a
 * network namespace) and disappears when it stops; activating its row opens
 * a stream window that presents its picture; "Connect to Address" pins the
 * host's ID, and another computer at that address is refused with a
 * warning. */
#include "config.h"

#include <glib/gstdio.h>

#include "wavry-connect-page.h"
#include "wavry-gl-presenter.h"
#include "wavry-host-daemon.h"
#include "wavry-stream-window.h"
#include "wavry-test-avahi.h"
#include "wavry-capture-test-pattern.h"
#include "wavry-ui-test-screen.h"
#include "wavry-ui-test-util.h"

static char *tmpdir;

static gboolean
has_peers (gpointer data)
{
  WavryMdnsBrowser *browser = wavry_connect_page_get_browser (data);

  return browser != NULL && g_list_model_get_n_items (wavry_mdns_browser_get_peers (browser)) > 0;
}

static gboolean
has_no_peers (gpointer data)
{
  return !has_peers (data);
}

static gboolean
is_presenting (gpointer data)
{
  GtkWindow *window = wavry_connect_page_get_stream_window (data);

  return window != NULL &&
         wavry_gl_presenter_get_presented_count (wavry_stream_window_get_presenter (WAVRY_STREAM_WINDOW (window))) > 0;
}

static GtkWidget *
page_window (WavryConnectPage *page)
{
  GtkWidget *window = adw_application_window_new (NULL);
  GtkWidget *overlay = adw_toast_overlay_new ();

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (page));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 800);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
test_discover_and_connect (void)
{
  WavryTestAvahi *avahi;
  g_autoptr(WavryIdentity) client = wavry_identity_generate ();
  g_autoptr(GError) error = NULL;
  g_autofree char *host_prefix = g_build_filename (tmpdir, "host", NULL);
  g_autofree char *host_key = g_strconcat (host_prefix, ".key", NULL);
  g_autofree char *host_log = g_build_filename (tmpdir, "host.log", NULL);
  const char *wavry = g_getenv ("WAVRY_BINARY");
  WavryConnectPage *page;
  GtkWidget *window;
  GtkListBoxRow *row;
  GPid host;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs an X display (Xvfb, started by build-aux/headless-session)");
      return;
    }
  avahi = wavry_test_avahi_start_or_skip (TRUE);
  if (avahi == NULL)
    return;

  g_assert_true (g_spawn_sync (NULL, (char **) (const char *[]) { wavry, "keygen", "--output",
                                                                  host_prefix, "--force", NULL },
                               NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  host = wavry_test_avahi_spawn ((const char *[]) { wavry, "--service=host", "--listen", "127.0.0.1:0",
                                                    "--mdns", "--key", host_key, "--capture",
                                                    "test-pattern", "--width", "320", "--height", "240",
                                                    "--allow-client", wavry_identity_get_id (client),
                                                    "--name", "Test Desk", NULL },
                                 &error);
  g_assert_no_error (error);

  page = WAVRY_CONNECT_PAGE (wavry_connect_page_new ());
  wavry_connect_page_set_identity (page, client);
  window = page_window (page);

  /* the host appears within 2 s of being up (its start-up included: 5 s) */
  g_assert_true (wavry_ui_test_wait_until (has_peers, page, 5000));
  g_assert_true (wavry_ui_test_has_label (window, "Test Desk"));

  /* one click on its row: a stream window shows its picture */
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (wavry_ui_test_find_widget (window, GTK_TYPE_LIST_BOX, "hosts_list")), 0);
  g_assert_nonnull (row);
  g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (row)), "row-activated", row);
  g_assert_true (wavry_ui_test_wait_until (is_presenting, page, 15000));
  {
    guint w, h;

    g_assert_true (wavry_gl_presenter_get_frame_size (wavry_stream_window_get_presenter (WAVRY_STREAM_WINDOW (wavry_connect_page_get_stream_window (page))), &w, &h));
    g_assert_cmpuint (w, ==, 320);
    g_assert_cmpuint (h, ==, 240);
  }
  /* the decoder is asked for DMA-BUFs exactly when the window can import
   * them (never under Xvfb's GLX: frames in memory, uploaded) */
  {
    WavryGlPresenter *presenter = wavry_stream_window_get_presenter (WAVRY_STREAM_WINDOW (wavry_connect_page_get_stream_window (page)));
    WavryClientMedia *media = wavry_client_session_get_media (wavry_connect_page_get_session (page));

    g_test_message ("DMA-BUF import: %s", wavry_gl_presenter_get_dmabuf_unavailable_reason (presenter)
                                            ? wavry_gl_presenter_get_dmabuf_unavailable_reason (presenter)
                                            : "available");
    g_assert_cmpint (wavry_client_media_get_dmabuf_output (media), ==,
                     wavry_gl_presenter_get_dmabuf_import (presenter));
    if (!wavry_gl_presenter_get_dmabuf_import (presenter))
      g_assert_cmpint (wavry_gl_presenter_get_path (presenter), ==, WAVRY_GL_PRESENTER_PATH_CPU_UPLOAD);
  }
  /* the window shows the host's picture: its eight colour bars */
  {
    WavryGlPresenter *presenter = wavry_stream_window_get_presenter (WAVRY_STREAM_WINDOW (wavry_connect_page_get_stream_window (page)));
    g_autoptr(WavryVideoFrame) expected = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, 320, 240);
    graphene_rect_t r;

    wavry_ui_test_run_for (300);
    g_assert_true (wavry_gl_presenter_get_picture_rect (presenter, &r));
    wavry_test_pattern_render (expected, 0);
    for (guint i = 0; i < 8; i++)
      {
        guint8 want[3], got[3];

        wavry_ui_test_frame_rgb (expected, (guint) ((i + 0.5) * 320 / 8), 240 / 8, want);
        wavry_ui_test_screen_pixel (GTK_WIDGET (presenter), r.origin.x + (i + 0.5) * r.size.width / 8,
                                    r.origin.y + r.size.height / 8, got);
        g_test_message ("bar %u: want %u,%u,%u got %u,%u,%u", i, want[0], want[1], want[2],
                        got[0], got[1], got[2]);
        for (guint c = 0; c < 3; c++)
          g_assert_cmpint (ABS ((int) got[c] - (int) want[c]), <=, 24);
      }
  }
  gtk_window_close (wavry_connect_page_get_stream_window (page));
  wavry_ui_test_run_for (100);

  /* the host goes away: so does its row */
  wavry_test_avahi_kill (host);
  g_assert_true (wavry_ui_test_wait_until (has_no_peers, page, 10000));

  gtk_window_destroy (GTK_WINDOW (window));
  wavry_test_avahi_stop (avahi);
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
  daemon = wavry_host_daemon_new (identity, trusted, "host");
  wavry_host_daemon_set_media (daemon, media);
  g_assert_true (wavry_host_daemon_start (daemon, G_INET_SOCKET_ADDRESS (listen), &error));
  g_assert_no_error (error);
  return daemon;
}

/* A person types @address into "Connect to Address" and presses Connect;
 * returns the page's window. */
static GtkWidget *
connect_by_address (WavryConnectPage *page,
                    WavryIdentity    *client,
                    const char       *address)
{
  GtkWidget *window;

  wavry_connect_page_set_identity (page, client);
  window = page_window (page);
  gtk_editable_set_text (GTK_EDITABLE (wavry_ui_test_find_widget (window, ADW_TYPE_ENTRY_ROW,
                                                                  "address_row")),
                         address);
  g_assert_true (gtk_widget_activate (wavry_ui_test_find_widget (window, GTK_TYPE_BUTTON,
                                                                 "connect_button")));
  return window;
}

static gboolean
shows_failure (gpointer data)
{
  return wavry_ui_test_has_label (data, "Could not connect");
}

static void
test_address_and_pinning (void)
{
  g_autoptr(WavryIdentity) client = wavry_identity_generate ();
  g_autoptr(WavryIdentity) host_id = wavry_identity_generate ();
  g_autoptr(WavryIdentity) impostor_id = wavry_identity_generate ();
  g_autoptr(WavryTrustedClients) trusted = wavry_trusted_clients_new ();
  g_autoptr(WavryHostDaemon) daemon = NULL;
  g_autoptr(WavryHostDaemon) impostor = NULL;
  g_autofree char *address = NULL;
  WavryConnectPage *page;
  GtkWidget *window, *connect_button;
  guint16 port;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs an X display (Xvfb, started by build-aux/headless-session)");
      return;
    }
  wavry_trusted_clients_add (trusted, wavry_identity_get_id (client));
  daemon = start_host (host_id, trusted, 0);
  port = g_inet_socket_address_get_port (wavry_host_daemon_get_local_address (daemon));
  address = g_strdup_printf ("127.0.0.1:%u", port);

  /* type the address and press Connect */
  page = WAVRY_CONNECT_PAGE (wavry_connect_page_new ());
  window = connect_by_address (page, client, address);
  connect_button = wavry_ui_test_find_widget (window, GTK_TYPE_BUTTON, "connect_button");
  g_assert_true (wavry_ui_test_wait_until (is_presenting, page, 15000));
  gtk_window_close (wavry_connect_page_get_stream_window (page));
  wavry_ui_test_run_for (100);
  /* it is a recent connection now */
  g_assert_true (wavry_ui_test_has_label (window, "Recent Connections"));
  wavry_host_daemon_stop (daemon);

  /* another computer at the same address: refused, with a warning */
  impostor = start_host (impostor_id, trusted, port);
  g_assert_true (gtk_widget_activate (connect_button));
  g_assert_true (wavry_ui_test_wait_until (shows_failure, window, 15000));
  g_assert_null (wavry_connect_page_get_stream_window (page));

  /* its owner confirms a new identity: forget the old one, then it connects */
  {
    GtkWidget *forget = wavry_ui_test_find_widget (window, GTK_TYPE_BUTTON, "forget_button");

    g_assert_true (gtk_widget_get_visible (forget));
    g_assert_true (gtk_widget_activate (forget));
    g_assert_true (gtk_widget_activate (connect_button));
    g_assert_true (wavry_ui_test_wait_until (is_presenting, page, 15000));
    gtk_window_close (wavry_connect_page_get_stream_window (page));
    wavry_ui_test_run_for (100);
  }
  wavry_host_daemon_stop (impostor);

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  WavryConnectPage *page;
  guint64           presented_before;
} Resumed;

static guint64
presented (WavryConnectPage *page)
{
  GtkWindow *window = wavry_connect_page_get_stream_window (page);

  return window != NULL
         ? wavry_gl_presenter_get_presented_count (wavry_stream_window_get_presenter (WAVRY_STREAM_WINDOW (window)))
         : 0;
}

static gboolean
is_reconnecting (gpointer data)
{
  GtkWindow *window = wavry_connect_page_get_stream_window (data);

  return window != NULL &&
         g_strcmp0 (wavry_stream_window_get_status (WAVRY_STREAM_WINDOW (window)),
                    "Connection lost. Reconnecting…") == 0;
}

static gboolean
has_resumed (gpointer data)
{
  Resumed *resumed = data;
  GtkWindow *window = wavry_connect_page_get_stream_window (resumed->page);

  return window != NULL && wavry_stream_window_get_status (WAVRY_STREAM_WINDOW (window)) == NULL &&
         presented (resumed->page) > resumed->presented_before + 5;
}

static gboolean
has_no_stream_window (gpointer data)
{
  return wavry_connect_page_get_stream_window (data) == NULL;
}

static void
on_client_connected (WavryHostDaemon *daemon,
                     guint            alias,
                     const char      *wavry_id,
                     guint           *last_alias)
{
  *last_alias = alias;
}

/* The host goes away and comes back at the same address: the stream window
 * says it is reconnecting over its last picture and shows the host again,
 * by itself. A host whose owner ends the session keeps it out: the window
 * closes, saying why. */
static void
test_reconnect (void)
{
  g_autoptr(WavryIdentity) client = wavry_identity_generate ();
  g_autoptr(WavryIdentity) host_id = wavry_identity_generate ();
  g_autoptr(WavryTrustedClients) trusted = wavry_trusted_clients_new ();
  g_autoptr(WavryHostDaemon) first = NULL;
  g_autoptr(WavryHostDaemon) second = NULL;
  g_autofree char *address = NULL;
  WavryConnectPage *page;
  GtkWidget *window;
  GtkWindow *stream_window;
  Resumed resumed;
  guint alias = 0;
  guint16 port;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs an X display (Xvfb, started by build-aux/headless-session)");
      return;
    }
  wavry_trusted_clients_add (trusted, wavry_identity_get_id (client));
  first = start_host (host_id, trusted, 0);
  port = g_inet_socket_address_get_port (wavry_host_daemon_get_local_address (first));
  address = g_strdup_printf ("127.0.0.1:%u", port);

  page = WAVRY_CONNECT_PAGE (wavry_connect_page_new ());
  window = connect_by_address (page, client, address);
  g_assert_true (wavry_ui_test_wait_until (is_presenting, page, 15000));
  stream_window = wavry_connect_page_get_stream_window (page);
  g_assert_null (wavry_stream_window_get_status (WAVRY_STREAM_WINDOW (stream_window)));

  /* The host goes away (no goodbye: silence) … */
  wavry_host_daemon_stop (first);
  g_assert_true (wavry_ui_test_wait_until (is_reconnecting, page, 6000));
  g_assert_true (wavry_connect_page_get_stream_window (page) == stream_window);

  /* … and comes back at the same address: the same window shows it again. */
  second = start_host (host_id, trusted, port);
  g_signal_connect (second, "client-connected", G_CALLBACK (on_client_connected), &alias);
  resumed = (Resumed) { page, presented (page) };
  g_assert_true (wavry_ui_test_wait_until (has_resumed, &resumed, 20000));
  g_assert_true (wavry_connect_page_get_stream_window (page) == stream_window);
  g_assert_cmpuint (alias, !=, 0);

  /* The owner ends the session: the client is kept out and told why. */
  wavry_host_daemon_disconnect (second, alias);
  g_assert_true (wavry_ui_test_wait_until (has_no_stream_window, page, 15000));
  g_assert_true (wavry_ui_test_has_label (window,
                                          "The connection ended: The host refused the connection: "
                                          "The host's owner ended this device's session. Ask them "
                                          "before connecting again."));
  wavry_host_daemon_stop (second);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = NULL;
  int ret;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_true (wavry_identity_init_crypto (NULL));
  tmpdir = g_dir_make_tmp ("wavry-connect-page-XXXXXX", NULL);
  /* known hosts start empty */
  config = g_build_filename (tmpdir, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);

  g_test_add_func ("/wavry/ui/connect-page/discover-and-connect", test_discover_and_connect);
  g_test_add_func ("/wavry/ui/connect-page/address-and-pinning", test_address_and_pinning);
  g_test_add_func ("/wavry/ui/connect-page/reconnect", test_reconnect);
  ret = g_test_run ();

  {
    g_autofree char *argv_rm = g_strdup_printf ("rm -rf '%s'", tmpdir);

    (void) system (argv_rm);
  }
  g_free (tmpdir);
  return ret;
}
