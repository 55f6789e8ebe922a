/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WAVRY_TYPE_PREFERENCES_WINDOW (wavry_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (WavryPreferencesWindow, wavry_preferences_window, WAVRY, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* The preferences of the app, read from and written to settings (schema APP_ID)
 * at once. The "trusted.remove" action (parameter "s", a Wavry ID) takes a
 * device off the trusted list. */
WavryPreferencesWindow *wavry_preferences_window_new (GtkWindow *parent,
                                                      GSettings *settings);

G_END_DECLS
