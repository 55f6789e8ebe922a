/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-mdns-browser.h"

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-glib/glib-watch.h>
#include <glib/gi18n.h>
#include <net/if.h>
#include <string.h>

/* A resolution that fails (the host did not answer within avahi's 5 s) is
 * tried again after 1, 2 and 4 s: a peer on a lossy network still shows. */
#define RESOLVE_RETRIES 3

/* One instance name (+ domain) and the interface/protocol pairs on which it
 * is currently announced. */
typedef struct
{
  char       *name;
  char       *domain;
  GHashTable *instances;   /* "IF/PROTO" → Instance* */
  WavryPeer  *peer;        /* NULL until resolved with a valid TXT */
} Service;

/* The service as seen on one interface and protocol. */
typedef struct
{
  WavryMdnsBrowser     *browser;    /* unowned */
  Service              *service;    /* unowned: it owns us */
  AvahiIfIndex          interface;
  AvahiProtocol         protocol;
  AvahiServiceResolver *resolver;   /* while resolving */
  GSource              *retry;      /* while waiting to resolve again */
  guint                 tries;
} Instance;

struct _WavryMdnsBrowser
{
  GObject              parent_instance;

  AvahiGLibPoll       *poll;
  AvahiClient         *client;
  AvahiServiceBrowser *browser;
  GMainContext        *context;    /* where we were started */
  GListStore          *peers;
  GHashTable          *services;   /* "name\x1fdomain" → Service* */
  guint                ignored;
  guint                resolve_failures;
};

enum { SIGNAL_PEER_ADDED, SIGNAL_PEER_REMOVED, SIGNAL_FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (WavryMdnsBrowser, wavry_mdns_browser, G_TYPE_OBJECT)

static void client_callback (AvahiClient *client, AvahiClientState state, void *user_data);
static WavryPeer *handle_resolved (WavryMdnsBrowser *self, Service *service,
                                   AvahiIfIndex interface, AvahiResolverEvent event,
                                   const char *name, const char *host_name,
                                   const AvahiAddress *a, uint16_t port, AvahiStringList *txt);

static void resolve_callback (AvahiServiceResolver *resolver, AvahiIfIndex interface,
                              AvahiProtocol protocol, AvahiResolverEvent event,
                              const char *name, const char *type, const char *domain,
                              const char *host_name, const AvahiAddress *a, uint16_t port,
                              AvahiStringList *txt, AvahiLookupResultFlags flags,
                              void *user_data);

static void
instance_free (gpointer data)
{
  Instance *instance = data;

  g_clear_pointer (&instance->resolver, avahi_service_resolver_free);
  if (instance->retry != NULL)
    {
      g_source_destroy (instance->retry);
      g_source_unref (instance->retry);
    }
  g_free (instance);
}

static void
instance_resolve (Instance *instance)
{
  WavryMdnsBrowser *self = instance->browser;

  instance->tries++;
  instance->resolver = avahi_service_resolver_new (self->client, instance->interface,
                                                   instance->protocol, instance->service->name,
                                                   WAVRY_MDNS_SERVICE_TYPE,
                                                   instance->service->domain,
                                                   AVAHI_PROTO_UNSPEC, 0,
                                                   resolve_callback, instance);
  if (instance->resolver == NULL)
    {
      self->resolve_failures++;
      g_debug ("Cannot resolve mDNS service “%s”: %s", instance->service->name,
               avahi_strerror (avahi_client_errno (self->client)));
    }
}

static gboolean
on_instance_retry (gpointer user_data)
{
  Instance *instance = user_data;

  g_clear_pointer (&instance->retry, g_source_unref);
  instance_resolve (instance);
  return G_SOURCE_REMOVE;
}

static void
service_free (gpointer data)
{
  Service *service = data;

  g_hash_table_unref (service->instances);
  g_free (service->name);
  g_free (service->domain);
  g_clear_object (&service->peer);
  g_free (service);
}

static char *
service_key (const char *name,
             const char *domain)
{
  return g_strdup_printf ("%s\x1f%s", name, domain);
}

static char *
instance_key (AvahiIfIndex  interface,
              AvahiProtocol protocol)
{
  return g_strdup_printf ("%d/%d", interface, protocol);
}

/* Takes @service's peer out of the list; returns it (to announce) or NULL. */
static WavryPeer *
take_peer (WavryMdnsBrowser *self,
           Service          *service)
{
  WavryPeer *peer = g_steal_pointer (&service->peer);
  guint position;

  if (peer != NULL && g_list_store_find (self->peers, peer, &position))
    g_list_store_remove (self->peers, position);
  return peer;
}

static void
emit_removed (WavryMdnsBrowser *self,
              GPtrArray        *peers)
{
  g_object_ref (self);   /* a handler may drop the last reference */
  for (guint i = 0; i < peers->len; i++)
    g_signal_emit (self, signals[SIGNAL_PEER_REMOVED], 0, g_ptr_array_index (peers, i));
  g_object_unref (self);
}

/* Forgets every service (the browser or the daemon went away), freeing
 * their resolvers (so call it while the client is alive); returns the
 * peers that were listed, for the caller to announce once it is done. */
static GPtrArray *
clear_services (WavryMdnsBrowser *self)
{
  GPtrArray *removed = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  Service *service;

  g_hash_table_iter_init (&iter, self->services);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &service))
    {
      WavryPeer *peer = take_peer (self, service);

      if (peer != NULL)
        g_ptr_array_add (removed, peer);
      g_hash_table_iter_remove (&iter);
    }
  g_list_store_remove_all (self->peers);
  return removed;
}

/* Copies avahi's TXT list into NUL-terminated strings; FALSE when an entry
 * holds a NUL byte (then the record cannot be a Wavry host's). */
static gboolean
txt_to_strv (AvahiStringList *txt,
             GPtrArray       *out)
{
  for (AvahiStringList *l = txt; l != NULL; l = avahi_string_list_get_next (l))
    {
      const char *text = (const char *) avahi_string_list_get_text (l);
      gsize size = avahi_string_list_get_size (l);

      if (memchr (text, '\0', size) != NULL)
        return FALSE;
      g_ptr_array_add (out, g_strndup (text, size));
    }
  return TRUE;
}

static void
resolve_callback (AvahiServiceResolver   *resolver,
                  AvahiIfIndex            interface,
                  AvahiProtocol           protocol,
                  AvahiResolverEvent      event,
                  const char             *name,
                  const char             *type,
                  const char             *domain,
                  const char             *host_name,
                  const AvahiAddress     *a,
                  uint16_t                port,
                  AvahiStringList        *txt,
                  AvahiLookupResultFlags  flags,
                  void                   *user_data)
{
  Instance *instance = user_data;
  WavryMdnsBrowser *self = instance->browser;
  g_autoptr(WavryPeer) added = NULL;

  added = handle_resolved (self, instance->service, interface, event, name, host_name, a,
                           port, txt);

  /* Done with this resolver either way; the instance stays listed until
   * the browser says it is gone. */
  g_assert (resolver == instance->resolver);
  g_clear_pointer (&instance->resolver, avahi_service_resolver_free);
  if (event != AVAHI_RESOLVER_FOUND && instance->tries <= RESOLVE_RETRIES)
    {
      instance->retry = g_timeout_source_new (1000u << (instance->tries - 1));
      g_source_set_callback (instance->retry, on_instance_retry, instance, NULL);
      g_source_attach (instance->retry, self->context);
    }

  /* Last: a handler may stop or drop the browser. */
  if (added != NULL)
    {
      g_object_ref (self);
      g_signal_emit (self, signals[SIGNAL_PEER_ADDED], 0, added);
      g_object_unref (self);
    }
}

/* Returns the peer to announce, if any. */
static WavryPeer *
handle_resolved (WavryMdnsBrowser       *self,
                 Service                *service,
                 AvahiIfIndex            interface,
                 AvahiResolverEvent      event,
                 const char             *name,
                 const char             *host_name,
                 const AvahiAddress     *a,
                 uint16_t                port,
                 AvahiStringList        *txt)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *device = NULL, *codecs = NULL;
  char address[AVAHI_ADDRESS_STR_MAX + IF_NAMESIZE + 1];

  if (event != AVAHI_RESOLVER_FOUND)
    {
      self->resolve_failures++;
      g_debug ("Could not resolve mDNS service “%s”: %s", name,
               avahi_strerror (avahi_client_errno (self->client)));
      return NULL;
    }

  if (!txt_to_strv (txt, strings) ||
      !wavry_peer_parse_txt ((const char * const *) strings->pdata, strings->len,
                             &id, &device, &codecs, &error))
    {
      self->ignored++;
      g_debug ("Ignoring mDNS service “%s”: %s", name,
               error != NULL ? error->message : "a TXT entry holds a NUL byte");
      return NULL;
    }

  avahi_address_snprint (address, sizeof address, a);
  /* An IPv6 link-local address is only usable with its interface
   * ("fe80::1%eth0", which g_network_address_parse () understands). */
  if (a->proto == AVAHI_PROTO_INET6 && a->data.ipv6.address[0] == 0xfe &&
      (a->data.ipv6.address[1] & 0xc0) == 0x80)
    {
      char ifname[IF_NAMESIZE];

      if (if_indextoname ((unsigned) interface, ifname) != NULL)
        {
          g_strlcat (address, "%", sizeof address);
          g_strlcat (address, ifname, sizeof address);
        }
    }
  if (service->peer != NULL)
    {
      /* Another interface or protocol of a host already listed: same
       * identity, one more address; a different ID is a different host
       * that took the same name, and the first one seen stays. */
      if (g_str_equal (wavry_peer_get_wavry_id (service->peer), id))
        wavry_peer_add_address (service->peer, address);
      else
        self->ignored++;
      return NULL;
    }

  service->peer = wavry_peer_new (name, host_name, address, port, id, device, codecs);
  g_list_store_append (self->peers, service->peer);
  return g_object_ref (service->peer);
}

static void
browse_callback (AvahiServiceBrowser    *browser,
                 AvahiIfIndex            interface,
                 AvahiProtocol           protocol,
                 AvahiBrowserEvent       event,
                 const char             *name,
                 const char             *type,
                 const char             *domain,
                 AvahiLookupResultFlags  flags,
                 void                   *user_data)
{
  WavryMdnsBrowser *self = user_data;
  g_autofree char *skey = NULL;
  g_autofree char *ikey = NULL;
  Service *service;

  switch (event)
    {
    case AVAHI_BROWSER_NEW:
      {
        Instance *instance;

        skey = service_key (name, domain);
        ikey = instance_key (interface, protocol);
        service = g_hash_table_lookup (self->services, skey);
        if (service == NULL)
          {
            service = g_new0 (Service, 1);
            service->name = g_strdup (name);
            service->domain = g_strdup (domain);
            service->instances = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                        g_free, instance_free);
            g_hash_table_insert (self->services, g_steal_pointer (&skey), service);
          }
        instance = g_new0 (Instance, 1);
        instance->browser = self;
        instance->service = service;
        instance->interface = interface;
        instance->protocol = protocol;
        g_hash_table_replace (service->instances, g_steal_pointer (&ikey), instance);
        instance_resolve (instance);
        break;
      }

    case AVAHI_BROWSER_REMOVE:
      skey = service_key (name, domain);
      ikey = instance_key (interface, protocol);
      service = g_hash_table_lookup (self->services, skey);
      if (service == NULL)
        break;
      g_hash_table_remove (service->instances, ikey);
      if (g_hash_table_size (service->instances) == 0)
        {
          g_autoptr(WavryPeer) peer = take_peer (self, service);

          g_hash_table_remove (self->services, skey);
          if (peer != NULL)
            {
              g_object_ref (self);
              g_signal_emit (self, signals[SIGNAL_PEER_REMOVED], 0, peer);
              g_object_unref (self);
            }
        }
      break;

    case AVAHI_BROWSER_FAILURE:
      {
        g_autoptr(GError) error =
          g_error_new (WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_FAILED,
                       _("mDNS discovery failed: %s"),
                       avahi_strerror (avahi_client_errno (self->client)));

        g_autoptr(GPtrArray) removed = clear_services (self);

        g_clear_pointer (&self->browser, avahi_service_browser_free);
        g_object_ref (self);   /* across both emissions */
        emit_removed (self, removed);
        g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
        g_object_unref (self);
        break;
      }

    case AVAHI_BROWSER_ALL_FOR_NOW:
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
    default:
      break;
    }
}

static gboolean
create_browser (WavryMdnsBrowser  *self,
                AvahiClient       *client,
                GError           **error)
{
  if (self->browser != NULL)
    return TRUE;
  self->browser = avahi_service_browser_new (client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                             WAVRY_MDNS_SERVICE_TYPE, NULL, 0,
                                             browse_callback, self);
  if (self->browser == NULL)
    {
      g_set_error (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_FAILED,
                   _("Cannot browse for Wavry hosts on the local network: %s"),
                   avahi_strerror (avahi_client_errno (client)));
      return FALSE;
    }
  return TRUE;
}

static void
client_callback (AvahiClient      *client,
                 AvahiClientState  state,
                 void             *user_data)
{
  WavryMdnsBrowser *self = user_data;
  g_autoptr(GError) error = NULL;
  int avahi_error = 0;

  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
      /* Also reached again after a daemon restart. */
      if (self->client != NULL && !create_browser (self, client, &error))
        g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
      break;

    case AVAHI_CLIENT_FAILURE:
      if (avahi_client_errno (client) == AVAHI_ERR_DISCONNECTED && self->client == client)
        {
          /* The daemon went away: forget what it told us and wait for it
           * to come back (AVAHI_CLIENT_NO_FAIL). */
          g_autoptr(GPtrArray) removed = clear_services (self);

          g_debug ("avahi-daemon went away; waiting for it to restart");
          g_clear_pointer (&self->browser, avahi_service_browser_free);
          avahi_client_free (client);
          self->client = NULL;
          self->client = avahi_client_new (avahi_glib_poll_get (self->poll),
                                           AVAHI_CLIENT_NO_FAIL, client_callback, self,
                                           &avahi_error);
          if (self->client == NULL)
            error = g_error_new (WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_FAILED,
                                 _("mDNS discovery stopped: %s"),
                                 avahi_strerror (avahi_error));
          /* A daemon already back announced S_RUNNING inside
           * avahi_client_new (), before self->client was set. */
          else if (avahi_client_get_state (self->client) == AVAHI_CLIENT_S_RUNNING)
            create_browser (self, self->client, &error);

          /* Last, as handlers may stop or drop us. */
          g_object_ref (self);
          emit_removed (self, removed);
          if (error != NULL)
            g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
          g_object_unref (self);
        }
      else if (self->client == client)
        {
          g_autoptr(GPtrArray) removed = clear_services (self);

          error = g_error_new (WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_FAILED,
                               _("mDNS discovery stopped: %s"),
                               avahi_strerror (avahi_client_errno (client)));
          g_clear_pointer (&self->browser, avahi_service_browser_free);
          g_object_ref (self);   /* across both emissions */
          emit_removed (self, removed);
          g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
          g_object_unref (self);
        }
      break;

    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
    case AVAHI_CLIENT_CONNECTING:
    default:
      break;
    }
}

static void
wavry_mdns_browser_dispose (GObject *object)
{
  wavry_mdns_browser_stop (WAVRY_MDNS_BROWSER (object));
  G_OBJECT_CLASS (wavry_mdns_browser_parent_class)->dispose (object);
}

static void
wavry_mdns_browser_finalize (GObject *object)
{
  WavryMdnsBrowser *self = WAVRY_MDNS_BROWSER (object);

  g_hash_table_unref (self->services);
  g_object_unref (self->peers);
  G_OBJECT_CLASS (wavry_mdns_browser_parent_class)->finalize (object);
}

static void
wavry_mdns_browser_class_init (WavryMdnsBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wavry_mdns_browser_dispose;
  object_class->finalize = wavry_mdns_browser_finalize;

  signals[SIGNAL_PEER_ADDED] =
    g_signal_new ("peer-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, WAVRY_TYPE_PEER);
  signals[SIGNAL_PEER_REMOVED] =
    g_signal_new ("peer-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, WAVRY_TYPE_PEER);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
wavry_mdns_browser_init (WavryMdnsBrowser *self)
{
  self->peers = g_list_store_new (WAVRY_TYPE_PEER);
  self->services = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, service_free);
}

WavryMdnsBrowser *
wavry_mdns_browser_new (void)
{
  return g_object_new (WAVRY_TYPE_MDNS_BROWSER, NULL);
}

/* Shared with the publisher: the error for a client that cannot reach the
 * daemon. */
static void
set_no_daemon_error (GError **error,
                     int      avahi_error)
{
  if (avahi_error == AVAHI_ERR_NO_DAEMON || avahi_error == AVAHI_ERR_DBUS_ERROR ||
      avahi_error == 0)
    g_set_error_literal (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_NO_DAEMON,
                         _("The avahi daemon is not running (mDNS discovery needs "
                           "avahi-daemon)"));
  else
    g_set_error (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_FAILED,
                 _("Cannot reach the avahi daemon for mDNS discovery: %s"),
                 avahi_strerror (avahi_error));
}

gboolean
wavry_mdns_browser_start (WavryMdnsBrowser  *self,
                          GError           **error)
{
  int avahi_error = 0;

  g_return_val_if_fail (WAVRY_IS_MDNS_BROWSER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->client != NULL)
    return TRUE;

  self->context = g_main_context_ref_thread_default ();
  self->poll = avahi_glib_poll_new (g_main_context_get_thread_default (), G_PRIORITY_DEFAULT);
  /* Without NO_FAIL first, so that a missing daemon is reported now; the
   * running client is then replaced by a NO_FAIL one only on restarts. */
  self->client = avahi_client_new (avahi_glib_poll_get (self->poll), 0,
                                   client_callback, self, &avahi_error);
  if (self->client == NULL)
    {
      set_no_daemon_error (error, avahi_error);
      g_clear_pointer (&self->poll, avahi_glib_poll_free);
      g_clear_pointer (&self->context, g_main_context_unref);
      return FALSE;
    }
  if (avahi_client_get_state (self->client) == AVAHI_CLIENT_S_RUNNING &&
      !create_browser (self, self->client, error))
    {
      wavry_mdns_browser_stop (self);
      return FALSE;
    }
  return TRUE;
}

void
wavry_mdns_browser_stop (WavryMdnsBrowser *self)
{
  g_return_if_fail (WAVRY_IS_MDNS_BROWSER (self));

  g_ptr_array_unref (clear_services (self));   /* silently */
  g_clear_pointer (&self->browser, avahi_service_browser_free);
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
  g_clear_pointer (&self->context, g_main_context_unref);
}

GListModel *
wavry_mdns_browser_get_peers (WavryMdnsBrowser *self)
{
  g_return_val_if_fail (WAVRY_IS_MDNS_BROWSER (self), NULL);
  return G_LIST_MODEL (self->peers);
}

guint
wavry_mdns_browser_get_ignored_count (WavryMdnsBrowser *self)
{
  g_return_val_if_fail (WAVRY_IS_MDNS_BROWSER (self), 0);
  return self->ignored;
}

guint
wavry_mdns_browser_get_resolve_failures (WavryMdnsBrowser *self)
{
  g_return_val_if_fail (WAVRY_IS_MDNS_BROWSER (self), 0);
  return self->resolve_failures;
}
