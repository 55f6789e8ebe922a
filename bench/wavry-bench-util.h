/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Shared by the benchmarks: every benchmark prints the command that
 * produced its figures and the CPU it ran on. */
G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
void  wavry_bench_die          (const char  *format,
                                ...);
char *wavry_bench_cpu_model    (void);
char *wavry_bench_command_line (int          argc,
                                char       **argv);

/* Command-line handling, the same in every benchmark. @name (e.g.
 * "bench-fec") prefixes the error that ends the program on a bad option;
 * @summary is what --help says the benchmark measures. */
void   wavry_bench_parse         (int                *argc,
                                  char             ***argv,
                                  const char         *name,
                                  const char         *summary,
                                  const GOptionEntry *entries);
/* As wavry_bench_parse(), with --seconds N (how long to measure each case,
 * default 1, in (0, 3600]) and --quick (@quick_seconds instead, for a smoke
 * test) ahead of @extra_entries (may be NULL). Returns the seconds. */
double wavry_bench_parse_options (int                *argc,
                                  char             ***argv,
                                  const char         *name,
                                  const char         *summary,
                                  double              quick_seconds,
                                  const GOptionEntry *extra_entries);
/* "# command: …" (@command from wavry_bench_command_line(), taken before
 * the options are parsed) and "# cpu: …", the first lines of every report. */
void   wavry_bench_print_header  (const char         *command);

G_END_DECLS
