/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gprintf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wavry-bench-util.h"

void
wavry_bench_die (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  g_vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  exit (EXIT_FAILURE);
}

char *
wavry_bench_cpu_model (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &contents, NULL, NULL))
    return g_strdup ("unknown (no /proc/cpuinfo)");

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');

      if (g_str_has_prefix (lines[i], "model name") && colon != NULL)
        return g_strstrip (g_strdup (colon + 1));
    }

  return g_strdup ("unknown");
}

char *
wavry_bench_command_line (int    argc,
              char **argv)
{
  GString *s = g_string_new (NULL);

  for (int i = 0; i < argc; i++)
    {
      g_autofree char *quoted = g_shell_quote (argv[i]);

      if (i > 0)
        g_string_append_c (s, ' ');
      /* Quote only what needs it, so the usual line reads naturally. */
      g_string_append (s, strpbrk (argv[i], " \t'\"\\$`*?;&|<>()") != NULL ? quoted : argv[i]);
    }

  return g_string_free (s, FALSE);
}

