/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "wavry-application.h"
#include "wavry-connect-page.h"
#include "wavry-host-page.h"
#include "wavry-keystore.h"
#include "wavry-ui-test-util.h"
#include "wavry-window.h"

/* The application on a real display with a real Secret Service: the first
 * start creates the device identity in the keyring and the window shows it.
 * Then the main window as a person uses it: pages, menu, toasts, the state it
 * keeps in GSettings (memory backend, tests/meson.build), and a screenshot. */

static gboolean
have_secret_service (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) owner = NULL;

  if (bus == NULL)
    return FALSE;
  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  return owner != NULL;
}

static void
on_activate (GApplication *app,
             gpointer      user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_identity_notify (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  g_main_loop_quit (user_data);
}

static void
test_first_start_creates_identity (gconstpointer data)
{
  WavryApplication *app = (WavryApplication *) data;
  g_autoptr(WavryIdentity) stored = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  guint timeout;

  if (!have_secret_service ())
    {
      g_test_skip ("no Secret Service (gnome-keyring-daemon) on the session bus; "
                   "build-aux/test starts one");
      return;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (app, "notify::identity", G_CALLBACK (on_identity_notify), loop);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), loop);

  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (WAVRY_IS_WINDOW (window));
  /* The app icon comes from our resources, so it shows even uninstalled. */
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window))),
                                          APP_ID));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  /* Wait for the keyring answer (the app asked for it at startup). */
  timeout = g_timeout_add_seconds (20, on_timeout, loop);
  if (wavry_application_get_identity (app) == NULL)
    g_main_loop_run (loop);
  g_source_remove (timeout);

  g_assert_nonnull (wavry_application_get_identity (app));
  g_assert_true (wavry_id_is_valid (wavry_window_get_shown_id (WAVRY_WINDOW (window))));
  g_assert_cmpstr (wavry_window_get_shown_id (WAVRY_WINDOW (window)), ==,
                   wavry_identity_get_id (wavry_application_get_identity (app)));

  /* It is really in the keyring: load it back without creating. */
  stored = wavry_keystore_load_user_identity (FALSE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wavry_identity_get_id (stored), ==,
                   wavry_identity_get_id (wavry_application_get_identity (app)));

  g_signal_handlers_disconnect_by_data (app, loop);
  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE));
}



/* The app's settings, every key back at its default. */
static GSettings *
test_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  return settings;
}

static gboolean
is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data) && gtk_widget_get_width (user_data) > 0;
}

static void
destroy_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  wavry_ui_test_run_for (20);
}

static void
test_pages (gconstpointer data)
{
  WavryApplication *app = (WavryApplication *) data;
  g_autoptr(GSettings) settings = test_settings ();
  g_autoptr(GtkWindow) window = NULL;
  g_autofree char *page = NULL;
  g_autofree char *last_page = NULL;
  g_auto(GStrv) accels = NULL;
  AdwViewStack *stack;
  GtkWidget *switcher;
  GtkWidget *connect_button = NULL;

  window = g_object_ref_sink (GTK_WINDOW (wavry_window_new (app)));
  gtk_window_present (window);
  g_assert_true (wavry_ui_test_wait_until (is_mapped, window, 5000));

  stack = ADW_VIEW_STACK (wavry_ui_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL));
  g_assert_nonnull (stack);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "host");
  g_assert_nonnull (adw_view_stack_get_child_by_name (stack, "connect"));

  /* The win.page action (Alt+2 in the app) shows the Connect page and remembers it. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "page"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("connect"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "connect");
  last_page = g_settings_get_string (settings, "last-page");
  g_assert_cmpstr (last_page, ==, "connect");
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.page::connect");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Alt>2"));

  /* The view switcher's buttons: the first shows the Host page again. */
  switcher = wavry_ui_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_TITLE, NULL);
  g_assert_nonnull (switcher);
  {
    GtkWidget *host_button = wavry_ui_test_find_widget (switcher, GTK_TYPE_TOGGLE_BUTTON, NULL);

    g_assert_nonnull (host_button);
    connect_button = gtk_widget_get_next_sibling (host_button);
    g_assert_true (GTK_IS_TOGGLE_BUTTON (connect_button));
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (host_button), TRUE);
  }
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "host");
  g_clear_pointer (&last_page, g_free);
  last_page = g_settings_get_string (settings, "last-page");
  g_assert_cmpstr (last_page, ==, "host");
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (connect_button)));

  /* The stack itself (e.g. the narrow switcher bar): back to Connect. */
  adw_view_stack_set_visible_child_name (stack, "connect");
  g_clear_pointer (&last_page, g_free);
  last_page = g_settings_get_string (settings, "last-page");
  g_assert_cmpstr (last_page, ==, "connect");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (connect_button)));

  /* A new window opens on the page shown last. */
  destroy_window (window);
  g_clear_object (&window);
  window = g_object_ref_sink (GTK_WINDOW (wavry_window_new (app)));
  stack = ADW_VIEW_STACK (wavry_ui_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "connect");
  g_assert_true (wavry_ui_test_has_label (GTK_WIDGET (window), "No Hosts Found"));

  destroy_window (window);
}

static void
test_size_saved_and_restored (gconstpointer data)
{
  WavryApplication *app = (WavryApplication *) data;
  g_autoptr(GSettings) settings = test_settings ();
  GtkWindow *window;
  int width = 0;
  int height = 0;

  g_settings_set_int (settings, "window-width", 800);
  g_settings_set_int (settings, "window-height", 500);

  window = GTK_WINDOW (wavry_window_new (app));
  gtk_window_get_default_size (window, &width, &height);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 500);
  g_assert_false (gtk_window_is_maximized (window));
  gtk_window_present (window);
  g_assert_true (wavry_ui_test_wait_until (is_mapped, window, 5000));

  /* The size at closing is saved. */
  gtk_window_set_default_size (window, 700, 450);
  gtk_window_close (window);
  wavry_ui_test_run_for (20);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 450);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));

  /* The next window opens at that size. (Maximized state: Xvfb has no window
   * manager to maximize, so only the saving side is checked.) */
  window = GTK_WINDOW (wavry_window_new (app));
  gtk_window_get_default_size (window, &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 450);
  destroy_window (window);
}

static void
test_toast (gconstpointer data)
{
  WavryApplication *app = (WavryApplication *) data;
  g_autoptr(GSettings) settings = test_settings ();
  GtkWindow *window = GTK_WINDOW (wavry_window_new (app));

  gtk_window_present (window);
  g_assert_true (wavry_ui_test_wait_until (is_mapped, window, 5000));
  g_assert_false (wavry_ui_test_has_label (GTK_WIDGET (window), "The host refused the connection"));

  wavry_window_add_toast (WAVRY_WINDOW (window), adw_toast_new ("The host refused the connection"));
  wavry_ui_test_run_for (50);
  g_assert_true (wavry_ui_test_has_label (GTK_WIDGET (window), "The host refused the connection"));

  destroy_window (window);
}

static void
test_primary_menu (gconstpointer data)
{
  static const struct {
    const char *action;
    const char *accel;
  } expected[] = {
    { "app.preferences", "<Control>comma" },
    { "win.show-help-overlay", "<Control>question" },
    { "app.help", "F1" },
    { "app.about", NULL },
  };
  WavryApplication *app = (WavryApplication *) data;
  g_autoptr(GSettings) settings = test_settings ();
  GtkWindow *window = GTK_WINDOW (wavry_window_new (app));
  GtkMenuButton *button;
  GMenuModel *menu;
  GMenuModel *section;
  GtkWindow *shortcuts;

  gtk_window_present (window);
  g_assert_true (wavry_ui_test_wait_until (is_mapped, window, 5000));

  button = GTK_MENU_BUTTON (wavry_ui_test_find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, NULL));
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_menu_button_get_icon_name (button), ==, "open-menu-symbolic");
  g_assert_true (gtk_menu_button_get_primary (button));
  menu = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (menu);
  section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_assert_nonnull (section);
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *action = NULL;
      g_auto(GStrv) accels = NULL;

      g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      g_assert_cmpstr (action, ==, expected[i].action);
      if (g_str_has_prefix (action, "app."))
        g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), action + 4));
      else
        g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), action + 4));

      if (expected[i].accel == NULL)
        continue;
      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);
      g_assert_true (g_strv_contains ((const char * const *) accels, expected[i].accel));
    }
  g_object_unref (section);

  /* Keyboard Shortcuts opens the shortcuts window from the resources. */
  shortcuts = wavry_ui_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_true (shortcuts == NULL || !gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  shortcuts = wavry_ui_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  gtk_widget_set_visible (GTK_WIDGET (shortcuts), FALSE);

  destroy_window (window);
}

static void
test_about (gconstpointer data)
{
  WavryApplication *app = (WavryApplication *) data;
  g_autoptr(GSettings) settings = test_settings ();
  GtkWindow *window = GTK_WINDOW (wavry_window_new (app));
  AdwAboutWindow *about;

  gtk_window_present (window);
  g_assert_true (wavry_ui_test_wait_until (is_mapped, window, 5000));
  g_assert_null (wavry_ui_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = ADW_ABOUT_WINDOW (wavry_ui_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == window);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Wavry");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_website (about), ==, "https://wavry.io");
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_nonnull (adw_about_window_get_developers (about));
  g_assert_nonnull (adw_about_window_get_developers (about)[0]);

  gtk_window_destroy (GTK_WINDOW (about));
  destroy_window (window);
}

static gboolean
count_pixel_colours (GdkTexture *texture,
                     guint      *n_colours)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc (stride * height);
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);

  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 pixel;

        memcpy (&pixel, pixels + y * stride + x * 4, 4);
        g_hash_table_add (colours, GUINT_TO_POINTER (pixel));
      }

  *n_colours = g_hash_table_size (colours);
  return TRUE;
}

static gboolean
has_drawn_frame (gpointer user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (user_data);

  return clock != NULL && gdk_frame_clock_get_frame_counter (clock) > 3;
}

/* The README's and the metainfo's screenshot (data/screenshots/main.png is
 * a copy of the one this writes). */
static void
test_screenshot (gconstpointer data)
{
  WavryApplication *app = (WavryApplication *) data;
  g_autoptr(GSettings) settings = test_settings ();
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) loaded = NULL;
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GtkWindow *window;
  GskRenderer *renderer;
  int width;
  int height;
  guint n_colours = 0;
  guint8 seed[WAVRY_ED25519_SEED_LEN];

  window = GTK_WINDOW (wavry_window_new (app));
  /* A fixed ID, not this machine's: the picture is public. */
  memset (seed, 0x57, sizeof seed);
  identity = wavry_identity_new_from_seed (seed);
  g_assert_nonnull (identity);
  wavry_window_show_identity (WAVRY_WINDOW (window), identity, NULL);
  gtk_window_present (window);
  g_assert_true (wavry_ui_test_wait_until (is_mapped, window, 5000));
  g_assert_true (wavry_ui_test_wait_until (has_drawn_frame, window, 5000));

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);

  path = g_test_build_filename (G_TEST_BUILT, "ui", "screenshot-main.png", NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  /* The file holds the window: same size, and drawn (header bar, text, button). */
  loaded = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (loaded), ==, width);
  g_assert_cmpint (gdk_texture_get_height (loaded), ==, height);
  count_pixel_colours (loaded, &n_colours);
  g_assert_cmpuint (n_colours, >, 16);

  destroy_window (window);
}

static void
test_pages_new_destroy (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no keyring");
  guint8 seed[WAVRY_ED25519_SEED_LEN];
  g_autoptr(WavryIdentity) identity = NULL;
  GtkWidget *host = g_object_ref_sink (wavry_host_page_new ());
  GtkWidget *connect = g_object_ref_sink (wavry_connect_page_new ());

  memset (seed, 0x21, sizeof seed);
  identity = wavry_identity_new_from_seed (seed);

  /* No identity: the reason shows and there is nothing to copy. */
  g_assert_null (wavry_host_page_get_shown_id (WAVRY_HOST_PAGE (host)));
  wavry_host_page_show_identity (WAVRY_HOST_PAGE (host), NULL, error);
  g_assert_null (wavry_host_page_get_shown_id (WAVRY_HOST_PAGE (host)));
  g_assert_true (wavry_ui_test_has_label (host, "This device has no identity yet: no keyring"));

  wavry_host_page_show_identity (WAVRY_HOST_PAGE (host), identity, NULL);
  g_assert_cmpstr (wavry_host_page_get_shown_id (WAVRY_HOST_PAGE (host)), ==,
                   wavry_identity_get_id (identity));
  g_assert_true (wavry_ui_test_has_label (host, wavry_identity_get_id (identity)));

  g_assert_finalize_object (host);
  g_assert_finalize_object (connect);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(WavryApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      /* TAP: one skipped test, naming the missing component. */
      g_print ("1..0 # SKIP no display (Xvfb or a Wayland compositor); build-aux/test starts Xvfb\n");
      return 0;
    }

  gtk_test_init (&argc, &argv, NULL);

  /* One application for all the tests: a second one with the same ID could not
   * export its actions on the session bus. */
  app = wavry_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("Could not register the application: %s", error->message);

  g_test_add_data_func ("/wavry/ui/window/first-start-creates-identity", app,
                        test_first_start_creates_identity);
  g_test_add_func ("/wavry/ui/window/pages-new-destroy", test_pages_new_destroy);
  g_test_add_data_func ("/wavry/ui/window/pages", app, test_pages);
  g_test_add_data_func ("/wavry/ui/window/size-saved-and-restored", app,
                        test_size_saved_and_restored);
  g_test_add_data_func ("/wavry/ui/window/toast", app, test_toast);
  g_test_add_data_func ("/wavry/ui/window/primary-menu", app, test_primary_menu);
  g_test_add_data_func ("/wavry/ui/window/about", app, test_about);
  g_test_add_data_func ("/wavry/ui/window/screenshot", app, test_screenshot);

  return g_test_run ();
}
