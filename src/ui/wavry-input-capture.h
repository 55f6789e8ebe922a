/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gtk/gtk.h>

#include "wavry-gl-presenter.h"

G_BEGIN_DECLS

/* Where the stream window's input goes (PROTOCOL.md §5 semantics): keys as
 * Linux evdev codes (KEY_A = 30), pointer position normalized to 0…1 inside
 * the picture, buttons as evdev codes (BTN_LEFT 0x110, BTN_RIGHT 0x111,
 * BTN_MIDDLE 0x112, BTN_SIDE 0x113, BTN_EXTRA 0x114), scroll in detents
 * (positive dy = down, positive dx = right). Called on the main thread. */
#define WAVRY_TYPE_INPUT_SINK (wavry_input_sink_get_type ())
G_DECLARE_INTERFACE (WavryInputSink, wavry_input_sink, WAVRY, INPUT_SINK, GObject)

struct _WavryInputSinkInterface
{
  GTypeInterface parent_iface;

  void (*key)     (WavryInputSink *self,
                   guint           evdev_code,
                   gboolean        pressed);
  void (*pointer) (WavryInputSink *self,
                   double          x,
                   double          y);
  void (*button)  (WavryInputSink *self,
                   guint           evdev_button,
                   gboolean        pressed);
  void (*scroll)  (WavryInputSink *self,
                   int             dx,
                   int             dy);
};

void wavry_input_sink_key     (WavryInputSink *self,
                               guint           evdev_code,
                               gboolean        pressed);
void wavry_input_sink_pointer (WavryInputSink *self,
                               double          x,
                               double          y);
void wavry_input_sink_button  (WavryInputSink *self,
                               guint           evdev_button,
                               gboolean        pressed);
void wavry_input_sink_scroll  (WavryInputSink *self,
                               int             dx,
                               int             dy);

#define WAVRY_BTN_LEFT   0x110
#define WAVRY_BTN_RIGHT  0x111
#define WAVRY_BTN_MIDDLE 0x112
#define WAVRY_BTN_SIDE   0x113
#define WAVRY_BTN_EXTRA  0x114

/* GDK button number (1 left, 2 middle, 3 right, 8 back, 9 forward) → evdev
 * code; 0 for a button without one. */
guint wavry_input_button_to_evdev (guint gdk_button);
/* X11/Wayland hardware keycode → evdev code (keycode − 8); 0 below 8. */
guint wavry_input_keycode_to_evdev (guint hardware_keycode);

/* Translates a window's keyboard and a presenter's pointer events into a
 * WavryInputSink. Input is grabbed (forwarded, and not handled locally)
 * while the window is active, until Ctrl+Alt+Shift releases it; a click in
 * the picture grabs it again. Keys still held when the grab ends are
 * released on the sink. F11 and Ctrl+Shift+S stay with the window. */
#define WAVRY_TYPE_INPUT_CAPTURE (wavry_input_capture_get_type ())
G_DECLARE_FINAL_TYPE (WavryInputCapture, wavry_input_capture, WAVRY, INPUT_CAPTURE, GObject)

WavryInputCapture *wavry_input_capture_new      (GtkWindow        *window,
                                                 WavryGlPresenter *presenter);
/* @sink: (nullable): NULL drops the input. */
void               wavry_input_capture_set_sink (WavryInputCapture *self,
                                                 WavryInputSink    *sink);
WavryInputSink    *wavry_input_capture_get_sink (WavryInputCapture *self);
/* The "grabbed" property. */
gboolean           wavry_input_capture_get_grabbed (WavryInputCapture *self);
void               wavry_input_capture_set_grabbed (WavryInputCapture *self,
                                                    gboolean           grabbed);

G_END_DECLS
