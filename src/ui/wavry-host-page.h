/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <adwaita.h>

#include "wavry-host-controller.h"
#include "wavry-identity.h"

G_BEGIN_DECLS

#define WAVRY_TYPE_HOST_PAGE (wavry_host_page_get_type ())
G_DECLARE_FINAL_TYPE (WavryHostPage, wavry_host_page, WAVRY, HOST_PAGE, GtkWidget)

GtkWidget  *wavry_host_page_new           (void);
/* Shows this device's Wavry ID, or why there is none (identity NULL, error set).
 * The identity is also the one the host shares this screen as. */
void        wavry_host_page_show_identity (WavryHostPage *self,
                                           WavryIdentity *identity,
                                           const GError  *error);
/* The Wavry ID on show, NULL while there is none. */
const char *wavry_host_page_get_shown_id  (WavryHostPage *self);
/* The in-process host behind "Share this screen" (NULL until shared once). */
WavryHostController *wavry_host_page_get_controller (WavryHostPage *self);
/* The approval dialog on show (NULL when none): tests answer it through
 * its responses ("deny", "once", "always"), as a person would. */
AdwMessageDialog    *wavry_host_page_get_approval_dialog (WavryHostPage *self);

G_END_DECLS
