/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "libavcodec 59.37.100, libavutil 57.28.100": the FFmpeg libraries this
 * process runs with (not the headers it was built against). */
char *wavry_media_describe_libraries (void);

G_END_DECLS
