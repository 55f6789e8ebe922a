/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>
#include <libavutil/error.h>

G_BEGIN_DECLS

/* Once per process, thread-safe: FFmpeg logs only errors, and those go to
 * g_debug (G_MESSAGES_DEBUG=Wavry-Media shows them) instead of stderr; the
 * caller reports failures through GErrors. */
void        wavry_ffmpeg_init         (void);

/* av_strerror() into @buf, never failing. */
const char *wavry_ffmpeg_error_string (int   err,
                                       char *buf,
                                       gsize size);

#define WAVRY_AV_ERR(err) \
  wavry_ffmpeg_error_string ((err), (char[AV_ERROR_MAX_STRING_SIZE]) { 0 }, AV_ERROR_MAX_STRING_SIZE)

G_END_DECLS
