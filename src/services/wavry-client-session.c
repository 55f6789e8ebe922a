/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-client-session.h"
#include "wavry-net-address.h"

struct _WavryClientSession
{
  GObject           parent_instance;

  WavryIdentity    *identity;
  WavryKnownHosts  *known_hosts;
  char             *address;
  char             *expected_id;
  char             *host_name;
  WavryConnection  *connection;
  WavryClientMedia *media;
};

enum {
  SIGNAL_STAGE,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (WavryClientSession, wavry_client_session, G_TYPE_OBJECT)

static void
wavry_client_session_dispose (GObject *object)
{
  WavryClientSession *self = WAVRY_CLIENT_SESSION (object);

  wavry_client_session_close (self);
  g_clear_object (&self->identity);
  g_clear_object (&self->known_hosts);

  G_OBJECT_CLASS (wavry_client_session_parent_class)->dispose (object);
}

static void
wavry_client_session_finalize (GObject *object)
{
  WavryClientSession *self = WAVRY_CLIENT_SESSION (object);

  g_free (self->address);
  g_free (self->expected_id);
  g_free (self->host_name);

  G_OBJECT_CLASS (wavry_client_session_parent_class)->finalize (object);
}

static void
wavry_client_session_class_init (WavryClientSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wavry_client_session_dispose;
  object_class->finalize = wavry_client_session_finalize;

  signals[SIGNAL_STAGE] =
    g_signal_new ("stage", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
wavry_client_session_init (WavryClientSession *self)
{
}

WavryClientSession *
wavry_client_session_new (WavryIdentity   *identity,
                          WavryKnownHosts *known_hosts)
{
  WavryClientSession *self;

  g_return_val_if_fail (WAVRY_IS_IDENTITY (identity), NULL);

  self = g_object_new (WAVRY_TYPE_CLIENT_SESSION, NULL);
  self->identity = g_object_ref (identity);
  if (known_hosts != NULL)
    self->known_hosts = g_object_ref (known_hosts);
  return self;
}

static void
stage (WavryClientSession *self,
       const char         *text)
{
  g_signal_emit (self, signals[SIGNAL_STAGE], 0, text);
}

static void
on_state_changed (WavryConnection    *connection,
                  int                 state,
                  WavryClientSession *self)
{
  switch ((WavryRiftClientState) state)
    {
    case WAVRY_RIFT_CLIENT_STATE_AWAIT_MSG2:
      stage (self, _("Checking the host’s identity…"));
      break;
    case WAVRY_RIFT_CLIENT_STATE_AWAIT_HELLO_ACK:
      stage (self, _("Negotiating the stream…"));
      break;
    case WAVRY_RIFT_CLIENT_STATE_PENDING_APPROVAL:
      stage (self, _("Waiting for the host’s owner to allow this device…"));
      break;
    case WAVRY_RIFT_CLIENT_STATE_ESTABLISHED:
    case WAVRY_RIFT_CLIENT_STATE_IDLE:
    case WAVRY_RIFT_CLIENT_STATE_CLOSED:
    default:
      break;
    }
}

static void
on_closed (WavryConnection    *connection,
           const GError       *error,
           WavryClientSession *self)
{
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WavryClientSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  WavryClientMediaConfig config = { 0 };
  const char *host_id;

  if (!wavry_connection_connect_finish (WAVRY_CONNECTION (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Trust on first use: pin the ID the host proved (a pinned one was the
   * expected ID, so a mismatch already failed the handshake). */
  host_id = wavry_connection_get_host_id (self->connection);
  if (self->known_hosts != NULL &&
      !wavry_known_hosts_remember (self->known_hosts, self->address, host_id, self->host_name,
                                   &error))
    {
      wavry_connection_close (self->connection);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  config.hw_decode = TRUE;
  self->media = wavry_client_media_new (&config, &error);
  if (self->media == NULL ||
      !wavry_client_media_attach (self->media, self->connection, &error))
    {
      wavry_connection_close (self->connection);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_signal_connect (self->connection, "closed", G_CALLBACK (on_closed), self);
  g_task_return_boolean (task, TRUE);
}

static void
resolve_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GInetSocketAddress *address = wavry_net_address_resolve (task_data, 0, cancellable, &error);

  if (address == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, address, g_object_unref);
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WavryClientSession *self = g_task_get_source_object (task);
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pinned = NULL;
  const char *expected = self->expected_id;
  Rift__Codec codecs[3];
  gsize n_codecs = 0;

  address = g_task_propagate_pointer (G_TASK (result), &error);
  if (address == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_inet_socket_address_get_port (address) == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” has no port: write it as HOST:PORT."), self->address);
      return;
    }

  if (self->known_hosts != NULL)
    {
      pinned = wavry_known_hosts_lookup (self->known_hosts, self->address);
      if (pinned != NULL && expected != NULL &&
          !wavry_known_hosts_check (self->known_hosts, self->address, expected, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (expected == NULL)
        expected = pinned;
    }

  self->connection = wavry_connection_new (self->identity, NULL);
  {
    g_autoptr(WavryClientMedia) probe = wavry_client_media_new (&(WavryClientMediaConfig) { 0 }, NULL);

    if (probe != NULL)
      n_codecs = wavry_client_media_get_codecs (probe, codecs);
  }
  wavry_connection_set_codecs (self->connection, codecs, n_codecs);
  g_signal_connect (self->connection, "state-changed", G_CALLBACK (on_state_changed), self);
  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    wavry_connection_connect_async (self->connection, address, expected, cancellable,
                                    connected_cb, g_steal_pointer (&task));
  }
}

void
wavry_client_session_connect_async (WavryClientSession  *self,
                                    const char          *address,
                                    const char          *expected_id,
                                    const char          *host_name,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) resolve = NULL;

  g_return_if_fail (WAVRY_IS_CLIENT_SESSION (self));
  g_return_if_fail (address != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wavry_client_session_connect_async);
  if (self->connection != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               "This session was already used");
      return;
    }
  if (expected_id != NULL && *expected_id != '\0' && !wavry_id_is_valid (expected_id))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a Wavry ID: it has 43 letters, digits, - and _."),
                               expected_id);
      return;
    }

  g_free (self->address);
  self->address = g_strstrip (g_strdup (address));
  g_free (self->expected_id);
  self->expected_id = expected_id != NULL && *expected_id != '\0' ? g_strdup (expected_id) : NULL;
  g_free (self->host_name);
  self->host_name = g_strdup (host_name);

  stage (self, _("Looking up the address…"));
  resolve = g_task_new (self, cancellable, resolved_cb, g_steal_pointer (&task));
  g_task_set_task_data (resolve, g_strdup (self->address), g_free);
  g_task_run_in_thread (resolve, resolve_thread);
}

gboolean
wavry_client_session_connect_finish (WavryClientSession  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

WavryConnection *
wavry_client_session_get_connection (WavryClientSession *self)
{
  g_return_val_if_fail (WAVRY_IS_CLIENT_SESSION (self), NULL);
  return self->connection;
}

WavryClientMedia *
wavry_client_session_get_media (WavryClientSession *self)
{
  g_return_val_if_fail (WAVRY_IS_CLIENT_SESSION (self), NULL);
  return self->media;
}

const char *
wavry_client_session_get_address (WavryClientSession *self)
{
  g_return_val_if_fail (WAVRY_IS_CLIENT_SESSION (self), NULL);
  return self->address;
}

void
wavry_client_session_close (WavryClientSession *self)
{
  g_return_if_fail (WAVRY_IS_CLIENT_SESSION (self));

  if (self->media != NULL)
    {
      wavry_client_media_detach (self->media, NULL);
      g_clear_object (&self->media);
    }
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      wavry_connection_close (self->connection);
      g_clear_object (&self->connection);
    }
}
