/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-client-input-sink.h"
#include "wavry-connect-page.h"
#include "wavry-error.h"
#include "wavry-stream-window.h"

/* The Connect page: hosts discovered on the local network (mDNS, live),
 * "Connect to Address" and the recent connections. Connecting shows its
 * stage and can be cancelled; the host's ID is checked against the one
 * mDNS announced or the one pinned on first use (WavryClientSession); a
 * stream window opens when connected. */
struct _WavryConnectPage
{
  GtkWidget           parent_instance;

  AdwPreferencesPage *page;
  AdwPreferencesGroup *progress_group;
  AdwActionRow       *progress_row;
  GtkSpinner         *spinner;
  GtkButton          *cancel_button;
  GtkButton          *forget_button;
  char               *mismatch_address;   /* the address whose pin was contradicted */
  GtkListBox         *hosts_list;
  AdwStatusPage      *empty_status;
  AdwEntryRow        *address_row;
  AdwEntryRow        *expected_id_row;
  GtkButton          *connect_button;
  AdwPreferencesGroup *recent_group;
  GtkListBox         *recent_list;

  WavryIdentity      *identity;
  WavryKnownHosts    *known_hosts;
  WavryMdnsBrowser   *browser;
  GCancellable       *cancellable;
  WavryClientSession *pending;     /* connecting */
  WavryClientSession *session;     /* of the stream window */
  WavryStreamWindow  *stream_window;
  char               *pending_name;

  /* Keeping the stream window's session alive (see begin_reconnect()). */
  char               *session_address;
  char               *session_host_id;
  guint               watch_id;
  WavryClientSession *reconnecting;
  GCancellable       *reconnect_cancellable;
  gint64              reconnect_until;
  guint               retry_id;
};

/* The host answers Pings every 500 ms (RIFT has no goodbye): this much
 * silence means the path or the host went away. */
#define SILENCE_BEFORE_RECONNECT_US (3 * G_USEC_PER_SEC)
/* How long the stream window tries to get its host back. */
#define RECONNECT_FOR_US            (60 * G_USEC_PER_SEC)
#define RECONNECT_RETRY_MS          1000

G_DEFINE_FINAL_TYPE (WavryConnectPage, wavry_connect_page, GTK_TYPE_WIDGET)

static void
toast (WavryConnectPage *self,
       const char       *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
show_progress (WavryConnectPage *self,
               const char       *title,
               const char       *subtitle,
               gboolean          busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress_group), title != NULL);
  if (title == NULL)
    return;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->progress_row), title);
  adw_action_row_set_subtitle (self->progress_row, subtitle != NULL ? subtitle : "");
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->forget_button), FALSE);
}

static void
on_frame (WavryVideoFrame *frame,
          gpointer         user_data)
{
  /* decode thread → the presenter keeps the newest (thread-safe) */
  wavry_gl_presenter_push_frame (user_data, frame);
}

/* The presenter says whether it can import DMA-BUFs (and says so again
 * when an import fails): the decoder follows, so the fallback to frames in
 * memory needs nobody. */
static void
on_dmabuf_import (WavryConnectPage *self)
{
  WavryGlPresenter *presenter;

  if (self->session == NULL || self->stream_window == NULL)
    return;
  presenter = wavry_stream_window_get_presenter (self->stream_window);
  wavry_client_media_set_dmabuf_output (wavry_client_session_get_media (self->session),
                                        wavry_gl_presenter_get_dmabuf_import (presenter));
}

static void
stop_reconnecting (WavryConnectPage *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->reconnect_cancellable != NULL)
    g_cancellable_cancel (self->reconnect_cancellable);
  g_clear_object (&self->reconnect_cancellable);
  g_clear_object (&self->reconnecting);
}

static void
end_session (WavryConnectPage *self)
{
  g_clear_handle_id (&self->watch_id, g_source_remove);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      /* frames stop before the window goes */
      wavry_client_session_close (self->session);
      g_clear_object (&self->session);
    }
}

static void
on_stream_window_destroy (GtkWidget        *window,
                          WavryConnectPage *self)
{
  if (self->stream_window == WAVRY_STREAM_WINDOW (window))
    self->stream_window = NULL;
}

static gboolean
on_stream_window_close (GtkWindow        *window,
                        WavryConnectPage *self)
{
  if (self->stream_window == WAVRY_STREAM_WINDOW (window))
    {
      wavry_stream_window_set_stats_source (self->stream_window, NULL);
      wavry_stream_window_set_input_sink (self->stream_window, NULL);
      stop_reconnecting (self);
      end_session (self);
    }
  return FALSE;
}

static void begin_reconnect (WavryConnectPage *self);

static void
on_session_closed (WavryClientSession *session,
                   const GError       *error,
                   WavryConnectPage   *self)
{
  g_autofree char *text = NULL;

  /* Lost rather than refused: get the host back in the same window. */
  if (self->stream_window != NULL && !g_error_matches (error, WAVRY_RIFT_ERROR,
                                                       WAVRY_RIFT_ERROR_REFUSED))
    {
      begin_reconnect (self);
      return;
    }
  text = g_strdup_printf (_("The connection ended: %s"),
                          error != NULL ? error->message : _("closed by the host"));
  toast (self, text);
  if (self->stream_window != NULL)
    gtk_window_close (GTK_WINDOW (self->stream_window));
}

/* Every 500 ms while streaming: seconds without a word from the host mean
 * the path or the host went away, long before RIFT's own 30 s timeout. */
static gboolean
watch_session (gpointer user_data)
{
  WavryConnectPage *self = user_data;
  WavryConnection *connection;

  if (self->session == NULL)
    {
      self->watch_id = 0;
      return G_SOURCE_REMOVE;
    }
  connection = wavry_client_session_get_connection (self->session);
  if (connection != NULL && wavry_connection_get_silence (connection) >= SILENCE_BEFORE_RECONNECT_US)
    {
      self->watch_id = 0;
      begin_reconnect (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Shows @session in the stream window: its picture, statistics and input. */
static void
attach_session (WavryConnectPage   *self,
                WavryClientSession *session)
{
  g_autoptr(WavryInputSink) sink = NULL;
  WavryConnection *connection = wavry_client_session_get_connection (session);

  self->session = session;
  g_signal_connect (self->session, "closed", G_CALLBACK (on_session_closed), self);
  g_free (self->session_address);
  self->session_address = g_strdup (wavry_client_session_get_address (session));
  g_free (self->session_host_id);
  self->session_host_id = g_strdup (connection != NULL ? wavry_connection_get_host_id (connection)
                                                       : NULL);
  wavry_client_media_set_frame_func (wavry_client_session_get_media (self->session), on_frame,
                                     wavry_stream_window_get_presenter (self->stream_window));
  on_dmabuf_import (self);
  wavry_stream_window_set_stats_source (self->stream_window,
                                        wavry_client_session_get_media (self->session));
  sink = wavry_client_input_sink_new (wavry_client_session_get_media (self->session));
  wavry_stream_window_set_input_sink (self->stream_window, sink);
  self->watch_id = g_timeout_add (500, watch_session, self);
}

static void try_reconnect (WavryConnectPage *self);

static gboolean
retry_reconnect (gpointer user_data)
{
  WavryConnectPage *self = user_data;

  self->retry_id = 0;
  try_reconnect (self);
  return G_SOURCE_REMOVE;
}

static void
give_up_reconnecting (WavryConnectPage *self,
                      const char       *reason)
{
  g_autofree char *text = g_strdup_printf (_("The connection ended: %s"), reason);

  stop_reconnecting (self);
  toast (self, text);
  if (self->stream_window != NULL)
    {
      wavry_stream_window_set_status (self->stream_window, NULL);
      gtk_window_close (GTK_WINDOW (self->stream_window));
    }
}

static void
reconnect_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WavryConnectPage) self = user_data;
  WavryClientSession *session = WAVRY_CLIENT_SESSION (source);
  g_autoptr(GError) error = NULL;
  gboolean ok = wavry_client_session_connect_finish (session, result, &error);

  if (session != self->reconnecting)
    return;   /* given up, or the window closed */
  if (ok)
    {
      g_clear_object (&self->reconnect_cancellable);
      attach_session (self, g_steal_pointer (&self->reconnecting));
      wavry_stream_window_set_status (self->stream_window, NULL);
      return;
    }
  g_clear_object (&self->reconnecting);
  /* Refused (the owner ended the session, or no longer trusts this
   * device) or another computer at the address: no use trying again. */
  if (g_error_matches (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_REFUSED) ||
      g_error_matches (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_IDENTITY_MISMATCH) ||
      g_get_monotonic_time () >= self->reconnect_until)
    {
      give_up_reconnecting (self, error->message);
      return;
    }
  self->retry_id = g_timeout_add (RECONNECT_RETRY_MS, retry_reconnect, self);
}

static void
try_reconnect (WavryConnectPage *self)
{
  if (self->reconnect_cancellable == NULL)
    self->reconnect_cancellable = g_cancellable_new ();
  self->reconnecting = wavry_client_session_new (self->identity, self->known_hosts);
  wavry_client_session_connect_async (self->reconnecting, self->session_address,
                                      self->session_host_id, NULL, self->reconnect_cancellable,
                                      reconnect_cb, g_object_ref (self));
}

/* The host went silent: the stream window keeps its last picture, says it
 * is reconnecting, and gets the same host (same address, same proven ID)
 * back for up to a minute. The host replaces the old session. */
static void
begin_reconnect (WavryConnectPage *self)
{
  if (self->reconnecting != NULL || self->retry_id != 0)
    return;
  if (self->stream_window == NULL || self->session_address == NULL)
    {
      end_session (self);
      return;
    }
  wavry_stream_window_set_status (self->stream_window, _("Connection lost. Reconnecting…"));
  wavry_stream_window_set_stats_source (self->stream_window, NULL);
  wavry_stream_window_set_input_sink (self->stream_window, NULL);
  end_session (self);
  self->reconnect_until = g_get_monotonic_time () + RECONNECT_FOR_US;
  try_reconnect (self);
}

static void
refresh_recent (WavryConnectPage *self);

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  WavryConnectPage *self = user_data;
  WavryClientSession *session = WAVRY_CLIENT_SESSION (source);
  g_autoptr(GError) error = NULL;
  GtkApplication *app;
  GtkRoot *root;

  if (!wavry_client_session_connect_finish (session, result, &error))
    {
      if (session == self->pending)
        g_clear_object (&self->pending);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_progress (self, NULL, NULL, FALSE);
      else
        {
          show_progress (self, _("Could not connect"), error->message, FALSE);
          toast (self, error->message);
          /* a different computer at a pinned address: the owner may confirm
           * a new identity; the user can then forget the old one */
          if (g_error_matches (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_IDENTITY_MISMATCH) &&
              self->known_hosts != NULL)
            {
              g_free (self->mismatch_address);
              self->mismatch_address = g_strdup (wavry_client_session_get_address (session));
              gtk_widget_set_visible (GTK_WIDGET (self->forget_button), TRUE);
            }
        }
      g_object_unref (self);
      return;
    }

  show_progress (self, NULL, NULL, FALSE);
  stop_reconnecting (self);
  end_session (self);
  if (self->stream_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->stream_window));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  self->stream_window = wavry_stream_window_new (app, self->pending_name != NULL
                                                        ? self->pending_name
                                                        : wavry_client_session_get_address (session));
  g_signal_connect_object (wavry_stream_window_get_presenter (self->stream_window),
                           "notify::dmabuf-import", G_CALLBACK (on_dmabuf_import), self,
                           G_CONNECT_SWAPPED);
  attach_session (self, g_steal_pointer (&self->pending));
  g_signal_connect (self->stream_window, "close-request", G_CALLBACK (on_stream_window_close), self);
  g_signal_connect (self->stream_window, "destroy", G_CALLBACK (on_stream_window_destroy), self);
  gtk_window_present (GTK_WINDOW (self->stream_window));
  refresh_recent (self);
  g_object_unref (self);
}

static void
on_stage (WavryClientSession *session,
          const char         *text,
          WavryConnectPage   *self)
{
  if (session == self->pending)
    show_progress (self, self->pending_name, text, TRUE);
}

void
wavry_connect_page_connect (WavryConnectPage *self,
                            const char       *address,
                            const char       *expected_id,
                            const char       *host_name)
{
  g_return_if_fail (WAVRY_IS_CONNECT_PAGE (self));
  g_return_if_fail (address != NULL);

  if (self->identity == NULL)
    {
      toast (self, _("This device has no identity yet, so it cannot connect."));
      return;
    }

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pending);
  self->cancellable = g_cancellable_new ();

  g_free (self->pending_name);
  self->pending_name = g_strdup_printf (_("Connecting to %s"),
                                        host_name != NULL && *host_name ? host_name : address);
  self->pending = wavry_client_session_new (self->identity, self->known_hosts);
  g_signal_connect (self->pending, "stage", G_CALLBACK (on_stage), self);
  show_progress (self, self->pending_name, _("Starting…"), TRUE);
  g_free (self->pending_name);
  self->pending_name = g_strdup (host_name != NULL && *host_name ? host_name : address);
  wavry_client_session_connect_async (self->pending, address, expected_id, host_name,
                                      self->cancellable, connect_cb, g_object_ref (self));
}

static void
on_cancel_clicked (GtkButton        *button,
                   WavryConnectPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  show_progress (self, NULL, NULL, FALSE);
}

static void
on_forget_clicked (GtkButton        *button,
                   WavryConnectPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->mismatch_address == NULL || self->known_hosts == NULL)
    return;
  if (!wavry_known_hosts_forget (self->known_hosts, self->mismatch_address, &error))
    toast (self, error->message);
  else
    {
      g_autofree char *text = g_strdup_printf (_("Forgot the identity of %s. The next connection "
                                                 "remembers the one it proves."),
                                               self->mismatch_address);

      toast (self, text);
      show_progress (self, NULL, NULL, FALSE);
      refresh_recent (self);
    }
  g_clear_pointer (&self->mismatch_address, g_free);
}

static void
on_connect_clicked (GtkWidget        *widget,
                    WavryConnectPage *self)
{
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));
  g_autofree char *expected = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->expected_id_row))));

  if (*address == '\0')
    {
      toast (self, _("Type the host’s address, for example 192.0.2.10:7878."));
      gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
      return;
    }
  wavry_connect_page_connect (self, address, *expected ? expected : NULL, NULL);
}

static GtkWidget *
create_host_row (gpointer item,
                 gpointer user_data)
{
  WavryPeer *peer = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *address = wavry_peer_dup_connect_address (peer);
  g_autofree char *subtitle = g_strdup_printf (_("%s · ID %s…"), address,
                                               wavry_peer_get_short_id (peer));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), wavry_peer_get_name (peer));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "wavry-peer", g_object_ref (peer), g_object_unref);
  return row;
}

static void
on_host_activated (GtkListBox       *list,
                   GtkListBoxRow    *row,
                   WavryConnectPage *self)
{
  WavryPeer *peer = g_object_get_data (G_OBJECT (row), "wavry-peer");
  g_autofree char *address = NULL;

  if (peer == NULL)
    return;
  address = wavry_peer_dup_connect_address (peer);
  /* the ID mDNS announced is the one the host must prove */
  wavry_connect_page_connect (self, address, wavry_peer_get_wavry_id (peer),
                              wavry_peer_get_name (peer));
}

static void
on_recent_activated (GtkListBox       *list,
                     GtkListBoxRow    *row,
                     WavryConnectPage *self)
{
  const char *address = g_object_get_data (G_OBJECT (row), "wavry-address");
  const char *name = g_object_get_data (G_OBJECT (row), "wavry-name");

  if (address != NULL)
    wavry_connect_page_connect (self, address, NULL, name);
}

static void
refresh_recent (WavryConnectPage *self)
{
  g_autoptr(GPtrArray) recent = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);
  if (self->known_hosts == NULL)
    return;

  recent = wavry_known_hosts_list_recent (self->known_hosts, 5);
  for (guint i = 0; i < recent->len; i++)
    {
      WavryKnownHost *host = g_ptr_array_index (recent, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *short_id = g_strndup (host->wavry_id, 8);
      g_autofree char *subtitle = g_strdup_printf (_("%s · ID %s…"), host->address, short_id);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     host->name != NULL ? host->name : host->address);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "wavry-address", g_strdup (host->address), g_free);
      g_object_set_data_full (G_OBJECT (row), "wavry-name", g_strdup (host->name), g_free);
      gtk_list_box_append (self->recent_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), recent->len > 0);
}

static void
on_browser_failed (WavryMdnsBrowser *browser,
                   const GError     *error,
                   WavryConnectPage *self)
{
  g_autofree char *text = g_strdup_printf (_("Wavry cannot look for hosts on this network: %s "
                                             "You can still connect by address."),
                                           error->message);

  g_message ("%s", text);
  adw_status_page_set_description (self->empty_status, text);
}

static void
start_browsing (WavryConnectPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->browser != NULL)
    return;
  self->browser = wavry_mdns_browser_new ();
  g_signal_connect (self->browser, "failed", G_CALLBACK (on_browser_failed), self);
  gtk_list_box_bind_model (self->hosts_list, wavry_mdns_browser_get_peers (self->browser),
                           create_host_row, self, NULL);
  if (!wavry_mdns_browser_start (self->browser, &error))
    on_browser_failed (self->browser, error, self);
}

static void
wavry_connect_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (wavry_connect_page_parent_class)->map (widget);
  start_browsing (WAVRY_CONNECT_PAGE (widget));
}

static void
wavry_connect_page_dispose (GObject *object)
{
  WavryConnectPage *self = WAVRY_CONNECT_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pending);
  stop_reconnecting (self);
  end_session (self);
  if (self->stream_window != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->stream_window)));
  if (self->browser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->browser, self);
      wavry_mdns_browser_stop (self->browser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), WAVRY_TYPE_CONNECT_PAGE);
  g_clear_object (&self->browser);
  g_clear_object (&self->known_hosts);
  g_clear_object (&self->identity);

  G_OBJECT_CLASS (wavry_connect_page_parent_class)->dispose (object);
}

static void
wavry_connect_page_finalize (GObject *object)
{
  g_free (WAVRY_CONNECT_PAGE (object)->pending_name);
  g_free (WAVRY_CONNECT_PAGE (object)->mismatch_address);
  g_free (WAVRY_CONNECT_PAGE (object)->session_address);
  g_free (WAVRY_CONNECT_PAGE (object)->session_host_id);

  G_OBJECT_CLASS (wavry_connect_page_parent_class)->finalize (object);
}

static void
wavry_connect_page_class_init (WavryConnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wavry_connect_page_dispose;
  object_class->finalize = wavry_connect_page_finalize;
  widget_class->map = wavry_connect_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/dev/wavry/Wavry/wavry-connect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, page);
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, progress_group);
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, progress_row);
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, forget_button);
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, hosts_list);
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, expected_id_row);
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, recent_list);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_forget_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_host_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_recent_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
wavry_connect_page_init (WavryConnectPage *self)
{
  g_autoptr(GError) error = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->known_hosts = wavry_known_hosts_new (NULL, &error);
  if (self->known_hosts == NULL)
    g_warning ("%s", error->message);
  refresh_recent (self);
}

GtkWidget *
wavry_connect_page_new (void)
{
  return g_object_new (WAVRY_TYPE_CONNECT_PAGE, NULL);
}

void
wavry_connect_page_set_identity (WavryConnectPage *self,
                                 WavryIdentity    *identity)
{
  g_return_if_fail (WAVRY_IS_CONNECT_PAGE (self));

  g_set_object (&self->identity, identity);
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button), identity != NULL);
}

WavryMdnsBrowser *
wavry_connect_page_get_browser (WavryConnectPage *self)
{
  g_return_val_if_fail (WAVRY_IS_CONNECT_PAGE (self), NULL);
  return self->browser;
}

WavryClientSession *
wavry_connect_page_get_session (WavryConnectPage *self)
{
  g_return_val_if_fail (WAVRY_IS_CONNECT_PAGE (self), NULL);
  return self->session;
}

GtkWindow *
wavry_connect_page_get_stream_window (WavryConnectPage *self)
{
  g_return_val_if_fail (WAVRY_IS_CONNECT_PAGE (self), NULL);
  return self->stream_window != NULL ? GTK_WINDOW (self->stream_window) : NULL;
}
