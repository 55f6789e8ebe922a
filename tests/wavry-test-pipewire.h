/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A private PipeWire for tests: a session bus (only when
 * DBUS_SESSION_BUS_ADDRESS is unset), pipewire and wireplumber, each started
 * with a private XDG_RUNTIME_DIR and HOME under a temporary folder and
 * stopped by PID (they also get SIGTERM if the test process dies). */
typedef struct _WavryTestPipewire WavryTestPipewire;

/* Starts the daemons and points this process at them (sets XDG_RUNTIME_DIR,
 * PIPEWIRE_RUNTIME_DIR and, when it started a bus, DBUS_SESSION_BUS_ADDRESS).
 * Returns once the pipewire socket exists and WirePlumber is running (it
 * links streams a moment later: wait for frames with a deadline of seconds).
 * NULL with G_IO_ERROR_NOT_FOUND naming the program when pipewire,
 * wireplumber or dbus-daemon is not installed, other errors when one fails
 * to start. */
WavryTestPipewire *wavry_test_pipewire_start           (GError            **error);

/* Like wavry_test_pipewire_start(), but calls g_test_skip() with the reason
 * and returns NULL when a program is missing; other errors fail the test. */
WavryTestPipewire *wavry_test_pipewire_start_or_skip   (void);

/* Stops the daemons (SIGTERM, then SIGKILL after 2 s), restores the
 * environment and removes the temporary folder. NULL is ignored. */
void               wavry_test_pipewire_stop            (WavryTestPipewire  *pw);

const char        *wavry_test_pipewire_get_runtime_dir (WavryTestPipewire  *pw);

G_END_DECLS
