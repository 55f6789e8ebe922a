/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-input-injector.h"
#include "wavry-host-controller.h"
#include "wavry-preferences-window.h"
#include "wavry-settings-list.h"

/* Streaming settings and the trusted devices. Every row writes its GSettings
 * key as soon as it changes; no Apply button (GNOME HIG). */
struct _WavryPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwComboRow          *resolution_row;
  GtkStringList        *resolution_list;
  AdwComboRow          *fps_row;
  GtkStringList        *fps_list;
  GtkSpinButton        *bitrate_spin;
  AdwComboRow          *encoder_row;
  AdwComboRow          *codec_row;
  AdwActionRow         *input_method_row;
  GtkSwitch            *allow_control_switch;
  GtkListBox           *trusted_list;
  AdwStatusPage        *trusted_empty;

  /* The sizes behind resolution_list, item by item: {0, 0} is "Same as screen". */
  GArray               *resolutions;
};

G_DEFINE_FINAL_TYPE (WavryPreferencesWindow, wavry_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  int width;
  int height;
} Resolution;

static const Resolution common_resolutions[] = {
  { 0, 0 },
  { 1280, 720 },
  { 1600, 900 },
  { 1920, 1080 },
  { 2560, 1440 },
  { 3840, 2160 },
};

static const int fps_choices[] = { 30, 60, 120 };

/* The GSettings values of the encoder and codec rows, item by item (the .ui
 * lists the labels in the same order; the schema's choices, the same set). */
static const char * const encoder_values[] = { "auto", "vaapi", "nvenc", "x264", NULL };
static const char * const codec_values[] = { "auto", "h264", "hevc", "av1", NULL };

static void
append_resolution (WavryPreferencesWindow *self,
                   int                     width,
                   int                     height)
{
  Resolution resolution = { width, height };
  g_autofree char *label = NULL;

  if (width == 0 || height == 0)
    label = g_strdup (_("Same as screen"));
  else
    /* Translators: a picture size in pixels, width × height */
    label = g_strdup_printf (_("%d × %d"), width, height);

  g_array_append_val (self->resolutions, resolution);
  gtk_string_list_append (self->resolution_list, label);
}

static guint
find_resolution (WavryPreferencesWindow *self,
                 int                     width,
                 int                     height)
{
  for (guint i = 0; i < self->resolutions->len; i++)
    {
      Resolution *r = &g_array_index (self->resolutions, Resolution, i);

      if (r->width == width && r->height == height)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
on_resolution_row_selected_notify (AdwComboRow            *row,
                                   GParamSpec             *pspec,
                                   WavryPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (row);
  Resolution *r;

  if (selected >= self->resolutions->len)
    return;

  r = &g_array_index (self->resolutions, Resolution, selected);
  g_settings_set_int (self->settings, "stream-width", r->width);
  g_settings_set_int (self->settings, "stream-height", r->height);
}

static void
setup_resolution_row (WavryPreferencesWindow *self)
{
  int width = g_settings_get_int (self->settings, "stream-width");
  int height = g_settings_get_int (self->settings, "stream-height");
  guint position;

  for (guint i = 0; i < G_N_ELEMENTS (common_resolutions); i++)
    append_resolution (self, common_resolutions[i].width, common_resolutions[i].height);

  /* A size set elsewhere (gsettings set …) gets its own item. */
  if (width == 0 || height == 0)
    width = height = 0;
  position = find_resolution (self, width, height);
  if (position == GTK_INVALID_LIST_POSITION)
    {
      append_resolution (self, width, height);
      position = self->resolutions->len - 1;
    }

  adw_combo_row_set_selected (self->resolution_row, position);
  g_signal_connect (self->resolution_row, "notify::selected",
                    G_CALLBACK (on_resolution_row_selected_notify), self);
}

static gboolean
fps_get_mapping (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  int fps = g_variant_get_int32 (variant);

  for (guint i = 0; i < G_N_ELEMENTS (fps_choices); i++)
    if (fps_choices[i] == fps)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  /* Not one of ours (set elsewhere): the nearest choice below it, or 30. */
  g_value_set_uint (value, fps >= 120 ? 2 : fps >= 60 ? 1 : 0);
  return TRUE;
}

static GVariant *
fps_set_mapping (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (fps_choices))
    return NULL;

  return g_variant_new_int32 (fps_choices[selected]);
}

static gboolean
choice_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char * const *choices = user_data;
  const char *choice = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    if (g_str_equal (choices[i], choice))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
choice_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  const char * const *choices = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= g_strv_length ((char **) choices))
    return NULL;

  return g_variant_new_string (choices[selected]);
}

/* Shows how a remote device's keyboard and mouse would reach this computer
 * (the injector the host picks for its capture), or why they cannot. The
 * injector is only probed, then dropped: the host makes its own. */
static void
update_input_method_row (WavryPreferencesWindow *self)
{
  g_autofree char *description =
    wavry_input_injector_describe_auto (wavry_host_controller_default_capture ());

  adw_action_row_set_subtitle (self->input_method_row, description);
}

/* A trusted device's "Can control" switch: off puts it in
 * view-only-devices (it may watch, never use the keyboard and mouse). */
static void
on_control_switch_active (GtkSwitch              *control,
                          GParamSpec             *pspec,
                          WavryPreferencesWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (control), "wavry-id");

  wavry_settings_list_set (self->settings, "view-only-devices", id,
                           !gtk_switch_get_active (control));
}

static GtkWidget *
create_trusted_row (WavryPreferencesWindow *self,
                    const char             *id)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *control = gtk_switch_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), id);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
  gtk_widget_add_css_class (row, "monospace");

  gtk_widget_set_valign (control, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (control, _("Can use this computer’s keyboard and mouse"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (control),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Allow this device to control this computer"), -1);
  gtk_switch_set_active (GTK_SWITCH (control),
                         !wavry_settings_list_contains (self->settings, "view-only-devices", id));
  g_object_set_data_full (G_OBJECT (control), "wavry-id", g_strdup (id), g_free);
  g_signal_connect_object (control, "notify::active", G_CALLBACK (on_control_switch_active),
                           self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), control);
  g_object_set_data (G_OBJECT (row), "wavry-control", control);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove this device"),
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "trusted.remove");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
update_trusted_list (WavryPreferencesWindow *self)
{
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, "trusted-clients");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->trusted_list))) != NULL)
    gtk_list_box_remove (self->trusted_list, child);

  for (guint i = 0; ids[i] != NULL; i++)
    gtk_list_box_append (self->trusted_list, create_trusted_row (self, ids[i]));

  gtk_widget_set_visible (GTK_WIDGET (self->trusted_list), ids[0] != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->trusted_empty), ids[0] == NULL);
}

static void
on_settings_trusted_clients_changed (GSettings              *settings,
                                     const char             *key,
                                     WavryPreferencesWindow *self)
{
  update_trusted_list (self);
}

/* Set elsewhere (the Host page's approval dialog): the switches follow,
 * without rebuilding the rows under the pointer or the focus. */
static void
on_settings_view_only_changed (GSettings              *settings,
                               const char             *key,
                               WavryPreferencesWindow *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->trusted_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkSwitch *control = g_object_get_data (G_OBJECT (row), "wavry-control");
      const char *id;
      gboolean allowed;

      if (control == NULL)
        continue;
      id = g_object_get_data (G_OBJECT (control), "wavry-id");
      allowed = !wavry_settings_list_contains (settings, "view-only-devices", id);
      if (gtk_switch_get_active (control) != allowed)
        {
          g_signal_handlers_block_by_func (control, on_control_switch_active, self);
          gtk_switch_set_active (control, allowed);
          g_signal_handlers_unblock_by_func (control, on_control_switch_active, self);
        }
    }
}

static void
trusted_remove_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  WavryPreferencesWindow *self = WAVRY_PREFERENCES_WINDOW (widget);
  const char *removed = g_variant_get_string (parameter, NULL);

  wavry_settings_list_set (self->settings, "trusted-clients", removed, FALSE);
  /* asked again at its next connection, View only included */
  wavry_settings_list_set (self->settings, "view-only-devices", removed, FALSE);
}

static void
wavry_preferences_window_constructed (GObject *object)
{
  WavryPreferencesWindow *self = WAVRY_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (wavry_preferences_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);

  setup_resolution_row (self);
  g_settings_bind_with_mapping (self->settings, "stream-fps", self->fps_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, fps_get_mapping, fps_set_mapping,
                                NULL, NULL);
  g_settings_bind (self->settings, "stream-bitrate-kbps", self->bitrate_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "stream-encoder", self->encoder_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, choice_get_mapping, choice_set_mapping,
                                (gpointer) encoder_values, NULL);
  g_settings_bind_with_mapping (self->settings, "stream-codec", self->codec_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, choice_get_mapping, choice_set_mapping,
                                (gpointer) codec_values, NULL);
  g_settings_bind (self->settings, "allow-remote-control", self->allow_control_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  update_input_method_row (self);

  g_signal_connect_object (self->settings, "changed::trusted-clients",
                           G_CALLBACK (on_settings_trusted_clients_changed), self, 0);
  g_signal_connect_object (self->settings, "changed::view-only-devices",
                           G_CALLBACK (on_settings_view_only_changed), self, 0);
  update_trusted_list (self);
}

static void
wavry_preferences_window_dispose (GObject *object)
{
  WavryPreferencesWindow *self = WAVRY_PREFERENCES_WINDOW (object);

  if (self->resolution_row != NULL)
    g_signal_handlers_disconnect_by_func (self->resolution_row,
                                          on_resolution_row_selected_notify, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WAVRY_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (wavry_preferences_window_parent_class)->dispose (object);
}

static void
wavry_preferences_window_finalize (GObject *object)
{
  WavryPreferencesWindow *self = WAVRY_PREFERENCES_WINDOW (object);

  g_array_unref (self->resolutions);

  G_OBJECT_CLASS (wavry_preferences_window_parent_class)->finalize (object);
}

static void
wavry_preferences_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  WavryPreferencesWindow *self = WAVRY_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wavry_preferences_window_class_init (WavryPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = wavry_preferences_window_constructed;
  object_class->dispose = wavry_preferences_window_dispose;
  object_class->finalize = wavry_preferences_window_finalize;
  object_class->set_property = wavry_preferences_window_set_property;

  /* The settings to show and change (schema APP_ID); NULL: the app's. */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/dev/wavry/Wavry/wavry-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WavryPreferencesWindow, resolution_row);
  gtk_widget_class_bind_template_child (widget_class, WavryPreferencesWindow, resolution_list);
  gtk_widget_class_bind_template_child (widget_class, WavryPreferencesWindow, fps_row);
  gtk_widget_class_bind_template_child (widget_class, WavryPreferencesWindow, fps_list);
  gtk_widget_class_bind_template_child (widget_class, WavryPreferencesWindow, bitrate_spin);
  gtk_widget_class_bind_template_child (widget_class, WavryPreferencesWindow, encoder_row);
  gtk_widget_class_bind_template_child (widget_class, WavryPreferencesWindow, codec_row);
  gtk_widget_class_bind_template_child (widget_class, WavryPreferencesWindow, input_method_row);
  gtk_widget_class_bind_template_child (widget_class, WavryPreferencesWindow, allow_control_switch);
  gtk_widget_class_bind_template_child (widget_class, WavryPreferencesWindow, trusted_list);
  gtk_widget_class_bind_template_child (widget_class, WavryPreferencesWindow, trusted_empty);

  gtk_widget_class_install_action (widget_class, "trusted.remove", "s", trusted_remove_activated);
}

static void
wavry_preferences_window_init (WavryPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->resolutions = g_array_new (FALSE, FALSE, sizeof (Resolution));

  for (guint i = 0; i < G_N_ELEMENTS (fps_choices); i++)
    {
      /* Translators: frames per second */
      g_autofree char *label = g_strdup_printf (_("%d FPS"), fps_choices[i]);

      gtk_string_list_append (self->fps_list, label);
    }
}

WavryPreferencesWindow *
wavry_preferences_window_new (GtkWindow *parent,
                              GSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (WAVRY_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "settings", settings,
                       NULL);
}
