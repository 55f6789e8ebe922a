/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include "wavry-capture.h"
#include "wavry-mutter-session.h"

G_BEGIN_DECLS

/* `--capture mutter[:CONNECTOR]`: a monitor of the GNOME session the host
 * runs in, through GNOME's own ScreenCast D-Bus API (no portal dialog), as
 * gnome-remote-desktop does: a WavryMutterSession gives a PipeWire node and
 * a WavryCapturePipewire captures it. Frames are damage-driven: a static
 * screen sends one. The session is created on the thread that starts the
 * capture, whose main context must run (it receives mutter's signals). */
#define WAVRY_TYPE_CAPTURE_MUTTER (wavry_capture_mutter_get_type ())
G_DECLARE_FINAL_TYPE (WavryCaptureMutter, wavry_capture_mutter, WAVRY, CAPTURE_MUTTER, WavryCapture)

/* @connector: NULL or "" = the primary monitor. */
WavryCapture *wavry_capture_mutter_new (const char  *connector,
                                        guint        fps);
/* Creates the session with input too (RemoteDesktop, for
 * WavryInputInjectorMutter); set before starting. */
void          wavry_capture_mutter_set_with_input (WavryCaptureMutter *self,
                                                   gboolean            with_input);
/* The running session (NULL before start and after stop), owned by the
 * capture; use it on the thread that started the capture. */
WavryMutterSession *wavry_capture_mutter_get_session (WavryCaptureMutter *self);

G_END_DECLS
