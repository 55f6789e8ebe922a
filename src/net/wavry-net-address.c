/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-net-address.h"
#include "wavry-net-error.h"

G_DEFINE_QUARK (wavry-net-error-quark, wavry_net_error)

GInetSocketAddress *
wavry_net_address_resolve (const char    *host_and_port,
                           guint16        default_port,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (host_and_port != NULL, NULL);

  connectable = g_network_address_parse (host_and_port, default_port, &local_error);
  if (connectable == NULL)
    {
      g_set_error (error, WAVRY_NET_ERROR, WAVRY_NET_ERROR_INVALID_ADDRESS,
                   "“%s” is not a network address: use HOST:PORT, for example "
                   "127.0.0.1:7878 or [::1]:7878", host_and_port);
      return NULL;
    }

  enumerator = g_socket_connectable_enumerate (connectable);
  address = g_socket_address_enumerator_next (enumerator, cancellable, &local_error);
  if (address == NULL)
    {
      g_set_error (error, WAVRY_NET_ERROR, WAVRY_NET_ERROR_RESOLVE,
                   "Cannot find host “%s”: %s", host_and_port,
                   local_error ? local_error->message : "no address");
      return NULL;
    }

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    {
      g_set_error (error, WAVRY_NET_ERROR, WAVRY_NET_ERROR_INVALID_ADDRESS,
                   "“%s” is not an IP address", host_and_port);
      return NULL;
    }

  return G_INET_SOCKET_ADDRESS (g_steal_pointer (&address));
}

char *
wavry_net_address_to_string (GSocketAddress *address)
{
  GInetSocketAddress *inet;
  g_autofree char *ip = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("(unknown)");

  inet = G_INET_SOCKET_ADDRESS (address);
  ip = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
  if (g_inet_address_get_family (g_inet_socket_address_get_address (inet)) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", ip, g_inet_socket_address_get_port (inet));

  return g_strdup_printf ("%s:%u", ip, g_inet_socket_address_get_port (inet));
}

void
wavry_net_address_to_rift (GSocketAddress *address,
                           WavryRiftAddr  *out)
{
  guint8 native[sizeof out->data];
  gssize len = g_socket_address_get_native_size (address);

  if (len <= 0 || (gsize) len > sizeof native ||
      !g_socket_address_to_native (address, native, sizeof native, NULL))
    {
      wavry_rift_addr_init (out, NULL, 0);
      return;
    }

  wavry_rift_addr_init (out, native, len);
}

GSocketAddress *
wavry_net_address_from_rift (const WavryRiftAddr *addr)
{
  return g_socket_address_new_from_native ((gpointer) addr->data, addr->len);
}

char *
wavry_net_rift_addr_to_string (const WavryRiftAddr *addr)
{
  g_autoptr(GSocketAddress) address = wavry_net_address_from_rift (addr);

  if (address == NULL)
    return g_strdup ("(unknown)");

  return wavry_net_address_to_string (address);
}
