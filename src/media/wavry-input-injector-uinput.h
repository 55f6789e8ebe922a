/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include "wavry-input-injector.h"

G_BEGIN_DECLS

/* Input through a virtual device the kernel creates from /dev/uinput: a
 * keyboard with every key code, the five mouse buttons, an absolute pointer
 * (0..65535 on both axes, which compositors map to the whole screen) and
 * wheels (REL_WHEEL/REL_HWHEEL and their 120ths, _HI_RES). Works with any
 * compositor, X or Wayland; needs write access to /dev/uinput. */
#define WAVRY_TYPE_INPUT_INJECTOR_UINPUT (wavry_input_injector_uinput_get_type ())
G_DECLARE_FINAL_TYPE (WavryInputInjectorUinput, wavry_input_injector_uinput, WAVRY,
                      INPUT_INJECTOR_UINPUT, WavryInputInjector)

/* @path: NULL = /dev/uinput. Fails with a message naming the reason (no
 * /dev/uinput, no permission, the kernel refused the device). */
WavryInputInjector *wavry_input_injector_uinput_new (const char  *path,
                                                     GError     **error);

G_END_DECLS
