/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-connection.h"
#include "wavry-video-frame.h"

G_BEGIN_DECLS

typedef struct
{
  const char *sink;         /* --sink y4m:PATH | y4m:- ; NULL = none */
  const char *record;       /* --record FILE (.mkv/.mp4/…); NULL = none */
  const char *stats_path;   /* --stats FILE: one JSON object per second; NULL = none */
  gboolean    hw_decode;    /* try VA-API first */
  gboolean    live_status;  /* a one-line status on stderr, rewritten every second */
} WavryClientMediaConfig;

typedef struct
{
  guint64 frames_complete;    /* reassembled */
  guint64 frames_lost;        /* never completed (FEC and NACK failed in time) */
  guint64 frames_decoded;
  guint64 frames_output;      /* written to the sink */
  guint64 frames_dropped;     /* not decodable (after a loss, until a keyframe) or late */
  guint64 decode_errors;
  guint64 fec_recovered;
  guint64 nacks_sent;         /* packet ids asked for */
  guint64 rfi_sent;
  guint64 keyframes;
  guint64 bytes_received;
  guint   width;
  guint   height;
} WavryClientMediaStats;

/* The client's media path: on the connection's thread, NACK, FEC recovery,
 * reassembly, jitter buffer, StatsReport, encoder skip and RFI (§6, §7);
 * on a decode thread, decoding and the outputs. A frame that cannot be
 * decoded cleanly is never output: the stream waits for a keyframe, which
 * it requests with ReferenceInvalidation. */
#define WAVRY_TYPE_CLIENT_MEDIA (wavry_client_media_get_type ())
G_DECLARE_FINAL_TYPE (WavryClientMedia, wavry_client_media, WAVRY, CLIENT_MEDIA, GObject)

/* Opens the outputs (so a bad path fails before connecting). */
WavryClientMedia *wavry_client_media_new          (const WavryClientMediaConfig *config,
                                                   GError                      **error);
/* Codecs this client decodes, best first (for Hello). */
gsize             wavry_client_media_get_codecs   (WavryClientMedia *self,
                                                   Rift__Codec       codecs[3]);
/* Starts receiving on an established connection (uses its HelloAck);
 * call on the connection's thread. */
gboolean          wavry_client_media_attach       (WavryClientMedia  *self,
                                                   WavryConnection   *connection,
                                                   GError           **error);
/* Stops, drains the decode thread and closes the outputs (the recording
 * gets its trailer). Returns FALSE when closing an output failed. */
gboolean          wavry_client_media_detach       (WavryClientMedia  *self,
                                                   GError           **error);
void              wavry_client_media_get_stats    (WavryClientMedia      *self,
                                                   WavryClientMediaStats *stats);
/* The whole run's JSON summary (same shape as the per-second lines). */
char             *wavry_client_media_get_summary  (WavryClientMedia *self);

/* Remote control (§5 InputMessage): each sends one event, stamped with
 * the monotonic time in µs, at once on the connection (sealed and
 * transmitted ahead of anything queued). Codes are Linux evdev codes (key:
 * KEY_*, button: BTN_LEFT…BTN_EXTRA); the pointer is absolute, 0..1 over
 * the stream; scroll is in detents, positive = down / right. Call on the
 * connection's thread while attached; FALSE when not attached, the
 * connection is not established, or a value is outside what the host
 * accepts (nothing is sent then). */
gboolean          wavry_client_media_send_key     (WavryClientMedia *self,
                                                   guint32           evdev,
                                                   gboolean          pressed);
gboolean          wavry_client_media_send_pointer (WavryClientMedia *self,
                                                   double            x,
                                                   double            y);
gboolean          wavry_client_media_send_button  (WavryClientMedia *self,
                                                   guint32           evdev,
                                                   gboolean          pressed);
gboolean          wavry_client_media_send_scroll  (WavryClientMedia *self,
                                                   double            dx,
                                                   double            dy);

/* Called on the decode thread with every frame output (tests, GUI). */
typedef void (*WavryClientFrameFunc) (WavryVideoFrame *frame,
                                      gpointer         user_data);
void              wavry_client_media_set_frame_func (WavryClientMedia     *self,
                                                     WavryClientFrameFunc  func,
                                                     gpointer              user_data);

/* Whether the frame func may receive DMA-BUF frames (pictures decoded by
 * VA-API, left on the GPU; see wavry_video_frame_is_dmabuf()): set by a
 * consumer that imports them (the GL presenter), cleared again when it
 * finds it cannot. Off by default; never with a y4m sink, which needs the
 * pixels. Thread-safe; takes effect from the next decoded frame. */
void              wavry_client_media_set_dmabuf_output (WavryClientMedia *self,
                                                        gboolean          enable);
gboolean          wavry_client_media_get_dmabuf_output (WavryClientMedia *self);

G_END_DECLS
