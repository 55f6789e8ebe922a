/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-video-frame.h"

G_BEGIN_DECLS

/**
 * WavryCapture:
 *
 * A source of raw video frames (a screen, a PipeWire node, a YUV4MPEG2
 * stream, a synthetic pattern). Subclasses produce frames on their own
 * thread and hand each to wavry_capture_push_frame(); the base class keeps
 * only the newest one (ARCHITECTURE.md, latency first): a consumer that is
 * slower than the source never builds a queue, the frames it missed are
 * counted as dropped.
 *
 * Consumers call wavry_capture_start(), then wavry_capture_wait_frame() in a
 * loop from their own thread, and wavry_capture_stop() (or unref) at the end.
 * Damage-driven sources (mutter, PipeWire) may deliver no frame for a long
 * time when the screen is static: wavry_capture_get_last_frame() returns the
 * most recent frame again, e.g. to encode a keyframe for a new client.
 */
#define WAVRY_TYPE_CAPTURE (wavry_capture_get_type ())
G_DECLARE_DERIVABLE_TYPE (WavryCapture, wavry_capture, WAVRY, CAPTURE, GObject)

struct _WavryCaptureClass
{
  GObjectClass parent_class;

  /* Begins producing frames (typically starts a thread). Called once. */
  gboolean (*start) (WavryCapture  *self,
                     GError       **error);
  /* Stops producing frames and joins the thread; push_frame() must not be
   * called after it returns. Called at most once, only after start(). */
  void     (*stop)  (WavryCapture  *self);

  gpointer padding[8];
};

/* Options shared by the sources that need them; 0 = the source's own. */
typedef struct
{
  guint width;     /* test-pattern size; others report their native size */
  guint height;
  guint fps;       /* test-pattern rate, x11 polling rate; y4m file pacing override */
} WavryCaptureOptions;

/* Creates a source from a --capture specification: "test-pattern",
 * "y4m:PATH", "y4m:-", "x11", "x11:DISPLAY", "pipewire:NODE_ID", … Unknown
 * kinds and malformed arguments fail with WAVRY_MEDIA_ERROR_UNSUPPORTED /
 * G_IO_ERROR_INVALID_ARGUMENT and a message that lists the valid forms. */
WavryCapture    *wavry_capture_new_for_spec     (const char                *spec,
                                                 const WavryCaptureOptions *options,
                                                 GError                   **error);

gboolean         wavry_capture_start            (WavryCapture  *self,
                                                 GError       **error);
void             wavry_capture_stop             (WavryCapture  *self);

/* Blocks until a frame newer than the last one returned is available, the
 * source ends or fails, or @deadline_us (g_get_monotonic_time() clock) passes.
 * Returns the frame (owned by the caller), or NULL: with @error set when the
 * source ended (G_IO_ERROR_CLOSED, "end of stream") or failed, without when
 * the deadline passed or wavry_capture_interrupt() was called. */
WavryVideoFrame *wavry_capture_wait_frame       (WavryCapture  *self,
                                                 gint64         deadline_us,
                                                 GError       **error);
/* Wakes a thread blocked in wait_frame() (it returns NULL, no error). */
void             wavry_capture_interrupt        (WavryCapture  *self);
/* The most recent frame pushed, even if already returned; NULL before the first. */
WavryVideoFrame *wavry_capture_get_last_frame   (WavryCapture  *self);

/* Frames pushed by the source, and those replaced before a consumer took them. */
guint64          wavry_capture_get_n_frames     (WavryCapture  *self);
guint64          wavry_capture_get_n_dropped    (WavryCapture  *self);
/* A short description for logs and status ("test pattern 1280×720@60"). */
const char      *wavry_capture_get_description  (WavryCapture  *self);

/* For subclasses, from any thread. push_frame() takes a reference and stamps
 * the capture time if the frame has none. push_end() reports the end of the
 * source: @error NULL for a normal end of stream. */
void             wavry_capture_push_frame       (WavryCapture    *self,
                                                 WavryVideoFrame *frame);
void             wavry_capture_push_end         (WavryCapture    *self,
                                                 const GError    *error);
void             wavry_capture_set_description  (WavryCapture    *self,
                                                 const char      *description);

G_END_DECLS
