/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-identity.h"
#include "wavry-rift-client.h"

G_BEGIN_DECLS

#define WAVRY_TYPE_CONNECTION (wavry_connection_get_type ())
G_DECLARE_FINAL_TYPE (WavryConnection, wavry_connection, WAVRY, CONNECTION, GObject)

/* A RIFT client session over UDP: drives a WavryRiftClient from the
 * thread-default main context of the thread that calls connect_async().
 *
 * Signals (emitted on that context):
 *   "pending-approval" ()            the host is asking its owner
 *   "closed" (const GError *error)   the session ended after connecting */
WavryConnection      *wavry_connection_new            (WavryIdentity        *identity,
                                                       const char           *device_name);

void                  wavry_connection_connect_async  (WavryConnection      *self,
                                                       GInetSocketAddress   *address,
                                                       const char           *expected_host_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean              wavry_connection_connect_finish (WavryConnection      *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* One Ping/Pong round trip; the result is the RTT in microseconds. Fails
 * with G_IO_ERROR_TIMED_OUT when no Pong comes back within @timeout_ms. */
void                  wavry_connection_ping_async     (WavryConnection      *self,
                                                       guint                 timeout_ms,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gint64                wavry_connection_ping_finish    (WavryConnection      *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void                  wavry_connection_close          (WavryConnection      *self);

const char           *wavry_connection_get_host_id    (WavryConnection      *self);
WavryRiftClientState  wavry_connection_get_state      (WavryConnection      *self);
const WavryRiftStats *wavry_connection_get_stats      (WavryConnection      *self);
/* Connect time: first msg1 to HelloAck, in microseconds (0 before). */
gint64                wavry_connection_get_handshake_us (WavryConnection    *self);
/* How long (µs) nothing came from the host, on the monotonic clock; -1
 * before the session is established. The host answers Pings every 500 ms,
 * so seconds of silence mean the path or the host is gone (RIFT itself
 * gives up only after 30 s). */
gint64                wavry_connection_get_silence      (WavryConnection    *self);

/* Codecs to offer in Hello (best first) and the largest picture wanted;
 * set before connecting. */
void                  wavry_connection_set_codecs     (WavryConnection      *self,
                                                       const Rift__Codec    *codecs,
                                                       gsize                 n_codecs);
void                  wavry_connection_set_max_resolution (WavryConnection  *self,
                                                       guint                 width,
                                                       guint                 height);
/* Called on the connection's main context for every MESSAGE and PONG event
 * (the media hot path: no signal emission per packet). The event stays
 * owned by the connection. */
typedef void (*WavryConnectionEventFunc) (WavryConnection      *connection,
                                          const WavryRiftEvent *event,
                                          gpointer              user_data);
void                  wavry_connection_set_event_func (WavryConnection      *self,
                                                       WavryConnectionEventFunc func,
                                                       gpointer              user_data);
/* Seals and sends @message at once. FALSE when not established. */
gboolean              wavry_connection_send           (WavryConnection      *self,
                                                       const Rift__Message  *message);
const Rift__HelloAck *wavry_connection_get_hello_ack  (WavryConnection      *self);

G_END_DECLS
