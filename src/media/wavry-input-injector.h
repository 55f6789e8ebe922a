/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Evdev codes (linux/input-event-codes.h) PROTOCOL.md §5 "Input codes" uses. */
#define WAVRY_INPUT_BTN_LEFT   0x110
#define WAVRY_INPUT_BTN_RIGHT  0x111
#define WAVRY_INPUT_BTN_MIDDLE 0x112
#define WAVRY_INPUT_BTN_SIDE   0x113
#define WAVRY_INPUT_BTN_EXTRA  0x114
#define WAVRY_INPUT_KEY_MAX    0x2ff
/* The largest scroll one message may carry, in detents (see
 * doc/protocol-notes.md: §5 gives no bound). */
#define WAVRY_INPUT_SCROLL_MAX 100.0

/**
 * WavryInputInjector:
 *
 * Injects a remote client's input into this machine's session (the host
 * side of PROTOCOL.md §5 InputMessage). Codes are Linux evdev codes;
 * pointer positions are absolute, normalized 0..1 over the shared screen;
 * scroll is in wheel detents, positive = down / right, fractions allowed.
 * Not thread-safe: use an injector from one thread, the one that created
 * it. Every call fails with @error set (and injects nothing) when the code
 * or value is outside what wavry_input_*_is_valid() accept or the backend
 * cannot deliver it.
 */
#define WAVRY_TYPE_INPUT_INJECTOR (wavry_input_injector_get_type ())
G_DECLARE_DERIVABLE_TYPE (WavryInputInjector, wavry_input_injector, WAVRY, INPUT_INJECTOR, GObject)

struct _WavryInputInjectorClass
{
  GObjectClass parent_class;

  gboolean (*key)          (WavryInputInjector *self,
                            guint32             evdev_code,
                            gboolean            pressed,
                            GError            **error);
  gboolean (*pointer_move) (WavryInputInjector *self,
                            double              x,
                            double              y,
                            GError            **error);
  gboolean (*button)       (WavryInputInjector *self,
                            guint32             evdev_button,
                            gboolean            pressed,
                            GError            **error);
  gboolean (*scroll)       (WavryInputInjector *self,
                            double              dx,
                            double              dy,
                            GError            **error);

  gpointer padding[8];
};

gboolean     wavry_input_injector_key             (WavryInputInjector *self,
                                                   guint32             evdev_code,
                                                   gboolean            pressed,
                                                   GError            **error);
gboolean     wavry_input_injector_pointer_move    (WavryInputInjector *self,
                                                   double              x,
                                                   double              y,
                                                   GError            **error);
gboolean     wavry_input_injector_button          (WavryInputInjector *self,
                                                   guint32             evdev_button,
                                                   gboolean            pressed,
                                                   GError            **error);
gboolean     wavry_input_injector_scroll          (WavryInputInjector *self,
                                                   double              dx,
                                                   double              dy,
                                                   GError            **error);
/* What it injects into, for logs and Preferences ("XTest on :99"). */
const char  *wavry_input_injector_get_description (WavryInputInjector *self);
void         wavry_input_injector_set_description (WavryInputInjector *self,
                                                   const char         *description);

/* What the host accepts from the wire (§5 "Input codes"): a keyboard key
 * (1..255 or 0x160..KEY_MAX, not a button code); one of the five buttons
 * BTN_LEFT..BTN_EXTRA; a position within 0..1 on both axes; a finite
 * scroll of at most WAVRY_INPUT_SCROLL_MAX detents on either axis. */
gboolean     wavry_input_key_is_valid             (guint32 evdev_code);
gboolean     wavry_input_button_is_valid          (guint32 evdev_button);
gboolean     wavry_input_position_is_valid        (double  x,
                                                   double  y);
gboolean     wavry_input_scroll_is_valid          (double  dx,
                                                   double  dy);

/* The host's `--input` choice. */
typedef enum
{
  WAVRY_INPUT_BACKEND_AUTO,
  WAVRY_INPUT_BACKEND_NONE,
  WAVRY_INPUT_BACKEND_XTEST,
  WAVRY_INPUT_BACKEND_MUTTER,
  WAVRY_INPUT_BACKEND_UINPUT,
  WAVRY_INPUT_BACKEND_PORTAL,
} WavryInputBackend;

/* "auto", "none", "xtest", "mutter", "portal" or "uinput"; FALSE with @error set
 * (saying which names exist) otherwise. */
gboolean     wavry_input_backend_parse            (const char         *name,
                                                   WavryInputBackend  *backend,
                                                   GError            **error);

/* The injector for @backend given what the host captures (@capture_spec as
 * `--capture` takes it; NULL = test-pattern):
 *  - mutter: only with a `mutter[:CONNECTOR]` capture; the injector has no
 *    session until the capture starts and hands its own over (see
 *    wavry_input_injector_mutter_set_session());
 *  - xtest: the capture's X display (`x11[:DISPLAY]`), else $DISPLAY;
 *  - uinput: /dev/uinput;
 *  - portal: the desktop portal's RemoteDesktop session, which also selects
 *    the screen: with the portal capture (`pipewire`), the host captures
 *    that session's stream (wavry_capture_pipewire_new_for_remote()), so
 *    the user answers one dialog for both. Blocks until the user answers
 *    (see wavry-input-injector-portal.h) or @cancellable is cancelled;
 *  - auto: mutter with a mutter capture, the portal with the portal capture
 *    (`pipewire`), XTest with an x11 capture when the display has XTest,
 *    else uinput when /dev/uinput is writable.
 * Returns NULL with @error set saying why when the backend cannot work here
 * (for auto: why none could), and NULL without an error for none. With the
 * portal capture, G_IO_ERROR_CANCELLED (the user refused the dialog, or
 * @cancellable) and G_IO_ERROR_TIMED_OUT (nobody answered) mean the user
 * shared nothing: the caller must not start hosting. */
WavryInputInjector *wavry_input_injector_new_for_backend (WavryInputBackend   backend,
                                                          const char         *capture_spec,
                                                          GCancellable       *cancellable,
                                                          GError            **error);

/* The same; the portal session (backend portal, or auto with the portal
 * capture) first offers @restore_token (see
 * wavry_input_injector_portal_new_full()). */
WavryInputInjector *wavry_input_injector_new_for_backend_full (WavryInputBackend   backend,
                                                               const char         *capture_spec,
                                                               const char         *restore_token,
                                                               GCancellable       *cancellable,
                                                               GError            **error);

/* Whether @error from wavry_input_injector_new_for_backend() means the
 * user did not share the screen at all (see above). */
gboolean     wavry_input_injector_error_is_refusal (const GError *error);

/* How clients' keyboard and mouse would reach this machine with auto and
 * @capture_spec, for people (Preferences): probes without showing any
 * dialog, and says why none would work when so. */
char        *wavry_input_injector_describe_auto    (const char   *capture_spec);

G_END_DECLS
