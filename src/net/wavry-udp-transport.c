/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>

#include "wavry-net-error.h"
#include "wavry-rift-frame.h"
#include "wavry-udp-transport.h"

#define DSCP_EF_TOS       0xB8
#define SOCKET_BUFFER     (4 * 1024 * 1024)
#define MAX_READS_PER_WAKE 256

struct _WavryUdpTransport
{
  GObject              parent_instance;

  GSocket             *socket;
  GSource             *source;
  GInetSocketAddress  *local_address;

  WavryUdpReceiveFunc  receive_func;
  gpointer             receive_data;
  GDestroyNotify       receive_destroy;

  guint64              send_drops;
  guint8              *buffer;   /* WAVRY_RIFT_MAX_DATAGRAM bytes */
};

G_DEFINE_FINAL_TYPE (WavryUdpTransport, wavry_udp_transport, G_TYPE_OBJECT)

static void
wavry_udp_transport_dispose (GObject *object)
{
  WavryUdpTransport *self = WAVRY_UDP_TRANSPORT (object);

  wavry_udp_transport_close (self);
  wavry_udp_transport_set_receive_func (self, NULL, NULL, NULL);
  g_clear_object (&self->local_address);

  G_OBJECT_CLASS (wavry_udp_transport_parent_class)->dispose (object);
}

static void
wavry_udp_transport_finalize (GObject *object)
{
  WavryUdpTransport *self = WAVRY_UDP_TRANSPORT (object);

  g_free (self->buffer);

  G_OBJECT_CLASS (wavry_udp_transport_parent_class)->finalize (object);
}

static void
wavry_udp_transport_class_init (WavryUdpTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wavry_udp_transport_dispose;
  object_class->finalize = wavry_udp_transport_finalize;
}

static void
wavry_udp_transport_init (WavryUdpTransport *self)
{
  self->buffer = g_malloc (WAVRY_RIFT_MAX_DATAGRAM);
}

/* Runs on the transport's main context: drain the socket, bounded so a
 * flood cannot starve the timers that share the context. */
static gboolean
on_socket_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  WavryUdpTransport *self = user_data;
  int fd = g_socket_get_fd (socket);

  g_object_ref (self);
  for (guint i = 0; i < MAX_READS_PER_WAKE && self->socket != NULL; i++)
    {
      struct sockaddr_storage from;
      socklen_t from_len = sizeof from;
      WavryRiftAddr addr;
      gssize n;

      n = recvfrom (fd, self->buffer, WAVRY_RIFT_MAX_DATAGRAM, MSG_DONTWAIT,
                    (struct sockaddr *) &from, &from_len);
      if (n < 0)
        {
          if (errno != EAGAIN && errno != EINTR)
            g_debug ("recvfrom: %s", g_strerror (errno));
          break;
        }

      wavry_rift_addr_init (&addr, &from, from_len);
      if (self->receive_func != NULL)
        self->receive_func (self, &addr, self->buffer, n, self->receive_data);
    }
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

WavryUdpTransport *
wavry_udp_transport_new (GInetSocketAddress  *address,
                         GError             **error)
{
  g_autoptr(WavryUdpTransport) self = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) local_error = NULL;
  GSocketFamily family;
  int fd;
  int tos = DSCP_EF_TOS;
  int bufsize = SOCKET_BUFFER;

  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), NULL);

  self = g_object_new (WAVRY_TYPE_UDP_TRANSPORT, NULL);
  family = g_socket_address_get_family (G_SOCKET_ADDRESS (address));

  self->socket = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
                               &local_error);
  if (self->socket == NULL)
    {
      g_set_error (error, WAVRY_NET_ERROR, WAVRY_NET_ERROR_BIND,
                   "Cannot create a UDP socket: %s", local_error->message);
      return NULL;
    }
  g_socket_set_blocking (self->socket, FALSE);

  if (!g_socket_bind (self->socket, G_SOCKET_ADDRESS (address), FALSE, &local_error))
    {
      g_autofree char *where = NULL;
      GInetAddress *ip = g_inet_socket_address_get_address (address);
      g_autofree char *ip_text = g_inet_address_to_string (ip);

      where = g_strdup_printf ("%s%s%s:%u",
                               family == G_SOCKET_FAMILY_IPV6 ? "[" : "", ip_text,
                               family == G_SOCKET_FAMILY_IPV6 ? "]" : "",
                               g_inet_socket_address_get_port (address));
      g_set_error (error, WAVRY_NET_ERROR, WAVRY_NET_ERROR_BIND,
                   "Cannot listen on %s: %s", where, local_error->message);
      return NULL;
    }

  /* Best effort: DSCP EF for input and media (PROTOCOL.md D1), and buffers
   * large enough for a burst of video chunks. */
  fd = g_socket_get_fd (self->socket);
  if (family == G_SOCKET_FAMILY_IPV4)
    (void) setsockopt (fd, IPPROTO_IP, IP_TOS, &tos, sizeof tos);
  else
    (void) setsockopt (fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof tos);
  (void) setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &bufsize, sizeof bufsize);
  (void) setsockopt (fd, SOL_SOCKET, SO_SNDBUF, &bufsize, sizeof bufsize);

  local = g_socket_get_local_address (self->socket, &local_error);
  if (local == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  self->local_address = G_INET_SOCKET_ADDRESS (g_steal_pointer (&local));

  self->source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->source, G_SOURCE_FUNC (on_socket_readable), self, NULL);
  g_source_set_priority (self->source, G_PRIORITY_HIGH);
  g_source_set_static_name (self->source, "[wavry] UDP receive");
  g_source_attach (self->source, g_main_context_get_thread_default ());

  return g_steal_pointer (&self);
}

void
wavry_udp_transport_set_receive_func (WavryUdpTransport   *self,
                                      WavryUdpReceiveFunc  func,
                                      gpointer             user_data,
                                      GDestroyNotify       destroy)
{
  g_return_if_fail (WAVRY_IS_UDP_TRANSPORT (self));

  if (self->receive_destroy != NULL)
    self->receive_destroy (self->receive_data);

  self->receive_func = func;
  self->receive_data = user_data;
  self->receive_destroy = destroy;
}

gboolean
wavry_udp_transport_send (WavryUdpTransport   *self,
                          const WavryRiftAddr *to,
                          const guint8        *data,
                          gsize                len,
                          GError             **error)
{
  gssize n;

  g_return_val_if_fail (WAVRY_IS_UDP_TRANSPORT (self), FALSE);

  if (self->socket == NULL)
    {
      g_set_error_literal (error, WAVRY_NET_ERROR, WAVRY_NET_ERROR_SEND,
                           "The connection is closed");
      return FALSE;
    }

  do
    n = sendto (g_socket_get_fd (self->socket), data, len, MSG_DONTWAIT,
                (const struct sockaddr *) to->data, to->len);
  while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      int saved = errno;

      /* Latency first: a full buffer drops the datagram rather than block. */
      if (saved == EAGAIN || saved == ENOBUFS)
        {
          self->send_drops++;
          return TRUE;
        }

      g_set_error (error, WAVRY_NET_ERROR, WAVRY_NET_ERROR_SEND,
                   "Cannot send: %s", g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

GInetSocketAddress *
wavry_udp_transport_get_local_address (WavryUdpTransport *self)
{
  g_return_val_if_fail (WAVRY_IS_UDP_TRANSPORT (self), NULL);

  return self->local_address;
}

guint64
wavry_udp_transport_get_send_drops (WavryUdpTransport *self)
{
  return self->send_drops;
}

void
wavry_udp_transport_close (WavryUdpTransport *self)
{
  g_return_if_fail (WAVRY_IS_UDP_TRANSPORT (self));

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  if (self->socket != NULL)
    {
      g_socket_close (self->socket, NULL);
      g_clear_object (&self->socket);
    }
}
