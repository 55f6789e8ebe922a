/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WAVRY_TYPE_CONNECT_PAGE (wavry_connect_page_get_type ())
G_DECLARE_FINAL_TYPE (WavryConnectPage, wavry_connect_page, WAVRY, CONNECT_PAGE, GtkWidget)

GtkWidget *wavry_connect_page_new (void);

G_END_DECLS
