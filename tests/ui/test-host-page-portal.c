/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * The Host page on a Wayland desktop without Mutter (WAVRY_CAPTURE=pipewire,
 * as "Share this screen" picks there): the switch opens the desktop
 * portal's dialog once (RemoteDesktop with the screen); a cancelled dialog
 * turns the switch back off and says so; switching off while the dialog
 * is up withdraws it and shares nothing; the desktop's own "stop sharing"
 * turns the switch off with a toast. The portal is the fake of
 * tests/wavry-test-portal.c on a private session bus this test starts. */
#include "config.h"

#include <string.h>

#include "wavry-host-page.h"
#include "wavry-input-injector-portal.h"
#include "wavry-test-portal.h"
#include "wavry-ui-test-util.h"

static char *bus_missing;

typedef struct
{
  GtkWidget     *window;
  WavryHostPage *page;
  GtkSwitch     *share_switch;
  WavryIdentity *identity;
} Ui;

static gboolean
is_sharing (gpointer data)
{
  WavryHostController *controller = wavry_host_page_get_controller (data);

  return controller != NULL && wavry_host_controller_get_active (controller);
}

static gboolean
switch_is_off (gpointer data)
{
  return !gtk_switch_get_active (data);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelQuery;

static gboolean
shows_label (gpointer data)
{
  LabelQuery *query = data;

  return wavry_ui_test_has_label (query->root, query->text);
}

static gboolean
has_call (gpointer data)
{
  gpointer *args = data;

  return wavry_test_portal_count_calls (args[0], args[1]) > 0;
}

static void
ui_open (Ui *ui)
{
  GtkWidget *overlay = adw_toast_overlay_new ();

  ui->window = adw_application_window_new (NULL);
  ui->page = WAVRY_HOST_PAGE (wavry_host_page_new ());
  ui->identity = wavry_identity_generate ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (ui->page));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (ui->window), overlay);
  gtk_window_present (GTK_WINDOW (ui->window));
  wavry_host_page_show_identity (ui->page, ui->identity, NULL);
  ui->share_switch = GTK_SWITCH (wavry_ui_test_find_widget (ui->window, GTK_TYPE_SWITCH, NULL));
  g_assert_nonnull (ui->share_switch);
}

static void
ui_close (Ui *ui)
{
  gtk_window_destroy (GTK_WINDOW (ui->window));
  g_clear_object (&ui->identity);
  wavry_ui_test_run_for (100);
}

static gboolean
skip_without_display_or_bus (void)
{
  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs an X display (Xvfb, started by build-aux/headless-session)");
      return TRUE;
    }
  if (bus_missing != NULL)
    {
      g_test_skip (bus_missing);
      return TRUE;
    }
  return FALSE;
}

/* Allowed: sharing starts, the page says input goes through the portal,
 * and there was one dialog; then the desktop stops sharing. */
static void
test_allowed_then_desktop_stops (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *select = NULL;
  g_autofree char *token = NULL;
  WavryTestPortal *fake;
  GtkWidget *input_row;
  LabelQuery stopped;
  Ui ui = { 0 };

  if (skip_without_display_or_bus ())
    return;
  g_settings_reset (settings, "portal-restore-token");
  fake = wavry_test_portal_new (0, WAVRY_PORTAL_DEVICE_KEYBOARD | WAVRY_PORTAL_DEVICE_POINTER,
                                TRUE);
  ui_open (&ui);

  g_assert_true (gtk_widget_activate (GTK_WIDGET (ui.share_switch)));
  g_assert_true (wavry_ui_test_wait_until (is_sharing, ui.page, 10000));
  input_row = wavry_ui_test_find_widget (ui.window, ADW_TYPE_ACTION_ROW, "input_row");
  g_assert_true (gtk_widget_get_visible (input_row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (input_row)), ==,
                   "Desktop portal remote control");
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "RemoteDesktop.Start"), ==, 1);
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "ScreenCast.CreateSession"), ==, 0);

  /* The user stops sharing from the desktop's indicator. */
  wavry_test_portal_emit_closed (fake);
  g_assert_true (wavry_ui_test_wait_until (switch_is_off, ui.share_switch, 5000));
  g_assert_false (is_sharing (ui.page));
  stopped = (LabelQuery) { ui.window, "The desktop stopped sharing this screen." };
  g_assert_true (wavry_ui_test_wait_until (shows_label, &stopped, 2000));

  /* The desktop remembered the answer: the next share offers its token
   * (so the desktop need not ask), and keeps the new one. */
  token = g_settings_get_string (settings, "portal-restore-token");
  g_assert_cmpstr (token, ==, "wavry-test-restore-1");
  g_clear_pointer (&token, g_free);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (ui.share_switch)));
  g_assert_true (wavry_ui_test_wait_until (is_sharing, ui.page, 10000));
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "RemoteDesktop.SelectDevices"), ==, 2);
  for (guint i = wavry_test_portal_n_calls (fake); i-- > 0 && select == NULL;)
    {
      g_autofree char *call = wavry_test_portal_call_at (fake, i);

      if (g_str_has_prefix (call, "RemoteDesktop.SelectDevices "))
        select = g_steal_pointer (&call);
    }
  g_assert_nonnull (strstr (select, "'restore_token': <'wavry-test-restore-1'>"));
  token = g_settings_get_string (settings, "portal-restore-token");
  g_assert_cmpstr (token, ==, "wavry-test-restore-2");
  g_assert_true (gtk_widget_activate (GTK_WIDGET (ui.share_switch)));
  g_assert_true (wavry_ui_test_wait_until (switch_is_off, ui.share_switch, 5000));
  g_settings_reset (settings, "portal-restore-token");

  ui_close (&ui);
  wavry_test_portal_free (fake);
}

/* The user cancels the desktop's dialog. */
static void
test_cancelled (void)
{
  WavryTestPortal *fake;
  LabelQuery said;
  Ui ui = { 0 };

  if (skip_without_display_or_bus ())
    return;
  fake = wavry_test_portal_new (1, 3, TRUE);
  ui_open (&ui);

  g_assert_true (gtk_widget_activate (GTK_WIDGET (ui.share_switch)));
  said = (LabelQuery) { ui.window, "Sharing was cancelled: the screen was not chosen." };
  g_assert_true (wavry_ui_test_wait_until (shows_label, &said, 10000));
  g_assert_true (wavry_ui_test_wait_until (switch_is_off, ui.share_switch, 2000));
  g_assert_false (is_sharing (ui.page));
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "ScreenCast.CreateSession"), ==, 0);

  ui_close (&ui);
  wavry_test_portal_free (fake);
}

/* Switched off while the dialog is up: nothing is shared, nothing said. */
static void
test_switched_off_during_dialog (void)
{
  WavryTestPortal *fake;
  gpointer args[2];
  LabelQuery failed;
  Ui ui = { 0 };

  if (skip_without_display_or_bus ())
    return;
  fake = wavry_test_portal_new (WAVRY_TEST_PORTAL_NO_RESPONSE, 3, TRUE);
  ui_open (&ui);

  g_assert_true (gtk_widget_activate (GTK_WIDGET (ui.share_switch)));
  args[0] = fake;
  args[1] = (gpointer) "RemoteDesktop.Start";
  g_assert_true (wavry_ui_test_wait_until (has_call, args, 10000));
  g_assert_true (gtk_switch_get_active (ui.share_switch));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (ui.share_switch)));
  g_assert_true (wavry_ui_test_wait_until (switch_is_off, ui.share_switch, 2000));
  wavry_ui_test_run_for (1500);
  g_assert_false (is_sharing (ui.page));
  g_assert_false (gtk_switch_get_active (ui.share_switch));
  failed = (LabelQuery) { ui.window, "Sharing was cancelled: the screen was not chosen." };
  g_assert_false (shows_label (&failed));

  ui_close (&ui);
  wavry_test_portal_free (fake);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *bus_dir = NULL;
  GPid bus_pid;
  int ret;

  /* A private session bus before GTK starts: the fake portal is the only
   * portal this process can meet. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  bus_pid = wavry_test_portal_bus_start_or_missing (&bus_dir, &bus_missing);
  g_setenv ("WAVRY_CAPTURE", "pipewire", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_true (wavry_identity_init_crypto (NULL));

  g_test_add_func ("/wavry/ui/host-page-portal/allowed-then-desktop-stops",
                   test_allowed_then_desktop_stops);
  g_test_add_func ("/wavry/ui/host-page-portal/cancelled", test_cancelled);
  g_test_add_func ("/wavry/ui/host-page-portal/switched-off-during-dialog",
                   test_switched_off_during_dialog);
  ret = g_test_run ();
  if (bus_pid != 0)
    wavry_test_portal_bus_stop (bus_pid, bus_dir);
  g_free (bus_missing);
  return ret;
}
