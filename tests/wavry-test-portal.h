/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A fake org.freedesktop.portal.Desktop (RemoteDesktop, ScreenCast,
 * Session) for tests and benchmarks, on the session bus (a private one: a
 * dbus-daemon started by wavry_test_portal_bus_start() and stopped by its
 * PID, or the test harness's). It answers like xdg-desktop-portal (the
 * reply, then the Request's Response), for RemoteDesktop sessions and
 * ScreenCast-only ones alike, hands out one stream (node_id, by default
 * WAVRY_TEST_PORTAL_NODE_ID, WAVRY_TEST_PORTAL_WIDTH × _HEIGHT) and
 * records every call as "Interface.Method ARGS" (ARGS: g_variant_print()
 * with types; Session.Close records the session's path).
 * RemoteDesktop is version 2: a session whose SelectDevices asked for
 * persist_mode 2 gets "restore_token" "wavry-test-restore-N" from Start.
 * OpenPipeWireRemote gives a real connection to the PipeWire daemon of
 * $PIPEWIRE_RUNTIME_DIR when its socket exists, else a pipe. */
#define WAVRY_TEST_PORTAL_NODE_ID 42
#define WAVRY_TEST_PORTAL_WIDTH   1280
#define WAVRY_TEST_PORTAL_HEIGHT  720
/* A start_response for a Start that never answers (the dialog left open). */
#define WAVRY_TEST_PORTAL_NO_RESPONSE G_MAXUINT32

typedef struct
{
  GThread         *thread;
  GMainContext    *context;
  GMainLoop       *loop;
  GDBusConnection *bus;
  GDBusNodeInfo   *info;
  GMutex           lock;
  GCond            cond;
  gboolean         ready;
  guint            owner_id;
  guint            registrations[2];
  GArray          *session_registrations;
  /* Set before start, read by the portal thread. */
  guint32          start_response;   /* 0 allowed, 1 cancelled */
  guint32          devices;          /* Start's "devices"; 0: left out */
  gboolean         no_size;
  guint32          remote_desktop_version;  /* 2 by default: restore tokens */
  /* Written by the portal thread under the lock. */
  char            *session_path;
  guint32          node_id;          /* the stream's PipeWire node */
  guint32          persist_mode;     /* of the last SelectDevices */
  guint            n_tokens;         /* restore tokens handed out */
  GPtrArray       *calls;            /* "Interface.Method (args)" */
} WavryTestPortal;

/* Starts dbus-daemon on a socket in a new temporary folder (*@dir) and
 * points DBUS_SESSION_BUS_ADDRESS at it. Returns its PID, or 0 with @error
 * set (G_IO_ERROR_NOT_FOUND when dbus-daemon is not installed). */
GPid             wavry_test_portal_bus_start (char            **dir,
                                              GError          **error);
/* wavry_test_portal_bus_start() for a test program's main(): 0 with
 * *@missing set (what the tests skip with, naming dbus-daemon) when
 * dbus-daemon is not installed; any other failure aborts. */
GPid             wavry_test_portal_bus_start_or_missing (char  **dir,
                                                         char  **missing);
/* SIGTERM to @pid, reaped; the folder removed. */
void             wavry_test_portal_bus_stop  (GPid              pid,
                                              char             *dir);

/* The portal, on its own thread, owning the name. @start_response: 0
 * allowed, 1 the user cancelled, WAVRY_TEST_PORTAL_NO_RESPONSE none; @devices: Start's "devices" (0: left
 * out); @with_size: whether the stream has a "size". */
WavryTestPortal *wavry_test_portal_new       (guint32           start_response,
                                              guint32           devices,
                                              gboolean          with_size);
void             wavry_test_portal_free      (WavryTestPortal  *fake);
/* Waits (5 s at most, else aborts) for call @i; a copy of its record. */
char            *wavry_test_portal_call_at   (WavryTestPortal  *fake,
                                              guint             i);
guint            wavry_test_portal_n_calls   (WavryTestPortal  *fake);
/* The node the next Start hands out. */
void             wavry_test_portal_set_node_id (WavryTestPortal *fake,
                                                guint32          node_id);
/* How many calls so far start with @prefix ("ScreenCast.CreateSession"). */
guint            wavry_test_portal_count_calls (WavryTestPortal *fake,
                                                const char      *prefix);
/* Waits (5 s at most) for a call starting with @prefix; a copy of the
 * first one's record, or NULL. */
char            *wavry_test_portal_find_call (WavryTestPortal  *fake,
                                              const char       *prefix);
/* Emits Session.Closed on the last session made. */
void             wavry_test_portal_emit_closed (WavryTestPortal *fake);
/* Runs this thread's default main context for 100 ms (replies arrive). */
void             wavry_test_portal_drain     (void);

G_END_DECLS
