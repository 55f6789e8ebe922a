/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-net-address.h"
#include "wavry-net-error.h"
#include "wavry-test-udp-proxy.h"
#include "wavry-udp-transport.h"

typedef struct
{
  guint         received;
  WavryRiftAddr from;
  guint8        last[2048];
  gsize         last_len;
} Sink;

static void
on_receive (WavryUdpTransport   *transport,
            const WavryRiftAddr *from,
            const guint8        *data,
            gsize                len,
            gpointer             user_data)
{
  Sink *sink = user_data;

  sink->received++;
  sink->from = *from;
  sink->last_len = MIN (len, sizeof sink->last);
  memcpy (sink->last, data, sink->last_len);
}

static GInetSocketAddress *
loopback_any_port (void)
{
  g_autoptr(GError) error = NULL;
  GInetSocketAddress *address = wavry_net_address_resolve ("127.0.0.1:0", 0, NULL, &error);

  g_assert_no_error (error);
  return address;
}

static gboolean
got_three (gpointer data)
{
  return ((Sink *) data)->received >= 3;
}

static void
test_send_receive (void)
{
  g_autoptr(GInetSocketAddress) any = loopback_any_port ();
  g_autoptr(WavryUdpTransport) a = NULL;
  g_autoptr(WavryUdpTransport) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a_text = NULL;
  g_autofree char *from_text = NULL;
  WavryRiftAddr to_b;
  Sink sink = { 0 };
  guint8 big[1400];

  a = wavry_udp_transport_new (any, &error);
  g_assert_no_error (error);
  b = wavry_udp_transport_new (any, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_inet_socket_address_get_port (wavry_udp_transport_get_local_address (b)), >, 0);
  wavry_udp_transport_set_receive_func (b, on_receive, &sink, NULL);

  wavry_net_address_to_rift (G_SOCKET_ADDRESS (wavry_udp_transport_get_local_address (b)), &to_b);
  for (guint i = 0; i < sizeof big; i++)
    big[i] = i * 7;
  g_assert_true (wavry_udp_transport_send (a, &to_b, (const guint8 *) "one", 3, &error));
  g_assert_true (wavry_udp_transport_send (a, &to_b, (const guint8 *) "two", 3, &error));
  g_assert_true (wavry_udp_transport_send (a, &to_b, big, sizeof big, &error));
  g_assert_no_error (error);

  g_assert_true (wavry_test_wait_for (got_three, &sink, 5000));
  /* Bytes round-trip, and the sender's address is reported. */
  g_assert_cmpmem (sink.last, sink.last_len, big, sizeof big);
  a_text = wavry_net_address_to_string (G_SOCKET_ADDRESS (wavry_udp_transport_get_local_address (a)));
  from_text = wavry_net_rift_addr_to_string (&sink.from);
  g_assert_cmpstr (from_text, ==, a_text);

  /* After close, sending fails with a clear error. */
  wavry_udp_transport_close (a);
  g_assert_false (wavry_udp_transport_send (a, &to_b, (const guint8 *) "x", 1, &error));
  g_assert_error (error, WAVRY_NET_ERROR, WAVRY_NET_ERROR_SEND);

  g_assert_finalize_object (g_steal_pointer (&a));
  g_assert_finalize_object (g_steal_pointer (&b));
}

static void
test_bind_in_use (void)
{
  g_autoptr(GInetSocketAddress) any = loopback_any_port ();
  g_autoptr(WavryUdpTransport) first = wavry_udp_transport_new (any, NULL);
  g_autoptr(WavryUdpTransport) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;

  g_assert_nonnull (first);
  second = wavry_udp_transport_new (wavry_udp_transport_get_local_address (first), &error);
  g_assert_null (second);
  g_assert_error (error, WAVRY_NET_ERROR, WAVRY_NET_ERROR_BIND);
  where = wavry_net_address_to_string (G_SOCKET_ADDRESS (wavry_udp_transport_get_local_address (first)));
  /* The message names the address a person asked for. */
  g_assert_nonnull (strstr (error->message, where));
}

static void
test_address_parse (void)
{
  static const struct { const char *text; const char *expect; } good[] = {
    { "127.0.0.1:7878", "127.0.0.1:7878" },
    { "[::1]:7878", "[::1]:7878" },
    { "127.0.0.1", "127.0.0.1:4242" },   /* default port */
  };
  static const char *bad[] = { "[::1", "127.0.0.1:99999", "", "a b:1" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GInetSocketAddress) a = wavry_net_address_resolve (good[i].text, 4242, NULL, &error);
      g_autofree char *text = NULL;
      WavryRiftAddr rift;
      g_autoptr(GSocketAddress) back = NULL;
      g_autofree char *back_text = NULL;

      g_assert_no_error (error);
      text = wavry_net_address_to_string (G_SOCKET_ADDRESS (a));
      g_assert_cmpstr (text, ==, good[i].expect);

      /* native ↔ WavryRiftAddr round trip */
      wavry_net_address_to_rift (G_SOCKET_ADDRESS (a), &rift);
      g_assert_cmpuint (rift.len, >, 0);
      back = wavry_net_address_from_rift (&rift);
      back_text = wavry_net_address_to_string (back);
      g_assert_cmpstr (back_text, ==, good[i].expect);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GInetSocketAddress) a = wavry_net_address_resolve (bad[i], 0, NULL, &error);

      g_assert_null (a);
      g_assert_nonnull (error);
      g_assert_true (error->domain == WAVRY_NET_ERROR);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/net/udp-transport/send-receive", test_send_receive);
  g_test_add_func ("/wavry/net/udp-transport/bind-in-use", test_bind_in_use);
  g_test_add_func ("/wavry/net/udp-transport/address-parse", test_address_parse);

  return g_test_run ();
}
