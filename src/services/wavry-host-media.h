/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-capture.h"
#include "wavry-input-injector.h"
#include "wavry-rift-host.h"
#include "wavry-udp-transport.h"

G_BEGIN_DECLS

/* What the host streams, from the command line (`wavry --service=host`). */
typedef struct
{
  const char          *capture_spec;    /* --capture; NULL = "test-pattern" */
  WavryCaptureOptions  capture;
  const char          *encoder;         /* --encoder; NULL = auto */
  const char          *codec;           /* --codec h264|hevc|av1; NULL = the encoder's best */
  guint                width;           /* --width/--height: scale to; 0 = the source's size */
  guint                height;
  guint                fps;             /* 0 = 60 */
  guint                bitrate_kbps;    /* 0 = 20000; DELTA never goes above it */
  guint                keyframe_interval_ms;  /* 0 = 1000 */
  guint                encoder_threads; /* 0 = 1 */
} WavryHostMediaConfig;

typedef struct
{
  guint64 frames_captured;
  guint64 frames_dropped_capture;   /* replaced in the newest-frame slot */
  guint64 frames_skipped;           /* EncoderControl skips and FPS limiting */
  guint64 frames_encoded;
  guint64 keyframes;
  guint64 frames_sent;              /* summed over sessions */
  guint64 chunks_sent;
  guint64 parity_sent;
  guint64 bytes_sent;
  guint64 input_injected;           /* InputMessages delivered to the injector */
  guint64 input_refused;            /* from view-only sessions, or no injector */
  guint64 input_invalid;            /* out-of-range values, unknown codes, no event */
  guint64 input_failed;             /* the injector could not deliver them */
  guint   bitrate_kbps;             /* current encoder target */
  guint   fps;
} WavryHostMediaStats;

/* The host's media path (ARCHITECTURE.md "Threads and the hot path"):
 * capture thread → encode thread → session thread, which packetizes
 * (§6.1), adds FEC parity (§6.3), paces (§6.5) and sends. One capture and
 * one encoder serve every session (the "same stream shared" of §4); each
 * session has its own frame ids, FEC, pacing and DELTA (§7), and the
 * encoder follows the slowest session. Everything but the encoder runs on
 * the session thread: the thread whose default main context was current
 * when wavry_host_media_attach() was called. */
#define WAVRY_TYPE_HOST_MEDIA (wavry_host_media_get_type ())
G_DECLARE_FINAL_TYPE (WavryHostMedia, wavry_host_media, WAVRY, HOST_MEDIA, GObject)

/* Checks the configuration (capture spec, encoder, codec) and fails with a
 * message that says how to fix a bad one. Nothing starts yet. */
WavryHostMedia *wavry_host_media_new              (const WavryHostMediaConfig *config,
                                                   GError                    **error);
/* The codec this host streams in (offered in HelloAck negotiation). */
Rift__Codec     wavry_host_media_get_codec        (WavryHostMedia  *self);
const char     *wavry_host_media_get_encoder_name (WavryHostMedia  *self);
/* HelloAck parameters (§4.2): stream size (0×0 when it follows the source), FPS, bitrate, keyframe interval. */
void            wavry_host_media_get_stream_params (WavryHostMedia *self,
                                                    guint          *width,
                                                    guint          *height,
                                                    guint          *fps,
                                                    guint          *bitrate_kbps,
                                                    guint          *keyframe_interval_ms);

void            wavry_host_media_attach           (WavryHostMedia    *self,
                                                   WavryRiftHost     *host,
                                                   WavryUdpTransport *transport);
void            wavry_host_media_detach           (WavryHostMedia  *self);

/* Session events, from the RIFT host's event loop. */
void            wavry_host_media_session_started  (WavryHostMedia  *self,
                                                   guint32          alias);
void            wavry_host_media_session_ended    (WavryHostMedia  *self,
                                                   guint32          alias);
void            wavry_host_media_handle_message   (WavryHostMedia      *self,
                                                   guint32              alias,
                                                   const Rift__Message *message);

/* Input (§5 InputMessage) from clients is injected through @injector
 * (NULL = none: refused and counted) on the session thread as soon as it
 * arrives, never behind video. With a mutter injector that has no session
 * and a `mutter` capture, the capture's own session is created with input
 * and shared. */
void            wavry_host_media_set_injector     (WavryHostMedia      *self,
                                                   WavryInputInjector  *injector);
WavryInputInjector *wavry_host_media_get_injector (WavryHostMedia      *self);
/* A view-only session's input is refused (and counted); from the session
 * thread, any time after the client connected. */
void            wavry_host_media_set_view_only    (WavryHostMedia      *self,
                                                   guint32              alias,
                                                   gboolean             view_only);
/* Whether sessions start view-only (`--view-only`: no client may inject). */
void            wavry_host_media_set_default_view_only (WavryHostMedia *self,
                                                        gboolean        view_only);

void            wavry_host_media_get_stats        (WavryHostMedia      *self,
                                                   WavryHostMediaStats *stats);

G_END_DECLS
