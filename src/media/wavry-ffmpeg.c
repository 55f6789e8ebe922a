/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-ffmpeg-private.h"

#include <stdio.h>
#include <libavutil/log.h>

/* Called by FFmpeg on whatever thread is encoding or decoding. */
static void
log_to_glib (void       *avcl,
             int         level,
             const char *format,
             va_list     args)
{
  char line[1024];
  int print_prefix = 1;

  if (level > av_log_get_level ())
    return;
  av_log_format_line2 (avcl, level, format, args, line, sizeof line, &print_prefix);
  g_strchomp (line);
  if (line[0] != '\0')
    g_debug ("FFmpeg: %s", line);
}

void
wavry_ffmpeg_init (void)
{
  static gsize once = 0;

  /* av_log_set_level/_callback are plain stores into FFmpeg globals: do
   * them once so that encoders and decoders on other threads never race. */
  if (g_once_init_enter (&once))
    {
      av_log_set_level (AV_LOG_ERROR);
      av_log_set_callback (log_to_glib);
      g_once_init_leave (&once, 1);
    }
}

const char *
wavry_ffmpeg_error_string (int   err,
                           char *buf,
                           gsize size)
{
  if (av_strerror (err, buf, size) < 0)
    g_snprintf (buf, size, "error %d", err);
  return buf;
}
