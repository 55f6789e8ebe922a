/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <adwaita.h>

#include "wavry-client-media.h"
#include "wavry-gl-presenter.h"
#include "wavry-input-capture.h"

G_BEGIN_DECLS

/* The window of one stream: a header bar titled with the host's name, the
 * picture (WavryGlPresenter), a statistics overlay (win.toggle-stats,
 * Ctrl+Shift+S), fullscreen (win.fullscreen, F11) and input capture
 * (WavryInputCapture; released with Ctrl+Alt+Shift). */
#define WAVRY_TYPE_STREAM_WINDOW (wavry_stream_window_get_type ())
G_DECLARE_FINAL_TYPE (WavryStreamWindow, wavry_stream_window, WAVRY, STREAM_WINDOW, AdwWindow)

WavryStreamWindow *wavry_stream_window_new               (GtkApplication    *app,
                                                          const char        *title);
WavryGlPresenter  *wavry_stream_window_get_presenter     (WavryStreamWindow *self);
WavryInputCapture *wavry_stream_window_get_input_capture (WavryStreamWindow *self);
/* Where keyboard and mouse input goes; NULL drops it (view only). */
void               wavry_stream_window_set_input_sink    (WavryStreamWindow *self,
                                                          WavryInputSink    *sink);
/* A message over the (frozen) picture while the stream is interrupted,
 * such as "Reconnecting…"; NULL hides it. */
void               wavry_stream_window_set_status        (WavryStreamWindow *self,
                                                          const char        *text);
/* The message shown, or NULL. */
const char        *wavry_stream_window_get_status        (WavryStreamWindow *self);
/* The overlay reads @media's statistics once a second; NULL stops. */
void               wavry_stream_window_set_stats_source  (WavryStreamWindow *self,
                                                          WavryClientMedia  *media);
/* The overlay's current text (empty before the first update). */
const char        *wavry_stream_window_get_stats_text    (WavryStreamWindow *self);
gboolean           wavry_stream_window_get_stats_visible (WavryStreamWindow *self);

G_END_DECLS
