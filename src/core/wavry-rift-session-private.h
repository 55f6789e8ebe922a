/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include "wavry-rift-noise.h"
#include "wavry-rift-packet.h"
#include "wavry-rift-replay-window.h"
#include "wavry-rift-session.h"

G_BEGIN_DECLS

/* One direction pair of an established RIFT channel (§3.2, §3.3). */
typedef struct
{
  WavryNoiseCipher      send;
  WavryNoiseCipher      recv;
  WavryRiftReplayWindow window;
  guint64              *next_packet_id;  /* the endpoint's single send counter */
} WavryRiftChannel;

void          wavry_rift_channel_clear        (WavryRiftChannel      *channel);

/* Encodes and seals @message under a fresh packet id. NULL when the message
 * does not fit a datagram or the nonce space is spent. */
WavryRiftDatagram *wavry_rift_channel_seal    (WavryRiftChannel      *channel,
                                               const WavryRiftAddr   *to,
                                               guint32                alias,
                                               const Rift__Message   *message);
/* Seals an already serialized Message (@plain) under a fresh packet id,
 * returned in @packet_id. */
WavryRiftDatagram *wavry_rift_channel_seal_plain (WavryRiftChannel    *channel,
                                                  const WavryRiftAddr *to,
                                                  guint32              alias,
                                                  const guint8        *plain,
                                                  gsize                plain_len,
                                                  guint64             *packet_id);
/* Opens and decodes a transport datagram. With @plaintext non-NULL, the
 * serialized message of a media datagram is returned there too (FEC needs
 * the exact bytes). */
WavryRiftDrop wavry_rift_channel_open_full    (WavryRiftChannel      *channel,
                                               const WavryRiftHeader *header,
                                               const guint8          *data,
                                               gsize                  len,
                                               Rift__Message        **message,
                                               GBytes               **plaintext);
/* Opens and decodes a transport datagram. */
WavryRiftDrop wavry_rift_channel_open         (WavryRiftChannel      *channel,
                                               const WavryRiftHeader *header,
                                               const guint8          *data,
                                               gsize                  len,
                                               Rift__Message        **message);

/* Builds the HandshakeInfo payload of msg2/msg3 (§3.1). */
GBytes       *wavry_rift_handshake_info_build (WavryIdentity         *identity,
                                               const char            *device_name);
/* Checks a received HandshakeInfo against the remote static key: the X25519
 * form of `identity` must equal it. Returns the proved identity, or NULL with
 * an error. */
WavryIdentity *wavry_rift_handshake_info_verify (const guint8        *payload,
                                                 gsize                len,
                                                 const guint8        *remote_static,
                                                 char               **device_name,
                                                 GError             **error);

/* What an endpoint hands to its I/O layer: datagrams to send, events, and
 * the counters of both. Shared by WavryRiftClient and WavryRiftHost. */
typedef struct
{
  GQueue         transmit;   /* WavryRiftDatagram */
  GQueue         events;     /* WavryRiftEvent */
  WavryRiftStats stats;
} WavryRiftOutbox;

void               wavry_rift_outbox_init      (WavryRiftOutbox    *outbox);
void               wavry_rift_outbox_clear     (WavryRiftOutbox    *outbox);
/* Takes @datagram and counts it as sent. */
void               wavry_rift_outbox_send      (WavryRiftOutbox    *outbox,
                                                WavryRiftDatagram  *datagram);
void               wavry_rift_outbox_send_bytes (WavryRiftOutbox   *outbox,
                                                 const WavryRiftAddr *to,
                                                 GBytes            *bytes);
WavryRiftDatagram *wavry_rift_outbox_pop_datagram (WavryRiftOutbox *outbox);
gboolean           wavry_rift_outbox_pop_event (WavryRiftOutbox    *outbox,
                                                WavryRiftEvent     *event);
/* Counts an incoming datagram. */
void               wavry_rift_outbox_received  (WavryRiftOutbox    *outbox,
                                                gsize               len);

void          wavry_rift_event_queue_push     (GQueue                *queue,
                                               WavryRiftEventKind     kind,
                                               guint32                alias,
                                               const char            *peer_id,
                                               Rift__Message         *message,
                                               GError                *error);

G_END_DECLS
