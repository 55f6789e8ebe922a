/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include "wavry-input-injector.h"

G_BEGIN_DECLS

/* Input through the xdg-desktop-portal RemoteDesktop portal
 * (org.freedesktop.portal.RemoteDesktop), for a Wayland desktop without
 * mutter's private API. The session asks for keyboard and pointer and also
 * selects one monitor as screen-cast source (ScreenCast.SelectSources on
 * the same session), so that Start returns a stream: its PipeWire node id
 * (for a capture of the same session, see
 * wavry_input_injector_portal_open_pipewire_remote()) and its size, which
 * absolute pointer positions are placed on: x × (width − 1), y × (height − 1)
 * in stream pixels, so (0.5, 0.5) on 1280×720 is (639.5, 359.5). Scroll is
 * sent as NotifyPointerAxisDiscrete steps (axis 0 vertical, 1 horizontal,
 * positive = down / right); fractions of a detent add up until they make a
 * whole step. Calls are sent without waiting for the portal (in order);
 * failures it reports later are counted. Use it from the thread that
 * created it; its thread-default main context must run for the session's
 * Closed signal and the counts to be seen. */
#define WAVRY_TYPE_INPUT_INJECTOR_PORTAL (wavry_input_injector_portal_get_type ())
G_DECLARE_FINAL_TYPE (WavryInputInjectorPortal, wavry_input_injector_portal, WAVRY,
                      INPUT_INJECTOR_PORTAL, WavryInputInjector)

/* Device types of SelectDevices / Start's "devices". */
#define WAVRY_PORTAL_DEVICE_KEYBOARD 1u
#define WAVRY_PORTAL_DEVICE_POINTER  2u

/* CreateSession → SelectDevices (keyboard | pointer) → ScreenCast
 * SelectSources (one monitor) → Start: blocks until the user answers the
 * portal's dialog (at most 5 minutes) or @cancellable is cancelled.
 * @bus: (nullable): the session bus when NULL. Fails with
 * G_IO_ERROR_CANCELLED when the user refuses, WAVRY_MEDIA_ERROR_UNSUPPORTED
 * when no portal (or none with RemoteDesktop) runs on the bus. */
WavryInputInjector *wavry_input_injector_portal_new         (GDBusConnection          *bus,
                                                             GCancellable             *cancellable,
                                                             GError                  **error);
/* The same, first offering the desktop to remember the answer
 * (persist_mode 2, RemoteDesktop version 2 and later): @restore_token, the
 * token a previous session returned (NULL: none), lets the desktop skip
 * the dialog. Portals before version 2 ignore both and always ask. */
WavryInputInjector *wavry_input_injector_portal_new_full    (GDBusConnection          *bus,
                                                             const char               *restore_token,
                                                             GCancellable             *cancellable,
                                                             GError                  **error);
/* The token this session's Start returned, to give the next session; NULL
 * when the portal returned none (version 1, or the user did not allow it
 * to remember). */
const char         *wavry_input_injector_portal_get_restore_token
                                                            (WavryInputInjectorPortal *self);
/* The PipeWire node id of the session's screen-cast stream. */
guint32             wavry_input_injector_portal_get_node_id (WavryInputInjectorPortal *self);
/* The stream's size in pixels as the portal gave it (0×0 when it did not:
 * then pointer moves fail). */
void                wavry_input_injector_portal_get_size    (WavryInputInjectorPortal *self,
                                                             guint                    *width,
                                                             guint                    *height);
/* The portal session's object path. */
const char         *wavry_input_injector_portal_get_session_handle
                                                            (WavryInputInjectorPortal *self);
/* The device types the user allowed (WAVRY_PORTAL_DEVICE_*). */
guint32             wavry_input_injector_portal_get_devices (WavryInputInjectorPortal *self);
/* Whether the desktop closed the session (the user stopped sharing from
 * its indicator); seen once this thread's main context ran. */
gboolean            wavry_input_injector_portal_is_closed   (WavryInputInjectorPortal *self);
/* How many sent calls the portal answered with an error so far. */
guint               wavry_input_injector_portal_get_failed  (WavryInputInjectorPortal *self);
/* ScreenCast.OpenPipeWireRemote on this session: a PipeWire connection fd
 * (owned by the caller) on which the node of get_node_id() can be captured,
 * or -1 with @error set. */
int                 wavry_input_injector_portal_open_pipewire_remote
                                                            (WavryInputInjectorPortal *self,
                                                             GError                  **error);

/* Reads a RemoteDesktop Start response's results (untrusted): "devices"
 * (u, optional: keyboard | pointer when absent, as older portals
 * grant what was asked without saying so) and the first of "streams" (a(ua{sv})) with
 * its "size" ((ii), optional: 0×0 when absent or not positive). FALSE with
 * @error set when there is no stream or a value has the wrong type. */
gboolean            wavry_input_portal_parse_start_results  (GVariant                 *results,
                                                             guint32                  *devices,
                                                             guint32                  *node_id,
                                                             guint                    *width,
                                                             guint                    *height,
                                                             GError                  **error);

G_END_DECLS
