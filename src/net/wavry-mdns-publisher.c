/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-mdns-publisher.h"

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-glib/glib-watch.h>
#include <glib/gi18n.h>
#include <string.h>

#include "wavry-identity.h"

#define MAX_LABEL_BYTES 63    /* a DNS label: the instance name */
#define MAX_TXT_BYTES   255   /* one TXT character-string */
#define MAX_COLLISIONS  32

struct _WavryMdnsPublisher
{
  GObject           parent_instance;

  char             *name;         /* the instance name in use */
  guint16           port;
  char             *wavry_id;
  char             *device_name;
  char             *codecs;       /* "h264,hevc" */

  AvahiGLibPoll    *poll;
  AvahiClient      *client;
  AvahiEntryGroup  *group;
  gboolean          established;
  guint             collisions;
};

enum { SIGNAL_ESTABLISHED, SIGNAL_FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (WavryMdnsPublisher, wavry_mdns_publisher, G_TYPE_OBJECT)

static void client_callback (AvahiClient *client, AvahiClientState state, void *user_data);

/* The longest prefix of @text of at most @max bytes that ends on a
 * character boundary (@text made valid UTF-8 first). */
static char *
utf8_truncate (const char *text,
               gsize       max)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  const char *end = valid;

  while (*end != '\0')
    {
      const char *next = g_utf8_next_char (end);

      if ((gsize) (next - valid) > max)
        break;
      end = next;
    }
  return g_strndup (valid, end - valid);
}

static void
emit_failed (WavryMdnsPublisher *self,
             GError             *error)
{
  g_debug ("%s", error->message);
  g_object_ref (self);   /* a handler may drop the last reference */
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
  g_object_unref (self);
}

static void create_services (WavryMdnsPublisher *self, AvahiClient *client);

static void
entry_group_callback (AvahiEntryGroup      *group,
                      AvahiEntryGroupState  state,
                      void                 *user_data)
{
  WavryMdnsPublisher *self = user_data;

  if (group != self->group && self->group != NULL)
    return;

  switch (state)
    {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      self->established = TRUE;
      g_debug ("Published “%s” as " WAVRY_MDNS_SERVICE_TYPE, self->name);
      g_object_ref (self);
      g_signal_emit (self, signals[SIGNAL_ESTABLISHED], 0);
      g_object_unref (self);
      break;

    case AVAHI_ENTRY_GROUP_COLLISION:
      {
        /* Another host has this name: take the next one ("Desk #2"). */
        char *alternative = avahi_alternative_service_name (self->name);

        g_message ("The mDNS name “%s” is taken; publishing as “%s”", self->name, alternative);
        g_free (self->name);
        self->name = g_strdup (alternative);
        avahi_free (alternative);
        self->established = FALSE;
        if (++self->collisions > MAX_COLLISIONS)
          {
            g_autoptr(GError) error =
              g_error_new (WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_FAILED,
                           _("Cannot publish this host on mDNS: %u other hosts took its "
                             "name"), MAX_COLLISIONS);

            avahi_entry_group_reset (group);
            emit_failed (self, error);
            break;
          }
        create_services (self, avahi_entry_group_get_client (group));
        break;
      }

    case AVAHI_ENTRY_GROUP_FAILURE:
      {
        g_autoptr(GError) error =
          g_error_new (WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_FAILED,
                       _("Cannot publish this host on mDNS: %s"),
                       avahi_strerror (avahi_client_errno (avahi_entry_group_get_client (group))));

        self->established = FALSE;
        emit_failed (self, error);
        break;
      }

    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
    default:
      break;
    }
}

/* (Re)adds the service to the entry group and commits it. */
static void
create_services (WavryMdnsPublisher *self,
                 AvahiClient        *client)
{
  g_autofree char *txt_id = g_strconcat ("id=", self->wavry_id, NULL);
  g_autofree char *txt_name = g_strconcat ("name=", self->device_name, NULL);
  g_autofree char *txt_codecs = g_strconcat ("codecs=", self->codecs, NULL);
  g_autoptr(GError) error = NULL;
  int ret;

  if (self->group == NULL)
    {
      self->group = avahi_entry_group_new (client, entry_group_callback, self);
      if (self->group == NULL)
        {
          error = g_error_new (WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_FAILED,
                               _("Cannot publish this host on mDNS: %s"),
                               avahi_strerror (avahi_client_errno (client)));
          emit_failed (self, error);
          return;
        }
    }
  else
    avahi_entry_group_reset (self->group);

  for (;;)
    {
      ret = avahi_entry_group_add_service (self->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, 0,
                                           self->name, WAVRY_MDNS_SERVICE_TYPE, NULL, NULL,
                                           self->port, "v=1", txt_id, txt_name, txt_codecs,
                                           NULL);
      if (ret != AVAHI_ERR_COLLISION || ++self->collisions > MAX_COLLISIONS)
        break;
      /* A local service already has the name. */
      {
        char *alternative = avahi_alternative_service_name (self->name);

        g_free (self->name);
        self->name = g_strdup (alternative);
        avahi_free (alternative);
      }
    }
  if (ret >= 0)
    ret = avahi_entry_group_commit (self->group);
  if (ret < 0)
    {
      error = g_error_new (WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_FAILED,
                           _("Cannot publish this host on mDNS: %s"), avahi_strerror (ret));
      avahi_entry_group_reset (self->group);
      emit_failed (self, error);
    }
}

static void
client_callback (AvahiClient      *client,
                 AvahiClientState  state,
                 void             *user_data)
{
  WavryMdnsPublisher *self = user_data;
  int avahi_error = 0;

  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
      /* The daemon is up (again): publish. During avahi_client_new ()
       * self->client is not set yet; _start () publishes then. */
      if (self->client != NULL)
        create_services (self, client);
      break;

    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
      /* The daemon's own host name changes: withdraw until S_RUNNING. */
      self->established = FALSE;
      if (self->group != NULL)
        avahi_entry_group_reset (self->group);
      break;

    case AVAHI_CLIENT_FAILURE:
      {
        g_autoptr(GError) error = NULL;
        int reason = avahi_client_errno (client);

        if (self->client != client)
          break;
        self->established = FALSE;
        if (reason == AVAHI_ERR_DISCONNECTED)
          {
            /* The daemon went away (restart): wait for it to come back. */
            g_debug ("avahi-daemon went away; publishing again when it is back");
            self->group = NULL;   /* freed with the client */
            avahi_client_free (client);
            self->client = NULL;  /* S_RUNNING inside _new () must not publish yet */
            self->client = avahi_client_new (avahi_glib_poll_get (self->poll),
                                             AVAHI_CLIENT_NO_FAIL, client_callback, self,
                                             &avahi_error);
            if (self->client != NULL)
              {
                if (avahi_client_get_state (self->client) == AVAHI_CLIENT_S_RUNNING)
                  create_services (self, self->client);
                break;
              }
            reason = avahi_error;
          }
        error = g_error_new (WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_FAILED,
                             _("Stopped publishing this host on mDNS: %s"),
                             avahi_strerror (reason));
        emit_failed (self, error);
        break;
      }

    case AVAHI_CLIENT_CONNECTING:
    default:
      break;
    }
}

static void
wavry_mdns_publisher_dispose (GObject *object)
{
  wavry_mdns_publisher_stop (WAVRY_MDNS_PUBLISHER (object));
  G_OBJECT_CLASS (wavry_mdns_publisher_parent_class)->dispose (object);
}

static void
wavry_mdns_publisher_finalize (GObject *object)
{
  WavryMdnsPublisher *self = WAVRY_MDNS_PUBLISHER (object);

  g_free (self->name);
  g_free (self->wavry_id);
  g_free (self->device_name);
  g_free (self->codecs);
  G_OBJECT_CLASS (wavry_mdns_publisher_parent_class)->finalize (object);
}

static void
wavry_mdns_publisher_class_init (WavryMdnsPublisherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wavry_mdns_publisher_dispose;
  object_class->finalize = wavry_mdns_publisher_finalize;

  signals[SIGNAL_ESTABLISHED] =
    g_signal_new ("established", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
wavry_mdns_publisher_init (WavryMdnsPublisher *self)
{
}

WavryMdnsPublisher *
wavry_mdns_publisher_new (const char         *display_name,
                          guint16             port,
                          const char         *wavry_id,
                          const char         *device_name,
                          const char * const *codecs)
{
  WavryMdnsPublisher *self;

  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (wavry_id != NULL, NULL);

  self = g_object_new (WAVRY_TYPE_MDNS_PUBLISHER, NULL);
  self->name = utf8_truncate (display_name, MAX_LABEL_BYTES);
  self->port = port;
  self->wavry_id = g_strdup (wavry_id);
  self->device_name = utf8_truncate (device_name != NULL ? device_name : display_name,
                                     MAX_TXT_BYTES - strlen ("name="));
  self->codecs = codecs != NULL ? g_strjoinv (",", (char **) codecs) : g_strdup ("");
  return self;
}

gboolean
wavry_mdns_publisher_start (WavryMdnsPublisher  *self,
                            GError             **error)
{
  int avahi_error = 0;

  g_return_val_if_fail (WAVRY_IS_MDNS_PUBLISHER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->client != NULL)
    return TRUE;
  if (!wavry_id_is_valid (self->wavry_id))
    {
      g_set_error_literal (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_INVALID,
                           _("Cannot publish this host on mDNS: its Wavry ID is not valid"));
      return FALSE;
    }
  if (self->name[0] == '\0' || self->port == 0 ||
      strlen ("codecs=") + strlen (self->codecs) > MAX_TXT_BYTES)
    {
      g_set_error_literal (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_INVALID,
                           _("Cannot publish this host on mDNS: it needs a name, a port "
                             "and a short codec list"));
      return FALSE;
    }

  self->poll = avahi_glib_poll_new (g_main_context_get_thread_default (), G_PRIORITY_DEFAULT);
  self->collisions = 0;
  self->client = avahi_client_new (avahi_glib_poll_get (self->poll), 0,
                                   client_callback, self, &avahi_error);
  if (self->client == NULL)
    {
      if (avahi_error == AVAHI_ERR_NO_DAEMON || avahi_error == AVAHI_ERR_DBUS_ERROR)
        g_set_error_literal (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_NO_DAEMON,
                             _("The avahi daemon is not running (publishing this host on "
                               "mDNS needs avahi-daemon)"));
      else
        g_set_error (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_FAILED,
                     _("Cannot reach the avahi daemon to publish this host: %s"),
                     avahi_strerror (avahi_error));
      g_clear_pointer (&self->poll, avahi_glib_poll_free);
      return FALSE;
    }
  if (avahi_client_get_state (self->client) == AVAHI_CLIENT_S_RUNNING)
    create_services (self, self->client);
  return TRUE;
}

void
wavry_mdns_publisher_stop (WavryMdnsPublisher *self)
{
  g_return_if_fail (WAVRY_IS_MDNS_PUBLISHER (self));

  self->established = FALSE;
  /* Freeing the group withdraws the service (goodbye packets). */
  g_clear_pointer (&self->group, avahi_entry_group_free);
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
}

const char *
wavry_mdns_publisher_get_name (WavryMdnsPublisher *self)
{
  g_return_val_if_fail (WAVRY_IS_MDNS_PUBLISHER (self), NULL);
  return self->name;
}

gboolean
wavry_mdns_publisher_is_established (WavryMdnsPublisher *self)
{
  g_return_val_if_fail (WAVRY_IS_MDNS_PUBLISHER (self), FALSE);
  return self->established;
}
