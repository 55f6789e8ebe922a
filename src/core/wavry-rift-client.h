/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-identity.h"
#include "wavry-rift-session.h"

G_BEGIN_DECLS

typedef enum /*< prefix=WAVRY_RIFT_CLIENT_STATE >*/
{
  WAVRY_RIFT_CLIENT_STATE_IDLE,
  WAVRY_RIFT_CLIENT_STATE_AWAIT_MSG2,       /* msg1 sent */
  WAVRY_RIFT_CLIENT_STATE_AWAIT_HELLO_ACK,  /* msg3 + Hello sent */
  WAVRY_RIFT_CLIENT_STATE_PENDING_APPROVAL, /* host asks its user (§4.5) */
  WAVRY_RIFT_CLIENT_STATE_ESTABLISHED,
  WAVRY_RIFT_CLIENT_STATE_CLOSED,
} WavryRiftClientState;

typedef struct
{
  const char        *device_name;       /* HandshakeInfo.device_name, Hello.client_name */
  const char        *expected_host_id;  /* pinned Wavry ID, or NULL to accept any (reported) */
  const Rift__Codec *codecs;            /* Hello.supported_codecs */
  gsize              n_codecs;
  guint32            max_width;         /* 0 = no preference */
  guint32            max_height;
  guint32            max_fps;           /* 0 = 60 */
  gboolean           keepalive;         /* send Ping every 500 ms once established */
} WavryRiftClientConfig;

/* A RIFT client endpoint (initiator), sans-I/O. @identity must hold a secret. */
WavryRiftClient      *wavry_rift_client_new             (WavryIdentity               *identity,
                                                         const WavryRiftClientConfig *config);
void                  wavry_rift_client_free            (WavryRiftClient             *self);

void                  wavry_rift_client_start           (WavryRiftClient             *self,
                                                         WavryTime                    now);
void                  wavry_rift_client_handle_datagram (WavryRiftClient             *self,
                                                         const guint8                *data,
                                                         gsize                        len,
                                                         WavryTime                    now);
/* When the caller should call handle_timeout() next; G_MAXINT64 = never. */
WavryTime             wavry_rift_client_next_timeout    (WavryRiftClient             *self);
void                  wavry_rift_client_handle_timeout  (WavryRiftClient             *self,
                                                         WavryTime                    now);
/* Next datagram to send, or NULL. */
WavryRiftDatagram    *wavry_rift_client_poll_transmit   (WavryRiftClient             *self);
gboolean              wavry_rift_client_poll_event      (WavryRiftClient             *self,
                                                         WavryRiftEvent              *event);

/* Once established: encrypts and queues @message. FALSE when not established. */
gboolean              wavry_rift_client_send            (WavryRiftClient             *self,
                                                         const Rift__Message         *message,
                                                         WavryTime                    now);
gboolean              wavry_rift_client_send_ping       (WavryRiftClient             *self,
                                                         WavryTime                    now);
void                  wavry_rift_client_close           (WavryRiftClient             *self);

WavryRiftClientState  wavry_rift_client_get_state       (WavryRiftClient             *self);
/* When the client last authenticated a datagram from the host (0 before
 * the first); the host answers its Pings every 500 ms. */
WavryTime             wavry_rift_client_get_last_rx     (WavryRiftClient             *self);
/* The host's Wavry ID once msg2 has proved it, else NULL. */
const char           *wavry_rift_client_get_host_id     (WavryRiftClient             *self);
const Rift__HelloAck *wavry_rift_client_get_hello_ack   (WavryRiftClient             *self);
const WavryRiftStats *wavry_rift_client_get_stats       (WavryRiftClient             *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftClient, wavry_rift_client_free)

G_END_DECLS
