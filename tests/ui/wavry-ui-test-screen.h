/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gtk/gtk.h>

#include "wavry-video-frame.h"

G_BEGIN_DECLS

/* What the user sees: the colour at (@x, @y) of @widget (its coordinates),
 * read from the X root window with XGetImage. */
void wavry_ui_test_screen_pixel (GtkWidget *widget,
                                 double     x,
                                 double     y,
                                 guint8     rgb[3]);
/* @frame's I420 colour at (@x, @y) as BT.709 limited-range RGB (what the
 * stream window's shader shows). */
void wavry_ui_test_frame_rgb    (WavryVideoFrame *frame,
                                 guint            x,
                                 guint            y,
                                 guint8           rgb[3]);

G_END_DECLS
