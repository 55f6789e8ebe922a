/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-rift-session.h"

G_BEGIN_DECLS

#define WAVRY_TYPE_UDP_TRANSPORT (wavry_udp_transport_get_type ())
G_DECLARE_FINAL_TYPE (WavryUdpTransport, wavry_udp_transport, WAVRY, UDP_TRANSPORT, GObject)

/* Called for each received datagram, on the thread that owns the main
 * context the transport was created in. No GObject signal per packet. */
typedef void (*WavryUdpReceiveFunc) (WavryUdpTransport   *transport,
                                     const WavryRiftAddr *from,
                                     const guint8        *data,
                                     gsize                len,
                                     gpointer             user_data);

/* A UDP socket bound to @address (port 0 = any), readable on the
 * thread-default main context. Sets DSCP EF (TOS 0xB8, PROTOCOL.md D1). */
WavryUdpTransport *wavry_udp_transport_new           (GInetSocketAddress  *address,
                                                      GError             **error);
void               wavry_udp_transport_set_receive_func (WavryUdpTransport   *self,
                                                         WavryUdpReceiveFunc  func,
                                                         gpointer             user_data,
                                                         GDestroyNotify       destroy);
/* Sends one datagram; a full socket buffer drops it (latency first), which
 * is counted, not an error. */
gboolean           wavry_udp_transport_send          (WavryUdpTransport   *self,
                                                      const WavryRiftAddr *to,
                                                      const guint8        *data,
                                                      gsize                len,
                                                      GError             **error);
GInetSocketAddress *wavry_udp_transport_get_local_address (WavryUdpTransport *self);
guint64            wavry_udp_transport_get_send_drops (WavryUdpTransport  *self);
void               wavry_udp_transport_close         (WavryUdpTransport   *self);

G_END_DECLS
