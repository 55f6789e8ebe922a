/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <adwaita.h>

#include "wavry-identity.h"

G_BEGIN_DECLS

#define WAVRY_TYPE_HOST_PAGE (wavry_host_page_get_type ())
G_DECLARE_FINAL_TYPE (WavryHostPage, wavry_host_page, WAVRY, HOST_PAGE, GtkWidget)

GtkWidget  *wavry_host_page_new           (void);
/* Shows this device's Wavry ID, or why there is none (identity NULL, error set). */
void        wavry_host_page_show_identity (WavryHostPage *self,
                                           WavryIdentity *identity,
                                           const GError  *error);
/* The Wavry ID on show, NULL while there is none. */
const char *wavry_host_page_get_shown_id  (WavryHostPage *self);

G_END_DECLS
