/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-identity.h"
#include "wavry-rift-session.h"

G_BEGIN_DECLS

typedef enum /*< prefix=WAVRY_RIFT_ADMISSION >*/
{
  WAVRY_RIFT_ADMISSION_REFUSE,
  WAVRY_RIFT_ADMISSION_ADMIT,
  WAVRY_RIFT_ADMISSION_ASK,   /* answer pending_approval until resolved (§4.5) */
  WAVRY_RIFT_ADMISSION_ENDED, /* refused: the owner just ended its session */
} WavryRiftAdmission;

/* Decides whether the client that proved @client_id may have a session.
 * Called once per completed handshake. */
typedef WavryRiftAdmission (*WavryRiftAdmitFunc) (const char *client_id,
                                                  const char *client_name,
                                                  gpointer    user_data);

typedef struct
{
  const char         *device_name;       /* HandshakeInfo.device_name */
  const Rift__Codec  *codecs;            /* codecs this host can encode */
  gsize               n_codecs;
  guint               max_clients;       /* 0 = unlimited */
  guint               max_handshakes;    /* pending handshakes kept (0 = 256) */
  WavryRiftAdmitFunc  admit;             /* NULL = admit everyone */
  gpointer            admit_data;
  /* HelloAck stream parameters (§4.2); 0 = the protocol defaults. A stream
   * size, when set, is what the host sends whatever the client asked. */
  guint               stream_width;
  guint               stream_height;
  guint               fps;
  guint               initial_bitrate_kbps;
  guint               keyframe_interval_ms;
} WavryRiftHostConfig;

/* A RIFT host endpoint (responder) serving many clients, sans-I/O. */
WavryRiftHost        *wavry_rift_host_new               (WavryIdentity             *identity,
                                                         const WavryRiftHostConfig *config);
void                  wavry_rift_host_free              (WavryRiftHost             *self);

void                  wavry_rift_host_handle_datagram   (WavryRiftHost             *self,
                                                         const WavryRiftAddr       *from,
                                                         const guint8              *data,
                                                         gsize                      len,
                                                         WavryTime                  now);
WavryTime             wavry_rift_host_next_timeout      (WavryRiftHost             *self);
void                  wavry_rift_host_handle_timeout    (WavryRiftHost             *self,
                                                         WavryTime                  now);
WavryRiftDatagram    *wavry_rift_host_poll_transmit     (WavryRiftHost             *self);
gboolean              wavry_rift_host_poll_event        (WavryRiftHost             *self,
                                                         WavryRiftEvent            *event);

gboolean              wavry_rift_host_send              (WavryRiftHost             *self,
                                                         guint32                    alias,
                                                         const Rift__Message       *message,
                                                         WavryTime                  now);
/* Sends an already serialized rift Message (e.g. a VideoChunk, or an FEC
 * parity packet) to the session @alias; its packet id is returned in
 * @packet_id. FALSE when there is no such session or it does not fit. */
gboolean              wavry_rift_host_send_packed       (WavryRiftHost             *self,
                                                         guint32                    alias,
                                                         const guint8              *plain,
                                                         gsize                      len,
                                                         guint64                   *packet_id,
                                                         WavryTime                  now);
/* Resolves an ASK admission for every pending client that proved @client_id. */
void                  wavry_rift_host_resolve_approval  (WavryRiftHost             *self,
                                                         const char                *client_id,
                                                         gboolean                   admit);
void                  wavry_rift_host_disconnect        (WavryRiftHost             *self,
                                                         guint32                    alias);

/* Where session @alias is now (it follows a roaming client) and the device
 * name it gave; FALSE when there is no such session. */
gboolean              wavry_rift_host_get_session_info  (WavryRiftHost             *self,
                                                         guint32                    alias,
                                                         WavryRiftAddr             *addr,
                                                         const char               **client_name);
/* When the host last authenticated a datagram of session @alias (its
 * client pings every 500 ms: a longer silence means it went away, which
 * RIFT only tells after WAVRY_RIFT_SILENCE_TIMEOUT_US); FALSE when there is
 * no such session. */
gboolean              wavry_rift_host_get_session_last_rx (WavryRiftHost           *self,
                                                           guint32                  alias,
                                                           WavryTime               *last_rx);
guint                 wavry_rift_host_get_n_sessions    (WavryRiftHost             *self);
const WavryRiftStats *wavry_rift_host_get_stats         (WavryRiftHost             *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftHost, wavry_rift_host_free)

G_END_DECLS
