/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include "wavry-capture.h"

G_BEGIN_DECLS

#define WAVRY_TYPE_CAPTURE_X11 (wavry_capture_x11_get_type ())
G_DECLARE_FINAL_TYPE (WavryCaptureX11, wavry_capture_x11, WAVRY, CAPTURE_X11, WavryCapture)

/* The "x11" and "x11:DISPLAY" sources: the whole X screen through FFmpeg's
 * x11grab, as BGRX (or RGBX) frames at @fps (0 = 30), without the pointer.
 * @display NULL = $DISPLAY. The display is opened here, so that a wrong one
 * fails at once (WAVRY_MEDIA_ERROR_IO, "cannot open X display :99: …"). */
WavryCapture *wavry_capture_x11_new (const char  *display,
                                     guint        fps,
                                     GError     **error);

G_END_DECLS
