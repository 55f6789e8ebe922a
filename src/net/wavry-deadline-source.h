/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-core-types.h"

G_BEGIN_DECLS

/* A GSource that fires once at a monotonic deadline, the way the sans-I/O
 * RIFT endpoints ask to be woken (next_timeout()). Attached to the
 * thread-default main context at high priority; re-arm it after every call
 * into the endpoint. */
GSource *wavry_deadline_source_new (GSourceFunc  callback,
                                    gpointer     user_data,
                                    const char  *name);
/* G_MAXINT64 (never) disarms it. */
void     wavry_deadline_source_set (GSource     *source,
                                    WavryTime    deadline);

G_END_DECLS
