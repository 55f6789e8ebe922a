/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-host-page.h"
#include "wavry-settings-list.h"

/* The Host page: "Share this screen" runs the host in-process
 * (WavryHostController: the same daemon and media pipeline as
 * `wavry --service=host`), shows where it listens and this device's Wavry
 * ID, lists the connected devices with a Disconnect button each, and asks
 * before admitting a device that is not trusted yet. */
struct _WavryHostPage
{
  GtkWidget            parent_instance;

  AdwPreferencesPage  *page;
  AdwActionRow        *share_row;
  GtkSwitch           *share_switch;
  AdwActionRow        *address_row;
  AdwActionRow        *input_row;
  AdwActionRow        *id_row;
  GtkButton           *copy_button;
  GtkListBox          *clients_list;

  GSettings           *settings;
  WavryIdentity       *identity;
  char                *shown_id;
  WavryTrustedClients *trusted;
  char               **trusted_ids;  /* the list last loaded into trusted */
  WavryHostController *controller;
  AdwMessageDialog    *approval;
  gboolean             updating_switch;
  /* While sharing starts (the desktop's dialog may be up). */
  GCancellable        *start_cancellable;
  /* IDs the owner allowed with the dialog's View only ticked: they stay
   * view only whatever "allow-remote-control" says. */
  GHashTable          *chosen_view_only;
};

G_DEFINE_FINAL_TYPE (WavryHostPage, wavry_host_page, GTK_TYPE_WIDGET)

static void
toast (WavryHostPage *self,
       const char    *text)
{
  /* The page does not know its window: any toast overlay above it will do. */
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
on_copy_button_clicked (GtkButton     *button,
                        WavryHostPage *self)
{
  if (self->shown_id == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->shown_id);
  toast (self, _("Wavry ID copied"));
}

/* The trusted devices are the GSettings list the Preferences window edits,
 * followed while Wavry runs: a device removed there is asked about again
 * at its next connection. */
static void
load_trusted (WavryHostPage *self)
{
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, "trusted-clients");

  for (guint i = 0; self->trusted_ids != NULL && self->trusted_ids[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) ids, self->trusted_ids[i]))
      wavry_trusted_clients_remove (self->trusted, self->trusted_ids[i]);
  for (guint i = 0; ids[i] != NULL; i++)
    if (wavry_id_is_valid (ids[i]))
      wavry_trusted_clients_add (self->trusted, ids[i]);
  g_strfreev (self->trusted_ids);
  self->trusted_ids = g_steal_pointer (&ids);
}

static void
remember_trusted (WavryHostPage *self,
                  const char    *client_id)
{
  wavry_settings_list_set (self->settings, "trusted-clients", client_id, TRUE);
}

static char *
setting_or_null (GSettings  *settings,
                 const char *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  if (value[0] == '\0' || g_str_equal (value, "auto"))
    return NULL;
  return g_steal_pointer (&value);
}

static void
show_address (WavryHostPage *self)
{
  GInetSocketAddress *address = wavry_host_controller_get_local_address (self->controller);
  g_autofree char *text = NULL;

  if (address == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->address_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->input_row), FALSE);
      return;
    }
  /* how allowed devices control this machine, or why they cannot */
  if (wavry_host_controller_get_input_description (self->controller) != NULL)
    {
      adw_action_row_set_subtitle (self->input_row,
                                   wavry_host_controller_get_input_description (self->controller));
      gtk_widget_set_visible (GTK_WIDGET (self->input_row), TRUE);
    }
  /* Every interface: the mDNS name reaches it from the local network. */
  text = g_strdup_printf ("%s.local:%u", g_get_host_name (),
                          g_inet_socket_address_get_port (address));
  adw_action_row_set_subtitle (self->address_row, text);
  gtk_widget_set_visible (GTK_WIDGET (self->address_row), TRUE);
}

static void
set_switch (WavryHostPage *self,
            gboolean       active)
{
  self->updating_switch = TRUE;
  gtk_switch_set_active (self->share_switch, active);
  self->updating_switch = FALSE;
}

/* Adds @client_id to, or removes it from, the saved View-only devices. */
static void
remember_view_only (WavryHostPage *self,
                    const char    *client_id,
                    gboolean       view_only)
{
  wavry_settings_list_set (self->settings, "view-only-devices", client_id, view_only);
}

/* Preferences' "Allow control by default" (allow-remote-control) off: every
 * client is view only; on: only those the owner chose View only for (this
 * run, or saved in view-only-devices when always allowed). It
 * applies at once, to connected clients too. */
static void
apply_control_policy (WavryHostPage *self,
                      const char    *client_id)
{
  gboolean view_only = !g_settings_get_boolean (self->settings, "allow-remote-control") ||
                       g_hash_table_contains (self->chosen_view_only, client_id) ||
                       wavry_settings_list_contains (self->settings, "view-only-devices",
                                                     client_id);

  wavry_host_controller_set_view_only (self->controller, client_id, view_only);
}

/* Trusted devices are admitted without the dialog, so the policy is set
 * for them ahead: when sharing starts and whenever the setting changes. */
static void
apply_control_policy_to_trusted (WavryHostPage *self)
{
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, "trusted-clients");

  for (guint i = 0; ids[i] != NULL; i++)
    if (wavry_id_is_valid (ids[i]))
      apply_control_policy (self, ids[i]);
}

static void
on_trusted_clients_changed (GSettings     *settings,
                            const char    *key,
                            WavryHostPage *self)
{
  load_trusted (self);
  /* a newly trusted device is admitted without the dialog */
  if (self->controller != NULL)
    apply_control_policy_to_trusted (self);
}

/* Preferences changed which trusted devices may control: a device taken
 * off the list gets control back even if a dialog this run said View only. */
static void
on_view_only_devices_changed (GSettings     *settings,
                              const char    *key,
                              WavryHostPage *self)
{
  GHashTableIter iter;
  const char *id;

  g_hash_table_iter_init (&iter, self->chosen_view_only);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    if (wavry_settings_list_contains (settings, "trusted-clients", id) &&
        !wavry_settings_list_contains (settings, "view-only-devices", id))
      g_hash_table_iter_remove (&iter);
  if (self->controller != NULL)
    apply_control_policy_to_trusted (self);
}

static void
on_allow_remote_control_changed (GSettings     *settings,
                                 const char    *key,
                                 WavryHostPage *self)
{
  if (self->controller != NULL)
    apply_control_policy_to_trusted (self);
}

static void
on_approval_response (AdwMessageDialog *dialog,
                      const char       *response,
                      WavryHostPage    *self)
{
  const char *client_id = g_object_get_data (G_OBJECT (dialog), "wavry-client-id");
  GtkCheckButton *view_only = g_object_get_data (G_OBJECT (dialog), "wavry-view-only");
  WavryApproval decision = WAVRY_APPROVAL_DENY;

  if (g_strcmp0 (response, "once") == 0)
    decision = WAVRY_APPROVAL_ALLOW_ONCE;
  else if (g_strcmp0 (response, "always") == 0)
    decision = WAVRY_APPROVAL_ALWAYS;

  if (self->controller != NULL && client_id != NULL)
    {
      if (decision != WAVRY_APPROVAL_DENY)
        {
          gboolean chosen = gtk_check_button_get_active (view_only);

          /* the latest answer counts: View only unticked gives control back;
           * for a device always allowed, across restarts too */
          if (chosen)
            g_hash_table_add (self->chosen_view_only, g_strdup (client_id));
          else
            g_hash_table_remove (self->chosen_view_only, client_id);
          if (decision == WAVRY_APPROVAL_ALWAYS || !chosen)
            remember_view_only (self, client_id, chosen);
          apply_control_policy (self, client_id);
        }
      wavry_host_controller_resolve_approval (self->controller, client_id, decision);
      if (decision == WAVRY_APPROVAL_ALWAYS)
        remember_trusted (self, client_id);
    }
  if (self->approval == dialog)
    self->approval = NULL;
}

static void
on_approval_requested (WavryHostController *controller,
                       const char          *client_id,
                       const char          *client_name,
                       WavryHostPage       *self)
{
  g_autofree char *short_id = g_strndup (client_id, 8);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *view_only;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  heading = g_strdup_printf (_("Allow %s (%s) to view and control this screen?"),
                             client_name != NULL && *client_name ? client_name : _("a device"),
                             short_id);
  body = g_strdup_printf (_("Its Wavry ID is %s. Allow it only if you know whose device this "
                            "is. It waits up to a minute for your answer."), client_id);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "deny", _("_Deny"),
                                    "once", _("Allow _Once"),
                                    "always", _("_Always Allow"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "deny", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "deny");
  adw_message_dialog_set_close_response (dialog, "deny");
  view_only = gtk_check_button_new_with_mnemonic (_("_View only: no keyboard or mouse"));
  adw_message_dialog_set_extra_child (dialog, view_only);
  g_object_set_data_full (G_OBJECT (dialog), "wavry-client-id", g_strdup (client_id), g_free);
  g_object_set_data (G_OBJECT (dialog), "wavry-view-only", view_only);
  g_signal_connect (dialog, "response", G_CALLBACK (on_approval_response), self);
  self->approval = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
update_client_subtitle (WavryHostClient *client,
                        GParamSpec      *pspec,
                        AdwActionRow    *row)
{
  g_autofree char *subtitle = NULL;

  if (!wavry_host_client_get_responding (client))
    subtitle = g_strdup_printf (_("ID %s… · %s · Not responding"),
                                wavry_host_client_get_short_id (client),
                                wavry_host_client_get_address (client));
  else if (wavry_host_client_get_bitrate_kbps (client) > 0)
    subtitle = g_strdup_printf (_("ID %s… · %s · %.1f Mb/s"),
                                wavry_host_client_get_short_id (client),
                                wavry_host_client_get_address (client),
                                wavry_host_client_get_bitrate_kbps (client) / 1000.0);
  else
    subtitle = g_strdup_printf (_("ID %s… · %s"), wavry_host_client_get_short_id (client),
                                wavry_host_client_get_address (client));
  adw_action_row_set_subtitle (row, subtitle);
}

static void
on_disconnect_clicked (GtkButton     *button,
                       WavryHostPage *self)
{
  WavryHostClient *client = g_object_get_data (G_OBJECT (button), "wavry-client");

  if (self->controller != NULL && client != NULL)
    wavry_host_controller_disconnect (self->controller, wavry_host_client_get_alias (client));
}

static GtkWidget *
create_client_row (gpointer item,
                   gpointer user_data)
{
  WavryHostPage *self = user_data;
  WavryHostClient *client = item;
  const char *name = wavry_host_client_get_name (client);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Disconnect"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 name != NULL && *name ? name : _("Unnamed device"));
  update_client_subtitle (client, NULL, ADW_ACTION_ROW (row));
  g_signal_connect_object (client, "notify::bitrate-kbps", G_CALLBACK (update_client_subtitle),
                           row, 0);
  g_signal_connect_object (client, "notify::responding", G_CALLBACK (update_client_subtitle),
                           row, 0);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "wavry-client", g_object_ref (client), g_object_unref);
  g_signal_connect (button, "clicked", G_CALLBACK (on_disconnect_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

/* The desktop portal remembered the answer: keep its token for the next
 * time sharing starts (it then need not ask again). */
static void
on_restore_token (WavryHostController *controller,
                  GParamSpec          *pspec,
                  WavryHostPage       *self)
{
  const char *token = wavry_host_controller_get_restore_token (controller);

  g_settings_set_string (self->settings, "portal-restore-token", token != NULL ? token : "");
}

/* The desktop closed the screen cast (its own "stop sharing"). */
static void
on_sharing_ended (WavryHostController *controller,
                  const char          *reason,
                  WavryHostPage       *self)
{
  toast (self, reason);
  set_switch (self, FALSE);
  show_address (self);
}

static void start_sharing_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);

/* FALSE with @error set when sharing cannot even start; else it goes on in
 * the background (the portal's dialog) and start_sharing_cb() ends it. */
static gboolean
start_sharing (WavryHostPage  *self,
               GError        **error)
{
  WavryHostMediaConfig config = { 0 };
  g_autofree char *encoder = setting_or_null (self->settings, "stream-encoder");
  g_autofree char *codec = setting_or_null (self->settings, "stream-codec");

  if (self->identity == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("This device has no identity yet."));
      return FALSE;
    }

  if (self->controller == NULL)
    {
      self->controller = wavry_host_controller_new (self->identity, self->trusted, NULL);
      g_signal_connect (self->controller, "approval-requested",
                        G_CALLBACK (on_approval_requested), self);
      g_signal_connect (self->controller, "ended", G_CALLBACK (on_sharing_ended), self);
      g_signal_connect (self->controller, "notify::restore-token",
                        G_CALLBACK (on_restore_token), self);
      gtk_list_box_bind_model (self->clients_list,
                               wavry_host_controller_get_clients (self->controller),
                               create_client_row, self, NULL);
    }

  apply_control_policy_to_trusted (self);

  {
    g_autofree char *token = g_settings_get_string (self->settings, "portal-restore-token");

    wavry_host_controller_set_restore_token (self->controller, *token != '\0' ? token : NULL);
  }
  config.capture_spec = wavry_host_controller_default_capture ();
  config.width = MAX (g_settings_get_int (self->settings, "stream-width"), 0);
  config.height = MAX (g_settings_get_int (self->settings, "stream-height"), 0);
  if (config.width == 0 || config.height == 0)
    config.width = config.height = 0;
  config.fps = MAX (g_settings_get_int (self->settings, "stream-fps"), 0);
  config.bitrate_kbps = MAX (g_settings_get_int (self->settings, "stream-bitrate-kbps"), 0);
  config.encoder = encoder;
  config.codec = codec;
  g_cancellable_cancel (self->start_cancellable);
  g_clear_object (&self->start_cancellable);
  self->start_cancellable = g_cancellable_new ();
  adw_action_row_set_subtitle (self->share_row, _("Starting…"));
  wavry_host_controller_start_async (self->controller, &config, NULL, self->start_cancellable,
                                     start_sharing_cb, g_object_ref (self));
  return TRUE;
}

static void
start_sharing_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WavryHostPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = wavry_host_controller_start_finish (WAVRY_HOST_CONTROLLER (source), result, &error);
  gboolean switched_off = self->start_cancellable == NULL ||
                          g_cancellable_is_cancelled (self->start_cancellable);

  g_clear_object (&self->start_cancellable);
  adw_action_row_set_subtitle (self->share_row, NULL);
  if (!ok && switched_off)
    return;
  if (!ok)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        text = g_strdup (_("Sharing was cancelled: the screen was not chosen."));
      else
        text = g_strdup_printf (_("Cannot share this screen: %s"), error->message);
      g_message ("%s", text);
      toast (self, text);
      set_switch (self, FALSE);
      return;
    }
  if (!gtk_switch_get_active (self->share_switch))
    wavry_host_controller_stop (self->controller);
  show_address (self);
}

static void
on_share_switch_active (GtkSwitch     *share_switch,
                        GParamSpec    *pspec,
                        WavryHostPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating_switch)
    return;

  if (gtk_switch_get_active (share_switch))
    {
      if (!start_sharing (self, &error))
        {
          g_autofree char *text = g_strdup_printf (_("Cannot share this screen: %s"),
                                                   error->message);

          g_warning ("%s", text);
          toast (self, text);
          set_switch (self, FALSE);
          return;
        }
    }
  else
    {
      /* Withdraws the desktop's dialog if it is still up. */
      g_cancellable_cancel (self->start_cancellable);
      g_clear_object (&self->start_cancellable);
      if (self->controller != NULL)
        wavry_host_controller_stop (self->controller);
    }

  show_address (self);
}

static void
wavry_host_page_dispose (GObject *object)
{
  WavryHostPage *self = WAVRY_HOST_PAGE (object);

  g_cancellable_cancel (self->start_cancellable);
  g_clear_object (&self->start_cancellable);
  if (self->controller != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->controller, self);
      wavry_host_controller_stop (self->controller);
    }
  if (self->approval != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->approval)));
  gtk_widget_dispose_template (GTK_WIDGET (object), WAVRY_TYPE_HOST_PAGE);
  g_clear_object (&self->controller);
  g_clear_object (&self->trusted);
  g_clear_object (&self->identity);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (wavry_host_page_parent_class)->dispose (object);
}

static void
wavry_host_page_finalize (GObject *object)
{
  WavryHostPage *self = WAVRY_HOST_PAGE (object);

  g_free (self->shown_id);
  g_strfreev (self->trusted_ids);
  g_hash_table_unref (self->chosen_view_only);

  G_OBJECT_CLASS (wavry_host_page_parent_class)->finalize (object);
}

static void
wavry_host_page_class_init (WavryHostPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wavry_host_page_dispose;
  object_class->finalize = wavry_host_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/dev/wavry/Wavry/wavry-host-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WavryHostPage, page);
  gtk_widget_class_bind_template_child (widget_class, WavryHostPage, share_row);
  gtk_widget_class_bind_template_child (widget_class, WavryHostPage, share_switch);
  gtk_widget_class_bind_template_child (widget_class, WavryHostPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, WavryHostPage, input_row);
  gtk_widget_class_bind_template_child (widget_class, WavryHostPage, id_row);
  gtk_widget_class_bind_template_child (widget_class, WavryHostPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, WavryHostPage, clients_list);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_share_switch_active);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
wavry_host_page_init (WavryHostPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  self->chosen_view_only = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect_object (self->settings, "changed::allow-remote-control",
                           G_CALLBACK (on_allow_remote_control_changed), self, 0);
  g_signal_connect_object (self->settings, "changed::view-only-devices",
                           G_CALLBACK (on_view_only_devices_changed), self, 0);
  g_strfreev (g_settings_get_strv (self->settings, "view-only-devices"));
  /* GSettings only reports changes of keys read since the handler was
   * connected. */
  g_settings_get_boolean (self->settings, "allow-remote-control");
  self->trusted = wavry_trusted_clients_new ();
  g_signal_connect_object (self->settings, "changed::trusted-clients",
                           G_CALLBACK (on_trusted_clients_changed), self, 0);
  load_trusted (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->share_row), FALSE);
}

GtkWidget *
wavry_host_page_new (void)
{
  return g_object_new (WAVRY_TYPE_HOST_PAGE, NULL);
}

void
wavry_host_page_show_identity (WavryHostPage *self,
                               WavryIdentity *identity,
                               const GError  *error)
{
  g_return_if_fail (WAVRY_IS_HOST_PAGE (self));
  g_return_if_fail (identity == NULL || WAVRY_IS_IDENTITY (identity));

  g_clear_pointer (&self->shown_id, g_free);
  g_set_object (&self->identity, identity);

  if (identity == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("This device has no identity yet: %s"),
                                               error ? error->message : _("unknown error"));

      adw_action_row_set_subtitle (self->id_row, text);
      gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->share_row), FALSE);
      return;
    }

  self->shown_id = g_strdup (wavry_identity_get_id (identity));
  adw_action_row_set_subtitle (self->id_row, self->shown_id);
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->share_row), TRUE);
}

const char *
wavry_host_page_get_shown_id (WavryHostPage *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_PAGE (self), NULL);

  return self->shown_id;
}

WavryHostController *
wavry_host_page_get_controller (WavryHostPage *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_PAGE (self), NULL);

  return self->controller;
}

AdwMessageDialog *
wavry_host_page_get_approval_dialog (WavryHostPage *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_PAGE (self), NULL);

  return self->approval;
}
