/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * The Host page as a person uses it: turn on "Share this screen", a device
 * that is not trusted yet connects (the real `wavry connect --headless`),
 * the approval dialog asks; Always Allow lets it receive frames of the
 * shared Xvfb screen and remembers it, until it is removed from the
 * trusted devices; Deny refuses another; turning the switch off stops
 * sharing. */
#include "config.h"

#include <glib/gstdio.h>

#include "wavry-host-page.h"
#include "wavry-test-avahi.h"
#include "wavry-ui-test-util.h"
#include "wavry-y4m.h"

static char *tmpdir;

typedef struct
{
  GSubprocess *process;
  gboolean     done;
  char        *err;
  int          status;
} Client;

static void
client_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, &client->err, &error);
  g_assert_no_error (error);
  client->status = g_subprocess_get_if_exited (client->process)
                     ? g_subprocess_get_exit_status (client->process) : -1;
  client->done = TRUE;
}

static gboolean
client_is_done (gpointer data)
{
  return ((Client *) data)->done;
}

static char *
run_sync (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (tmpdir, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strdup (g_strstrip (out));
}

/* A client identity: PREFIX.key, and its Wavry ID. */
static char *
make_client (const char *name)
{
  const char *wavry = g_getenv ("WAVRY_BINARY");
  g_autofree char *prefix = g_build_filename (tmpdir, name, NULL);
  g_autofree char *pub = g_strconcat (prefix, ".pub", NULL);
  g_autofree char *out = NULL;

  out = run_sync ((const char *[]) { wavry, "keygen", "--output", prefix, "--force", NULL });
  return run_sync ((const char *[]) { wavry, "show-id", "--key", pub, NULL });
}

static void
client_start (Client     *client,
              const char *name,
              guint16     port,
              const char *host_id,
              const char *sink)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *key = g_strdup_printf ("%s/%s.key", tmpdir, name);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "HOME", tmpdir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  memset (client, 0, sizeof *client);
  client->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("WAVRY_BINARY"),
                                                 "connect", address, "--headless", "--key", key,
                                                 "--expect-id", host_id, "--duration", "2",
                                                 "--quiet", sink ? "--sink" : NULL, sink, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (client->process, NULL, NULL, client_done, client);
}

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
is_not_responding (gpointer data)
{
  return !wavry_host_client_get_responding (data);
}

static gboolean
has_clients (gpointer data)
{
  WavryHostController *controller = wavry_host_page_get_controller (data);

  return controller != NULL && g_list_model_get_n_items (wavry_host_controller_get_clients (controller)) > 0;
}

static void
test_share_and_approve (void)
{
  g_autoptr(WavryIdentity) identity = wavry_identity_generate ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *friend_id = make_client ("friend");
  g_autofree char *stranger_id = make_client ("stranger");
  g_autofree char *out_path = g_build_filename (tmpdir, "out.y4m", NULL);
  g_autofree char *sink = g_strconcat ("y4m:", out_path, NULL);
  g_auto(GStrv) trusted = NULL;
  GtkWidget *window = adw_application_window_new (NULL);
  GtkWidget *overlay = adw_toast_overlay_new ();
  WavryHostPage *page = WAVRY_HOST_PAGE (wavry_host_page_new ());
  WavryHostController *controller;
  GtkSwitch *share_switch;
  AdwMessageDialog *dialog;
  GtkWidget *address_row;
  WavryTestAvahi *avahi;
  g_autoptr(GError) avahi_error = NULL;
  Client friend, stranger;
  guint16 port;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs an X display (Xvfb, started by build-aux/headless-session)");
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }
  g_settings_set_strv (settings, "trusted-clients", NULL);
  /* a private avahi (network namespace), so sharing is announced */
  avahi = wavry_test_avahi_start (TRUE, &avahi_error);
  if (avahi == NULL)
    g_test_message ("no mDNS check: %s", avahi_error->message);

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (page));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), overlay);
  gtk_window_present (GTK_WINDOW (window));
  wavry_host_page_show_identity (page, identity, NULL);
  g_assert_true (wavry_ui_test_has_label (window, wavry_identity_get_id (identity)));

  /* Share this screen */
  share_switch = GTK_SWITCH (wavry_ui_test_find_widget (window, GTK_TYPE_SWITCH, NULL));
  g_assert_nonnull (share_switch);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (share_switch)));
  /* the switch animates before it turns on */
  g_assert_true (wavry_ui_test_wait_until (is_sharing, page, 5000));
  controller = wavry_host_page_get_controller (page);
  g_assert_nonnull (controller);
  g_assert_true (wavry_host_controller_get_active (controller));
  address_row = wavry_ui_test_find_widget (window, ADW_TYPE_ACTION_ROW, "address_row");
  g_assert_true (gtk_widget_get_visible (address_row));
  port = g_inet_socket_address_get_port (wavry_host_controller_get_local_address (controller));
  {
    g_autofree char *shown = g_strdup_printf (":%u", port);

    g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (address_row)), shown));
  }

  /* the page says how devices control this (X11) screen */
  {
    GtkWidget *input_row = wavry_ui_test_find_widget (window, ADW_TYPE_ACTION_ROW, "input_row");

    g_assert_true (gtk_widget_get_visible (input_row));
    g_test_message ("input: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (input_row)));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (input_row)), "XTest"));
  }

  /* announced on the network: avahi-browse sees it with this ID */
  if (avahi != NULL)
    {
      g_autofree char *out = NULL;
      g_autofree char *want = g_strdup_printf ("\"id=%s\"", wavry_identity_get_id (identity));
      g_autoptr(GError) error = NULL;

      g_assert_true (wavry_host_controller_is_announced (controller));
      g_assert_true (g_spawn_sync (NULL, (char **) (const char *[]) { "avahi-browse", "-rtp",
                                                                      "_wavry._udp", NULL },
                                   NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                                   NULL, NULL, &out, NULL, NULL, &error));
      g_assert_no_error (error);
      g_test_message ("avahi-browse: %s", out);
      g_assert_nonnull (strstr (out, want));
    }

  /* An untrusted device: the owner is asked; Always Allow admits it … */
  client_start (&friend, "friend", port, wavry_identity_get_id (identity), sink);
  g_assert_true (wavry_ui_test_wait_until (has_dialog, page, 10000));
  dialog = wavry_host_page_get_approval_dialog (page);
  {
    g_autofree char *short_id = g_strndup (friend_id, 8);

    g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), short_id));
    g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "view and control"));
  }
  adw_message_dialog_response (dialog, "always");
  g_assert_null (wavry_host_page_get_approval_dialog (page));
  g_assert_true (wavry_ui_test_wait_until (has_clients, page, 5000));
  g_assert_true (wavry_ui_test_has_label (window, "Connected Devices"));
  /* … and it receives frames of this (Xvfb) screen */
  g_assert_true (wavry_ui_test_wait_until (client_is_done, &friend, 20000));
  g_test_message ("friend: %s", friend.err);
  g_assert_cmpint (friend.status, ==, 0);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GFile) file = g_file_new_for_path (out_path);
    g_autoptr(GFileInputStream) in = g_file_read (file, NULL, &error);
    g_autoptr(WavryY4mReader) reader = NULL;
    g_autoptr(WavryVideoFrame) frame = NULL;

    g_assert_no_error (error);
    reader = wavry_y4m_reader_new (G_INPUT_STREAM (in), NULL, &error);
    g_assert_no_error (error);
    frame = wavry_y4m_reader_read_frame (reader, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (frame);
    g_assert_cmpuint (wavry_video_frame_get_width (frame), >=, 640);
  }
  /* The client has exited, saying nothing (RIFT has no goodbye): its row
   * says it is not responding, long before the host drops it. */
  {
    g_autoptr(WavryHostClient) gone =
      g_list_model_get_item (wavry_host_controller_get_clients (controller), 0);
    g_autofree char *subtitle = NULL;

    g_assert_nonnull (gone);
    g_assert_true (wavry_ui_test_wait_until (is_not_responding, gone, 6000));
    subtitle = g_strdup_printf ("ID %s… · %s · Not responding",
                                wavry_host_client_get_short_id (gone),
                                wavry_host_client_get_address (gone));
    g_assert_true (wavry_ui_test_has_label (window, subtitle));
  }

  /* "Always" is remembered in the trusted devices */
  trusted = g_settings_get_strv (settings, "trusted-clients");
  g_assert_true (g_strv_contains ((const char * const *) trusted, friend_id));

  /* Removed from the trusted devices (Preferences' Remove writes the
   * list), it is asked about again at its next connection */
  g_settings_set_strv (settings, "trusted-clients", NULL);
  g_clear_object (&friend.process);
  g_clear_pointer (&friend.err, g_free);
  client_start (&friend, "friend", port, wavry_identity_get_id (identity), NULL);
  g_assert_true (wavry_ui_test_wait_until (has_dialog, page, 10000));
  adw_message_dialog_response (wavry_host_page_get_approval_dialog (page), "deny");
  g_assert_true (wavry_ui_test_wait_until (client_is_done, &friend, 10000));
  g_assert_cmpint (friend.status, ==, 1);
  g_assert_nonnull (strstr (friend.err, "refused"));

  /* … Deny refuses another one, which is not remembered */
  client_start (&stranger, "stranger", port, wavry_identity_get_id (identity), NULL);
  g_assert_true (wavry_ui_test_wait_until (has_dialog, page, 10000));
  adw_message_dialog_response (wavry_host_page_get_approval_dialog (page), "deny");
  g_assert_true (wavry_ui_test_wait_until (client_is_done, &stranger, 10000));
  g_test_message ("stranger: %s", stranger.err);
  g_assert_cmpint (stranger.status, ==, 1);
  g_assert_nonnull (strstr (stranger.err, "refused"));
  g_clear_pointer (&trusted, g_strfreev);
  trusted = g_settings_get_strv (settings, "trusted-clients");
  g_assert_false (g_strv_contains ((const char * const *) trusted, stranger_id));

  /* Turning the switch off stops sharing */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (share_switch)));
  g_assert_true (wavry_ui_test_wait_until (is_not_sharing, page, 5000));
  g_assert_false (gtk_switch_get_active (share_switch));
  g_assert_false (wavry_host_controller_get_active (controller));
  g_assert_false (gtk_widget_get_visible (address_row));

  if (avahi != NULL)
    wavry_test_avahi_stop (avahi);
  g_clear_object (&friend.process);
  g_clear_object (&stranger.process);
  g_free (friend.err);
  g_free (stranger.err);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_true (wavry_identity_init_crypto (NULL));
  tmpdir = g_dir_make_tmp ("wavry-host-page-XXXXXX", NULL);

  g_test_add_func ("/wavry/ui/host-page/share-and-approve", test_share_and_approve);
  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmpdir);
  }
  g_free (tmpdir);
  return ret;
}
