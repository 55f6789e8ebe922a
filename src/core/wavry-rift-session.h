/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-core-types.h"
#include "wavry-rift-frame.h"
#include "wavry-rift-proto.h"

G_BEGIN_DECLS

/* Types shared by the sans-I/O RIFT endpoints (WavryRiftClient,
 * WavryRiftHost). The I/O layer feeds datagrams and the time in, then drains
 * datagrams to send and events, and sleeps until next_timeout(). */

/* RIFT §3.1 / §4 timers (microseconds) */
#define WAVRY_RIFT_HANDSHAKE_RETRY_US     (250 * G_TIME_SPAN_MILLISECOND)
#define WAVRY_RIFT_HANDSHAKE_ATTEMPTS     8
#define WAVRY_RIFT_PING_INTERVAL_US       (500 * G_TIME_SPAN_MILLISECOND)
#define WAVRY_RIFT_SILENCE_TIMEOUT_US     (30 * G_TIME_SPAN_SECOND)
#define WAVRY_RIFT_APPROVAL_RETRY_US      (1 * G_TIME_SPAN_SECOND)
#define WAVRY_RIFT_APPROVAL_TIMEOUT_US    (60 * G_TIME_SPAN_SECOND)
/* §3.3: never let a nonce reach 2^63; the session ends before that. */
#define WAVRY_RIFT_MAX_PACKET_ID          (G_GUINT64_CONSTANT (1) << 63)
#define WAVRY_RIFT_MAX_SESSION_AGE_US     (24 * G_TIME_SPAN_HOUR)
/* §6.4: datagrams a host keeps for retransmission, and re-sends per Nack */
#define WAVRY_RIFT_SEND_HISTORY           512
#define WAVRY_RIFT_NACK_MAX_RESEND        16

/* An opaque peer address: the I/O layer stores the native sockaddr here
 * (g_socket_address_to_native) so src/core never sees a socket type. */
struct _WavryRiftAddr
{
  guint8 len;
  guint8 data[31];
};

void     wavry_rift_addr_init  (WavryRiftAddr       *addr,
                                gconstpointer        native,
                                gsize                len);
guint    wavry_rift_addr_hash  (gconstpointer        addr);
gboolean wavry_rift_addr_equal (gconstpointer        a,
                                gconstpointer        b);

typedef struct
{
  WavryRiftAddr addr;  /* destination (host side; unused by the client) */
  gsize         len;
  guint8        data[];
} WavryRiftDatagram;

WavryRiftDatagram *wavry_rift_datagram_new  (const WavryRiftAddr *addr,
                                             const guint8        *data,
                                             gsize                len);
void               wavry_rift_datagram_free (WavryRiftDatagram   *datagram);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftDatagram, wavry_rift_datagram_free)

typedef enum /*< prefix=WAVRY_RIFT_EVENT >*/
{
  WAVRY_RIFT_EVENT_NONE,
  WAVRY_RIFT_EVENT_CONNECTED,           /* client: HelloAck accepted; host: a client admitted */
  WAVRY_RIFT_EVENT_PENDING_APPROVAL,    /* client: host is asking its user; host: decide on peer_id */
  WAVRY_RIFT_EVENT_MESSAGE,             /* an application message (not handshake/ping) */
  WAVRY_RIFT_EVENT_PONG,                /* client: a Pong; rtt_us is set */
  WAVRY_RIFT_EVENT_CLOSED,              /* session ended; error says why */
} WavryRiftEventKind;

typedef struct
{
  WavryRiftEventKind  kind;
  guint32             alias;     /* the session alias (host: which client) */
  char               *peer_id;   /* the peer's Wavry ID, when known */
  Rift__Message      *message;   /* MESSAGE and CONNECTED (the HelloAck / Hello) */
  gint64              rtt_us;    /* PONG */
  GError             *error;     /* CLOSED */
  guint64             packet_id; /* MESSAGE and PONG: the authenticated packet id (NACK, §6.4) */
  GBytes             *plaintext; /* client MESSAGE of a media message: its serialized bytes (FEC, §6.3) */
} WavryRiftEvent;

void wavry_rift_event_clear (WavryRiftEvent *event);

/* Counters kept by each endpoint; drops by WavryRiftDrop reason. */
typedef struct
{
  guint64 rx_datagrams;
  guint64 rx_bytes;
  guint64 tx_datagrams;
  guint64 tx_bytes;
  guint64 drops[WAVRY_RIFT_DROP_LAST];
  guint64 nack_ids;        /* host: packet ids asked for again by Nacks */
  guint64 retransmitted;   /* host: datagrams re-sent from the send history */
} WavryRiftStats;

guint64 wavry_rift_stats_total_drops (const WavryRiftStats *stats);

G_END_DECLS
