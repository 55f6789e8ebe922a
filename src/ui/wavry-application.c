/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-application.h"
#include "wavry-keystore.h"
#include "wavry-preferences-window.h"
#include "wavry-window.h"

struct _WavryApplication
{
  AdwApplication  parent_instance;

  WavryIdentity  *identity;
  GError         *identity_error;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (WavryApplication, wavry_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_IDENTITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

WavryApplication *
wavry_application_new (void)
{
  return g_object_new (WAVRY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/dev/wavry/Wavry",
                       NULL);
}

static void
load_identity_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WavryApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;
  GtkWindow *window;

  self->identity = wavry_keystore_load_user_identity_finish (result, &created, &error);
  if (self->identity == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("No device identity: %s", error->message);
      self->identity_error = g_steal_pointer (&error);
    }
  else if (created)
    g_message ("Created a new device identity %s in the keyring",
               wavry_identity_get_id (self->identity));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY]);

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (WAVRY_IS_WINDOW (window))
    wavry_window_show_identity (WAVRY_WINDOW (window), self->identity, self->identity_error);
}

static void
wavry_application_startup (GApplication *application)
{
  WavryApplication *self = WAVRY_APPLICATION (application);

  G_APPLICATION_CLASS (wavry_application_parent_class)->startup (application);

  gtk_window_set_default_icon_name (APP_ID);

  /* First start creates the identity in the keyring (ARCHITECTURE.md). */
  self->cancellable = g_cancellable_new ();
  wavry_keystore_load_user_identity_async (TRUE, self->cancellable,
                                           load_identity_cb, g_object_ref (self));
}

static void
wavry_application_activate (GApplication *application)
{
  WavryApplication *self = WAVRY_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (wavry_window_new (self));
      if (self->identity != NULL || self->identity_error != NULL)
        wavry_window_show_identity (WAVRY_WINDOW (window), self->identity, self->identity_error);
    }

  gtk_window_present (window);
}

static void
wavry_application_shutdown (GApplication *application)
{
  WavryApplication *self = WAVRY_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (wavry_application_parent_class)->shutdown (application);
}

static void
wavry_application_finalize (GObject *object)
{
  WavryApplication *self = WAVRY_APPLICATION (object);

  g_clear_object (&self->identity);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->identity_error);

  G_OBJECT_CLASS (wavry_application_parent_class)->finalize (object);
}

static void
wavry_application_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WavryApplication *self = WAVRY_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_IDENTITY:
      g_value_set_object (value, self->identity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wavry_application_class_init (WavryApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = wavry_application_finalize;
  object_class->get_property = wavry_application_get_property;
  app_class->startup = wavry_application_startup;
  app_class->activate = wavry_application_activate;
  app_class->shutdown = wavry_application_shutdown;

  properties[PROP_IDENTITY] =
    g_param_spec_object ("identity", NULL, NULL, WAVRY_TYPE_IDENTITY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  WavryPreferencesWindow *preferences = wavry_preferences_window_new (parent, NULL);

  gtk_window_present (GTK_WINDOW (preferences));
}

static void
on_help (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  /* Yelp shows help/C (installed by gnome.yelp). */
  gtk_show_uri (parent, "help:wavry", GDK_CURRENT_TIME);
}

static void
on_about (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  static const char *developers[] = { "The Wavry developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", parent != NULL,
                        "application-icon", APP_ID,
                        "application-name", _("Wavry"),
                        "developer-name", _("The Wavry developers"),
                        "version", PACKAGE_VERSION,
                        "website", "https://wavry.io",
                        "copyright", "© 2026 The Wavry developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one per line, e.g. "Ana Smith <ana@example.org>" */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
wavry_application_init (WavryApplication *self)
{
  static const GActionEntry actions[] = {
    { "quit", on_quit },
    { "preferences", on_preferences },
    { "help", on_help },
    { "about", on_about },
  };
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.help", { "F1", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "win.page::host", { "<Alt>1", NULL } },
    { "win.page::connect", { "<Alt>2", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Wavry: low-latency remote desktop for GNOME."));
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("Commands (wavry COMMAND --help for each):\n"
                                                  "  keygen     create a device identity key pair\n"
                                                  "  show-id    print a Wavry ID\n"
                                                  "  ping       check that a host answers\n"
                                                  "  version    print versions\n"
                                                  "  --service=host   run the host daemon"));
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
}

WavryIdentity *
wavry_application_get_identity (WavryApplication *self)
{
  g_return_val_if_fail (WAVRY_IS_APPLICATION (self), NULL);

  return self->identity;
}
