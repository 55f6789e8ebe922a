/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-core-types.h"

G_BEGIN_DECLS

/* The minimum of the values seen over the last @window_us (RIFT §7 step 1:
 * rtt_min over the last 10 s). A monotonic deque: each value is pushed and
 * popped at most once, so update() is O(1) amortised and get() is O(1).
 *
 * A value recorded at time t counts while now - t < window_us. Times must not
 * go backwards; an older @now is treated as the newest time seen. */
typedef struct _WavryRiftWindowedMin WavryRiftWindowedMin;

WavryRiftWindowedMin *wavry_rift_windowed_min_new    (gint64                window_us);
void                  wavry_rift_windowed_min_free   (WavryRiftWindowedMin *self);
/* Records @value at @now, drops what fell out of the window, and returns the
 * new minimum. */
gint64                wavry_rift_windowed_min_update (WavryRiftWindowedMin *self,
                                                      WavryTime             now,
                                                      gint64                value);
/* The minimum as of the last update(); G_MAXINT64 before the first one. */
gint64                wavry_rift_windowed_min_get    (WavryRiftWindowedMin *self);
/* Number of values held (at most the number of updates inside one window). */
guint                 wavry_rift_windowed_min_get_size (WavryRiftWindowedMin *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftWindowedMin, wavry_rift_windowed_min_free)

G_END_DECLS
