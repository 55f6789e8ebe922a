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


static void
parse (int                *argc,
       char             ***argv,
       const char         *name,
       const char         *summary,
       const GOptionEntry *entries,
       const GOptionEntry *more_entries)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  if (more_entries != NULL)
    g_option_context_add_main_entries (context, more_entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    wavry_bench_die ("%s: %s", name, error->message);
}

void
wavry_bench_parse (int                *argc,
                   char             ***argv,
                   const char         *name,
                   const char         *summary,
                   const GOptionEntry *entries)
{
  parse (argc, argv, name, summary, entries, NULL);
}

double
wavry_bench_parse_options (int                *argc,
                           char             ***argv,
                           const char         *name,
                           const char         *summary,
                           double              quick_seconds,
                           const GOptionEntry *extra_entries)
{
  double seconds = 1.0;
  gboolean quick = FALSE;
  g_autofree char *quick_help = g_strdup_printf ("%g s per case (smoke test)", quick_seconds);
  const GOptionEntry entries[] = {
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds, "Measure each case for N seconds (default 1)", "N" },
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick, quick_help, NULL },
    { NULL }
  };

  parse (argc, argv, name, summary, entries, extra_entries);
  if (quick)
    seconds = quick_seconds;
  if (!(seconds > 0 && seconds <= 3600))
    wavry_bench_die ("%s: --seconds must be in (0, 3600]", name);

  return seconds;
}

void
wavry_bench_print_header (const char *command)
{
  g_autofree char *cpu = wavry_bench_cpu_model ();

  g_print ("# command: %s\n", command);
  g_print ("# cpu: %s\n", cpu);
}
