/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * End to end over real loopback UDP: a host daemon captures the test
 * pattern, encodes it with x264 and streams it over RIFT; a client decodes
 * it. Every frame the client outputs is compared with the picture the host
 * captured (the pattern is a pure function of the frame index, recovered
 * from the frame's timestamp), through a proxy that loses, bursts,
 * reorders and duplicates datagrams. */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sodium.h>
#include <X11/Xlib.h>

#include "wavry-capture-test-pattern.h"
#include "wavry-y4m.h"
#include "wavry-client-media.h"
#include "wavry-connection.h"
#include "wavry-host-daemon.h"
#include "wavry-host-media.h"
#include "wavry-mutter-session.h"
#include "wavry-test-mutter.h"
#include "wavry-test-udp-proxy.h"
#include "wavry-trusted-clients.h"

#define WIDTH   640
#define HEIGHT  360
#define FPS     30
#define MIN_PSNR_DB 30.0

typedef struct
{
  gboolean clip;            /* FFmpeg's testsrc2 (detailed, several chunks a frame) */
  guint    loss_percent;
  guint    burst;
  guint    jitter_us;
  WavryTestProxyMode mode;
  guint    seconds;
  double   min_delivered;   /* fraction of the frames the host sent */
} Scenario;

/* testsrc2 frames as read back from the y4m file the host streams */
static GPtrArray *clip_frames;
static char *clip_path;

typedef struct
{
  const Scenario *scenario;
  GMutex  lock;
  guint   frames;
  double  min_psnr;
  double  sum_psnr;
  guint64 last_index;
  gboolean out_of_order;
} Seen;

static double
psnr_y (WavryVideoFrame *a,
        WavryVideoFrame *b)
{
  guint w = wavry_video_frame_get_width (a);
  guint h = wavry_video_frame_get_height (a);
  const guint8 *pa = wavry_video_frame_get_data (a, 0);
  const guint8 *pb = wavry_video_frame_get_data (b, 0);
  gsize sa = wavry_video_frame_get_stride (a, 0);
  gsize sb = wavry_video_frame_get_stride (b, 0);
  double mse = 0;

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        int d = pa[y * sa + x] - pb[y * sb + x];

        mse += d * d;
      }
  mse /= (double) w * h;
  return mse == 0 ? 99.0 : 10.0 * log10 (255.0 * 255.0 / mse);
}

static void
on_frame (WavryVideoFrame *frame,
          gpointer         user_data)
{
  Seen *seen = user_data;
  g_autoptr(WavryVideoFrame) expected = NULL;
  guint64 index;
  double psnr;

  g_assert_cmpuint (wavry_video_frame_get_width (frame), ==, WIDTH);
  g_assert_cmpuint (wavry_video_frame_get_height (frame), ==, HEIGHT);

  /* the test pattern stamps frame N with pts N/fps seconds */
  index = (guint64) ((wavry_video_frame_get_pts (frame) * FPS + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC);
  if (seen->scenario->clip)
    {
      g_assert_cmpuint (index, <, clip_frames->len);
      expected = wavry_video_frame_ref (g_ptr_array_index (clip_frames, index));
    }
  else
    {
      expected = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, WIDTH, HEIGHT);
      wavry_test_pattern_render (expected, index);
    }
  psnr = psnr_y (frame, expected);

  g_mutex_lock (&seen->lock);
  if (seen->frames > 0 && index <= seen->last_index)
    seen->out_of_order = TRUE;
  seen->last_index = index;
  seen->frames++;
  seen->sum_psnr += psnr;
  seen->min_psnr = seen->frames == 1 ? psnr : MIN (seen->min_psnr, psnr);
  g_mutex_unlock (&seen->lock);
}

static gboolean
is_connected (gpointer data)
{
  return wavry_connection_get_state (data) == WAVRY_RIFT_CLIENT_STATE_ESTABLISHED ||
         wavry_connection_get_state (data) == WAVRY_RIFT_CLIENT_STATE_CLOSED;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  wavry_connection_connect_finish (WAVRY_CONNECTION (source), result, error);
}

/* A host daemon streaming @host_config and a client receiving it, connected
 * directly or through @proxy (when not NULL, it is made to point at the
 * host and @proxy_setup configures it). */
typedef struct
{
  WavryIdentity       *host_id;
  WavryIdentity       *client_id;
  WavryTrustedClients *trusted;
  WavryHostMedia      *media;
  WavryHostDaemon     *daemon;
  WavryTestUdpProxy   *proxy;
  WavryConnection     *connection;
  WavryClientMedia    *client_media;
} Rig;

static void
rig_start (Rig                        *rig,
           const WavryHostMediaConfig *host_config,
           WavryClientFrameFunc        frame_func,
           gpointer                    frame_data,
           const Scenario             *impairment)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetSocketAddress) listen = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) connect_error = NULL;
  WavryClientMediaConfig client_config = { 0 };
  GInetSocketAddress *target;
  Rift__Codec codecs[3];
  gsize n_codecs;

  memset (rig, 0, sizeof *rig);
  rig->host_id = wavry_identity_generate ();
  rig->client_id = wavry_identity_generate ();
  rig->trusted = wavry_trusted_clients_new ();

  rig->media = wavry_host_media_new (host_config, &error);
  g_assert_no_error (error);
  wavry_trusted_clients_add (rig->trusted, wavry_identity_get_id (rig->client_id));
  rig->daemon = wavry_host_daemon_new (rig->host_id, rig->trusted, "stream test host");
  wavry_host_daemon_set_media (rig->daemon, rig->media);
  listen = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (loopback, 0));
  g_assert_true (wavry_host_daemon_start (rig->daemon, listen, &error));
  g_assert_no_error (error);
  target = wavry_host_daemon_get_local_address (rig->daemon);

  if (impairment != NULL)
    {
      rig->proxy = wavry_test_udp_proxy_new (target);
      wavry_test_udp_proxy_set_mode (rig->proxy, impairment->mode);
      if (impairment->loss_percent > 0 || impairment->jitter_us > 0)
        wavry_test_udp_proxy_set_impairment (rig->proxy, impairment->loss_percent,
                                             impairment->burst, 0, impairment->jitter_us, 7);
      target = wavry_test_udp_proxy_get_address (rig->proxy);
    }

  rig->client_media = wavry_client_media_new (&client_config, &error);
  g_assert_no_error (error);
  wavry_client_media_set_frame_func (rig->client_media, frame_func, frame_data);
  rig->connection = wavry_connection_new (rig->client_id, "stream test client");
  n_codecs = wavry_client_media_get_codecs (rig->client_media, codecs);
  wavry_connection_set_codecs (rig->connection, codecs, n_codecs);
  wavry_connection_connect_async (rig->connection, target, wavry_identity_get_id (rig->host_id),
                                  NULL, connected_cb, &connect_error);
  g_assert_true (wavry_test_wait_for (is_connected, rig->connection, 10000));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_no_error (connect_error);
  g_assert_true (wavry_client_media_attach (rig->client_media, rig->connection, &error));
  g_assert_no_error (error);
}

static void
rig_run (guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

/* Stops the client (its outputs must close cleanly), then the host. */
static void
rig_stop (Rig *rig)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wavry_client_media_detach (rig->client_media, &error));
  g_assert_no_error (error);
  wavry_host_daemon_stop (rig->daemon);
}

static void
rig_clear (Rig *rig)
{
  g_clear_object (&rig->client_media);
  g_clear_object (&rig->connection);
  g_clear_pointer (&rig->proxy, wavry_test_udp_proxy_free);
  g_clear_object (&rig->daemon);
  g_clear_object (&rig->media);
  g_clear_object (&rig->trusted);
  g_clear_object (&rig->host_id);
  g_clear_object (&rig->client_id);
}

static void
run_scenario (gconstpointer data)
{
  const Scenario *scenario = data;
  WavryHostMediaConfig host_config = { 0 };
  WavryHostMediaStats host_stats;
  WavryClientMediaStats client_stats;
  g_autofree char *spec = NULL;
  Seen seen = { 0 };
  double delivered;
  Rig rig;

  if (scenario->clip && clip_frames == NULL)
    {
      g_test_skip ("needs the ffmpeg program to make the test clip");
      return;
    }
  g_mutex_init (&seen.lock);
  seen.scenario = scenario;

  spec = scenario->clip ? g_strconcat ("y4m:", clip_path, NULL) : g_strdup ("test-pattern");
  host_config.capture_spec = spec;
  host_config.capture.width = WIDTH;
  host_config.capture.height = HEIGHT;
  host_config.fps = FPS;
  host_config.bitrate_kbps = 3000;
  host_config.encoder = "x264";
  rig_start (&rig, &host_config, on_frame, &seen, scenario);
  rig_run (scenario->seconds);
  rig_stop (&rig);
  wavry_host_media_get_stats (rig.media, &host_stats);
  wavry_client_media_get_stats (rig.client_media, &client_stats);

  delivered = host_stats.frames_sent > 0
              ? (double) client_stats.frames_output / host_stats.frames_sent : 0;
  g_test_message ("loss %u%% burst %u jitter %u µs mode %d: host sent %" G_GUINT64_FORMAT
                  " frames (%" G_GUINT64_FORMAT " chunks, %" G_GUINT64_FORMAT " parity, %"
                  G_GUINT64_FORMAT " keyframes); client output %" G_GUINT64_FORMAT
                  " (%.1f %%), lost %" G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT
                  ", FEC recovered %" G_GUINT64_FORMAT ", NACKed %" G_GUINT64_FORMAT
                  ", RFI %" G_GUINT64_FORMAT "; proxy dropped %" G_GUINT64_FORMAT
                  "; PSNR min %.1f dB mean %.1f dB",
                  scenario->loss_percent, scenario->burst, scenario->jitter_us, scenario->mode,
                  host_stats.frames_sent, host_stats.chunks_sent, host_stats.parity_sent,
                  host_stats.keyframes, client_stats.frames_output, 100 * delivered,
                  client_stats.frames_lost, client_stats.frames_dropped,
                  client_stats.fec_recovered, client_stats.nacks_sent, client_stats.rfi_sent,
                  wavry_test_udp_proxy_get_dropped (rig.proxy), seen.min_psnr,
                  seen.frames ? seen.sum_psnr / seen.frames : 0);

  /* It streamed at (nearly) the configured rate … */
  g_assert_cmpuint (host_stats.frames_sent, >=, scenario->seconds * FPS / 2);
  /* … every frame the client output is the picture the host captured … */
  g_assert_cmpuint (seen.frames, ==, client_stats.frames_output);
  g_assert_cmpuint (seen.frames, >, 0);
  g_assert_cmpfloat (seen.min_psnr, >=, MIN_PSNR_DB);
  g_assert_false (seen.out_of_order);
  g_assert_cmpuint (client_stats.decode_errors, ==, 0);
  /* … and loss recovery delivered enough of them. */
  g_assert_cmpfloat (delivered, >=, scenario->min_delivered);
  if (scenario->loss_percent > 0)
    {
      g_assert_cmpuint (wavry_test_udp_proxy_get_dropped (rig.proxy), >, 0);
      g_assert_cmpuint (client_stats.fec_recovered + client_stats.nacks_sent, >, 0);
    }

  rig_clear (&rig);
  g_mutex_clear (&seen.lock);
}

/* Checks the centre of @frame against a colour's BT.709 limited-range YCbCr. */
static void
assert_centre_colour (WavryVideoFrame *frame,
                      guint            want_y,
                      guint            want_cb,
                      guint            want_cr)
{
  guint x = wavry_video_frame_get_width (frame) / 2 & ~1u;
  guint y = wavry_video_frame_get_height (frame) / 2 & ~1u;
  guint py = wavry_video_frame_get_data (frame, 0)[y * wavry_video_frame_get_stride (frame, 0) + x];
  guint pu = wavry_video_frame_get_data (frame, 1)[y / 2 * wavry_video_frame_get_stride (frame, 1) + x / 2];
  guint pv = wavry_video_frame_get_data (frame, 2)[y / 2 * wavry_video_frame_get_stride (frame, 2) + x / 2];

  g_test_message ("centre Y %u Cb %u Cr %u (want about %u %u %u)", py, pu, pv,
                  want_y, want_cb, want_cr);
  g_assert_cmpint (ABS ((int) py - (int) want_y), <=, 10);
  g_assert_cmpint (ABS ((int) pu - (int) want_cb), <=, 12);
  g_assert_cmpint (ABS ((int) pv - (int) want_cr), <=, 12);
}

typedef struct
{
  GMutex           lock;
  guint            frames;
  WavryVideoFrame *last;
} LastFrame;

static void
keep_last (WavryVideoFrame *frame,
           gpointer         user_data)
{
  LastFrame *last = user_data;

  g_mutex_lock (&last->lock);
  last->frames++;
  g_clear_pointer (&last->last, wavry_video_frame_unref);
  last->last = wavry_video_frame_ref (frame);
  g_mutex_unlock (&last->lock);
}

/* `--capture mutter` (or, with @data TRUE, `--capture pipewire:NODE` of the
 * screen-cast node it gives, in a real PipeWire) against a real headless
 * GNOME compositor whose screen
 * a fullscreen GTK window paints #ff2000: the client must decode that
 * colour. Frames are damage-driven (a static screen sends one), so the
 * stream must start from that one frame and keep the session alive. */
static void
test_mutter (gconstpointer data)
{
  gboolean via_pipewire = GPOINTER_TO_INT (data);
  WavryTestMutter *env = wavry_test_mutter_start (TRUE);
  g_autoptr(WavryMutterSession) session = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *painter = NULL;
  g_autoptr(GSubprocess) painter_proc = NULL;
  g_autoptr(GError) error = NULL;
  WavryHostMediaConfig host_config = { 0 };
  LastFrame last = { 0 };
  Rig rig;

  if (env == NULL)
    return;  /* skipped, naming the missing program */
  painter = g_test_build_filename (G_TEST_BUILT, "media", "mutter-input-client", NULL);
  if (!g_file_test (painter, G_FILE_TEST_IS_EXECUTABLE))
    {
      wavry_test_mutter_stop (env);
      g_test_skip ("the GTK test client (tests/media/mutter-input-client) was not built (-Dgui=false)");
      return;
    }
  g_mutex_init (&last.lock);

  /* The host finds GNOME and PipeWire the way a service in the session does. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", wavry_test_mutter_get_bus_address (env), TRUE);
  g_setenv ("PIPEWIRE_RUNTIME_DIR", wavry_test_mutter_get_runtime_dir (env), TRUE);

  painter_proc = wavry_test_mutter_spawn_client (env, (const char *[]) { painter, "#ff2000", NULL },
                                                 &error);
  g_assert_no_error (error);
  g_usleep (G_USEC_PER_SEC);   /* the window maps and paints */

  if (via_pipewire)
    {
      /* `--capture pipewire:NODE` of a screen-cast node in a real PipeWire */
      session = wavry_mutter_session_new (wavry_test_mutter_get_bus (env), NULL, FALSE, &error);
      g_assert_no_error (error);
      spec = g_strdup_printf ("pipewire:%u", wavry_mutter_session_get_node_id (session));
    }
  else
    spec = g_strdup ("mutter");
  host_config.capture_spec = spec;
  host_config.fps = FPS;
  host_config.bitrate_kbps = 4000;
  host_config.encoder = "x264";
  rig_start (&rig, &host_config, keep_last, &last, NULL);
  rig_run (4);
  /* still connected after seconds of a (mostly) static screen */
  g_assert_cmpint (wavry_connection_get_state (rig.connection), ==,
                   WAVRY_RIFT_CLIENT_STATE_ESTABLISHED);
  rig_stop (&rig);
  rig_clear (&rig);

  g_assert_cmpuint (last.frames, >=, 1);
  g_assert_nonnull (last.last);
  g_assert_cmpuint (wavry_video_frame_get_width (last.last), ==, 1280);
  g_assert_cmpuint (wavry_video_frame_get_height (last.last), ==, 720);
  g_test_message ("mutter: %u frames", last.frames);
  /* #ff2000 in BT.709 limited range: Y ≈ 82, Cb ≈ 92, Cr ≈ 227 */
  assert_centre_colour (last.last, 82, 92, 227);

  g_clear_pointer (&last.last, wavry_video_frame_unref);
  g_mutex_clear (&last.lock);
  g_clear_object (&painter_proc);
  g_clear_pointer (&session, wavry_mutter_session_free);
  wavry_test_mutter_stop (env);
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_unsetenv ("PIPEWIRE_RUNTIME_DIR");
}

/* `--capture x11` of the harness's Xvfb display, covered by a window of
 * #2060ff: the client must decode that colour. */
static void
test_x11 (void)
{
  const char *display_name = g_getenv ("DISPLAY");
  WavryHostMediaConfig host_config = { 0 };
  XSetWindowAttributes attrs = { 0 };
  LastFrame last = { 0 };
  Display *display;
  Window window;
  Rig rig;

  if (display_name == NULL || (display = XOpenDisplay (display_name)) == NULL)
    {
      g_test_skip ("needs an X display (Xvfb, started by build-aux/headless-session)");
      return;
    }
  g_mutex_init (&last.lock);

  attrs.override_redirect = True;
  attrs.background_pixel = 0x2060ff;
  window = XCreateWindow (display, DefaultRootWindow (display), 0, 0,
                          DisplayWidth (display, DefaultScreen (display)),
                          DisplayHeight (display, DefaultScreen (display)), 0, CopyFromParent,
                          InputOutput, CopyFromParent, CWOverrideRedirect | CWBackPixel, &attrs);
  XMapRaised (display, window);
  XSync (display, False);

  host_config.capture_spec = "x11";
  host_config.fps = FPS;
  host_config.bitrate_kbps = 3000;
  host_config.encoder = "x264";
  rig_start (&rig, &host_config, keep_last, &last, NULL);
  rig_run (2);
  rig_stop (&rig);
  rig_clear (&rig);

  g_assert_cmpuint (last.frames, >=, FPS);   /* x11grab polls: a steady stream */
  g_assert_cmpuint (wavry_video_frame_get_width (last.last), ==,
                    (guint) DisplayWidth (display, DefaultScreen (display)) & ~1u);
  /* #2060ff: Y ≈ 97, Cb ≈ 204, Cr ≈ 94 */
  assert_centre_colour (last.last, 97, 204, 94);

  XDestroyWindow (display, window);
  XCloseDisplay (display);
  g_clear_pointer (&last.last, wavry_video_frame_unref);
  g_mutex_clear (&last.lock);
}

/* FFmpeg's testsrc2 (moving, detailed) as y4m, and its frames in memory. */
static GPtrArray *
make_clip (const char *path,
           guint       n_frames)
{
  g_autofree char *size = g_strdup_printf ("testsrc2=size=%ux%u:rate=%u", WIDTH, HEIGHT, FPS);
  g_autofree char *frames = g_strdup_printf ("%u", n_frames);
  const char *argv[] = { "ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", size,
                         "-frames:v", frames, "-pix_fmt", "yuv420p", path, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryY4mReader) reader = NULL;
  GPtrArray *result;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));

  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GFileInputStream) in = g_file_read (file, NULL, &error);

    g_assert_no_error (error);
    reader = wavry_y4m_reader_new (G_INPUT_STREAM (in), NULL, &error);
    g_assert_no_error (error);
  }
  result = g_ptr_array_new_with_free_func ((GDestroyNotify) wavry_video_frame_unref);
  for (;;)
    {
      WavryVideoFrame *frame = wavry_y4m_reader_read_frame (reader, NULL, NULL, &error);

      if (frame == NULL)
        break;
      g_ptr_array_add (result, frame);
    }
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED));
  g_assert_cmpuint (result->len, ==, n_frames);
  return result;
}

int
main (int   argc,
      char *argv[])
{
  static const Scenario clean = { FALSE, 0, 0, 0, WAVRY_TEST_PROXY_PASS, 3, 0.97 };
  static const Scenario clip_clean = { TRUE, 0, 0, 0, WAVRY_TEST_PROXY_PASS, 4, 0.97 };
  static const Scenario loss1 = { TRUE, 1, 1, 0, WAVRY_TEST_PROXY_PASS, 4, 0.97 };
  static const Scenario loss5 = { TRUE, 5, 1, 0, WAVRY_TEST_PROXY_PASS, 4, 0.95 };
  static const Scenario bursts = { TRUE, 2, 3, 0, WAVRY_TEST_PROXY_PASS, 4, 0.93 };
  static const Scenario disorder = { TRUE, 0, 0, 0, WAVRY_TEST_PROXY_SWAP | WAVRY_TEST_PROXY_DUPLICATE,
                                     4, 0.90 };
  static const Scenario jitter = { TRUE, 0, 0, 3000, WAVRY_TEST_PROXY_PASS, 4, 0.95 };
  g_autofree char *tmpdir = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  tmpdir = g_dir_make_tmp ("wavry-stream-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  clip_path = g_build_filename (tmpdir, "clip.y4m", NULL);
  {
    g_autofree char *ffmpeg = g_find_program_in_path ("ffmpeg");

    if (ffmpeg != NULL)
      clip_frames = make_clip (clip_path, 150);
  }

  g_test_add_data_func ("/wavry/services/stream/clean", &clean, run_scenario);
  g_test_add_data_func ("/wavry/services/stream/clip-clean", &clip_clean, run_scenario);
  g_test_add_data_func ("/wavry/services/stream/loss-1", &loss1, run_scenario);
  g_test_add_data_func ("/wavry/services/stream/loss-5", &loss5, run_scenario);
  g_test_add_data_func ("/wavry/services/stream/bursts-of-3", &bursts, run_scenario);
  g_test_add_data_func ("/wavry/services/stream/reorder-duplicate", &disorder, run_scenario);
  g_test_add_data_func ("/wavry/services/stream/jitter", &jitter, run_scenario);
  g_test_add_data_func ("/wavry/services/stream/mutter", GINT_TO_POINTER (FALSE), test_mutter);
  g_test_add_data_func ("/wavry/services/stream/pipewire-node", GINT_TO_POINTER (TRUE), test_mutter);
  g_test_add_func ("/wavry/services/stream/x11", test_x11);

  ret = g_test_run ();

  g_unlink (clip_path);
  g_rmdir (tmpdir);
  g_free (clip_path);
  g_clear_pointer (&clip_frames, g_ptr_array_unref);
  return ret;
}
