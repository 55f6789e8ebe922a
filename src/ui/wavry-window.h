/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <adwaita.h>

#include "wavry-application.h"

G_BEGIN_DECLS

#define WAVRY_TYPE_WINDOW (wavry_window_get_type ())
G_DECLARE_FINAL_TYPE (WavryWindow, wavry_window, WAVRY, WINDOW, AdwApplicationWindow)

WavryWindow *wavry_window_new           (WavryApplication *application);
/* Shows this device's Wavry ID on the Host page, or why there is none. */
void         wavry_window_show_identity (WavryWindow      *self,
                                         WavryIdentity    *identity,
                                         const GError     *error);
const char  *wavry_window_get_shown_id  (WavryWindow      *self);
/* Shows a transient message (e.g. an error a person should know about). Takes
 * the floating reference of toast. */
void         wavry_window_add_toast     (WavryWindow      *self,
                                         AdwToast         *toast);

G_END_DECLS
