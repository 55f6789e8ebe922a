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

G_END_DECLS
