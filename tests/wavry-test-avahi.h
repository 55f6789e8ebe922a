/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A private avahi for tests, following ../shared/docs/HEADLESS.md "avahi
 * (mDNS) — only inside a network namespace": a private system bus (its own
 * config and socket under a temporary folder, so a system bus someone else
 * runs is never touched) and avahi-daemon inside a network namespace made
 * for it with unshare (only lo, up; the namespace goes when the daemon does,
 * even if the test aborts), with a tmpfs over /run/avahi-daemon in its own
 * mount namespace for its pid file. avahi-daemon is never started in the
 * main namespace. Every process is stopped by PID (and gets SIGTERM if the
 * test process dies). */
typedef struct _WavryTestAvahi WavryTestAvahi;

/* Starts the bus and (when @with_daemon) avahi-daemon, and points this
 * process (and so its children) at the bus with DBUS_SYSTEM_BUS_ADDRESS.
 * Returns once avahi-daemon reports it is running. NULL with
 * G_IO_ERROR_NOT_FOUND naming the program when dbus-daemon or (with the
 * daemon) avahi-daemon, ip or unshare is missing, G_IO_ERROR_PERMISSION_DENIED
 * (with the daemon) when not root or when namespaces cannot be made. The
 * daemon can then only be started with wavry_test_avahi_start_daemon () when
 * those checks would have passed. */
WavryTestAvahi *wavry_test_avahi_start         (gboolean          with_daemon,
                                                GError          **error);
/* Like wavry_test_avahi_start(), but g_test_skip()s with the reason and
 * returns NULL when a program or privilege is missing. */
WavryTestAvahi *wavry_test_avahi_start_or_skip (gboolean          with_daemon);

/* Stops / starts avahi-daemon again (same namespace and bus): a restart. */
void            wavry_test_avahi_stop_daemon   (WavryTestAvahi   *avahi);
gboolean        wavry_test_avahi_start_daemon  (WavryTestAvahi   *avahi,
                                                GError          **error);

/* Stops everything, restores the environment and
 * removes the temporary folder. NULL is ignored. */
void            wavry_test_avahi_stop          (WavryTestAvahi   *avahi);

/* The system bus address in use (unix:path=…). */
const char     *wavry_test_avahi_get_bus_address (WavryTestAvahi *avahi);

/* Spawns @argv (searched in PATH) with the private bus in its environment
 * and SIGTERM on the test's death; stop it with wavry_test_avahi_kill(). */
GPid            wavry_test_avahi_spawn         (const char * const *argv,
                                                GError           **error);
/* SIGTERM, then SIGKILL after 2 s; reaps it. */
void            wavry_test_avahi_kill          (GPid               pid);

G_END_DECLS
