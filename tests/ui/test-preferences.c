/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gtk/gtk.h>

#include "wavry-application.h"
#include "wavry-preferences-window.h"
#include "wavry-ui-test-util.h"
#include "wavry-window.h"

/* The preferences window, opened through app.preferences as the primary menu
 * does, changed through its rows; the GSettings keys (memory backend,
 * tests/meson.build) follow, and the rows follow the keys. */

#define ID_A "wavry1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ID_B "wavry1bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

typedef struct
{
  WavryApplication *app;
  GSettings        *settings;
  GtkWindow        *window;
  GtkWindow        *preferences;
} Fixture;

static gboolean
is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  fixture->settings = g_settings_new (APP_ID);
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (fixture->settings, keys[i]);

  fixture->app = g_object_ref ((WavryApplication *) user_data);

  fixture->window = GTK_WINDOW (wavry_window_new (fixture->app));
  gtk_window_present (fixture->window);
  g_assert_true (wavry_ui_test_wait_until (is_mapped, fixture->window, 5000));
}

/* Opens the preferences as the menu item and Ctrl+comma do. */
static void
open_preferences (Fixture *fixture)
{
  g_assert_null (wavry_ui_test_find_toplevel (WAVRY_TYPE_PREFERENCES_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  fixture->preferences = wavry_ui_test_find_toplevel (WAVRY_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (fixture->preferences);
  g_assert_true (ADW_IS_PREFERENCES_WINDOW (fixture->preferences));
  g_assert_true (gtk_window_get_transient_for (fixture->preferences) == fixture->window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->preferences)));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->preferences != NULL)
    gtk_window_destroy (fixture->preferences);
  gtk_window_destroy (fixture->window);
  wavry_ui_test_run_for (20);
  g_clear_object (&fixture->app);
  g_clear_object (&fixture->settings);
}

static AdwComboRow *
find_combo_row (Fixture    *fixture,
                const char *id)
{
  GtkWidget *row = wavry_ui_test_find_widget (GTK_WIDGET (fixture->preferences),
                                              ADW_TYPE_COMBO_ROW, id);

  g_assert_nonnull (row);
  return ADW_COMBO_ROW (row);
}

/* The position of the item labelled label in the row's model. */
static guint
find_item (AdwComboRow *row,
           const char  *label)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), label) == 0)
      return i;

  g_error ("no item “%s” in the combo row", label);
}

static void
test_streaming_rows (Fixture       *fixture,
                     gconstpointer  user_data)
{
  AdwComboRow *resolution;
  AdwComboRow *fps;
  AdwComboRow *encoder;
  AdwComboRow *codec;
  GtkSpinButton *bitrate;
  g_autofree char *value = NULL;

  open_preferences (fixture);
  resolution = find_combo_row (fixture, "resolution_row");
  fps = find_combo_row (fixture, "fps_row");
  encoder = find_combo_row (fixture, "encoder_row");
  codec = find_combo_row (fixture, "codec_row");
  bitrate = GTK_SPIN_BUTTON (wavry_ui_test_find_widget (GTK_WIDGET (fixture->preferences),
                                                        GTK_TYPE_SPIN_BUTTON, "bitrate_spin"));
  g_assert_nonnull (bitrate);

  /* The defaults show. */
  g_assert_cmpuint (adw_combo_row_get_selected (resolution), ==, find_item (resolution, "Same as screen"));
  g_assert_cmpuint (adw_combo_row_get_selected (fps), ==, find_item (fps, "60 FPS"));
  g_assert_cmpuint (adw_combo_row_get_selected (encoder), ==, find_item (encoder, "Automatic"));
  g_assert_cmpuint (adw_combo_row_get_selected (codec), ==, find_item (codec, "Automatic"));
  g_assert_cmpint ((int) gtk_spin_button_get_value (bitrate), ==, 20000);

  /* Choosing in each row writes its keys. */
  adw_combo_row_set_selected (resolution, find_item (resolution, "1920 × 1080"));
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stream-width"), ==, 1920);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stream-height"), ==, 1080);
  adw_combo_row_set_selected (resolution, find_item (resolution, "Same as screen"));
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stream-width"), ==, 0);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stream-height"), ==, 0);

  adw_combo_row_set_selected (fps, find_item (fps, "120 FPS"));
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stream-fps"), ==, 120);
  adw_combo_row_set_selected (fps, find_item (fps, "30 FPS"));
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stream-fps"), ==, 30);

  adw_combo_row_set_selected (encoder, find_item (encoder, "x264 (software)"));
  value = g_settings_get_string (fixture->settings, "stream-encoder");
  g_assert_cmpstr (value, ==, "x264");
  g_clear_pointer (&value, g_free);
  adw_combo_row_set_selected (encoder, find_item (encoder, "VA-API (hardware)"));
  value = g_settings_get_string (fixture->settings, "stream-encoder");
  g_assert_cmpstr (value, ==, "vaapi");
  g_clear_pointer (&value, g_free);

  adw_combo_row_set_selected (codec, find_item (codec, "H.265 (HEVC)"));
  value = g_settings_get_string (fixture->settings, "stream-codec");
  g_assert_cmpstr (value, ==, "hevc");
  g_clear_pointer (&value, g_free);

  gtk_spin_button_set_value (bitrate, 12000);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stream-bitrate-kbps"), ==, 12000);

  /* And the other way: a key changed elsewhere moves the row. */
  g_settings_set_string (fixture->settings, "stream-codec", "av1");
  g_assert_cmpuint (adw_combo_row_get_selected (codec), ==, find_item (codec, "AV1"));
  g_settings_set_int (fixture->settings, "stream-fps", 60);
  g_assert_cmpuint (adw_combo_row_get_selected (fps), ==, find_item (fps, "60 FPS"));
  g_settings_set_int (fixture->settings, "stream-bitrate-kbps", 8000);
  g_assert_cmpint ((int) gtk_spin_button_get_value (bitrate), ==, 8000);
}

static void
test_resolution_set_elsewhere (Fixture       *fixture,
                               gconstpointer  user_data)
{
  AdwComboRow *resolution;

  /* A size that is not in the list gets its own item, selected. */
  g_settings_set_int (fixture->settings, "stream-width", 1366);
  g_settings_set_int (fixture->settings, "stream-height", 768);
  open_preferences (fixture);
  resolution = find_combo_row (fixture, "resolution_row");
  g_assert_cmpuint (adw_combo_row_get_selected (resolution), ==, find_item (resolution, "1366 × 768"));
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stream-width"), ==, 1366);
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

/* The remove button of the trusted device id, as a person finds it. */
static GtkWidget *
find_remove_button (GtkWidget  *root,
                    const char *id)
{
  if (GTK_IS_BUTTON (root))
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root));

      if (target != NULL && g_variant_is_of_type (target, G_VARIANT_TYPE_STRING) &&
          g_str_equal (g_variant_get_string (target, NULL), id))
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_remove_button (child, id);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The "Can control" switch in the row of trusted device @id. */
static GtkWidget *
find_control_switch (GtkWidget  *list,
                     const char *id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (wavry_ui_test_has_label (row, id))
      return wavry_ui_test_find_widget (row, GTK_TYPE_SWITCH, NULL);
  return NULL;
}

static gboolean
view_only_has_a (gpointer settings)
{
  g_auto(GStrv) ids = g_settings_get_strv (settings, "view-only-devices");

  return g_strv_contains ((const char * const *) ids, ID_A);
}

static gboolean
view_only_lacks_a (gpointer settings)
{
  return !view_only_has_a (settings);
}

typedef struct
{
  GSettings *settings;
  guint      n_ids;
} TrustedCount;

static gboolean
is_mapped_widget (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

static gboolean
has_n_trusted (gpointer user_data)
{
  TrustedCount *count = user_data;
  g_auto(GStrv) ids = g_settings_get_strv (count->settings, "trusted-clients");

  return g_strv_length (ids) == count->n_ids;
}

/* Clicks button (GtkButton's activate clicks after a short press animation). */
static void
click (GtkWidget *button,
       GSettings *settings,
       guint      n_ids_after)
{
  TrustedCount count = { settings, n_ids_after };

  g_assert_true (wavry_ui_test_wait_until (is_mapped_widget, button, 2000));
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (wavry_ui_test_wait_until (has_n_trusted, &count, 2000));
}

static void
test_trusted_devices (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const char *two[] = { ID_A, ID_B, NULL };
  g_auto(GStrv) ids = NULL;
  GtkWidget *list;
  GtkWidget *empty;
  GtkWidget *button;
  GtkWidget *control_b;

  open_preferences (fixture);
  /* The page a person opens from the sidebar switcher. */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (fixture->preferences), "trusted");
  list = wavry_ui_test_find_widget (GTK_WIDGET (fixture->preferences), GTK_TYPE_LIST_BOX, "trusted_list");
  empty = wavry_ui_test_find_widget (GTK_WIDGET (fixture->preferences), ADW_TYPE_STATUS_PAGE, "trusted_empty");
  g_assert_nonnull (list);
  g_assert_nonnull (empty);

  /* None yet: the empty state. */
  g_assert_cmpuint (count_rows (list), ==, 0);
  g_assert_false (gtk_widget_get_visible (list));
  g_assert_true (gtk_widget_get_visible (empty));

  /* Two trusted (the approval dialog's Always Allow): one row each. */
  g_settings_set_strv (fixture->settings, "trusted-clients", two);
  g_assert_cmpuint (count_rows (list), ==, 2);
  g_assert_true (gtk_widget_get_visible (list));
  g_assert_false (gtk_widget_get_visible (empty));
  g_assert_true (wavry_ui_test_has_label (list, ID_A));
  g_assert_true (wavry_ui_test_has_label (list, ID_B));

  /* Each may control by default; a device the owner allowed with View
   * only (the approval dialog writes view-only-devices) shows it. */
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find_control_switch (list, ID_A))));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find_control_switch (list, ID_B))));
  control_b = find_control_switch (list, ID_B);
  g_settings_set_strv (fixture->settings, "view-only-devices", (const char *[]) { ID_B, NULL });
  g_assert_true (find_control_switch (list, ID_B) == control_b);  /* updated, not rebuilt */
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (control_b)));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find_control_switch (list, ID_A))));

  /* The owner switches control off and on again for a device. */
  g_assert_true (gtk_widget_activate (find_control_switch (list, ID_A)));
  g_assert_true (wavry_ui_test_wait_until (view_only_has_a, fixture->settings, 2000));
  g_assert_true (gtk_widget_activate (find_control_switch (list, ID_A)));
  g_assert_true (wavry_ui_test_wait_until (view_only_lacks_a, fixture->settings, 2000));
  g_clear_pointer (&ids, g_strfreev);
  ids = g_settings_get_strv (fixture->settings, "view-only-devices");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, ID_B);
  g_clear_pointer (&ids, g_strfreev);

  /* The first row's remove button takes only that device off. */
  button = find_remove_button (list, ID_A);
  g_assert_nonnull (button);
  click (button, fixture->settings, 1);
  ids = g_settings_get_strv (fixture->settings, "trusted-clients");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, ID_B);
  g_assert_cmpuint (count_rows (list), ==, 1);
  g_assert_false (wavry_ui_test_has_label (list, ID_A));

  /* Removing an ID that is not there changes nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->preferences),
                                             "trusted.remove", "s", ID_A));
  g_clear_pointer (&ids, g_strfreev);
  ids = g_settings_get_strv (fixture->settings, "trusted-clients");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);

  /* The last one: back to the empty state. */
  click (find_remove_button (list, ID_B), fixture->settings, 0);
  /* … its View only goes with it: asked again, it is asked afresh. */
  g_clear_pointer (&ids, g_strfreev);
  ids = g_settings_get_strv (fixture->settings, "view-only-devices");
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_clear_pointer (&ids, g_strfreev);
  ids = g_settings_get_strv (fixture->settings, "trusted-clients");
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_assert_true (gtk_widget_get_visible (empty));
  g_assert_false (gtk_widget_get_visible (list));
}

static const char *
input_method_text (Fixture *fixture)
{
  GtkWidget *row = wavry_ui_test_find_widget (GTK_WIDGET (fixture->preferences),
                                              ADW_TYPE_ACTION_ROW, "input_method_row");

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_visible (row));
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* On an X session (DISPLAY set, the Xvfb of build-aux/test) the host would
 * capture x11 and inject through XTest: the group says so. */
static void
test_remote_control_xtest (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *expected = NULL;
  const char *text;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("no X display");
      return;
    }

  g_setenv ("XDG_SESSION_TYPE", "x11", TRUE);
  g_unsetenv ("WAVRY_CAPTURE");
  open_preferences (fixture);
  text = input_method_text (fixture);
  g_assert_nonnull (text);
  expected = g_strdup_printf ("XTest on X display %s", g_getenv ("DISPLAY"));
  g_assert_cmpstr (text, ==, expected);
  g_assert_true (wavry_ui_test_has_label (GTK_WIDGET (fixture->preferences), "Remote Control"));
}

/* A capture whose display cannot be opened: the reason shows instead. */
static void
test_remote_control_error (Fixture       *fixture,
                           gconstpointer  user_data)
{
  const char *text;

  if (access ("/dev/uinput", W_OK) == 0)
    {
      g_test_skip ("/dev/uinput is writable here: auto falls back to it");
      return;
    }

  g_setenv ("WAVRY_CAPTURE", "x11::87", TRUE);
  open_preferences (fixture);
  text = input_method_text (fixture);
  g_unsetenv ("WAVRY_CAPTURE");
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, ":87"));
  g_assert_null (strstr (text, "XTest on"));
}

static gboolean
switch_is_on (gpointer user_data)
{
  return gtk_switch_get_active (user_data);
}

static gboolean
switch_is_off (gpointer user_data)
{
  return !gtk_switch_get_active (user_data);
}

/* "Allow control by default" writes allow-remote-control, and follows it. */
static void
test_allow_control_switch (Fixture       *fixture,
                           gconstpointer  user_data)
{
  GtkWidget *sw;

  open_preferences (fixture);
  sw = wavry_ui_test_find_widget (GTK_WIDGET (fixture->preferences), GTK_TYPE_SWITCH,
                                  "allow_control_switch");
  g_assert_nonnull (sw);
  g_assert_true (g_settings_get_boolean (fixture->settings, "allow-remote-control"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));

  /* Pressed as a person does (the switch moves after its animation): off,
   * then on again. */
  g_assert_true (gtk_widget_activate (sw));
  g_assert_true (wavry_ui_test_wait_until (switch_is_off, sw, 2000));
  g_assert_false (g_settings_get_boolean (fixture->settings, "allow-remote-control"));
  g_assert_true (gtk_widget_activate (sw));
  g_assert_true (wavry_ui_test_wait_until (switch_is_on, sw, 2000));
  g_assert_true (g_settings_get_boolean (fixture->settings, "allow-remote-control"));

  /* Changed elsewhere: the switch follows. */
  g_settings_set_boolean (fixture->settings, "allow-remote-control", FALSE);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (sw)));
}

static void
test_new_destroy (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWindow *preferences = GTK_WINDOW (wavry_preferences_window_new (NULL, settings));

  g_object_ref (preferences);
  gtk_window_destroy (preferences);
  g_assert_finalize_object (preferences);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(WavryApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
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

  g_test_add ("/wavry/ui/preferences/streaming-rows", Fixture, app,
              fixture_set_up, test_streaming_rows, fixture_tear_down);
  g_test_add ("/wavry/ui/preferences/resolution-set-elsewhere", Fixture, app,
              fixture_set_up, test_resolution_set_elsewhere, fixture_tear_down);
  g_test_add ("/wavry/ui/preferences/trusted-devices", Fixture, app,
              fixture_set_up, test_trusted_devices, fixture_tear_down);
  g_test_add ("/wavry/ui/preferences/remote-control-xtest", Fixture, app,
              fixture_set_up, test_remote_control_xtest, fixture_tear_down);
  g_test_add ("/wavry/ui/preferences/remote-control-error", Fixture, app,
              fixture_set_up, test_remote_control_error, fixture_tear_down);
  g_test_add ("/wavry/ui/preferences/allow-control-switch", Fixture, app,
              fixture_set_up, test_allow_control_switch, fixture_tear_down);
  g_test_add_func ("/wavry/ui/preferences/new-destroy", test_new_destroy);

  return g_test_run ();
}
