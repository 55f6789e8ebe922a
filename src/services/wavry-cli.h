/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes of every verb */
#define WAVRY_EXIT_OK      0
#define WAVRY_EXIT_FAILURE 1   /* it ran and failed: timeout, refused, wrong identity… */
#define WAVRY_EXIT_USAGE   2   /* a bad flag or argument */

/* Runs a command-line verb: argv[0] is the program, argv[1] the verb.
 * @extra_versions is appended to `wavry version` (the GUI toolkit, when
 * built). Returns the process exit code. */
gboolean wavry_cli_is_verb (const char  *word);
int      wavry_cli_run     (int          argc,
                            char       **argv,
                            const char  *extra_versions);

/* `wavry --service=host …` */
int      wavry_host_service_run (int     argc,
                                 char  **argv);

G_END_DECLS
