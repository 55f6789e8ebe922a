/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include "wavry-input-injector.h"
#include "wavry-mutter-session.h"

G_BEGIN_DECLS

/* Input through GNOME's RemoteDesktop D-Bus API, on a WavryMutterSession
 * created with input (the one the `mutter:` capture records): positions
 * are normalized × the session's stream size. Use it from the session's
 * thread. */
#define WAVRY_TYPE_INPUT_INJECTOR_MUTTER (wavry_input_injector_mutter_get_type ())
G_DECLARE_FINAL_TYPE (WavryInputInjectorMutter, wavry_input_injector_mutter, WAVRY,
                      INPUT_INJECTOR_MUTTER, WavryInputInjector)

/* @session: (nullable) (transfer none): must outlive the injector or be
 * replaced first with wavry_input_injector_mutter_set_session(). Without
 * a session every call fails. */
WavryInputInjector *wavry_input_injector_mutter_new         (WavryMutterSession       *session);
void                wavry_input_injector_mutter_set_session (WavryInputInjectorMutter *self,
                                                             WavryMutterSession       *session);
WavryMutterSession *wavry_input_injector_mutter_get_session (WavryInputInjectorMutter *self);

G_END_DECLS
