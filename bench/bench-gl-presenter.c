/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <adwaita.h>
#include <epoxy/gl.h>

#include "wavry-bench-util.h"
#include "wavry-capture-test-pattern.h"
#include "wavry-stream-window.h"

/* The stream window's presentation path on the current display (run it
 * under build-aux/headless-session for Xvfb + Mesa): a new I420 frame is
 * pushed as soon as the previous one was presented, and for each size it
 * reports presented frames per second and push → present latency (the
 * decode-to-present latency of the stats overlay: the wait for the next
 * frame-clock tick, the texture upload, the shader and the toolkit's
 * composition of the GL area). */

static const guint sizes[][2] = { { 640, 360 }, { 1280, 720 }, { 1920, 1080 } };

static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
bench_size (WavryGlPresenter *presenter,
            guint             width,
            guint             height,
            double            seconds)
{
  WavryVideoFrame *frames[2];
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint64 base = wavry_gl_presenter_get_presented_count (presenter);
  guint64 seen = base;
  gint64 start, end;
  guint64 n;

  for (guint i = 0; i < 2; i++)
    {
      frames[i] = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, width, height);
      wavry_test_pattern_render (frames[i], i);
    }

  start = g_get_monotonic_time ();
  end = start + (gint64) (seconds * G_USEC_PER_SEC);
  wavry_gl_presenter_push_frame (presenter, frames[0]);
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, TRUE);
      n = wavry_gl_presenter_get_presented_count (presenter);
      if (n != seen)
        {
          gint64 latency = wavry_gl_presenter_get_last_latency (presenter);

          if (n > base + 2)   /* the first two include the texture allocation */
            g_array_append_val (latencies, latency);
          seen = n;
          wavry_gl_presenter_push_frame (presenter, frames[n & 1]);
        }
    }
  n = seen - base;
  g_array_sort (latencies, cmp_gint64);
  if (latencies->len == 0)
    wavry_bench_die ("bench-gl-presenter: nothing was presented at %u×%u", width, height);
  g_print ("%4u×%-4u  %7.1f fps  push→present p50 %6.2f ms  p95 %6.2f ms  max %6.2f ms  (%u frames)\n",
           width, height, n / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC),
           g_array_index (latencies, gint64, latencies->len / 2) / 1000.0,
           g_array_index (latencies, gint64, (latencies->len * 95) / 100) / 1000.0,
           g_array_index (latencies, gint64, latencies->len - 1) / 1000.0, latencies->len);
  for (guint i = 0; i < 2; i++)
    wavry_video_frame_unref (frames[i]);
}

static gboolean
is_ready (WavryGlPresenter *presenter)
{
  return gtk_widget_get_mapped (GTK_WIDGET (presenter)) &&
         gtk_widget_get_width (GTK_WIDGET (presenter)) > 0;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *command = wavry_bench_command_line (argc, argv);
  WavryStreamWindow *window;
  WavryGlPresenter *presenter;
  gint64 deadline;
  double seconds;

  seconds = wavry_bench_parse_options (&argc, &argv, "bench-gl-presenter",
                                       "The stream window's GL presentation: frames per second "
                                       "and push-to-present latency.", 0.5, NULL);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    wavry_bench_die ("bench-gl-presenter: needs a display; run it under build-aux/headless-session");
  if (!gtk_init_check ())
    wavry_bench_die ("bench-gl-presenter: could not open the display");
  adw_init ();

  window = wavry_stream_window_new (NULL, "bench");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  presenter = wavry_stream_window_get_presenter (window);
  gtk_window_present (GTK_WINDOW (window));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!is_ready (presenter) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!is_ready (presenter))
    wavry_bench_die ("bench-gl-presenter: the window did not appear");
  if (gtk_gl_area_get_error (GTK_GL_AREA (presenter)) != NULL)
    wavry_bench_die ("bench-gl-presenter: no GL: %s",
                     gtk_gl_area_get_error (GTK_GL_AREA (presenter))->message);

  wavry_bench_print_header (command);
  gtk_gl_area_make_current (GTK_GL_AREA (presenter));
  g_print ("# GL: %s, %s; GSK_RENDERER=%s; area %d×%d\n",
           (const char *) glGetString (GL_RENDERER), (const char *) glGetString (GL_VERSION),
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "(default)",
           gtk_widget_get_width (GTK_WIDGET (presenter)),
           gtk_widget_get_height (GTK_WIDGET (presenter)));
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    bench_size (presenter, sizes[i][0], sizes[i][1], seconds);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
