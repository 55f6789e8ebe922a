/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

/* The SPA headers' inline switches have no default case. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wswitch-default"
#include <pipewire/pipewire.h>
#include <spa/param/video/format-utils.h>
#include <spa/param/buffers.h>
#pragma GCC diagnostic pop

#include "wavry-test-mutter.h"

struct _WavryTestMutter
{
  char            *tmpdir;
  char            *bus_address;
  char            *pipewire_socket;
  char            *wayland_display;
  GDBusConnection *bus;
  GSubprocessLauncher *launcher;
  GPtrArray       *procs;         /* GSubprocess, in start order */
  GSubprocess     *mutter;
  GSubprocess     *pipewire;
  GSubprocess     *wireplumber;
};

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  if (path == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("“%s” is not installed", name);
      g_test_skip (msg);
      return FALSE;
    }
  return TRUE;
}

/* Children die with the test program, even when an assertion aborts it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
spawn (WavryTestMutter    *self,
       const char         *log_name,
       const char * const *argv)
{
  g_autofree char *log = g_build_filename (self->tmpdir, log_name, NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  g_subprocess_launcher_set_flags (self->launcher, G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (self->launcher, log);
  g_subprocess_launcher_set_flags (self->launcher, G_SUBPROCESS_FLAGS_STDERR_MERGE);
  proc = g_subprocess_launcher_spawnv (self->launcher, argv, &error);
  g_assert_no_error (error);
  g_ptr_array_add (self->procs, proc);
  g_test_message ("started %s (pid %s)", argv[0], g_subprocess_get_identifier (proc));
  return proc;
}

static void
dump_log (WavryTestMutter *self,
          const char      *log_name)
{
  g_autofree char *path = g_build_filename (self->tmpdir, log_name, NULL);
  g_autofree char *text = NULL;

  if (g_file_get_contents (path, &text, NULL, NULL))
    g_test_message ("%s:\n%s", log_name, text);
}

static gboolean
has_owner (GDBusConnection *bus,
           const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static void
stop_proc (GSubprocess *proc)
{
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  if (g_subprocess_get_identifier (proc) == NULL)
    return;  /* already reaped */
  g_test_message ("stopping pid %s", g_subprocess_get_identifier (proc));
  g_subprocess_send_signal (proc, SIGTERM);
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_subprocess_get_identifier (proc) != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  if (g_subprocess_get_identifier (proc) != NULL)
    {
      g_subprocess_force_exit (proc);
      g_subprocess_wait (proc, NULL, &error);
    }
}

WavryTestMutter *
wavry_test_mutter_start (gboolean with_mutter)
{
  WavryTestMutter *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *bus_socket = NULL;
  g_autofree char *listen = NULL;
  static int counter;
  gint64 deadline;

  if (!have_program ("dbus-daemon") || !have_program ("pipewire") ||
      !have_program ("wireplumber") || (with_mutter && !have_program ("mutter")))
    return NULL;

  /* mutter's logind checks want these even without systemd. */
  g_mkdir_with_parents ("/run/systemd/seats", 0755);
  g_mkdir_with_parents ("/run/systemd/sessions", 0755);
  g_mkdir_with_parents ("/run/systemd/users", 0755);
  g_mkdir_with_parents ("/run/systemd/machines", 0755);

  self = g_new0 (WavryTestMutter, 1);
  self->procs = g_ptr_array_new_with_free_func (g_object_unref);
  self->tmpdir = g_dir_make_tmp ("wavry-test-mutter-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (self->tmpdir, 0700);
  bus_socket = g_build_filename (self->tmpdir, "bus", NULL);
  self->bus_address = g_strdup_printf ("unix:path=%s", bus_socket);
  self->pipewire_socket = g_build_filename (self->tmpdir, "pipewire-0", NULL);
  self->wayland_display = g_strdup_printf ("wl-wavry-test-%d-%d", (int) getpid (), ++counter);

  self->launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (self->launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (self->launcher, "XDG_RUNTIME_DIR", self->tmpdir, TRUE);
  g_subprocess_launcher_setenv (self->launcher, "DBUS_SESSION_BUS_ADDRESS", self->bus_address, TRUE);
  g_subprocess_launcher_setenv (self->launcher, "WAYLAND_DISPLAY", self->wayland_display, TRUE);
  g_subprocess_launcher_unsetenv (self->launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (self->launcher, "PIPEWIRE_REMOTE");
  g_subprocess_launcher_unsetenv (self->launcher, "PIPEWIRE_RUNTIME_DIR");
  g_subprocess_launcher_setenv (self->launcher, "XDG_CONFIG_HOME", self->tmpdir, TRUE);
  g_subprocess_launcher_setenv (self->launcher, "XDG_STATE_HOME", self->tmpdir, TRUE);
  g_subprocess_launcher_setenv (self->launcher, "XDG_DATA_HOME", self->tmpdir, TRUE);
  g_subprocess_launcher_setenv (self->launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (self->launcher, "NO_AT_BRIDGE", "1", TRUE);

  listen = g_strdup_printf ("--address=%s", self->bus_address);
  spawn (self, "dbus.log", (const char *[]) { "dbus-daemon", "--session", "--nofork", "--nosyslog",
                                              listen, NULL });
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (self->bus == NULL && g_get_monotonic_time () < deadline)
    {
      g_clear_error (&error);
      if (g_file_test (bus_socket, G_FILE_TEST_EXISTS))
        self->bus = g_dbus_connection_new_for_address_sync (self->bus_address,
                                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                            NULL, NULL, &error);
      if (self->bus == NULL)
        g_usleep (20000);
    }
  if (self->bus == NULL)
    dump_log (self, "dbus.log");
  g_assert_nonnull (self->bus);
  g_dbus_connection_set_exit_on_close (self->bus, FALSE);

  self->pipewire = spawn (self, "pipewire.log", (const char *[]) { "pipewire", NULL });
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!g_file_test (self->pipewire_socket, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  if (!g_file_test (self->pipewire_socket, G_FILE_TEST_EXISTS))
    dump_log (self, "pipewire.log");
  g_assert_true (g_file_test (self->pipewire_socket, G_FILE_TEST_EXISTS));
  self->wireplumber = spawn (self, "wireplumber.log", (const char *[]) { "wireplumber", NULL });

  if (with_mutter)
    {
      g_autofree char *display_arg = g_strdup_printf ("--wayland-display=%s", self->wayland_display);

      self->mutter = spawn (self, "mutter.log",
                            (const char *[]) { "mutter", "--headless", "--virtual-monitor", "1280x720",
                                               "--wayland", "--no-x11", display_arg, NULL });
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (!(has_owner (self->bus, "org.gnome.Mutter.ScreenCast") &&
               has_owner (self->bus, "org.gnome.Mutter.RemoteDesktop")) &&
             g_get_monotonic_time () < deadline)
        g_usleep (50000);
      if (!has_owner (self->bus, "org.gnome.Mutter.ScreenCast"))
        {
          dump_log (self, "mutter.log");
          wavry_test_mutter_stop (self);
          g_test_fail_printf ("mutter did not put org.gnome.Mutter.ScreenCast on the bus within 10 s");
          return NULL;
        }
    }
  return self;
}

void
wavry_test_mutter_kill_compositor (WavryTestMutter *self)
{
  if (self->mutter != NULL)
    stop_proc (self->mutter);
}

void
wavry_test_mutter_kill_pipewire (WavryTestMutter *self)
{
  if (self->wireplumber != NULL)
    stop_proc (self->wireplumber);
  if (self->pipewire != NULL)
    stop_proc (self->pipewire);
}

void
wavry_test_mutter_stop (WavryTestMutter *self)
{
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;
  if (self->bus != NULL)
    g_dbus_connection_close_sync (self->bus, NULL, NULL);
  g_clear_object (&self->bus);
  /* Newest first: clients, mutter, wireplumber, pipewire, the bus. */
  for (guint i = self->procs->len; i > 0; i--)
    stop_proc (g_ptr_array_index (self->procs, i - 1));
  g_ptr_array_unref (self->procs);
  g_clear_object (&self->launcher);

  /* WAVRY_TEST_MUTTER_LOGS=1 shows them always. */
  if ((g_test_initialized () && g_test_failed ()) || g_getenv ("WAVRY_TEST_MUTTER_LOGS") != NULL)
    {
      dump_log (self, "mutter.log");
      dump_log (self, "pipewire.log");
    }
  if (self->tmpdir != NULL)
    {
      /* mutter, pipewire and wireplumber leave sockets, locks and state. */
      const char *argv[] = { "rm", "-rf", "--", self->tmpdir, NULL };
      int status = -1;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL);
      if (g_file_test (self->tmpdir, G_FILE_TEST_EXISTS))
        g_test_message ("could not remove %s", self->tmpdir);
    }
  g_free (self->tmpdir);
  g_free (self->bus_address);
  g_free (self->pipewire_socket);
  g_free (self->wayland_display);
  g_free (self);
}

void
wavry_test_mutter_disconnect (WavryTestMutter *self)
{
  if (self->bus != NULL)
    g_dbus_connection_close_sync (self->bus, NULL, NULL);
  g_clear_object (&self->bus);
  g_usleep (300000);
}

char *
wavry_test_mutter_get_log (WavryTestMutter *self,
                           const char      *program)
{
  g_autofree char *name = g_strdup_printf ("%s.log", program);
  g_autofree char *path = g_build_filename (self->tmpdir, name, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

GDBusConnection *
wavry_test_mutter_get_bus (WavryTestMutter *self)
{
  return self->bus;
}

const char *
wavry_test_mutter_get_bus_address (WavryTestMutter *self)
{
  return self->bus_address;
}

const char *
wavry_test_mutter_get_runtime_dir (WavryTestMutter *self)
{
  return self->tmpdir;
}

const char *
wavry_test_mutter_get_wayland_display (WavryTestMutter *self)
{
  return self->wayland_display;
}

const char *
wavry_test_mutter_get_pipewire_socket (WavryTestMutter *self)
{
  return self->pipewire_socket;
}

GSubprocess *
wavry_test_mutter_spawn_client (WavryTestMutter    *self,
                                const char * const *argv,
                                GError            **error)
{
  GSubprocess *proc;

  g_subprocess_launcher_set_stdout_file_path (self->launcher, NULL);
  g_subprocess_launcher_set_flags (self->launcher, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (self->launcher, "GDK_BACKEND", "wayland", TRUE);
  g_subprocess_launcher_setenv (self->launcher, "GSK_RENDERER", "cairo", TRUE);
  proc = g_subprocess_launcher_spawnv (self->launcher, argv, error);
  if (proc != NULL)
    {
      g_ptr_array_add (self->procs, g_object_ref (proc));
      g_test_message ("started %s (pid %s)", argv[0], g_subprocess_get_identifier (proc));
    }
  return proc;
}

/* The pw_stream consumer */

typedef struct
{
  struct pw_thread_loop *loop;
  struct pw_context     *context;
  struct pw_core        *core;
  struct pw_registry    *registry;
  struct pw_stream      *stream;
  struct spa_hook        core_listener;
  struct spa_hook        registry_listener;
  struct spa_hook        stream_listener;
  guint32                node_id;
  const guint8          *want_rgb;
  int                    sync_seq;
  gboolean               synced;
  gboolean               have_format;
  char                  *error;
  WavryTestMutterFrames  out;
} Consumer;

static void
on_global (void                  *data,
           uint32_t               id,
           uint32_t               permissions,
           const char            *type,
           uint32_t               version,
           const struct spa_dict *props)
{
  Consumer *c = data;

  if (id == c->node_id && g_strcmp0 (type, PW_TYPE_INTERFACE_Node) == 0)
    c->out.node_exists = TRUE;
}

static const struct pw_registry_events registry_events = {
  PW_VERSION_REGISTRY_EVENTS,
  .global = on_global,
};

static void
on_core_done (void    *data,
              uint32_t id,
              int      seq)
{
  Consumer *c = data;

  if (id == PW_ID_CORE && seq == c->sync_seq)
    {
      c->synced = TRUE;
      pw_thread_loop_signal (c->loop, FALSE);
    }
}

static void
on_core_error (void       *data,
               uint32_t    id,
               int         seq,
               int         res,
               const char *message)
{
  Consumer *c = data;

  if (id == PW_ID_CORE && c->error == NULL)
    c->error = g_strdup_printf ("PipeWire: %s", message);
  pw_thread_loop_signal (c->loop, FALSE);
}

static const struct pw_core_events core_events = {
  PW_VERSION_CORE_EVENTS,
  .done = on_core_done,
  .error = on_core_error,
};

static void
on_param_changed (void                 *data,
                  uint32_t              id,
                  const struct spa_pod *param)
{
  Consumer *c = data;
  struct spa_video_info_raw info;
  guint8 buffer[256];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (buffer, sizeof buffer);
  const struct spa_pod *params[1];

  if (param == NULL || id != SPA_PARAM_Format)
    return;
  if (spa_format_video_raw_parse (param, &info) < 0)
    return;
  c->out.width = info.size.width;
  c->out.height = info.size.height;
  c->out.spa_format = info.format;
  c->have_format = TRUE;

  params[0] = spa_pod_builder_add_object (&b, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers,
                                          SPA_PARAM_BUFFERS_dataType,
                                          SPA_POD_Int ((1 << SPA_DATA_MemFd) | (1 << SPA_DATA_MemPtr)));
  pw_stream_update_params (c->stream, params, 1);
}

static void
on_process (void *data)
{
  Consumer *c = data;
  struct pw_buffer *buf;

  while ((buf = pw_stream_dequeue_buffer (c->stream)) != NULL)
    {
      struct spa_data *d = &buf->buffer->datas[0];

      if (c->have_format && d->data != NULL && d->chunk != NULL && d->chunk->size > 0 &&
          !(d->chunk->flags & SPA_CHUNK_FLAG_CORRUPTED))
        {
          guint stride = d->chunk->stride > 0 ? (guint) d->chunk->stride : c->out.width * 4;
          gsize offset = d->chunk->offset + (gsize) stride * (c->out.height / 8) + (c->out.width / 8) * 4;

          c->out.frames++;
          c->out.stride = stride;
          if (offset + 4 <= d->maxsize)
            {
              const guint8 *px = (const guint8 *) d->data + offset;

              switch (c->out.spa_format)
                {
                case SPA_VIDEO_FORMAT_BGRx:
                case SPA_VIDEO_FORMAT_BGRA:
                  c->out.sample_rgb[0] = px[2], c->out.sample_rgb[1] = px[1], c->out.sample_rgb[2] = px[0];
                  break;
                case SPA_VIDEO_FORMAT_xRGB:
                case SPA_VIDEO_FORMAT_ARGB:
                  c->out.sample_rgb[0] = px[1], c->out.sample_rgb[1] = px[2], c->out.sample_rgb[2] = px[3];
                  break;
                default:  /* RGBx, RGBA */
                  c->out.sample_rgb[0] = px[0], c->out.sample_rgb[1] = px[1], c->out.sample_rgb[2] = px[2];
                  break;
                }
              if (c->want_rgb != NULL && memcmp (c->out.sample_rgb, c->want_rgb, 3) == 0)
                c->out.matching++;
            }
          pw_thread_loop_signal (c->loop, FALSE);
        }
      pw_stream_queue_buffer (c->stream, buf);
    }
}

static void
on_state_changed (void                *data,
                  enum pw_stream_state old,
                  enum pw_stream_state state,
                  const char          *error)
{
  Consumer *c = data;

  if (state == PW_STREAM_STATE_ERROR && c->error == NULL)
    c->error = g_strdup_printf ("PipeWire stream: %s", error ? error : "error");
  pw_thread_loop_signal (c->loop, FALSE);
}

static const struct pw_stream_events stream_events = {
  PW_VERSION_STREAM_EVENTS,
  .state_changed = on_state_changed,
  .param_changed = on_param_changed,
  .process = on_process,
};

typedef struct
{
  gboolean done;
} Flag;

static gboolean
set_flag (gpointer user_data)
{
  ((Flag *) user_data)->done = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
wavry_test_mutter_consume (WavryTestMutter       *self,
                           guint32                node_id,
                           guint                  width,
                           guint                  height,
                           guint                  n_frames,
                           const guint8          *want_rgb,
                           guint                  timeout_ms,
                           GSourceFunc            call_while_waiting,
                           gpointer               user_data,
                           WavryTestMutterFrames *out,
                           GError               **error)
{
  Consumer c = { 0 };
  guint8 buffer[1024];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (buffer, sizeof buffer);
  const struct spa_pod *params[1];
  struct spa_pod_frame frame;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = 0;
  gboolean ok = FALSE;

  pw_init (NULL, NULL);
  c.node_id = node_id;
  c.want_rgb = want_rgb;
  c.loop = pw_thread_loop_new ("wavry-test-consumer", NULL);
  c.context = pw_context_new (pw_thread_loop_get_loop (c.loop), NULL, 0);
  pw_thread_loop_lock (c.loop);
  pw_thread_loop_start (c.loop);
  c.core = pw_context_connect (c.context,
                               pw_properties_new (PW_KEY_REMOTE_NAME, self->pipewire_socket, NULL), 0);
  if (c.core == NULL)
    {
      c.error = g_strdup_printf ("cannot connect to PipeWire at %s: %s",
                                 self->pipewire_socket, g_strerror (errno));
      goto out;
    }
  pw_core_add_listener (c.core, &c.core_listener, &core_events, &c);
  c.registry = pw_core_get_registry (c.core, PW_VERSION_REGISTRY, 0);
  pw_registry_add_listener (c.registry, &c.registry_listener, &registry_events, &c);
  c.sync_seq = pw_core_sync (c.core, PW_ID_CORE, 0);
  while (!c.synced && c.error == NULL)
    if (pw_thread_loop_timed_wait (c.loop, 5) != 0)
      break;
  if (!c.synced || c.error != NULL || !c.out.node_exists)
    {
      if (c.error == NULL)
        c.error = g_strdup_printf (c.synced ? "PipeWire has no node %u" : "PipeWire did not answer",
                                   node_id);
      goto out;
    }

  c.stream = pw_stream_new (c.core, "wavry-test-consumer",
                            pw_properties_new (PW_KEY_MEDIA_TYPE, "Video",
                                               PW_KEY_MEDIA_CATEGORY, "Capture",
                                               PW_KEY_MEDIA_ROLE, "Screen", NULL));
  pw_stream_add_listener (c.stream, &c.stream_listener, &stream_events, &c);
  /* Any size, or exactly @width×@height: the producer's default wins a
   * range, and a virtual monitor takes its size from a fixed one. */
  spa_pod_builder_push_object (&b, &frame, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat);
  spa_pod_builder_add (&b,
    SPA_FORMAT_mediaType, SPA_POD_Id (SPA_MEDIA_TYPE_video),
    SPA_FORMAT_mediaSubtype, SPA_POD_Id (SPA_MEDIA_SUBTYPE_raw),
    SPA_FORMAT_VIDEO_format, SPA_POD_CHOICE_ENUM_Id (7, SPA_VIDEO_FORMAT_BGRx, SPA_VIDEO_FORMAT_BGRx,
                                                     SPA_VIDEO_FORMAT_BGRA, SPA_VIDEO_FORMAT_RGBx,
                                                     SPA_VIDEO_FORMAT_RGBA, SPA_VIDEO_FORMAT_xRGB,
                                                     SPA_VIDEO_FORMAT_ARGB),
    SPA_FORMAT_VIDEO_framerate, SPA_POD_CHOICE_RANGE_Fraction (&SPA_FRACTION (30, 1),
                                                               &SPA_FRACTION (0, 1),
                                                               &SPA_FRACTION (1000, 1)),
    0);
  if (width > 0 && height > 0)
    spa_pod_builder_add (&b, SPA_FORMAT_VIDEO_size, SPA_POD_Rectangle (&SPA_RECTANGLE (width, height)), 0);
  else
    spa_pod_builder_add (&b, SPA_FORMAT_VIDEO_size,
                         SPA_POD_CHOICE_RANGE_Rectangle (&SPA_RECTANGLE (1280, 720), &SPA_RECTANGLE (1, 1),
                                                         &SPA_RECTANGLE (8192, 8192)), 0);
  params[0] = spa_pod_builder_pop (&b, &frame);
  if (pw_stream_connect (c.stream, PW_DIRECTION_INPUT, node_id,
                         PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS,
                         params, 1) < 0)
    {
      c.error = g_strdup_printf ("cannot connect a stream to node %u", node_id);
      goto out;
    }
  pw_thread_loop_unlock (c.loop);

  /* Wait, letting the caller's main context run (it may make mutter redraw). */
  while (g_get_monotonic_time () < deadline)
    {
      gboolean done;
      Flag slice = { FALSE };
      g_autoptr(GSource) timer = g_timeout_source_new (100);

      pw_thread_loop_lock (c.loop);
      done = (want_rgb ? c.out.matching : c.out.frames) >= n_frames || c.error != NULL;
      pw_thread_loop_unlock (c.loop);
      if (done)
        break;
      if (call_while_waiting != NULL && tick++ > 0)
        call_while_waiting (user_data);
      g_source_set_callback (timer, set_flag, &slice, NULL);
      g_source_attach (timer, g_main_context_get_thread_default ());
      while (!slice.done)
        g_main_context_iteration (g_main_context_get_thread_default (), TRUE);
    }
  pw_thread_loop_lock (c.loop);
  if (c.error == NULL && (want_rgb ? c.out.matching : c.out.frames) < n_frames)
    c.error = g_strdup_printf ("%u of %u frames (%u frames in all, last sample #%02x%02x%02x) "
                               "from node %u within %u ms (stream state %s)",
                               want_rgb ? c.out.matching : c.out.frames, n_frames, c.out.frames,
                               c.out.sample_rgb[0], c.out.sample_rgb[1], c.out.sample_rgb[2],
                               node_id, timeout_ms,
                               pw_stream_state_as_string (pw_stream_get_state (c.stream, NULL)));
  ok = c.error == NULL;

out:
  if (c.stream != NULL)
    pw_stream_destroy (c.stream);
  if (c.registry != NULL)
    pw_proxy_destroy ((struct pw_proxy *) c.registry);
  if (c.core != NULL)
    pw_core_disconnect (c.core);
  pw_thread_loop_unlock (c.loop);
  pw_thread_loop_stop (c.loop);
  pw_context_destroy (c.context);
  pw_thread_loop_destroy (c.loop);

  if (out != NULL)
    *out = c.out;
  if (!ok)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, c.error);
  g_free (c.error);
  return ok;
}
