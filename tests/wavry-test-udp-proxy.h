/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A loopback UDP proxy between one client and one host, run on the
 * thread-default main context. It records every datagram it forwards and
 * can duplicate, reorder (swap each pair) or drop them. */
typedef struct _WavryTestUdpProxy WavryTestUdpProxy;

typedef enum
{
  WAVRY_TEST_PROXY_PASS      = 0,
  WAVRY_TEST_PROXY_DUPLICATE = 1 << 0,   /* send everything twice */
  WAVRY_TEST_PROXY_SWAP      = 1 << 1,   /* hold each datagram until the next, send both reversed */
} WavryTestProxyMode;

WavryTestUdpProxy *wavry_test_udp_proxy_new         (GInetSocketAddress *host);
void               wavry_test_udp_proxy_free        (WavryTestUdpProxy  *proxy);
void               wavry_test_udp_proxy_set_mode    (WavryTestUdpProxy  *proxy,
                                                     WavryTestProxyMode  mode);
GInetSocketAddress *wavry_test_udp_proxy_get_address (WavryTestUdpProxy *proxy);
/* Impairment in both directions (a userspace stand-in for netem, which
 * this kernel lacks): @loss_percent random loss, in bursts of @burst
 * datagrams (1 = independent), and a one-way delay of @delay_us plus a
 * uniform random 0..@jitter_us (so datagrams may overtake each other).
 * Deterministic for a given @seed. */
void               wavry_test_udp_proxy_set_impairment (WavryTestUdpProxy *proxy,
                                                        guint              loss_percent,
                                                        guint              burst,
                                                        guint              delay_us,
                                                        guint              jitter_us,
                                                        guint32            seed);
guint64            wavry_test_udp_proxy_get_dropped (WavryTestUdpProxy *proxy);
guint64            wavry_test_udp_proxy_get_forwarded (WavryTestUdpProxy *proxy);
/* Every client → host datagram seen so far (GBytes). */
GPtrArray         *wavry_test_udp_proxy_get_client_datagrams (WavryTestUdpProxy *proxy);
/* Sends raw bytes to the host from the proxy's address (as the client). */
void               wavry_test_udp_proxy_inject      (WavryTestUdpProxy  *proxy,
                                                     const guint8       *data,
                                                     gsize               len);
/* Iterates the thread-default context until @condition holds or
 * @timeout_ms passes; returns the condition. */
gboolean           wavry_test_wait_for              (gboolean          (*condition) (gpointer),
                                                     gpointer            data,
                                                     guint               timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryTestUdpProxy, wavry_test_udp_proxy_free)

G_END_DECLS
