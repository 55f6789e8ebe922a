/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include "wavry-capture.h"
#include "wavry-capture-x11.h"
#include "wavry-media-error.h"

static const struct {
  guint x, y;
  guint32 rgb;
} patches[] = {
  { 40, 30, 0xff0000 },
  { 180, 30, 0x00ff00 },
  { 320, 30, 0x0000ff },
  { 460, 30, 0x804020 },
  { 40, 170, 0xffffff },
};
#define PATCH_SIZE 100

static gboolean
patches_match (WavryVideoFrame *frame,
               gboolean         report)
{
  const guint8 *data = wavry_video_frame_get_data (frame, 0);
  gsize stride = wavry_video_frame_get_stride (frame, 0);
  gboolean bgrx = wavry_video_frame_get_format (frame) == WAVRY_PIXEL_FORMAT_BGRX;

  for (guint i = 0; i < G_N_ELEMENTS (patches); i++)
    {
      /* A few points inside each patch, corners included. */
      static const guint offsets[][2] = { { 0, 0 }, { 50, 50 }, { 99, 99 }, { 99, 0 }, { 0, 99 } };

      for (guint k = 0; k < G_N_ELEMENTS (offsets); k++)
        {
          const guint8 *px = data + (patches[i].y + offsets[k][1]) * stride + (patches[i].x + offsets[k][0]) * 4;
          guint32 r = bgrx ? px[2] : px[0], g = px[1], b = bgrx ? px[0] : px[2];
          guint32 got = (r << 16) | (g << 8) | b;

          if (got != patches[i].rgb)
            {
              if (report)
                g_test_message ("patch %u point %u: got %06x, expected %06x", i, k, got, patches[i].rgb);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static void
test_capture_screen (void)
{
  const char *display_name = g_getenv ("DISPLAY");
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  Display *display;
  Window windows[G_N_ELEMENTS (patches)];
  gboolean matched = FALSE;
  guint frames = 0;
  gint64 deadline;

  if (display_name == NULL || *display_name == '\0')
    {
      g_test_skip ("needs an X display (Xvfb): run under build-aux/headless-session");
      return;
    }
  display = XOpenDisplay (display_name);
  if (display == NULL)
    {
      g_autofree char *message = g_strdup_printf ("needs an X display (Xvfb): cannot open %s", display_name);

      g_test_skip (message);
      return;
    }
  if (DefaultDepth (display, DefaultScreen (display)) < 24)
    {
      XCloseDisplay (display);
      g_test_skip ("needs a 24-bit X display (Xvfb -screen 0 WxHx24)");
      return;
    }

  /* Known colours, as override-redirect windows (no window manager needed):
   * the server paints their background pixel on map. */
  for (guint i = 0; i < G_N_ELEMENTS (patches); i++)
    {
      XSetWindowAttributes attrs = { 0 };

      attrs.override_redirect = True;
      attrs.background_pixel = patches[i].rgb;
      windows[i] = XCreateWindow (display, DefaultRootWindow (display), patches[i].x, patches[i].y,
                                  PATCH_SIZE, PATCH_SIZE, 0, CopyFromParent, InputOutput, CopyFromParent,
                                  CWOverrideRedirect | CWBackPixel, &attrs);
      XMapRaised (display, windows[i]);
    }
  XSync (display, False);

  capture = wavry_capture_new_for_spec ("x11", &(WavryCaptureOptions) { 0, 0, 20 }, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (wavry_capture_get_description (capture), "@20"));
  g_assert_true (wavry_capture_start (capture, &error));
  g_assert_no_error (error);

  /* The first frames may predate the server's painting: allow 3 s. */
  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (!matched && g_get_monotonic_time () < deadline)
    {
      g_autoptr(WavryVideoFrame) frame = wavry_capture_wait_frame (capture, deadline, &error);

      g_assert_no_error (error);
      if (frame == NULL)
        break;
      frames++;
      g_assert_cmpuint (wavry_video_frame_get_width (frame), ==,
                        DisplayWidth (display, DefaultScreen (display)));
      g_assert_cmpuint (wavry_video_frame_get_height (frame), ==,
                        DisplayHeight (display, DefaultScreen (display)));
      matched = patches_match (frame, g_get_monotonic_time () + 100000 > deadline);
    }
  wavry_capture_stop (capture);
  g_test_message ("%u frames captured", frames);
  g_assert_true (matched);

  for (guint i = 0; i < G_N_ELEMENTS (patches); i++)
    XDestroyWindow (display, windows[i]);
  XCloseDisplay (display);
}

static void
test_bad_display (void)
{
  g_autoptr(GError) error = NULL;

  /* Needs no X server: nothing listens on display 4321. */
  g_assert_null (wavry_capture_new_for_spec ("x11::4321", NULL, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "Cannot open X display :4321: "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/media/capture/x11/screen", test_capture_screen);
  g_test_add_func ("/wavry/media/capture/x11/bad-display", test_bad_display);

  return g_test_run ();
}
