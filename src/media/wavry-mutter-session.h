/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A screen-cast (and optionally remote-desktop) session with GNOME's own
 * compositor over its private D-Bus APIs, org.gnome.Mutter.ScreenCast and
 * org.gnome.Mutter.RemoteDesktop, as gnome-remote-desktop uses them. It
 * yields the PipeWire node to capture and injects input through the same
 * session. Not thread-safe: use it from the thread whose thread-default main
 * context was current when it was created. */
typedef struct _WavryMutterSession WavryMutterSession;

/* Called once, from the session's main context, when mutter closes the
 * session (Closed signal) or the compositor leaves the bus. */
typedef void (*WavryMutterSessionClosedFunc) (WavryMutterSession *session,
                                              gpointer            user_data);

/* How the cursor appears in the stream (mutter's "cursor-mode" values). */
typedef enum
{
  WAVRY_MUTTER_CURSOR_HIDDEN = 0,
  WAVRY_MUTTER_CURSOR_EMBEDDED = 1,
  WAVRY_MUTTER_CURSOR_METADATA = 2,
} WavryMutterCursorMode;

/* Creates a RemoteDesktop session and a ScreenCast session bound to it (a
 * ScreenCast session alone when @with_input is FALSE), records @connector
 * (NULL or "" = the primary monitor) with the cursor embedded, starts it and
 * waits, iterating the thread-default main context for at most 5 s, for the
 * PipeWire stream. @bus NULL = the session bus. */
WavryMutterSession *wavry_mutter_session_new          (GDBusConnection       *bus,
                                                       const char            *connector,
                                                       gboolean               with_input,
                                                       GError               **error);
WavryMutterSession *wavry_mutter_session_new_full     (GDBusConnection       *bus,
                                                       const char            *connector,
                                                       gboolean               with_input,
                                                       WavryMutterCursorMode  cursor_mode,
                                                       guint                  timeout_ms,
                                                       GError               **error);
/* Like wavry_mutter_session_new() but for a new virtual monitor (mutter's
 * RecordVirtual) that exists as long as the session: its size is the one
 * the PipeWire consumer picks when it connects, so get_size() says 0×0. */
WavryMutterSession *wavry_mutter_session_new_virtual  (GDBusConnection       *bus,
                                                       gboolean               with_input,
                                                       GError               **error);

/* The PipeWire node to capture. */
guint32      wavry_mutter_session_get_node_id        (WavryMutterSession *self);
/* The stream's size in pixels from its "size" parameter; 0×0 when mutter
 * did not say. */
void         wavry_mutter_session_get_size           (WavryMutterSession *self,
                                                      guint              *width,
                                                      guint              *height);
/* The monitor's connector as requested ("" for the primary monitor or a
 * virtual one). */
const char  *wavry_mutter_session_get_connector      (WavryMutterSession *self);
gboolean     wavry_mutter_session_has_input          (WavryMutterSession *self);
gboolean     wavry_mutter_session_is_closed          (WavryMutterSession *self);

/* Input, only for sessions created with @with_input. The calls are sent
 * without waiting for mutter's answer, in order, on the session's
 * connection; they fail at once (FALSE, @error set) when the session has no
 * input or is closed. Failures mutter reports later are counted (see
 * wavry_mutter_session_get_input_errors()). Key and button codes are Linux
 * evdev codes (PROTOCOL.md §5 "Input codes"); coordinates are absolute in
 * stream pixels; scroll is in wheel detents, positive = down / right,
 * fractions allowed. */
gboolean     wavry_mutter_session_key                (WavryMutterSession *self,
                                                      guint32             evdev_code,
                                                      gboolean            pressed,
                                                      GError            **error);
gboolean     wavry_mutter_session_pointer_move       (WavryMutterSession *self,
                                                      double              x,
                                                      double              y,
                                                      GError            **error);
gboolean     wavry_mutter_session_button             (WavryMutterSession *self,
                                                      guint32             evdev_button,
                                                      gboolean            pressed,
                                                      GError            **error);
gboolean     wavry_mutter_session_scroll             (WavryMutterSession *self,
                                                      double              dx,
                                                      double              dy,
                                                      GError            **error);
/* Waits (iterating the session's main context, at most @timeout_ms) until
 * mutter has answered every input call sent so far. */
gboolean     wavry_mutter_session_flush_input        (WavryMutterSession *self,
                                                      guint               timeout_ms,
                                                      GError            **error);
/* Input calls that mutter refused or that could not be delivered. */
guint        wavry_mutter_session_get_input_errors   (WavryMutterSession *self);

/* Replies and signals from mutter that did not have the expected shape
 * (ignored, not fatal). */
guint        wavry_mutter_session_get_malformed      (WavryMutterSession *self);

void         wavry_mutter_session_set_closed_func    (WavryMutterSession          *self,
                                                      WavryMutterSessionClosedFunc func,
                                                      gpointer                     user_data,
                                                      GDestroyNotify               destroy);

/* Stop()s the sessions (unless mutter already closed them) and frees. */
void         wavry_mutter_session_free               (WavryMutterSession *self);

/* The host's `--capture mutter[:CONNECTOR]` form: TRUE for "mutter"
 * (@connector set to "", the primary monitor) and "mutter:NAME" where NAME
 * is 1 to 64 printable ASCII characters without spaces (a DRM connector
 * name such as "HDMI-1", or mutter's "Meta-0"); FALSE with @error set
 * otherwise. */
gboolean     wavry_mutter_parse_capture_spec         (const char         *spec,
                                                      char              **connector,
                                                      GError            **error);

/* Parsers for what mutter sends, public for the tests and fuzzing. */

/* The "size" of a stream's Parameters property (a{sv}); FALSE when it is
 * missing, of the wrong type, or not within 1..16384 on both axes. */
gboolean     wavry_mutter_parse_stream_size          (GVariant           *parameters,
                                                      guint              *width,
                                                      guint              *height);
/* The monitors' connector names from a DisplayConfig.GetCurrentState()
 * reply, NULL-terminated (empty when there are none); NULL when @state is
 * not such a reply. */
char       **wavry_mutter_parse_connectors           (GVariant           *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryMutterSession, wavry_mutter_session_free)

G_END_DECLS
