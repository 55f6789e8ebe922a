/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <libavcodec/avcodec.h>
#include <string.h>

#include "wavry-media-info.h"

static void
test_describe (void)
{
  g_autofree char *text = wavry_media_describe_libraries ();
  g_autofree char *expected = g_strdup_printf ("libavcodec %u.%u.%u",
                                               AV_VERSION_MAJOR (avcodec_version ()),
                                               AV_VERSION_MINOR (avcodec_version ()),
                                               AV_VERSION_MICRO (avcodec_version ()));

  /* The running library, which may differ from the headers we built with. */
  g_assert_true (g_str_has_prefix (text, expected));
  g_assert_nonnull (strstr (text, "libavutil "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wavry/media/media-info/describe", test_describe);
  return g_test_run ();
}
