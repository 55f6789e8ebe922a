/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>

#include "wavry-media-info.h"

static char *
format_version (const char *name,
                unsigned    version)
{
  return g_strdup_printf ("%s %u.%u.%u", name,
                          AV_VERSION_MAJOR (version), AV_VERSION_MINOR (version),
                          AV_VERSION_MICRO (version));
}

char *
wavry_media_describe_libraries (void)
{
  g_autofree char *codec = format_version ("libavcodec", avcodec_version ());
  g_autofree char *util = format_version ("libavutil", avutil_version ());

  return g_strdup_printf ("%s, %s", codec, util);
}
