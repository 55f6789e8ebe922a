/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-host-controller.h"
#include "wavry-input-injector.h"
#include "wavry-input-injector-portal.h"
#include "wavry-mdns-publisher.h"

#define BITRATE_REFRESH_S 1
/* Clients ping every 500 ms (PROTOCOL.md §3 timers); RIFT has no goodbye,
 * so a client that closed shows as silent long before the host drops it. */
#define NOT_RESPONDING_US (3 * G_USEC_PER_SEC)

/* ---- WavryHostClient --------------------------------------------------- */

struct _WavryHostClient
{
  GObject  parent_instance;

  guint32  alias;
  char    *wavry_id;
  char    *short_id;
  char    *name;
  char    *address;
  guint    bitrate_kbps;
  gboolean responding;
};

enum {
  CLIENT_PROP_0,
  CLIENT_PROP_ALIAS,
  CLIENT_PROP_WAVRY_ID,
  CLIENT_PROP_SHORT_ID,
  CLIENT_PROP_NAME,
  CLIENT_PROP_ADDRESS,
  CLIENT_PROP_BITRATE_KBPS,
  CLIENT_PROP_RESPONDING,
  N_CLIENT_PROPS
};

static GParamSpec *client_props[N_CLIENT_PROPS];

G_DEFINE_FINAL_TYPE (WavryHostClient, wavry_host_client, G_TYPE_OBJECT)

static void
wavry_host_client_finalize (GObject *object)
{
  WavryHostClient *self = WAVRY_HOST_CLIENT (object);

  g_free (self->wavry_id);
  g_free (self->short_id);
  g_free (self->name);
  g_free (self->address);

  G_OBJECT_CLASS (wavry_host_client_parent_class)->finalize (object);
}

static void
wavry_host_client_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WavryHostClient *self = WAVRY_HOST_CLIENT (object);

  switch (prop_id)
    {
    case CLIENT_PROP_ALIAS:
      g_value_set_uint (value, self->alias);
      break;
    case CLIENT_PROP_WAVRY_ID:
      g_value_set_string (value, self->wavry_id);
      break;
    case CLIENT_PROP_SHORT_ID:
      g_value_set_string (value, self->short_id);
      break;
    case CLIENT_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case CLIENT_PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case CLIENT_PROP_BITRATE_KBPS:
      g_value_set_uint (value, self->bitrate_kbps);
      break;
    case CLIENT_PROP_RESPONDING:
      g_value_set_boolean (value, self->responding);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wavry_host_client_class_init (WavryHostClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wavry_host_client_finalize;
  object_class->get_property = wavry_host_client_get_property;

  client_props[CLIENT_PROP_ALIAS] = g_param_spec_uint ("alias", NULL, NULL, 0, G_MAXUINT32, 0, flags);
  client_props[CLIENT_PROP_WAVRY_ID] = g_param_spec_string ("wavry-id", NULL, NULL, NULL, flags);
  client_props[CLIENT_PROP_SHORT_ID] = g_param_spec_string ("short-id", NULL, NULL, NULL, flags);
  client_props[CLIENT_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  client_props[CLIENT_PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, flags);
  client_props[CLIENT_PROP_BITRATE_KBPS] =
    g_param_spec_uint ("bitrate-kbps", NULL, NULL, 0, G_MAXUINT, 0, flags | G_PARAM_EXPLICIT_NOTIFY);
  client_props[CLIENT_PROP_RESPONDING] =
    g_param_spec_boolean ("responding", NULL, NULL, TRUE, flags | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_CLIENT_PROPS, client_props);
}

static void
wavry_host_client_init (WavryHostClient *self)
{
  self->responding = TRUE;
}

guint32
wavry_host_client_get_alias (WavryHostClient *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CLIENT (self), 0);
  return self->alias;
}

const char *
wavry_host_client_get_wavry_id (WavryHostClient *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CLIENT (self), NULL);
  return self->wavry_id;
}

const char *
wavry_host_client_get_short_id (WavryHostClient *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CLIENT (self), NULL);
  return self->short_id;
}

gboolean
wavry_host_client_get_responding (WavryHostClient *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CLIENT (self), FALSE);
  return self->responding;
}

const char *
wavry_host_client_get_name (WavryHostClient *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CLIENT (self), NULL);
  return self->name;
}

const char *
wavry_host_client_get_address (WavryHostClient *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CLIENT (self), NULL);
  return self->address;
}

guint
wavry_host_client_get_bitrate_kbps (WavryHostClient *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CLIENT (self), 0);
  return self->bitrate_kbps;
}

/* ---- WavryHostController ----------------------------------------------- */

struct _WavryHostController
{
  GObject              parent_instance;

  WavryIdentity       *identity;
  WavryTrustedClients *trusted;
  char                *device_name;

  WavryHostDaemon     *daemon;
  WavryHostMedia      *media;
  GListStore          *clients;    /* WavryHostClient */
  guint                refresh_id;
  GHashTable          *view_only;  /* Wavry IDs whose sessions may not inject input */
  WavryMdnsPublisher  *publisher;
  char                *input_description;  /* how input is injected, or why not */
  char                *restore_token;      /* the desktop portal's, both ways */
};

enum {
  PROP_0,
  PROP_ACTIVE,
  PROP_RESTORE_TOKEN,
  N_PROPS
};

enum {
  SIGNAL_APPROVAL_REQUESTED,
  SIGNAL_ENDED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (WavryHostController, wavry_host_controller, G_TYPE_OBJECT)

static void
wavry_host_controller_dispose (GObject *object)
{
  WavryHostController *self = WAVRY_HOST_CONTROLLER (object);

  wavry_host_controller_stop (self);
  g_clear_object (&self->identity);
  g_clear_object (&self->trusted);
  g_clear_object (&self->clients);

  G_OBJECT_CLASS (wavry_host_controller_parent_class)->dispose (object);
}

static void
wavry_host_controller_finalize (GObject *object)
{
  WavryHostController *self = WAVRY_HOST_CONTROLLER (object);

  g_free (self->device_name);
  g_hash_table_unref (self->view_only);
  g_free (self->input_description);
  g_free (self->restore_token);

  G_OBJECT_CLASS (wavry_host_controller_parent_class)->finalize (object);
}

static void
wavry_host_controller_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  WavryHostController *self = WAVRY_HOST_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, wavry_host_controller_get_active (self));
      break;
    case PROP_RESTORE_TOKEN:
      g_value_set_string (value, self->restore_token);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wavry_host_controller_class_init (WavryHostControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wavry_host_controller_dispose;
  object_class->finalize = wavry_host_controller_finalize;
  object_class->get_property = wavry_host_controller_get_property;

  props[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                             G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_RESTORE_TOKEN] = g_param_spec_string ("restore-token", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                   G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* (client_id, client_name): answer with wavry_host_controller_resolve_approval() */
  signals[SIGNAL_APPROVAL_REQUESTED] =
    g_signal_new ("approval-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* (reason): sharing stopped by itself, not by wavry_host_controller_stop() */
  signals[SIGNAL_ENDED] =
    g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
wavry_host_controller_init (WavryHostController *self)
{
  self->clients = g_list_store_new (WAVRY_TYPE_HOST_CLIENT);
  self->view_only = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

WavryHostController *
wavry_host_controller_new (WavryIdentity       *identity,
                           WavryTrustedClients *trusted,
                           const char          *device_name)
{
  WavryHostController *self;

  g_return_val_if_fail (WAVRY_IS_IDENTITY (identity), NULL);
  g_return_val_if_fail (WAVRY_IS_TRUSTED_CLIENTS (trusted), NULL);

  self = g_object_new (WAVRY_TYPE_HOST_CONTROLLER, NULL);
  self->identity = g_object_ref (identity);
  self->trusted = g_object_ref (trusted);
  self->device_name = g_strdup (device_name != NULL ? device_name : g_get_host_name ());
  return self;
}

static gboolean
find_client (WavryHostController *self,
             guint32              alias,
             guint               *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->clients));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WavryHostClient) client = g_list_model_get_item (G_LIST_MODEL (self->clients), i);

      if (client->alias == alias)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
on_client_connected (WavryHostDaemon     *daemon,
                     guint                alias,
                     const char          *wavry_id,
                     WavryHostController *self)
{
  WavryHostClient *client = g_object_new (WAVRY_TYPE_HOST_CLIENT, NULL);

  if (self->media != NULL && g_hash_table_contains (self->view_only, wavry_id))
    wavry_host_media_set_view_only (self->media, alias, TRUE);

  client->alias = alias;
  client->wavry_id = g_strdup (wavry_id);
  client->short_id = g_strndup (wavry_id, 8);
  if (!wavry_host_daemon_get_client_info (daemon, alias, &client->name, &client->address))
    {
      client->name = g_strdup ("");
      client->address = g_strdup ("");
    }
  g_list_store_append (self->clients, client);
  g_object_unref (client);
}

static void
on_client_disconnected (WavryHostDaemon     *daemon,
                        guint                alias,
                        const char          *wavry_id,
                        const GError        *error,
                        WavryHostController *self)
{
  guint position;

  if (find_client (self, alias, &position))
    g_list_store_remove (self->clients, position);
}

static void
on_approval_requested (WavryHostDaemon     *daemon,
                       const char          *client_id,
                       const char          *client_name,
                       WavryHostController *self)
{
  g_signal_emit (self, signals[SIGNAL_APPROVAL_REQUESTED], 0, client_id, client_name);
}

static gboolean
refresh_bitrates (gpointer user_data)
{
  WavryHostController *self = user_data;
  WavryHostMediaStats stats;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->clients));

  WavryInputInjector *injector;

  if (self->media == NULL)
    return G_SOURCE_CONTINUE;
  /* The desktop's own "stop sharing" closed the portal session: the
   * screen is gone, so sharing ends as if switched off. */
  injector = wavry_host_media_get_injector (self->media);
  if (injector != NULL && WAVRY_IS_INPUT_INJECTOR_PORTAL (injector) &&
      wavry_input_injector_portal_is_closed (WAVRY_INPUT_INJECTOR_PORTAL (injector)))
    {
      g_object_ref (self);
      wavry_host_controller_stop (self);
      g_signal_emit (self, signals[SIGNAL_ENDED], 0, _("The desktop stopped sharing this screen."));
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }
  /* one shared encoder: every client gets its rate */
  wavry_host_media_get_stats (self->media, &stats);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WavryHostClient) client = g_list_model_get_item (G_LIST_MODEL (self->clients), i);
      gint64 silence;
      gboolean responding;

      if (client->bitrate_kbps != stats.bitrate_kbps)
        {
          client->bitrate_kbps = stats.bitrate_kbps;
          g_object_notify_by_pspec (G_OBJECT (client), client_props[CLIENT_PROP_BITRATE_KBPS]);
        }
      silence = wavry_host_daemon_get_client_silence (self->daemon, client->alias);
      responding = silence >= 0 && silence < NOT_RESPONDING_US;
      if (client->responding != responding)
        {
          client->responding = responding;
          g_object_notify_by_pspec (G_OBJECT (client), client_props[CLIENT_PROP_RESPONDING]);
        }
    }
  return G_SOURCE_CONTINUE;
}

/* Remote control: the way that fits the capture (Mutter's RemoteDesktop
 * with mutter:, the RemoteDesktop portal with the portal capture, XTest
 * with x11:, uinput when writable); without one, clients can only watch.
 * May block for the portal's dialog; any thread. FALSE when the user
 * shared nothing (the portal dialog refused or left unanswered). */
static gboolean
make_injector (const char          *capture_spec,
               const char          *restore_token,
               GCancellable        *cancellable,
               WavryInputInjector **injector,
               char               **description,
               GError             **error)
{
  g_autoptr(GError) input_error = NULL;

  *injector = wavry_input_injector_new_for_backend_full (WAVRY_INPUT_BACKEND_AUTO, capture_spec,
                                                         restore_token, cancellable,
                                                         &input_error);
  *description = NULL;
  if (*injector != NULL)
    *description = g_strdup (wavry_input_injector_get_description (*injector));
  else if (wavry_input_injector_error_is_refusal (input_error))
    {
      g_propagate_error (error, g_steal_pointer (&input_error));
      return FALSE;
    }
  else if (input_error != NULL)
    {
      g_message ("Clients cannot control this machine: %s", input_error->message);
      *description = g_strdup (input_error->message);
    }
  return TRUE;
}

/* The rest of starting, on the controller's thread. */
static gboolean
finish_start (WavryHostController *self,
              WavryHostMedia      *media,
              WavryInputInjector  *injector,
              char                *input_description,
              GInetSocketAddress  *address,
              GCancellable        *cancellable,
              GError             **error)
{
  g_autoptr(WavryHostDaemon) daemon = NULL;
  g_autoptr(GInetSocketAddress) any = NULL;

  g_clear_pointer (&self->input_description, g_free);
  self->input_description = input_description;
  if (injector != NULL)
    wavry_host_media_set_injector (media, injector);
  /* The portal's token for the next time (it may have replaced ours). */
  if (injector != NULL && WAVRY_IS_INPUT_INJECTOR_PORTAL (injector))
    wavry_host_controller_set_restore_token (self,
      wavry_input_injector_portal_get_restore_token (WAVRY_INPUT_INJECTOR_PORTAL (injector)));

  if (address == NULL)
    {
      g_autoptr(GInetAddress) all = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);

      any = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (all, 0));
      address = any;
    }

  /* Switched off while the portal's dialog was up. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  daemon = wavry_host_daemon_new (self->identity, self->trusted, self->device_name);
  wavry_host_daemon_set_media (daemon, media);
  wavry_host_daemon_set_ask_untrusted (daemon, TRUE);
  g_signal_connect (daemon, "client-connected", G_CALLBACK (on_client_connected), self);
  g_signal_connect (daemon, "client-disconnected", G_CALLBACK (on_client_disconnected), self);
  g_signal_connect (daemon, "approval-requested", G_CALLBACK (on_approval_requested), self);
  if (!wavry_host_daemon_start (daemon, address, error))
    return FALSE;

  self->daemon = g_steal_pointer (&daemon);
  self->media = g_object_ref (media);
  self->refresh_id = g_timeout_add_seconds (BITRATE_REFRESH_S, refresh_bitrates, self);

  /* PROTOCOL.md §12: announce it on the local network; without avahi the
   * host still works by address. */
  {
    g_autoptr(GError) mdns_error = NULL;
    Rift__Codec codec = wavry_host_media_get_codec (self->media);
    const char *codecs[] = { codec == RIFT__CODEC__CODEC_HEVC ? "hevc"
                             : codec == RIFT__CODEC__CODEC_AV1 ? "av1" : "h264", NULL };

    self->publisher = wavry_mdns_publisher_new (self->device_name,
                                                g_inet_socket_address_get_port (wavry_host_daemon_get_local_address (self->daemon)),
                                                wavry_identity_get_id (self->identity),
                                                self->device_name, codecs);
    if (!wavry_mdns_publisher_start (self->publisher, &mdns_error))
      {
        g_message ("This host is not announced on the local network: %s", mdns_error->message);
        g_clear_object (&self->publisher);
      }
  }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACTIVE]);
  return TRUE;
}

gboolean
wavry_host_controller_start (WavryHostController        *self,
                             const WavryHostMediaConfig *media_config,
                             GInetSocketAddress         *address,
                             GError                    **error)
{
  g_autoptr(WavryHostMedia) media = NULL;
  g_autoptr(WavryInputInjector) injector = NULL;
  char *description = NULL;

  g_return_val_if_fail (WAVRY_IS_HOST_CONTROLLER (self), FALSE);
  g_return_val_if_fail (media_config != NULL, FALSE);

  if (self->daemon != NULL)
    return TRUE;

  media = wavry_host_media_new (media_config, error);
  if (media == NULL)
    return FALSE;
  if (!make_injector (media_config->capture_spec, self->restore_token, NULL, &injector,
                      &description, error))
    return FALSE;
  return finish_start (self, media, injector, description, address, NULL, error);
}

typedef struct
{
  WavryHostMedia     *media;
  char               *capture_spec;
  char               *restore_token;
  GInetSocketAddress *address;
  WavryInputInjector *injector;
  char               *description;
} StartData;

static void
start_data_free (StartData *data)
{
  g_clear_object (&data->media);
  g_free (data->capture_spec);
  g_free (data->restore_token);
  g_clear_object (&data->address);
  g_clear_object (&data->injector);
  g_free (data->description);
  g_free (data);
}

static void
start_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StartData *data = task_data;
  GError *error = NULL;

  if (make_injector (data->capture_spec, data->restore_token, cancellable, &data->injector,
                     &data->description, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
wavry_host_controller_start_async (WavryHostController        *self,
                                   const WavryHostMediaConfig *media_config,
                                   GInetSocketAddress         *address,
                                   GCancellable               *cancellable,
                                   GAsyncReadyCallback         callback,
                                   gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  StartData *data;
  GError *error = NULL;

  g_return_if_fail (WAVRY_IS_HOST_CONTROLLER (self));
  g_return_if_fail (media_config != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wavry_host_controller_start_async);
  data = g_new0 (StartData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);
  if (self->daemon != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* A bad configuration fails at once, before any dialog. */
  data->media = wavry_host_media_new (media_config, &error);
  if (data->media == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data->capture_spec = g_strdup (media_config->capture_spec);
  data->restore_token = g_strdup (self->restore_token);
  data->address = address != NULL ? g_object_ref (address) : NULL;
  /* Only the portal's dialog needs a worker thread; the other injectors
   * open at once, here (XTest's Xlib connection beside GTK's stays on the
   * thread that uses X). */
  if (g_strcmp0 (data->capture_spec, "pipewire") == 0)
    {
      g_task_run_in_thread (task, start_thread);
      return;
    }
  if (make_injector (data->capture_spec, data->restore_token, cancellable, &data->injector,
                     &data->description, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

gboolean
wavry_host_controller_start_finish (WavryHostController  *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  GTask *task = G_TASK (result);
  StartData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (task);
  if (!g_task_propagate_boolean (task, error))
    return FALSE;
  if (data->media == NULL || self->daemon != NULL)
    return TRUE;   /* it was running already */
  return finish_start (self, data->media, data->injector, g_steal_pointer (&data->description),
                       data->address, g_task_get_cancellable (task), error);
}

void
wavry_host_controller_stop (WavryHostController *self)
{
  g_return_if_fail (WAVRY_IS_HOST_CONTROLLER (self));

  if (self->daemon == NULL)
    return;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->publisher != NULL)
    {
      wavry_mdns_publisher_stop (self->publisher);
      g_clear_object (&self->publisher);
    }
  g_signal_handlers_disconnect_by_data (self->daemon, self);
  wavry_host_daemon_stop (self->daemon);
  g_clear_object (&self->daemon);
  g_clear_object (&self->media);
  g_list_store_remove_all (self->clients);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACTIVE]);
}

gboolean
wavry_host_controller_get_active (WavryHostController *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CONTROLLER (self), FALSE);
  return self->daemon != NULL;
}

GInetSocketAddress *
wavry_host_controller_get_local_address (WavryHostController *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CONTROLLER (self), NULL);
  return self->daemon != NULL ? wavry_host_daemon_get_local_address (self->daemon) : NULL;
}

WavryHostDaemon *
wavry_host_controller_get_daemon (WavryHostController *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CONTROLLER (self), NULL);
  return self->daemon;
}

GListModel *
wavry_host_controller_get_clients (WavryHostController *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CONTROLLER (self), NULL);
  return G_LIST_MODEL (self->clients);
}

void
wavry_host_controller_disconnect (WavryHostController *self,
                                  guint32              alias)
{
  g_return_if_fail (WAVRY_IS_HOST_CONTROLLER (self));

  if (self->daemon != NULL)
    wavry_host_daemon_disconnect (self->daemon, alias);
}

void
wavry_host_controller_resolve_approval (WavryHostController *self,
                                        const char          *client_id,
                                        WavryApproval        decision)
{
  g_return_if_fail (WAVRY_IS_HOST_CONTROLLER (self));
  g_return_if_fail (client_id != NULL);

  if (decision == WAVRY_APPROVAL_ALWAYS)
    wavry_trusted_clients_add (self->trusted, client_id);
  if (self->daemon != NULL)
    wavry_host_daemon_resolve_approval (self->daemon, client_id, decision != WAVRY_APPROVAL_DENY);
}

void
wavry_host_controller_set_view_only (WavryHostController *self,
                                     const char          *client_id,
                                     gboolean             view_only)
{
  g_return_if_fail (WAVRY_IS_HOST_CONTROLLER (self));
  g_return_if_fail (client_id != NULL);

  if (view_only)
    g_hash_table_add (self->view_only, g_strdup (client_id));
  else
    g_hash_table_remove (self->view_only, client_id);

  /* … and its sessions now: the daemon runs on this thread. */
  if (self->media == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->clients)); i++)
    {
      g_autoptr(WavryHostClient) client = g_list_model_get_item (G_LIST_MODEL (self->clients), i);

      if (g_strcmp0 (client->wavry_id, client_id) == 0)
        wavry_host_media_set_view_only (self->media, client->alias, view_only);
    }
}

gboolean
wavry_host_controller_is_announced (WavryHostController *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CONTROLLER (self), FALSE);
  return self->publisher != NULL;
}

void
wavry_host_controller_set_restore_token (WavryHostController *self,
                                         const char          *token)
{
  g_return_if_fail (WAVRY_IS_HOST_CONTROLLER (self));

  if (g_strcmp0 (self->restore_token, token) == 0)
    return;
  g_free (self->restore_token);
  self->restore_token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RESTORE_TOKEN]);
}

const char *
wavry_host_controller_get_restore_token (WavryHostController *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CONTROLLER (self), NULL);
  return self->restore_token;
}

const char *
wavry_host_controller_get_input_description (WavryHostController *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_CONTROLLER (self), NULL);
  return self->input_description;
}

const char *
wavry_host_controller_default_capture (void)
{
  if (g_getenv ("WAVRY_CAPTURE") != NULL)
    return g_getenv ("WAVRY_CAPTURE");
  if (g_strcmp0 (g_getenv ("XDG_SESSION_TYPE"), "wayland") == 0 ||
      (g_getenv ("WAYLAND_DISPLAY") != NULL && g_getenv ("DISPLAY") == NULL))
    return "pipewire";
  return "x11";
}
