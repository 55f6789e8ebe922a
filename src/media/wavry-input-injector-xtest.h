/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include "wavry-input-injector.h"

G_BEGIN_DECLS

/* Input on an X display through the XTEST extension: X keycode = evdev
 * code + 8 (the evdev/XKB keycode mapping every X server on Linux uses);
 * BTN_LEFT/RIGHT/MIDDLE/SIDE/EXTRA = X buttons 1/3/2/8/9; each scroll
 * detent = one click of buttons 4/5 (up/down) or 6/7 (left/right), with
 * fractions accumulated; positions scaled to the root window's size. */
#define WAVRY_TYPE_INPUT_INJECTOR_XTEST (wavry_input_injector_xtest_get_type ())
G_DECLARE_FINAL_TYPE (WavryInputInjectorXtest, wavry_input_injector_xtest, WAVRY,
                      INPUT_INJECTOR_XTEST, WavryInputInjector)

/* @display: an X display name, NULL = $DISPLAY. Fails when the display
 * cannot be opened or has no XTEST. */
WavryInputInjector *wavry_input_injector_xtest_new (const char  *display,
                                                    GError     **error);

G_END_DECLS
