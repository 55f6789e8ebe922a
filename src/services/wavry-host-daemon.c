/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-deadline-source.h"
#include "wavry-host-daemon.h"
#include "wavry-host-media.h"
#include "wavry-net-address.h"
#include "wavry-rift-host.h"
#include "wavry-udp-transport.h"

/* How long a device whose session the owner ended is kept out. */
#define ENDED_KEEP_OUT_US (60 * G_USEC_PER_SEC)

struct _WavryHostDaemon
{
  GObject              parent_instance;

  WavryIdentity       *identity;
  WavryTrustedClients *trusted;
  char                *device_name;
  guint                max_clients;

  WavryRiftHost       *host;
  WavryUdpTransport   *transport;
  GSource             *timer;
  WavryRiftStats       empty_stats;
  WavryHostMedia      *media;   /* NULL: no video (control-only host) */
  gboolean             ask_untrusted;
  GHashTable          *asked;   /* client IDs announced in "approval-requested" */
  GHashTable          *sessions; /* alias → client ID, while connected */
  GHashTable          *ended;   /* client ID → until when (µs) Disconnect keeps it out */
};

G_DEFINE_FINAL_TYPE (WavryHostDaemon, wavry_host_daemon, G_TYPE_OBJECT)

enum {
  SIGNAL_APPROVAL_REQUESTED,
  SIGNAL_CLIENT_CONNECTED,
  SIGNAL_CLIENT_REFUSED,
  SIGNAL_CLIENT_DISCONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
wavry_host_daemon_dispose (GObject *object)
{
  WavryHostDaemon *self = WAVRY_HOST_DAEMON (object);

  wavry_host_daemon_stop (self);
  g_clear_object (&self->identity);
  g_clear_object (&self->trusted);
  g_clear_object (&self->media);

  G_OBJECT_CLASS (wavry_host_daemon_parent_class)->dispose (object);
}

static void
wavry_host_daemon_finalize (GObject *object)
{
  WavryHostDaemon *self = WAVRY_HOST_DAEMON (object);

  g_free (self->device_name);
  g_clear_pointer (&self->asked, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->ended, g_hash_table_unref);

  G_OBJECT_CLASS (wavry_host_daemon_parent_class)->finalize (object);
}

static void
wavry_host_daemon_class_init (WavryHostDaemonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wavry_host_daemon_dispose;
  object_class->finalize = wavry_host_daemon_finalize;

  /* An untrusted client proved its ID and waits (§4.5) while the owner
   * decides: (client_id, client_name). Answer with
   * wavry_host_daemon_resolve_approval(); the client gives up after 60 s. */
  signals[SIGNAL_APPROVAL_REQUESTED] =
    g_signal_new ("approval-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_CLIENT_CONNECTED] =
    g_signal_new ("client-connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_CLIENT_REFUSED] =
    g_signal_new ("client-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CLIENT_DISCONNECTED] =
    g_signal_new ("client-disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
wavry_host_daemon_init (WavryHostDaemon *self)
{
  self->asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sessions = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->ended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

WavryHostDaemon *
wavry_host_daemon_new (WavryIdentity       *identity,
                       WavryTrustedClients *trusted,
                       const char          *device_name)
{
  WavryHostDaemon *self;

  g_return_val_if_fail (WAVRY_IS_IDENTITY (identity), NULL);
  g_return_val_if_fail (WAVRY_IS_TRUSTED_CLIENTS (trusted), NULL);

  self = g_object_new (WAVRY_TYPE_HOST_DAEMON, NULL);
  self->identity = g_object_ref (identity);
  self->trusted = g_object_ref (trusted);
  self->device_name = g_strdup (device_name ? device_name : g_get_host_name ());

  return self;
}

void
wavry_host_daemon_set_max_clients (WavryHostDaemon *self,
                                   guint            max_clients)
{
  g_return_if_fail (WAVRY_IS_HOST_DAEMON (self));
  g_return_if_fail (self->host == NULL);

  self->max_clients = max_clients;
}

/* Called by the state machine once per completed handshake. */
static WavryRiftAdmission
admit_client (const char *client_id,
              const char *client_name,
              gpointer    user_data)
{
  WavryHostDaemon *self = user_data;

  /* The owner just pressed Disconnect: a client that reconnects by itself
   * is kept out for a while, saying why. */
  if (g_hash_table_contains (self->ended, client_id))
    {
      gint64 until = GPOINTER_TO_SIZE (g_hash_table_lookup (self->ended, client_id));

      if (g_get_monotonic_time () < until)
        return WAVRY_RIFT_ADMISSION_ENDED;
      g_hash_table_remove (self->ended, client_id);
    }

  if (wavry_trusted_clients_contains (self->trusted, client_id))
    return WAVRY_RIFT_ADMISSION_ADMIT;

  if (self->ask_untrusted)
    {
      /* Ask the owner once per client; its retried Hellos get
       * pending_approval until wavry_host_daemon_resolve_approval(). */
      if (!g_hash_table_contains (self->asked, client_id))
        {
          g_hash_table_add (self->asked, g_strdup (client_id));
          g_signal_emit (self, signals[SIGNAL_APPROVAL_REQUESTED], 0, client_id, client_name);
        }
      return WAVRY_RIFT_ADMISSION_ASK;
    }

  /* Say exactly how to let this device in: the owner reads the log. */
  if (wavry_trusted_clients_get_path (self->trusted) != NULL)
    g_message ("Refused device “%s” with Wavry ID %s: not a trusted client. To allow it, "
               "add that ID to %s.", client_name, client_id,
               wavry_trusted_clients_get_path (self->trusted));
  else
    g_message ("Refused device “%s” with Wavry ID %s: not a trusted client. To allow it, "
               "start the host with --allow-client %s.", client_name, client_id, client_id);
  g_signal_emit (self, signals[SIGNAL_CLIENT_REFUSED], 0, client_id);

  return WAVRY_RIFT_ADMISSION_REFUSE;
}

static void
pump (WavryHostDaemon *self)
{
  WavryRiftDatagram *datagram;
  WavryRiftEvent event;
  WavryTime next;

  if (self->host == NULL)
    return;

  while ((datagram = wavry_rift_host_poll_transmit (self->host)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!wavry_udp_transport_send (self->transport, &datagram->addr,
                                     datagram->data, datagram->len, &error))
        g_debug ("send failed: %s", error->message);
      wavry_rift_datagram_free (datagram);
    }

  while (wavry_rift_host_poll_event (self->host, &event))
    {
      switch (event.kind)
        {
        case WAVRY_RIFT_EVENT_CONNECTED:
          g_message ("Client %s connected (session %u)", event.peer_id, event.alias);
          /* One session per device: a client that reconnected (after its
           * path broke, say) replaces its old session at once instead of
           * leaving it to time out (RIFT has no goodbye). */
          {
            g_autoptr(GArray) stale = g_array_new (FALSE, FALSE, sizeof (guint32));
            GHashTableIter iter;
            gpointer alias, id;

            g_hash_table_iter_init (&iter, self->sessions);
            while (g_hash_table_iter_next (&iter, &alias, &id))
              if (g_str_equal (id, event.peer_id))
                {
                  guint32 old_alias = GPOINTER_TO_UINT (alias);

                  g_array_append_val (stale, old_alias);
                }
            for (guint i = 0; i < stale->len; i++)
              wavry_rift_host_disconnect (self->host, g_array_index (stale, guint32, i));
            g_hash_table_insert (self->sessions, GUINT_TO_POINTER (event.alias),
                                 g_strdup (event.peer_id));
          }
          /* A Hello without codecs asks for a control-only session (ping). */
          if (self->media != NULL && event.message != NULL &&
              event.message->content_case == RIFT__MESSAGE__CONTENT_CONTROL &&
              event.message->control->content_case == RIFT__CONTROL_MESSAGE__CONTENT_HELLO &&
              event.message->control->hello->n_supported_codecs > 0)
            wavry_host_media_session_started (self->media, event.alias);
          g_signal_emit (self, signals[SIGNAL_CLIENT_CONNECTED], 0, event.alias, event.peer_id);
          break;
        case WAVRY_RIFT_EVENT_MESSAGE:
          if (self->media != NULL)
            wavry_host_media_handle_message (self->media, event.alias, event.message);
          break;
        case WAVRY_RIFT_EVENT_CLOSED:
          g_hash_table_remove (self->sessions, GUINT_TO_POINTER (event.alias));
          if (self->media != NULL)
            wavry_host_media_session_ended (self->media, event.alias);
          g_message ("Client %s disconnected: %s", event.peer_id,
                     event.error ? event.error->message : "closed");
          g_signal_emit (self, signals[SIGNAL_CLIENT_DISCONNECTED], 0,
                         event.alias, event.peer_id, event.error);
          break;
        case WAVRY_RIFT_EVENT_PENDING_APPROVAL:
        case WAVRY_RIFT_EVENT_PONG:
        case WAVRY_RIFT_EVENT_NONE:
        default:
          break;
        }
      wavry_rift_event_clear (&event);
    }

  next = wavry_rift_host_next_timeout (self->host);
  wavry_deadline_source_set (self->timer, next);
}

static void
on_datagram (WavryUdpTransport   *transport,
             const WavryRiftAddr *from,
             const guint8        *data,
             gsize                len,
             gpointer             user_data)
{
  WavryHostDaemon *self = user_data;

  wavry_rift_host_handle_datagram (self->host, from, data, len, g_get_monotonic_time ());
  pump (self);
}

static gboolean
on_timer (gpointer user_data)
{
  WavryHostDaemon *self = user_data;

  wavry_rift_host_handle_timeout (self->host, g_get_monotonic_time ());
  pump (self);

  return G_SOURCE_CONTINUE;
}

gboolean
wavry_host_daemon_start (WavryHostDaemon     *self,
                         GInetSocketAddress  *address,
                         GError             **error)
{
  WavryRiftHostConfig config = { 0 };
  Rift__Codec codec;

  g_return_val_if_fail (WAVRY_IS_HOST_DAEMON (self), FALSE);
  g_return_val_if_fail (self->host == NULL, FALSE);

  self->transport = wavry_udp_transport_new (address, error);
  if (self->transport == NULL)
    return FALSE;

  config.device_name = self->device_name;
  if (self->media != NULL)
    {
      codec = wavry_host_media_get_codec (self->media);
      config.codecs = &codec;
      config.n_codecs = 1;
      wavry_host_media_get_stream_params (self->media, &config.stream_width, &config.stream_height,
                                          &config.fps, &config.initial_bitrate_kbps,
                                          &config.keyframe_interval_ms);
    }
  config.max_clients = self->max_clients;
  config.admit = admit_client;
  config.admit_data = self;
  self->host = wavry_rift_host_new (self->identity, &config);

  self->timer = wavry_deadline_source_new (on_timer, self, "[wavry] RIFT host timer");

  wavry_udp_transport_set_receive_func (self->transport, on_datagram, self, NULL);
  if (self->media != NULL)
    wavry_host_media_attach (self->media, self->host, self->transport);

  return TRUE;
}

void
wavry_host_daemon_stop (WavryHostDaemon *self)
{
  g_return_if_fail (WAVRY_IS_HOST_DAEMON (self));

  if (self->media != NULL)
    wavry_host_media_detach (self->media);
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  if (self->transport != NULL)
    {
      wavry_udp_transport_close (self->transport);
      g_clear_object (&self->transport);
    }
  g_clear_pointer (&self->host, wavry_rift_host_free);
  if (self->sessions != NULL)
    g_hash_table_remove_all (self->sessions);
}

GInetSocketAddress *
wavry_host_daemon_get_local_address (WavryHostDaemon *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_DAEMON (self), NULL);

  return self->transport ? wavry_udp_transport_get_local_address (self->transport) : NULL;
}

const WavryRiftStats *
wavry_host_daemon_get_stats (WavryHostDaemon *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_DAEMON (self), NULL);

  return self->host ? wavry_rift_host_get_stats (self->host) : &self->empty_stats;
}

guint
wavry_host_daemon_get_n_sessions (WavryHostDaemon *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_DAEMON (self), 0);

  return self->host ? wavry_rift_host_get_n_sessions (self->host) : 0;
}

WavryIdentity *
wavry_host_daemon_get_identity (WavryHostDaemon *self)
{
  return self->identity;
}

char *
wavry_host_daemon_default_key_path (void)
{
  const char *state_directory = g_getenv ("STATE_DIRECTORY");

  /* systemd's StateDirectory= may list several, colon-separated. */
  if (state_directory != NULL && *state_directory != '\0')
    {
      g_auto(GStrv) dirs = g_strsplit (state_directory, ":", 2);

      return g_build_filename (dirs[0], "host.key", NULL);
    }

  return g_build_filename (g_get_user_state_dir (), "wavry", "host.key", NULL);
}

void
wavry_host_daemon_set_media (WavryHostDaemon *self,
                             WavryHostMedia  *media)
{
  g_return_if_fail (WAVRY_IS_HOST_DAEMON (self));
  g_return_if_fail (self->host == NULL);

  g_set_object (&self->media, media);
}

WavryHostMedia *
wavry_host_daemon_get_media (WavryHostDaemon *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_DAEMON (self), NULL);
  return self->media;
}

void
wavry_host_daemon_set_ask_untrusted (WavryHostDaemon *self,
                                     gboolean         ask)
{
  g_return_if_fail (WAVRY_IS_HOST_DAEMON (self));

  self->ask_untrusted = ask;
}

void
wavry_host_daemon_resolve_approval (WavryHostDaemon *self,
                                    const char      *client_id,
                                    gboolean         admit)
{
  g_return_if_fail (WAVRY_IS_HOST_DAEMON (self));
  g_return_if_fail (client_id != NULL);

  g_hash_table_remove (self->asked, client_id);
  if (self->host == NULL)
    return;
  if (!admit)
    g_signal_emit (self, signals[SIGNAL_CLIENT_REFUSED], 0, client_id);
  wavry_rift_host_resolve_approval (self->host, client_id, admit);
  pump (self);
}

void
wavry_host_daemon_disconnect (WavryHostDaemon *self,
                              guint32          alias)
{
  g_return_if_fail (WAVRY_IS_HOST_DAEMON (self));

  if (self->host == NULL)
    return;
  {
    const char *id = g_hash_table_lookup (self->sessions, GUINT_TO_POINTER (alias));

    if (id != NULL)
      g_hash_table_insert (self->ended, g_strdup (id),
                           GSIZE_TO_POINTER (g_get_monotonic_time () + ENDED_KEEP_OUT_US));
  }
  wavry_rift_host_disconnect (self->host, alias);
  pump (self);
}

gint64
wavry_host_daemon_get_client_silence (WavryHostDaemon *self,
                                      guint32          alias)
{
  WavryTime last_rx;

  g_return_val_if_fail (WAVRY_IS_HOST_DAEMON (self), -1);

  if (self->host == NULL || !wavry_rift_host_get_session_last_rx (self->host, alias, &last_rx))
    return -1;
  return MAX (g_get_monotonic_time () - last_rx, 0);
}

gboolean
wavry_host_daemon_get_client_info (WavryHostDaemon  *self,
                                   guint32           alias,
                                   char            **name,
                                   char            **address)
{
  WavryRiftAddr addr;
  const char *client_name = NULL;

  g_return_val_if_fail (WAVRY_IS_HOST_DAEMON (self), FALSE);

  if (self->host == NULL ||
      !wavry_rift_host_get_session_info (self->host, alias, &addr, &client_name))
    return FALSE;
  if (name != NULL)
    *name = g_strdup (client_name != NULL ? client_name : "");
  if (address != NULL)
    *address = wavry_net_rift_addr_to_string (&addr);
  return TRUE;
}
