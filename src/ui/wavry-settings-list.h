/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A GSettings key of type "as" used as a set of IDs (trusted-clients,
 * view-only-devices). */
gboolean wavry_settings_list_contains (GSettings  *settings,
                                       const char *key,
                                       const char *id);
/* Adds @id (@listed) or removes it; writes only when that changes the list,
 * keeping the others in their order. */
void     wavry_settings_list_set      (GSettings  *settings,
                                       const char *key,
                                       const char *id,
                                       gboolean    listed);

G_END_DECLS
