/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "wavry-capture-test-pattern.h"
#include "wavry-identity.h"
#include "wavry-rift-frame.h"
#include "wavry-y4m.h"

/* Runs the real `wavry` binary (WAVRY_BINARY from meson) with a private
 * HOME and XDG directories, and checks exit codes and what a person reads. */

static char *tmpdir;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static GSubprocessLauncher *
launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_autofree char *config = g_build_filename (tmpdir, "config", NULL);
  g_autofree char *state = g_build_filename (tmpdir, "state", NULL);

  g_subprocess_launcher_setenv (launcher, "HOME", tmpdir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  /* No session bus: the CLI must fall back to key files. */
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "STATE_DIRECTORY");

  return launcher;
}

static void
run_wavry (Result      *r,
           const char  *first,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("WAVRY_BINARY"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  g_test_message ("stdout: %s\nstderr: %s", r->out, r->err);
}

static char *
path_in_tmp (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static char *
keygen (const char *name)
{
  g_autofree char *prefix = path_in_tmp (name);
  g_autofree char *key = g_strconcat (prefix, ".key", NULL);
  g_auto(Result) r = { 0 };
  g_auto(Result) id = { 0 };

  g_unlink (key);
  run_wavry (&r, "keygen", "--output", prefix, "--force", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_wavry (&id, "show-id", "--key", key, NULL);
  g_assert_cmpint (id.status, ==, 0);

  return g_strdup (g_strstrip (id.out));
}

static void
test_keygen (void)
{
  g_autofree char *prefix = path_in_tmp ("device");
  g_autofree char *key = g_strconcat (prefix, ".key", NULL);
  g_autofree char *pub = g_strconcat (prefix, ".pub", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(Result) r = { 0 };
  g_auto(Result) again = { 0 };
  g_auto(Result) forced = { 0 };
  g_auto(Result) missing = { 0 };
  GStatBuf st;

  run_wavry (&r, "keygen", "--output", prefix, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Wavry ID: "));
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (pub, &st), ==, 0);
  g_assert_true (g_file_get_contents (key, &before, NULL, NULL));

  /* Never overwrite silently. */
  run_wavry (&again, "keygen", "--output", prefix, NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.err, "--force"));
  g_assert_true (g_file_get_contents (key, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);

  run_wavry (&forced, "keygen", "--output", prefix, "--force", NULL);
  g_assert_cmpint (forced.status, ==, 0);
  g_clear_pointer (&after, g_free);
  g_assert_true (g_file_get_contents (key, &after, NULL, NULL));
  g_assert_cmpstr (before, !=, after);

  run_wavry (&missing, "keygen", NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "--output"));
}

static void
test_show_id (void)
{
  g_autofree char *prefix = path_in_tmp ("showid");
  g_autofree char *key = g_strconcat (prefix, ".key", NULL);
  g_autofree char *pub = g_strconcat (prefix, ".pub", NULL);
  g_autofree char *bad = path_in_tmp ("bad.key");
  g_auto(Result) gen = { 0 };
  g_auto(Result) from_key = { 0 };
  g_auto(Result) from_pub = { 0 };
  g_auto(Result) from_bad = { 0 };
  g_auto(Result) from_missing = { 0 };

  g_unlink (key);
  g_unlink (pub);
  run_wavry (&gen, "keygen", "--output", prefix, NULL);
  g_assert_cmpint (gen.status, ==, 0);

  run_wavry (&from_key, "show-id", "--key", key, NULL);
  run_wavry (&from_pub, "show-id", "--key", pub, NULL);
  g_assert_cmpint (from_key.status, ==, 0);
  g_assert_cmpint (from_pub.status, ==, 0);
  g_strstrip (from_key.out);
  g_assert_cmpuint (strlen (from_key.out), ==, WAVRY_ID_LEN);
  g_assert_true (wavry_id_is_valid (from_key.out));
  g_assert_cmpstr (from_key.out, ==, g_strstrip (from_pub.out));
  g_assert_nonnull (strstr (gen.out, from_key.out));

  /* A malformed file: a clear error that names the file. */
  g_assert_true (g_file_set_contents_full (bad, "hello world\n", -1, 0, 0600, NULL));
  run_wavry (&from_bad, "show-id", "--key", bad, NULL);
  g_assert_cmpint (from_bad.status, ==, 1);
  g_assert_nonnull (strstr (from_bad.err, bad));

  run_wavry (&from_missing, "show-id", "--key", "/nonexistent/x.key", NULL);
  g_assert_cmpint (from_missing.status, ==, 1);
  g_assert_nonnull (strstr (from_missing.err, "/nonexistent/x.key"));
}

static void
test_version_and_usage (void)
{
  g_auto(Result) version = { 0 };
  g_auto(Result) unknown = { 0 };
  g_auto(Result) bad_flag = { 0 };
  g_auto(Result) bad_service = { 0 };

  run_wavry (&version, "version", NULL);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_nonnull (strstr (version.out, "Wavry " PACKAGE_VERSION));
  g_assert_nonnull (strstr (version.out, "RIFT protocol version 1"));
  g_assert_nonnull (strstr (version.out, "libsodium"));
  g_assert_nonnull (strstr (version.out, "libavcodec"));

  run_wavry (&unknown, "frobnicate", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "frobnicate"));

  run_wavry (&bad_flag, "ping", "--count", "lots", NULL);
  g_assert_cmpint (bad_flag.status, ==, 2);
  g_assert_nonnull (strstr (bad_flag.err, "--help"));

  run_wavry (&bad_service, "--service=gateway", NULL);
  g_assert_cmpint (bad_service.status, ==, 2);
  g_assert_nonnull (strstr (bad_service.err, "--service=host"));
}

typedef struct
{
  GSubprocess *process;
  char        *address;
  char        *id;
  GDataInputStream *out;
} Host;

/* Starts `wavry --service=host` and reads its two start-up lines. */
static void
host_start (Host       *host,
            const char *first,
            ...)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("WAVRY_BINARY"));
  g_ptr_array_add (argv, (char *) "--service=host");
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  memset (host, 0, sizeof *host);
  host->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  host->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (host->process));

  while (host->address == NULL || host->id == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (host->out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_test_message ("host: %s", line);
      if (g_str_has_prefix (line, "Wavry host listening on "))
        host->address = g_strdup (line + strlen ("Wavry host listening on "));
      else if (g_str_has_prefix (line, "Wavry ID: "))
        host->id = g_strdup (line + strlen ("Wavry ID: "));
    }
}

/* Stops the host by its PID and checks it shut down cleanly. */
static void
host_stop (Host *host)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (host->process, SIGTERM);
  g_subprocess_wait (host->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (host->process));
  g_assert_cmpint (g_subprocess_get_exit_status (host->process), ==, 0);
  g_clear_object (&host->out);
  g_clear_object (&host->process);
  g_free (host->address);
  g_free (host->id);
}

static void
test_host_and_ping (void)
{
  g_autofree char *client_id = keygen ("client");
  g_autofree char *host_id = keygen ("host");
  g_autofree char *stranger_id = keygen ("stranger");
  g_autofree char *client_key = path_in_tmp ("client.key");
  g_autofree char *host_key = path_in_tmp ("host.key");
  g_autofree char *stranger_key = path_in_tmp ("stranger.key");
  g_auto(Result) ok = { 0 };
  g_auto(Result) wrong = { 0 };
  g_auto(Result) refused = { 0 };
  Host host;

  host_start (&host, "--key", host_key, "--allow-client", client_id, NULL);
  g_assert_cmpstr (host.id, ==, host_id);
  g_assert_true (g_str_has_prefix (host.address, "127.0.0.1:"));

  run_wavry (&ok, "ping", "--server", host.address, "--key", client_key,
             "--expect-id", host_id, "--count", "3", "--interval", "10", NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_nonnull (strstr (ok.out, host_id));
  g_assert_nonnull (strstr (ok.out, "3 sent, 3 received"));
  g_assert_nonnull (strstr (ok.out, "rtt min/avg/max"));

  /* Wrong expected identity: refused before the client reveals itself. */
  run_wavry (&wrong, "ping", "--server", host.address, "--key", client_key,
             "--expect-id", stranger_id, NULL);
  g_assert_cmpint (wrong.status, ==, 1);
  g_assert_nonnull (strstr (wrong.err, "Wrong host identity"));
  g_assert_nonnull (strstr (wrong.err, stranger_id));
  g_assert_nonnull (strstr (wrong.err, host_id));

  /* A device the host does not trust gets a reason it can read. */
  run_wavry (&refused, "ping", "--server", host.address, "--key", stranger_key,
             "--expect-id", host_id, NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "refused"));
  g_assert_nonnull (strstr (refused.err, stranger_id));

  host_stop (&host);
}

static void
test_host_identity_created (void)
{
  g_autofree char *state_key = g_build_filename (tmpdir, "state", "wavry", "host.key", NULL);
  g_autofree char *first_id = NULL;
  g_auto(Result) show = { 0 };
  Host host;

  g_unlink (state_key);
  host_start (&host, NULL);
  first_id = g_strdup (host.id);
  host_stop (&host);

  /* Same identity on the next start, from the state directory. */
  run_wavry (&show, "show-id", "--key", state_key, NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_cmpstr (g_strstrip (show.out), ==, first_id);
  host_start (&host, NULL);
  g_assert_cmpstr (host.id, ==, first_id);
  host_stop (&host);
}

static void
test_ping_user_identity (void)
{
  g_autofree char *user_key = g_build_filename (tmpdir, "config", "wavry", "identity.key", NULL);
  g_autofree char *host_key = path_in_tmp ("host.key");
  g_autofree char *host_id = keygen ("host");
  g_auto(Result) first = { 0 };
  g_auto(Result) show = { 0 };
  g_auto(Result) ok = { 0 };
  Host host;

  /* Without --key and without a keyring, ping creates the user's identity
   * in a key file; show-id (no --key) prints it. */
  g_unlink (user_key);
  host_start (&host, "--key", host_key, NULL);
  run_wavry (&first, "ping", "--server", host.address, "--expect-id", host_id, NULL);
  g_assert_cmpint (first.status, ==, 1);   /* not trusted yet */
  g_assert_true (g_file_test (user_key, G_FILE_TEST_EXISTS));
  host_stop (&host);

  run_wavry (&show, "show-id", NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_strstrip (show.out);
  g_assert_nonnull (strstr (first.err, show.out));

  host_start (&host, "--key", host_key, "--allow-client", show.out, NULL);
  run_wavry (&ok, "ping", "--server", host.address, "--expect-id", host_id,
             "--count", "1", NULL);
  g_assert_cmpint (ok.status, ==, 0);
  host_stop (&host);
}

static void
test_ping_timeout (void)
{
  g_autofree char *client_key = path_in_tmp ("client.key");
  g_autoptr(GSocket) sink = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *server = NULL;
  g_auto(Result) r = { 0 };

  g_free (keygen ("client"));

  /* A socket that never answers. */
  sink = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  g_assert_true (g_socket_bind (sink, any, FALSE, NULL));
  bound = g_socket_get_local_address (sink, NULL);
  server = g_strdup_printf ("127.0.0.1:%u",
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  run_wavry (&r, "ping", "--server", server, "--key", client_key, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "No answer from the host"));
}

typedef struct
{
  GSocket *socket;
  gboolean stop;
} FakeHost;

/* Answers every datagram with a RIFT version 2 header, as a newer host
 * would. */
static gpointer
fake_v2_host (gpointer data)
{
  FakeHost *fake = data;
  guint8 buf[2048];

  while (!g_atomic_int_get (&fake->stop))
    {
      g_autoptr(GSocketAddress) from = NULL;
      guint8 reply[64] = { 'R', 'I', 0, 2 };

      if (!g_socket_condition_timed_wait (fake->socket, G_IO_IN, 100000, NULL, NULL))
        continue;
      if (g_socket_receive_from (fake->socket, &from, (char *) buf, sizeof buf, NULL, NULL) > 0)
        g_socket_send_to (fake->socket, from, (char *) reply, sizeof reply, NULL, NULL);
    }

  return NULL;
}

static void
test_ping_version_mismatch (void)
{
  g_autofree char *client_key = path_in_tmp ("client.key");
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *server = NULL;
  g_auto(Result) r = { 0 };
  FakeHost fake = { 0 };
  GThread *thread;

  g_free (keygen ("client"));
  fake.socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  g_assert_true (g_socket_bind (fake.socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (fake.socket, NULL);
  server = g_strdup_printf ("127.0.0.1:%u",
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  thread = g_thread_new ("fake-v2-host", fake_v2_host, &fake);

  run_wavry (&r, "ping", "--server", server, "--key", client_key, NULL);
  g_atomic_int_set (&fake.stop, TRUE);
  g_thread_join (thread);
  g_object_unref (fake.socket);

  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "version mismatch"));
  g_assert_nonnull (strstr (r.err, "version 2"));
}

static void
test_host_bad_config (void)
{
  g_autofree char *bad = path_in_tmp ("trusted.txt");
  g_auto(Result) bad_file = { 0 };
  g_auto(Result) bad_id = { 0 };
  g_auto(Result) bad_listen = { 0 };
  g_auto(Result) public_key = { 0 };
  g_autofree char *pub = path_in_tmp ("host.pub");

  g_free (keygen ("host"));
  g_assert_true (g_file_set_contents (bad, "# devices\nnot-an-id laptop\n", -1, NULL));
  run_wavry (&bad_file, "--service=host", "--trusted-clients", bad, NULL);
  g_assert_cmpint (bad_file.status, ==, 2);
  g_assert_nonnull (strstr (bad_file.err, ":2:"));

  run_wavry (&bad_id, "--service=host", "--allow-client", "xyz", NULL);
  g_assert_cmpint (bad_id.status, ==, 2);
  g_assert_nonnull (strstr (bad_id.err, "--allow-client"));

  run_wavry (&bad_listen, "--service=host", "--listen", "[::1", NULL);
  g_assert_cmpint (bad_listen.status, ==, 2);
  g_assert_nonnull (strstr (bad_listen.err, "HOST:PORT"));

  run_wavry (&public_key, "--service=host", "--key", pub, NULL);
  g_assert_cmpint (public_key.status, ==, 2);
  g_assert_nonnull (strstr (public_key.err, "secret"));
}

/* Removes the test's private directory tree. */
static double
psnr_y (WavryVideoFrame *a,
        WavryVideoFrame *b)
{
  guint w = wavry_video_frame_get_width (a);
  guint h = wavry_video_frame_get_height (a);
  double mse = 0;

  for (guint y = 0; y < h; y++)
    {
      const guint8 *pa = wavry_video_frame_get_data (a, 0) + y * wavry_video_frame_get_stride (a, 0);
      const guint8 *pb = wavry_video_frame_get_data (b, 0) + y * wavry_video_frame_get_stride (b, 0);

      for (guint x = 0; x < w; x++)
        mse += (pa[x] - pb[x]) * (pa[x] - pb[x]);
    }
  mse /= (double) w * h;
  return mse == 0 ? 99.0 : 10.0 * log10 (255.0 * 255.0 / mse);
}

/* The whole product path with the real binaries: `wavry --service=host`
 * streams its test pattern, `wavry connect --headless` writes every decoded
 * frame as y4m, records the stream and writes per-second stats. Each output
 * frame must be one of the host's frames, in order. */
static void
test_connect_stream (void)
{
  g_autofree char *client_id = keygen ("client");
  g_autofree char *host_id = keygen ("host");
  g_autofree char *client_key = path_in_tmp ("client.key");
  g_autofree char *host_key = path_in_tmp ("host.key");
  g_autofree char *out_path = path_in_tmp ("out.y4m");
  g_autofree char *stats_path = path_in_tmp ("stats.json");
  g_autofree char *record_path = path_in_tmp ("rec.mkv");
  g_autofree char *sink = g_strconcat ("y4m:", out_path, NULL);
  g_autofree char *stats = NULL;
  g_autofree char *record = NULL;
  gsize record_len = 0;
  g_auto(Result) r = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryY4mReader) reader = NULL;
  g_autoptr(WavryVideoFrame) expected = NULL;
  guint64 index = 0;
  guint frames = 0;
  double min_psnr = 99;
  Host host;

  host_start (&host, "--key", host_key, "--allow-client", client_id,
              "--capture", "test-pattern", "--width", "320", "--height", "240",
              "--fps", "30", "--bitrate-kbps", "2000", NULL);
  run_wavry (&r, "connect", host.address, "--headless", "--key", client_key,
             "--expect-id", host_id, "--sink", sink, "--record", record_path,
             "--stats", stats_path, "--duration", "2", NULL);
  host_stop (&host);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "Connected to"));
  g_assert_nonnull (strstr (r.err, "H.264"));
  /* video only on stdout when the sink is stdout; here nothing */
  g_assert_cmpstr (r.out, ==, "");

  reader = wavry_y4m_reader_new_for_fd (g_open (out_path, O_RDONLY, 0), TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wavry_y4m_reader_get_header (reader)->width, ==, 320);
  g_assert_cmpuint (wavry_y4m_reader_get_header (reader)->height, ==, 240);
  expected = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, 320, 240);
  for (;;)
    {
      g_autoptr(WavryVideoFrame) frame = wavry_y4m_reader_read_frame (reader, NULL, NULL, &error);
      double best = 0;
      guint64 best_index = index;

      if (frame == NULL)
        break;
      /* the next frames of the pattern, in order (some may be skipped) */
      for (guint64 i = index; i < index + 8; i++)
        {
          double psnr;

          wavry_test_pattern_render (expected, i);
          psnr = psnr_y (frame, expected);
          if (psnr > best)
            {
              best = psnr;
              best_index = i;
            }
        }
      g_assert_cmpfloat (best, >=, 30.0);
      min_psnr = MIN (min_psnr, best);
      index = best_index + 1;
      frames++;
    }
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED));
  g_test_message ("%u frames out, min PSNR %.1f dB", frames, min_psnr);
  g_assert_cmpuint (frames, >=, 30);   /* 2 s at 30 fps, minus start-up */

  /* per-second JSON */
  g_assert_true (g_file_get_contents (stats_path, &stats, NULL, &error));
  lines = g_strsplit (g_strstrip (stats), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 1);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *o;

    g_assert_true (json_parser_load_from_data (parser, lines[0], -1, &error));
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_true (json_object_has_member (o, "fps"));
    g_assert_true (json_object_has_member (o, "latency_ms"));
    g_assert_cmpfloat (json_object_get_double_member (o, "fps"), >, 10);
  }

  /* a Matroska file (EBML magic) holding the stream */
  g_assert_true (g_file_get_contents (record_path, &record, &record_len, &error));
  g_assert_cmpuint (record_len, >, 1000);
  g_assert_cmpmem (record, 4, "\x1a\x45\xdf\xa3", 4);
}

static void
test_connect_usage (void)
{
  g_auto(Result) no_headless = { 0 };
  g_auto(Result) no_address = { 0 };
  g_auto(Result) bad_sink = { 0 };
  g_auto(Result) bad_record = { 0 };
  g_auto(Result) bad_capture = { 0 };
  g_auto(Result) bad_codec = { 0 };

  run_wavry (&no_headless, "connect", "127.0.0.1:9", NULL);
  g_assert_cmpint (no_headless.status, ==, 2);
  g_assert_nonnull (strstr (no_headless.err, "--headless"));
  run_wavry (&no_address, "connect", "--headless", NULL);
  g_assert_cmpint (no_address.status, ==, 2);
  g_assert_nonnull (strstr (no_address.err, "exactly one host address"));
  run_wavry (&bad_sink, "connect", "127.0.0.1:9", "--headless", "--sink", "png:x", NULL);
  g_assert_cmpint (bad_sink.status, ==, 2);
  g_assert_nonnull (strstr (bad_sink.err, "y4m:PATH"));
  run_wavry (&bad_record, "connect", "127.0.0.1:9", "--headless", "--record", "x.avi", NULL);
  g_assert_cmpint (bad_record.status, ==, 2);
  g_assert_nonnull (strstr (bad_record.err, ".mkv"));

  run_wavry (&bad_capture, "--service=host", "--capture", "webcam", NULL);
  g_assert_cmpint (bad_capture.status, ==, 2);
  g_assert_nonnull (strstr (bad_capture.err, "test-pattern"));
  run_wavry (&bad_codec, "--service=host", "--capture", "test-pattern", "--codec", "vp8", NULL);
  g_assert_cmpint (bad_codec.status, ==, 2);
  g_assert_nonnull (strstr (bad_codec.err, "h264"));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("WAVRY_BINARY") == NULL)
    {
      g_printerr ("WAVRY_BINARY is not set; run through meson test\n");
      return 1;
    }
  tmpdir = g_dir_make_tmp ("wavry-cli-XXXXXX", NULL);

  g_test_add_func ("/wavry/cli/keygen", test_keygen);
  g_test_add_func ("/wavry/cli/show-id", test_show_id);
  g_test_add_func ("/wavry/cli/version-and-usage", test_version_and_usage);
  g_test_add_func ("/wavry/cli/host-and-ping", test_host_and_ping);
  g_test_add_func ("/wavry/cli/host-identity-created", test_host_identity_created);
  g_test_add_func ("/wavry/cli/ping-user-identity", test_ping_user_identity);
  g_test_add_func ("/wavry/cli/ping-timeout", test_ping_timeout);
  g_test_add_func ("/wavry/cli/ping-version-mismatch", test_ping_version_mismatch);
  g_test_add_func ("/wavry/cli/host-bad-config", test_host_bad_config);
  g_test_add_func ("/wavry/cli/connect-stream", test_connect_stream);
  g_test_add_func ("/wavry/cli/connect-usage", test_connect_usage);

  ret = g_test_run ();

  remove_tree (tmpdir);
  g_free (tmpdir);

  return ret;
}
