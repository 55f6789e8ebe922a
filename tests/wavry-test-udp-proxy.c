/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-test-udp-proxy.h"

struct _WavryTestUdpProxy
{
  GSocket            *socket;
  GSource            *source;
  GInetSocketAddress *address;
  GSocketAddress     *host;
  GSocketAddress     *client;
  WavryTestProxyMode  mode;
  GPtrArray          *client_datagrams;
  GBytes             *held;        /* SWAP: waiting for its successor */
  GSocketAddress     *held_to;

  /* impairment */
  GRand              *rand;
  guint               loss_percent;
  guint               burst;
  guint               burst_left;   /* datagrams still to drop in the current burst */
  guint               delay_us;
  guint               jitter_us;
  GList              *delayed;      /* Delayed, sorted by due time */
  GSource            *delay_source;
  guint64             dropped;
  guint64             forwarded;
};

typedef struct
{
  gint64          due;
  GSocketAddress *to;
  GBytes         *bytes;
} Delayed;

static void
delayed_free (gpointer data)
{
  Delayed *d = data;

  g_object_unref (d->to);
  g_bytes_unref (d->bytes);
  g_free (d);
}

static gboolean
address_equal (GSocketAddress *a,
               GSocketAddress *b)
{
  guint8 na[128], nb[128];
  gssize la = g_socket_address_get_native_size (a);
  gssize lb = g_socket_address_get_native_size (b);

  if (la != lb || la <= 0 || la > (gssize) sizeof na)
    return FALSE;
  g_socket_address_to_native (a, na, sizeof na, NULL);
  g_socket_address_to_native (b, nb, sizeof nb, NULL);

  return memcmp (na, nb, la) == 0;
}

static void
send_now (WavryTestUdpProxy *proxy,
          GSocketAddress    *to,
          GBytes            *bytes)
{
  proxy->forwarded++;
  g_socket_send_to (proxy->socket, to, g_bytes_get_data (bytes, NULL),
                    g_bytes_get_size (bytes), NULL, NULL);
}

static gint
compare_due (gconstpointer a,
             gconstpointer b)
{
  const Delayed *x = a;
  const Delayed *y = b;

  return x->due < y->due ? -1 : x->due > y->due;
}

static void
arm_delay_source (WavryTestUdpProxy *proxy)
{
  const Delayed *first = proxy->delayed ? proxy->delayed->data : NULL;

  g_source_set_ready_time (proxy->delay_source, first ? first->due : -1);
}

static gboolean
on_delay_due (gpointer user_data)
{
  WavryTestUdpProxy *proxy = user_data;
  gint64 now = g_get_monotonic_time ();

  while (proxy->delayed != NULL && ((Delayed *) proxy->delayed->data)->due <= now)
    {
      Delayed *d = proxy->delayed->data;

      proxy->delayed = g_list_delete_link (proxy->delayed, proxy->delayed);
      send_now (proxy, d->to, d->bytes);
      delayed_free (d);
    }
  arm_delay_source (proxy);

  return G_SOURCE_CONTINUE;
}

static gboolean
delay_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs delay_funcs = {
  .dispatch = delay_dispatch,
};

/* Loss first (bursty), then delay/jitter, then the duplicate mode. */
static void
send_to (WavryTestUdpProxy *proxy,
         GSocketAddress    *to,
         GBytes            *bytes)
{
  guint copies = (proxy->mode & WAVRY_TEST_PROXY_DUPLICATE) ? 2 : 1;

  if (proxy->burst_left > 0)
    {
      proxy->burst_left--;
      proxy->dropped++;
      return;
    }
  if (proxy->loss_percent > 0 &&
      (guint) g_rand_int_range (proxy->rand, 0, 100 * MAX (proxy->burst, 1)) < proxy->loss_percent)
    {
      /* A burst of B drops starting with probability p/B keeps the mean
       * loss at p. */
      proxy->burst_left = MAX (proxy->burst, 1) - 1;
      proxy->dropped++;
      return;
    }

  for (guint i = 0; i < copies; i++)
    {
      Delayed *d;

      if (proxy->delay_us == 0 && proxy->jitter_us == 0)
        {
          send_now (proxy, to, bytes);
          continue;
        }
      d = g_new0 (Delayed, 1);
      d->due = g_get_monotonic_time () + proxy->delay_us +
               (proxy->jitter_us ? g_rand_int_range (proxy->rand, 0, proxy->jitter_us + 1) : 0);
      d->to = g_object_ref (to);
      d->bytes = g_bytes_ref (bytes);
      proxy->delayed = g_list_insert_sorted (proxy->delayed, d, compare_due);
    }
  arm_delay_source (proxy);
}

static gboolean
on_readable (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  WavryTestUdpProxy *proxy = user_data;
  guint8 buf[65536];

  for (;;)
    {
      g_autoptr(GSocketAddress) from = NULL;
      g_autoptr(GBytes) bytes = NULL;
      GSocketAddress *to;
      gssize n;

      n = g_socket_receive_from (socket, &from, (char *) buf, sizeof buf, NULL, NULL);
      if (n < 0)
        break;

      bytes = g_bytes_new (buf, n);
      if (address_equal (from, proxy->host))
        to = proxy->client;
      else
        {
          g_clear_object (&proxy->client);
          proxy->client = g_object_ref (from);
          to = proxy->host;
          g_ptr_array_add (proxy->client_datagrams, g_bytes_ref (bytes));
        }
      if (to == NULL)
        continue;

      if (proxy->mode & WAVRY_TEST_PROXY_SWAP)
        {
          if (proxy->held == NULL)
            {
              proxy->held = g_bytes_ref (bytes);
              proxy->held_to = g_object_ref (to);
              continue;
            }
          send_to (proxy, to, bytes);
          send_to (proxy, proxy->held_to, proxy->held);
          g_clear_pointer (&proxy->held, g_bytes_unref);
          g_clear_object (&proxy->held_to);
          continue;
        }

      send_to (proxy, to, bytes);
    }

  return G_SOURCE_CONTINUE;
}

WavryTestUdpProxy *
wavry_test_udp_proxy_new (GInetSocketAddress *host)
{
  WavryTestUdpProxy *proxy = g_new0 (WavryTestUdpProxy, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) bind_address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;

  proxy->host = g_object_ref (G_SOCKET_ADDRESS (host));
  proxy->client_datagrams = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  proxy->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (proxy->socket, FALSE);
  g_socket_bind (proxy->socket, bind_address, FALSE, &error);
  g_assert_no_error (error);
  proxy->address = G_INET_SOCKET_ADDRESS (g_socket_get_local_address (proxy->socket, &error));
  g_assert_no_error (error);

  proxy->rand = g_rand_new_with_seed (1);
  proxy->delay_source = g_source_new (&delay_funcs, sizeof (GSource));
  g_source_set_callback (proxy->delay_source, on_delay_due, proxy, NULL);
  g_source_attach (proxy->delay_source, g_main_context_get_thread_default ());

  proxy->source = g_socket_create_source (proxy->socket, G_IO_IN, NULL);
  g_source_set_callback (proxy->source, G_SOURCE_FUNC (on_readable), proxy, NULL);
  g_source_attach (proxy->source, g_main_context_get_thread_default ());

  return proxy;
}

void
wavry_test_udp_proxy_free (WavryTestUdpProxy *proxy)
{
  g_source_destroy (proxy->delay_source);
  g_source_unref (proxy->delay_source);
  g_list_free_full (proxy->delayed, delayed_free);
  g_rand_free (proxy->rand);
  g_source_destroy (proxy->source);
  g_source_unref (proxy->source);
  g_socket_close (proxy->socket, NULL);
  g_object_unref (proxy->socket);
  g_object_unref (proxy->address);
  g_object_unref (proxy->host);
  g_clear_object (&proxy->client);
  g_clear_object (&proxy->held_to);
  g_clear_pointer (&proxy->held, g_bytes_unref);
  g_ptr_array_unref (proxy->client_datagrams);
  g_free (proxy);
}

void
wavry_test_udp_proxy_set_mode (WavryTestUdpProxy  *proxy,
                               WavryTestProxyMode  mode)
{
  proxy->mode = mode;
}

void
wavry_test_udp_proxy_set_impairment (WavryTestUdpProxy *proxy,
                                     guint              loss_percent,
                                     guint              burst,
                                     guint              delay_us,
                                     guint              jitter_us,
                                     guint32            seed)
{
  g_assert_cmpuint (loss_percent, <=, 100);

  proxy->loss_percent = loss_percent;
  proxy->burst = MAX (burst, 1);
  proxy->burst_left = 0;
  proxy->delay_us = delay_us;
  proxy->jitter_us = jitter_us;
  g_rand_set_seed (proxy->rand, seed);
}

guint64
wavry_test_udp_proxy_get_dropped (WavryTestUdpProxy *proxy)
{
  return proxy->dropped;
}

guint64
wavry_test_udp_proxy_get_forwarded (WavryTestUdpProxy *proxy)
{
  return proxy->forwarded;
}

GInetSocketAddress *
wavry_test_udp_proxy_get_address (WavryTestUdpProxy *proxy)
{
  return proxy->address;
}

GPtrArray *
wavry_test_udp_proxy_get_client_datagrams (WavryTestUdpProxy *proxy)
{
  return proxy->client_datagrams;
}

void
wavry_test_udp_proxy_inject (WavryTestUdpProxy *proxy,
                             const guint8      *data,
                             gsize              len)
{
  g_socket_send_to (proxy->socket, proxy->host, (const char *) data, len, NULL, NULL);
}

gboolean
wavry_test_wait_for (gboolean (*condition) (gpointer),
                     gpointer   data,
                     guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  GMainContext *context = g_main_context_get_thread_default ();

  while (!condition (data))
    {
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      /* Non-blocking iterations with a short sleep keep the deadline exact. */
      if (!g_main_context_iteration (context, FALSE))
        g_usleep (500);
    }

  return TRUE;
}
