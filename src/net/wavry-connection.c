/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-connection.h"
#include "wavry-deadline-source.h"
#include "wavry-net-address.h"
#include "wavry-net-error.h"
#include "wavry-udp-transport.h"

struct _WavryConnection
{
  GObject             parent_instance;

  WavryIdentity      *identity;
  char               *device_name;

  WavryRiftClient    *client;
  WavryUdpTransport  *transport;
  WavryRiftAddr       server;
  GSource            *timer;

  GTask              *connect_task;
  GTask              *ping_task;
  guint64             ping_timestamp;
  GSource            *ping_timeout;

  gint64              started_at;
  gint64              handshake_us;
  WavryRiftStats      empty_stats;

  Rift__Codec        *codecs;       /* offered in Hello; none = a control-only session */
  gsize               n_codecs;
  guint               max_width, max_height;
  WavryConnectionEventFunc event_func;
  gpointer            event_data;
  WavryRiftClientState last_state;   /* for "state-changed" */
};

G_DEFINE_FINAL_TYPE (WavryConnection, wavry_connection, G_TYPE_OBJECT)

enum {
  SIGNAL_STATE_CHANGED,
  SIGNAL_PENDING_APPROVAL,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void pump (WavryConnection *self);

static void
wavry_connection_dispose (GObject *object)
{
  WavryConnection *self = WAVRY_CONNECTION (object);

  wavry_connection_close (self);
  g_clear_object (&self->identity);

  G_OBJECT_CLASS (wavry_connection_parent_class)->dispose (object);
}

static void
wavry_connection_finalize (GObject *object)
{
  WavryConnection *self = WAVRY_CONNECTION (object);

  g_assert (self->connect_task == NULL);
  g_assert (self->ping_task == NULL);
  g_clear_pointer (&self->client, wavry_rift_client_free);
  g_free (self->device_name);
  g_free (self->codecs);

  G_OBJECT_CLASS (wavry_connection_parent_class)->finalize (object);
}

static void
wavry_connection_class_init (WavryConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wavry_connection_dispose;
  object_class->finalize = wavry_connection_finalize;

  /* The connection moved to another stage (WavryRiftClientState): the
   * "connecting…" progress of the GUI: handshake (AWAIT_MSG2), negotiating
   * (AWAIT_HELLO_ACK), waiting for approval, connected, closed. */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_PENDING_APPROVAL] =
    g_signal_new ("pending-approval", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
wavry_connection_init (WavryConnection *self)
{
}

WavryConnection *
wavry_connection_new (WavryIdentity *identity,
                      const char    *device_name)
{
  WavryConnection *self;

  g_return_val_if_fail (WAVRY_IS_IDENTITY (identity), NULL);
  g_return_val_if_fail (wavry_identity_has_secret (identity), NULL);

  self = g_object_new (WAVRY_TYPE_CONNECTION, NULL);
  self->identity = g_object_ref (identity);
  self->device_name = g_strdup (device_name ? device_name : g_get_host_name ());

  return self;
}

static void
complete_ping (WavryConnection *self,
               gint64           rtt_us,
               GError          *error)
{
  GTask *task = g_steal_pointer (&self->ping_task);

  if (self->ping_timeout != NULL)
    {
      g_source_destroy (self->ping_timeout);
      g_clear_pointer (&self->ping_timeout, g_source_unref);
    }
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, rtt_us);
  g_object_unref (task);
}

static void
handle_event (WavryConnection *self,
              WavryRiftEvent  *event)
{
  switch (event->kind)
    {
    case WAVRY_RIFT_EVENT_CONNECTED:
      self->handshake_us = g_get_monotonic_time () - self->started_at;
      if (self->connect_task != NULL)
        {
          GTask *task = g_steal_pointer (&self->connect_task);

          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
        }
      break;

    case WAVRY_RIFT_EVENT_PENDING_APPROVAL:
      g_signal_emit (self, signals[SIGNAL_PENDING_APPROVAL], 0);
      break;

    case WAVRY_RIFT_EVENT_PONG:
      if (self->event_func != NULL)
        self->event_func (self, event, self->event_data);
      if (self->ping_task != NULL && event->message != NULL &&
          event->message->control->pong->timestamp_us == self->ping_timestamp)
        complete_ping (self, event->rtt_us, NULL);
      break;

    case WAVRY_RIFT_EVENT_CLOSED:
      if (self->connect_task != NULL)
        {
          GTask *task = g_steal_pointer (&self->connect_task);

          g_task_return_error (task, g_error_copy (event->error));
          g_object_unref (task);
        }
      else
        g_signal_emit (self, signals[SIGNAL_CLOSED], 0, event->error);
      complete_ping (self, -1, g_error_copy (event->error));
      break;

    case WAVRY_RIFT_EVENT_MESSAGE:
      if (self->event_func != NULL)
        self->event_func (self, event, self->event_data);
      break;

    case WAVRY_RIFT_EVENT_NONE:
    default:
      break;
    }
}

/* Sends what the state machine queued, reports its events and re-arms the
 * timer. Runs on the connection's main context. */
static void
pump (WavryConnection *self)
{
  WavryRiftDatagram *datagram;
  WavryRiftEvent event;
  WavryTime next;

  if (self->client == NULL)
    return;

  g_object_ref (self);

  while ((datagram = wavry_rift_client_poll_transmit (self->client)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (self->transport != NULL &&
          !wavry_udp_transport_send (self->transport, &self->server,
                                     datagram->data, datagram->len, &error))
        g_debug ("send failed: %s", error->message);
      wavry_rift_datagram_free (datagram);
    }

  while (self->client != NULL && wavry_rift_client_poll_event (self->client, &event))
    {
      handle_event (self, &event);
      wavry_rift_event_clear (&event);
    }

  if (self->timer != NULL && self->client != NULL)
    {
      next = wavry_rift_client_next_timeout (self->client);
      wavry_deadline_source_set (self->timer, next);
    }

  if (self->client != NULL && wavry_rift_client_get_state (self->client) != self->last_state)
    {
      self->last_state = wavry_rift_client_get_state (self->client);
      g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, (int) self->last_state);
    }

  g_object_unref (self);
}

static void
on_datagram (WavryUdpTransport   *transport,
             const WavryRiftAddr *from,
             const guint8        *data,
             gsize                len,
             gpointer             user_data)
{
  WavryConnection *self = user_data;

  /* Only the host we dialled may talk to us. */
  if (!wavry_rift_addr_equal (from, &self->server) || self->client == NULL)
    return;

  wavry_rift_client_handle_datagram (self->client, data, len, g_get_monotonic_time ());
  pump (self);
}

static gboolean
on_timer (gpointer user_data)
{
  WavryConnection *self = user_data;

  if (self->client != NULL)
    wavry_rift_client_handle_timeout (self->client, g_get_monotonic_time ());
  pump (self);

  return G_SOURCE_CONTINUE;
}

static void
on_connect_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  WavryConnection *self = user_data;

  if (self->connect_task != NULL)
    {
      GTask *task = g_steal_pointer (&self->connect_task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "Connecting was cancelled");
      g_object_unref (task);
      wavry_connection_close (self);
    }
}

void
wavry_connection_connect_async (WavryConnection     *self,
                                GInetSocketAddress  *address,
                                const char          *expected_host_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GInetAddress) any = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  WavryRiftClientConfig config = { 0 };

  g_return_if_fail (WAVRY_IS_CONNECTION (self));
  g_return_if_fail (G_IS_INET_SOCKET_ADDRESS (address));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wavry_connection_connect_async);

  if (self->client != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               "This connection was already used");
      return;
    }

  if (expected_host_id != NULL && !wavry_id_decode (expected_host_id, (guint8[32]) { 0 }, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  any = g_inet_address_new_any (g_socket_address_get_family (G_SOCKET_ADDRESS (address)));
  local = g_inet_socket_address_new (any, 0);
  self->transport = wavry_udp_transport_new (G_INET_SOCKET_ADDRESS (local), &error);
  if (self->transport == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  wavry_udp_transport_set_receive_func (self->transport, on_datagram, self, NULL);
  wavry_net_address_to_rift (G_SOCKET_ADDRESS (address), &self->server);

  config.device_name = self->device_name;
  config.expected_host_id = expected_host_id;
  config.codecs = self->codecs;
  config.n_codecs = self->n_codecs;
  config.max_width = self->max_width;
  config.max_height = self->max_height;
  config.keepalive = TRUE;
  self->client = wavry_rift_client_new (self->identity, &config);

  self->timer = wavry_deadline_source_new (on_timer, self, "[wavry] RIFT client timer");

  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (on_connect_cancelled), self, NULL);

  self->connect_task = g_steal_pointer (&task);
  self->started_at = g_get_monotonic_time ();
  wavry_rift_client_start (self->client, self->started_at);
  pump (self);
}

gboolean
wavry_connection_connect_finish (WavryConnection  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (WAVRY_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
on_ping_timeout (gpointer user_data)
{
  WavryConnection *self = user_data;

  g_clear_pointer (&self->ping_timeout, g_source_unref);
  complete_ping (self, -1, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                                "No answer to ping"));

  return G_SOURCE_REMOVE;
}

void
wavry_connection_ping_async (WavryConnection     *self,
                             guint                timeout_ms,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gint64 now;

  g_return_if_fail (WAVRY_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wavry_connection_ping_async);

  if (self->ping_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "A ping is already in flight");
      return;
    }

  now = g_get_monotonic_time ();
  if (self->client == NULL || !wavry_rift_client_send_ping (self->client, now))
    {
      g_task_return_new_error (task, WAVRY_NET_ERROR, WAVRY_NET_ERROR_FAILED,
                               "Not connected");
      return;
    }

  self->ping_timestamp = now;
  self->ping_task = g_steal_pointer (&task);
  self->ping_timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (self->ping_timeout, on_ping_timeout, self, NULL);
  g_source_attach (self->ping_timeout, g_main_context_get_thread_default ());
  pump (self);
}

gint64
wavry_connection_ping_finish (WavryConnection  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (WAVRY_IS_CONNECTION (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

void
wavry_connection_close (WavryConnection *self)
{
  g_return_if_fail (WAVRY_IS_CONNECTION (self));

  if (self->connect_task != NULL)
    {
      GTask *task = g_steal_pointer (&self->connect_task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Connection closed");
      g_object_unref (task);
    }
  complete_ping (self, -1, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                "Connection closed"));

  if (self->client != NULL)
    wavry_rift_client_close (self->client);
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
}

const char *
wavry_connection_get_host_id (WavryConnection *self)
{
  g_return_val_if_fail (WAVRY_IS_CONNECTION (self), NULL);

  return self->client ? wavry_rift_client_get_host_id (self->client) : NULL;
}

WavryRiftClientState
wavry_connection_get_state (WavryConnection *self)
{
  g_return_val_if_fail (WAVRY_IS_CONNECTION (self), WAVRY_RIFT_CLIENT_STATE_CLOSED);

  return self->client ? wavry_rift_client_get_state (self->client) : WAVRY_RIFT_CLIENT_STATE_IDLE;
}

const WavryRiftStats *
wavry_connection_get_stats (WavryConnection *self)
{
  g_return_val_if_fail (WAVRY_IS_CONNECTION (self), NULL);

  return self->client ? wavry_rift_client_get_stats (self->client) : &self->empty_stats;
}

gint64
wavry_connection_get_handshake_us (WavryConnection *self)
{
  return self->handshake_us;
}

void
wavry_connection_set_codecs (WavryConnection   *self,
                             const Rift__Codec *codecs,
                             gsize              n_codecs)
{
  g_return_if_fail (WAVRY_IS_CONNECTION (self));
  g_return_if_fail (self->client == NULL);

  g_clear_pointer (&self->codecs, g_free);
  self->codecs = n_codecs > 0 ? g_memdup2 (codecs, n_codecs * sizeof *codecs) : NULL;
  self->n_codecs = n_codecs;
}

void
wavry_connection_set_max_resolution (WavryConnection *self,
                                     guint            width,
                                     guint            height)
{
  g_return_if_fail (WAVRY_IS_CONNECTION (self));

  self->max_width = width;
  self->max_height = height;
}

void
wavry_connection_set_event_func (WavryConnection          *self,
                                 WavryConnectionEventFunc  func,
                                 gpointer                  user_data)
{
  g_return_if_fail (WAVRY_IS_CONNECTION (self));

  self->event_func = func;
  self->event_data = user_data;
}

gboolean
wavry_connection_send (WavryConnection     *self,
                       const Rift__Message *message)
{
  gboolean ok;

  g_return_val_if_fail (WAVRY_IS_CONNECTION (self), FALSE);

  if (self->client == NULL)
    return FALSE;
  ok = wavry_rift_client_send (self->client, message, g_get_monotonic_time ());
  pump (self);
  return ok;
}

gint64
wavry_connection_get_silence (WavryConnection *self)
{
  g_return_val_if_fail (WAVRY_IS_CONNECTION (self), -1);

  if (self->client == NULL ||
      wavry_rift_client_get_state (self->client) != WAVRY_RIFT_CLIENT_STATE_ESTABLISHED)
    return -1;
  return MAX (g_get_monotonic_time () - wavry_rift_client_get_last_rx (self->client), 0);
}

const Rift__HelloAck *
wavry_connection_get_hello_ack (WavryConnection *self)
{
  g_return_val_if_fail (WAVRY_IS_CONNECTION (self), NULL);

  return self->client != NULL ? wavry_rift_client_get_hello_ack (self->client) : NULL;
}
