/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A private GNOME compositor for tests: its own session bus (dbus-daemon),
 * PipeWire, WirePlumber and `mutter --headless --virtual-monitor 1280x720
 * --wayland --no-x11`, all in a temporary XDG_RUNTIME_DIR, started and
 * stopped by PID. Nothing is shared with a desktop session. */
typedef struct _WavryTestMutter WavryTestMutter;

/* Starts the bus, PipeWire and WirePlumber, and mutter unless @with_mutter
 * is FALSE; waits (10 s at most) until org.gnome.Mutter.ScreenCast is on the
 * bus. Returns NULL after g_test_skip() naming the missing program, and
 * fails the test when a program is present but does not come up. */
WavryTestMutter *wavry_test_mutter_start              (gboolean         with_mutter);
/* Stops every process by PID (SIGTERM, then SIGKILL after 2 s) and removes
 * the temporary directory. */
void             wavry_test_mutter_stop               (WavryTestMutter *self);
/* Stops mutter alone (the compositor "goes away"). */
void             wavry_test_mutter_kill_compositor    (WavryTestMutter *self);
/* Stops PipeWire and WirePlumber alone. */
void             wavry_test_mutter_kill_pipewire      (WavryTestMutter *self);

/* Closes the test's bus connection (mutter then drops any session it
 * created) and waits 300 ms for mutter to log about it. */
void             wavry_test_mutter_disconnect         (WavryTestMutter *self);
/* The output of "mutter", "pipewire", "wireplumber" or "dbus" so far. */
char            *wavry_test_mutter_get_log            (WavryTestMutter *self,
                                                       const char      *program);

GDBusConnection *wavry_test_mutter_get_bus            (WavryTestMutter *self);
const char      *wavry_test_mutter_get_bus_address    (WavryTestMutter *self);
const char      *wavry_test_mutter_get_runtime_dir    (WavryTestMutter *self);
const char      *wavry_test_mutter_get_wayland_display (WavryTestMutter *self);
/* The full path of the PipeWire socket. */
const char      *wavry_test_mutter_get_pipewire_socket (WavryTestMutter *self);

/* A minimal test-only pw_stream consumer. Connects to the private PipeWire,
 * checks that @node_id is a node in its registry and consumes frames from
 * it until @n_frames non-empty ones arrived (with @want_rgb, ones whose
 * sample pixel at (width / 8, height / 8) is that R, G, B colour) or
 * @timeout_ms passed.
 * The consumer takes any size, or only @width×@height when they are not 0.
 * @call_while_waiting (may be NULL) runs every 100 ms from a GLib timeout in
 * the thread-default main context, which is iterated while waiting (to make
 * the compositor redraw). */
typedef struct
{
  gboolean node_exists;
  guint    frames;
  guint    width;
  guint    height;
  guint    stride;
  guint32  spa_format;        /* enum spa_video_format */
  guint8   sample_rgb[3];     /* the last frame's pixel at (width / 8, height / 8) */
  guint    matching;          /* frames whose sample was @want_rgb */
} WavryTestMutterFrames;

gboolean         wavry_test_mutter_consume            (WavryTestMutter       *self,
                                                       guint32                node_id,
                                                       guint                  width,
                                                       guint                  height,
                                                       guint                  n_frames,
                                                       const guint8          *want_rgb,
                                                       guint                  timeout_ms,
                                                       GSourceFunc            call_while_waiting,
                                                       gpointer               user_data,
                                                       WavryTestMutterFrames *out,
                                                       GError               **error);

/* Runs @argv (with WAYLAND_DISPLAY, XDG_RUNTIME_DIR and the bus set for the
 * compositor) with its stdout piped; stopped by PID in
 * wavry_test_mutter_stop() at the latest. */
GSubprocess     *wavry_test_mutter_spawn_client       (WavryTestMutter    *self,
                                                       const char * const *argv,
                                                       GError            **error);

G_END_DECLS
