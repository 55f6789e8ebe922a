/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * The stream window on a real X display (Xvfb, Mesa GL): what the presenter
 * draws is read back from the X root window (what a person sees), input is
 * typed and clicked with XTest, and a host streams its test pattern into
 * the window over loopback. */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>
#include <X11/extensions/XTest.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "wavry-capture-test-pattern.h"
#include "wavry-client-media.h"
#include "wavry-connection.h"
#include "wavry-host-daemon.h"
#include "wavry-host-media.h"
#include "wavry-client-input-sink.h"
#include "wavry-stream-window.h"
#include "wavry-test-udp-proxy.h"
#include "wavry-trusted-clients.h"

#define TOLERANCE 12

/* ---- a WavryInputSink that records what it receives ---- */

typedef enum { EV_KEY, EV_POINTER, EV_BUTTON, EV_SCROLL } EventType;

typedef struct
{
  EventType type;
  guint     code;
  gboolean  pressed;
  double    x, y;
  int       dx, dy;
} Event;

#define TEST_TYPE_SINK (test_sink_get_type ())
G_DECLARE_FINAL_TYPE (TestSink, test_sink, TEST, SINK, GObject)

struct _TestSink
{
  GObject parent_instance;
  GArray *events;
};

static void test_sink_iface_init (WavryInputSinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSink, test_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WAVRY_TYPE_INPUT_SINK, test_sink_iface_init))

static void
sink_key (WavryInputSink *sink, guint code, gboolean pressed)
{
  Event e = { EV_KEY, code, pressed };

  g_array_append_val (TEST_SINK (sink)->events, e);
}

static void
sink_pointer (WavryInputSink *sink, double x, double y)
{
  Event e = { EV_POINTER, 0, FALSE, x, y };

  g_array_append_val (TEST_SINK (sink)->events, e);
}

static void
sink_button (WavryInputSink *sink, guint code, gboolean pressed)
{
  Event e = { EV_BUTTON, code, pressed };

  g_array_append_val (TEST_SINK (sink)->events, e);
}

static void
sink_scroll (WavryInputSink *sink, int dx, int dy)
{
  Event e = { EV_SCROLL, 0, FALSE, 0, 0, dx, dy };

  g_array_append_val (TEST_SINK (sink)->events, e);
}

static void
test_sink_iface_init (WavryInputSinkInterface *iface)
{
  iface->key = sink_key;
  iface->pointer = sink_pointer;
  iface->button = sink_button;
  iface->scroll = sink_scroll;
}

static void
test_sink_finalize (GObject *object)
{
  g_array_unref (TEST_SINK (object)->events);
  G_OBJECT_CLASS (test_sink_parent_class)->finalize (object);
}

static void
test_sink_class_init (TestSinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_sink_finalize;
}

static void
test_sink_init (TestSink *self)
{
  self->events = g_array_new (FALSE, TRUE, sizeof (Event));
}

static const Event *
find_event (TestSink *sink, EventType type, guint code, gboolean pressed)
{
  for (guint i = 0; i < sink->events->len; i++)
    {
      const Event *e = &g_array_index (sink->events, Event, i);

      if (e->type == type && e->code == code && e->pressed == pressed)
        return e;
    }
  return NULL;
}

/* ---- helpers ---- */

typedef struct { guint8 r, g, b; } Rgb;

static const Rgb RED = { 255, 0, 0 }, BLUE = { 0, 0, 255 }, GREEN = { 0, 255, 0 },
                 GREY = { 128, 128, 128 }, BLACK = { 0, 0, 0 };

/* BT.709 limited range, the inverse of the presenter's shader */
static void
rgb_to_yuv (Rgb c, guint8 *y, guint8 *u, guint8 *v)
{
  double r = c.r / 255.0, g = c.g / 255.0, b = c.b / 255.0;
  double yy = 0.2126 * r + 0.7152 * g + 0.0722 * b;

  *y = (guint8) (16 + 219 * yy + 0.5);
  *u = (guint8) (128 + 224 * (b - yy) / 1.8556 + 0.5);
  *v = (guint8) (128 + 224 * (r - yy) / 1.5748 + 0.5);
}

static Rgb
yuv_to_rgb (guint8 y8, guint8 u8, guint8 v8)
{
  double y = (y8 - 16) / 219.0, u = (u8 - 128) / 224.0, v = (v8 - 128) / 224.0;
  double r = y + 1.5748 * v, g = y - 0.1873 * u - 0.4681 * v, b = y + 1.8556 * u;
  Rgb c = { CLAMP (r, 0, 1) * 255 + 0.5, CLAMP (g, 0, 1) * 255 + 0.5, CLAMP (b, 0, 1) * 255 + 0.5 };

  return c;
}

/* @left for the left half, @right for the right half */
static WavryVideoFrame *
make_frame (WavryPixelFormat format, guint width, guint height, Rgb left, Rgb right)
{
  WavryVideoFrame *frame = wavry_video_frame_new (format, width, height);
  guint8 y[2], u[2], v[2];

  rgb_to_yuv (left, &y[0], &u[0], &v[0]);
  rgb_to_yuv (right, &y[1], &u[1], &v[1]);
  for (guint row = 0; row < height; row++)
    {
      guint8 *p = wavry_video_frame_get_data (frame, 0) + row * wavry_video_frame_get_stride (frame, 0);

      for (guint x = 0; x < width; x++)
        p[x] = y[x >= width / 2];
    }
  for (guint row = 0; row < height / 2; row++)
    {
      guint8 *p1 = wavry_video_frame_get_data (frame, 1) + row * wavry_video_frame_get_stride (frame, 1);

      for (guint x = 0; x < width / 2; x++)
        {
          guint side = x >= width / 4;

          if (format == WAVRY_PIXEL_FORMAT_NV12)
            {
              p1[2 * x] = u[side];
              p1[2 * x + 1] = v[side];
            }
          else
            {
              guint8 *p2 = wavry_video_frame_get_data (frame, 2) + row * wavry_video_frame_get_stride (frame, 2);

              p1[x] = u[side];
              p2[x] = v[side];
            }
        }
    }
  return frame;
}

static void
iterate_ms (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

typedef struct
{
  WavryGlPresenter *presenter;
  guint64           count;
} PresentWait;

static gboolean
presented_at_least (gpointer data)
{
  PresentWait *w = data;

  return wavry_gl_presenter_get_presented_count (w->presenter) >= w->count;
}

static void
wait_presented (WavryGlPresenter *presenter, guint64 count)
{
  PresentWait w = { presenter, count };

  g_assert_true (wavry_test_wait_for (presented_at_least, &w, 5000));
  iterate_ms (150);   /* let the toolkit put it on the X screen */
}

typedef struct
{
  Display           *dpy;
  WavryStreamWindow *window;
  WavryGlPresenter  *presenter;
} Fixture;

static gboolean
window_ready (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_mapped (GTK_WIDGET (f->presenter)) &&
         gtk_widget_get_width (GTK_WIDGET (f->presenter)) > 0;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dpy = XOpenDisplay (NULL);
  g_assert_nonnull (f->dpy);
  f->window = wavry_stream_window_new (NULL, "Test Host");
  g_object_ref_sink (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 480);
  f->presenter = wavry_stream_window_get_presenter (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (wavry_test_wait_for (window_ready, f, 5000));
  g_assert_no_error (gtk_gl_area_get_error (GTK_GL_AREA (f->presenter)));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_object_unref (f->window);
  iterate_ms (50);
  XCloseDisplay (f->dpy);
}

/* Root-window coordinates of a point in the presenter's coordinates. */
static void
presenter_to_root (Fixture *f, double x, double y, int *rx, int *ry)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (f->presenter));
  graphene_point_t in = GRAPHENE_POINT_INIT (x, y), out;
  double sx, sy;
  Window child;

  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (f->presenter), GTK_WIDGET (native), &in, &out));
  gtk_native_get_surface_transform (native, &sx, &sy);
  XTranslateCoordinates (f->dpy, gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                         DefaultRootWindow (f->dpy), (int) (out.x + sx), (int) (out.y + sy),
                         rx, ry, &child);
}

/* The colour at (@x, @y) of the presenter, as on the screen */
static Rgb
screen_pixel (Fixture *f, double x, double y)
{
  int rx, ry;
  XImage *image;
  unsigned long p;
  Rgb c;

  presenter_to_root (f, x, y, &rx, &ry);
  XSync (f->dpy, False);
  image = XGetImage (f->dpy, DefaultRootWindow (f->dpy), rx, ry, 1, 1, AllPlanes, ZPixmap);
  g_assert_nonnull (image);
  p = XGetPixel (image, 0, 0);
  c.r = (p & image->red_mask) >> 16;
  c.g = (p & image->green_mask) >> 8;
  c.b = p & image->blue_mask;
  XDestroyImage (image);
  return c;
}

#define assert_colour(f, x, y, expected, tol) \
  G_STMT_START { \
    Rgb __c = screen_pixel ((f), (x), (y)); \
    Rgb __e = (expected); \
    if (ABS (__c.r - __e.r) > (tol) || ABS (__c.g - __e.g) > (tol) || ABS (__c.b - __e.b) > (tol)) \
      g_error ("pixel at %.0f,%.0f is %u,%u,%u, expected %u,%u,%u", (double) (x), (double) (y), \
               __c.r, __c.g, __c.b, __e.r, __e.g, __e.b); \
  } G_STMT_END

/* ---- tests ---- */

static void
test_fit (void)
{
  graphene_rect_t r;

  wavry_gl_presenter_fit (320, 240, 640, 240, &r);   /* pillarbox */
  g_assert_cmpfloat (r.origin.x, ==, 160);
  g_assert_cmpfloat (r.origin.y, ==, 0);
  g_assert_cmpfloat (r.size.width, ==, 320);
  g_assert_cmpfloat (r.size.height, ==, 240);
  wavry_gl_presenter_fit (1920, 1080, 960, 1080, &r);   /* letterbox */
  g_assert_cmpfloat (r.origin.x, ==, 0);
  g_assert_cmpfloat (r.origin.y, ==, (1080 - 540) / 2.0);
  g_assert_cmpfloat (r.size.width, ==, 960);
  g_assert_cmpfloat (r.size.height, ==, 540);
  wavry_gl_presenter_fit (0, 240, 640, 480, &r);
  g_assert_cmpfloat (r.size.width, ==, 0);
  g_assert_cmpuint (wavry_input_keycode_to_evdev (38), ==, 30);   /* X11 'a' → KEY_A */
  g_assert_cmpuint (wavry_input_keycode_to_evdev (3), ==, 0);
  g_assert_cmpuint (wavry_input_button_to_evdev (1), ==, 0x110);
  g_assert_cmpuint (wavry_input_button_to_evdev (3), ==, 0x111);
  g_assert_cmpuint (wavry_input_button_to_evdev (2), ==, 0x112);
  g_assert_cmpuint (wavry_input_button_to_evdev (4), ==, 0);
}

static void
check_halves (Fixture *f, guint width, guint height)
{
  graphene_rect_t r;
  guint w, h;

  g_assert_true (wavry_gl_presenter_get_frame_size (f->presenter, &w, &h));
  g_assert_cmpuint (w, ==, width);
  g_assert_cmpuint (h, ==, height);
  g_assert_true (wavry_gl_presenter_get_picture_rect (f->presenter, &r));
  assert_colour (f, r.origin.x + r.size.width * 0.25, r.origin.y + r.size.height * 0.5, RED, TOLERANCE);
  assert_colour (f, r.origin.x + r.size.width * 0.75, r.origin.y + r.size.height * 0.5, BLUE, TOLERANCE);
  assert_colour (f, r.origin.x + 2, r.origin.y + 2, RED, TOLERANCE);
  assert_colour (f, r.origin.x + r.size.width - 3, r.origin.y + r.size.height - 3, BLUE, TOLERANCE);
  /* the bars, where there are some */
  if (r.origin.x >= 4)
    {
      assert_colour (f, r.origin.x / 2, r.size.height / 2, BLACK, 2);
      assert_colour (f, r.origin.x + r.size.width + r.origin.x / 2, r.size.height / 2, BLACK, 2);
    }
  if (r.origin.y >= 4)
    {
      assert_colour (f, r.size.width / 2, r.origin.y / 2, BLACK, 2);
      assert_colour (f, r.size.width / 2, r.origin.y + r.size.height + r.origin.y / 2, BLACK, 2);
    }
}

static void
test_present_halves (Fixture *f, gconstpointer data)
{
  g_autoptr(WavryVideoFrame) a = make_frame (WAVRY_PIXEL_FORMAT_I420, 320, 240, RED, BLUE);
  g_autoptr(WavryVideoFrame) b = make_frame (WAVRY_PIXEL_FORMAT_NV12, 640, 128, RED, BLUE);
  g_autoptr(WavryVideoFrame) c = make_frame (WAVRY_PIXEL_FORMAT_I420, 128, 400, RED, BLUE);
  g_autoptr(WavryVideoFrame) bgrx = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_BGRX, 64, 64);
  graphene_rect_t r;

  g_assert_cmpint (wavry_gl_presenter_get_last_present_time (f->presenter), ==, 0);
  g_assert_false (wavry_gl_presenter_get_frame_size (f->presenter, NULL, NULL));

  /* 4:3 in a wider area: bars left and right */
  wavry_gl_presenter_push_frame (f->presenter, a);
  wait_presented (f->presenter, 1);
  g_assert_cmpint (wavry_gl_presenter_get_last_present_time (f->presenter), >, 0);
  g_assert_cmpint (wavry_gl_presenter_get_last_latency (f->presenter), >=, 0);
  check_halves (f, 320, 240);
  g_assert_true (wavry_gl_presenter_get_picture_rect (f->presenter, &r));
  g_assert_cmpfloat (r.origin.x, >=, 4);

  /* 5:1 NV12: bars above and below (the textures are reallocated) */
  wavry_gl_presenter_push_frame (f->presenter, b);
  wait_presented (f->presenter, 2);
  check_halves (f, 640, 128);
  g_assert_true (wavry_gl_presenter_get_picture_rect (f->presenter, &r));
  g_assert_cmpfloat (r.origin.y, >=, 4);

  /* tall, and smaller than before */
  wavry_gl_presenter_push_frame (f->presenter, c);
  wait_presented (f->presenter, 3);
  check_halves (f, 128, 400);

  /* a packed RGB frame is refused and counted; the picture stays */
  wavry_gl_presenter_push_frame (f->presenter, bgrx);
  iterate_ms (100);
  g_assert_cmpuint (wavry_gl_presenter_get_refused_count (f->presenter), ==, 1);
  g_assert_cmpuint (wavry_gl_presenter_get_presented_count (f->presenter), ==, 3);
  check_halves (f, 128, 400);

  /* unrealized (GL objects freed) and shown again: a new context gets the
   * last frame uploaded again */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  gtk_widget_unrealize (GTK_WIDGET (f->window));
  g_assert_false (gtk_widget_get_realized (GTK_WIDGET (f->presenter)));
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (wavry_test_wait_for (window_ready, f, 5000));
  wait_presented (f->presenter, 4);
  g_assert_no_error (gtk_gl_area_get_error (GTK_GL_AREA (f->presenter)));
  check_halves (f, 128, 400);
}

typedef struct
{
  WavryGlPresenter *presenter;
  guint             n;
} PushThread;

static gpointer
push_ten (gpointer data)
{
  PushThread *t = data;

  for (guint i = 0; i < t->n; i++)
    {
      g_autoptr(WavryVideoFrame) frame =
        make_frame (WAVRY_PIXEL_FORMAT_I420, 320, 240, i == t->n - 1 ? GREEN : GREY,
                    i == t->n - 1 ? GREEN : GREY);

      wavry_gl_presenter_push_frame (t->presenter, frame);
    }
  return NULL;
}

static void
test_newest_frame (Fixture *f, gconstpointer data)
{
  g_autoptr(WavryVideoFrame) first = make_frame (WAVRY_PIXEL_FORMAT_I420, 320, 240, RED, BLUE);
  PushThread t = { f->presenter, 10 };
  GThread *thread;
  graphene_rect_t r;

  wavry_gl_presenter_push_frame (f->presenter, first);
  wait_presented (f->presenter, 1);

  /* ten frames from another thread while the main loop does not run, so
   * no frame-clock tick can fall between them */
  thread = g_thread_new ("push", push_ten, &t);
  g_thread_join (thread);
  g_assert_cmpuint (wavry_gl_presenter_get_pushed_count (f->presenter), ==, 11);

  wait_presented (f->presenter, 2);
  iterate_ms (200);   /* several more ticks: nothing else to present */
  g_assert_cmpuint (wavry_gl_presenter_get_presented_count (f->presenter), ==, 2);
  g_assert_true (wavry_gl_presenter_get_picture_rect (f->presenter, &r));
  assert_colour (f, r.origin.x + r.size.width * 0.25, r.origin.y + r.size.height * 0.5, GREEN, TOLERANCE);
  assert_colour (f, r.origin.x + r.size.width * 0.75, r.origin.y + r.size.height * 0.5, GREEN, TOLERANCE);
}

/* A DMA-BUF frame arrives at a presenter that cannot import it (GLX under
 * Xvfb; EGL without EGL_EXT_image_dma_buf_import with GDK_DEBUG=gl-egl; or,
 * on a GPU, an fd that is no DMA-BUF): it is dropped, the picture stays,
 * the presenter says why and turns "dmabuf-import" off for good, and
 * frames in memory are shown in the right colours. */
static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

static void
count_release (gpointer data)
{
  (*(guint *) data)++;
}

static void
test_dmabuf_fallback (Fixture *f, gconstpointer data)
{
  g_autoptr(WavryVideoFrame) first = make_frame (WAVRY_PIXEL_FORMAT_I420, 320, 240, RED, BLUE);
  g_autoptr(WavryVideoFrame) after = make_frame (WAVRY_PIXEL_FORMAT_NV12, 320, 240, GREEN, GREEN);
  WavryVideoFrame *dmabuf;
  WavryDmabufPlane planes[2];
  const char *gdk_debug = g_getenv ("GDK_DEBUG");
  const char *reason;
  guint notified = 0, released = 0;
  graphene_rect_t r;
  int fd;

  g_assert_cmpint (wavry_gl_presenter_get_path (f->presenter), ==, WAVRY_GL_PRESENTER_PATH_NONE);
  reason = wavry_gl_presenter_get_dmabuf_unavailable_reason (f->presenter);
  g_test_message ("DMA-BUF import after realize: %s", reason != NULL ? reason : "available");
  g_assert_cmpint (wavry_gl_presenter_get_dmabuf_import (f->presenter), ==, reason == NULL);
  if (gdk_debug != NULL && strstr (gdk_debug, "gl-egl") != NULL)
    {
      /* forced EGL: the EGL branch of the probe ran */
      g_assert_nonnull (reason);
      g_assert_null (strstr (reason, "GLX"));
    }
  g_signal_connect (f->presenter, "notify::dmabuf-import", G_CALLBACK (count_notify), &notified);

  wavry_gl_presenter_push_frame (f->presenter, first);
  wait_presented (f->presenter, 1);
  g_assert_cmpint (wavry_gl_presenter_get_path (f->presenter), ==, WAVRY_GL_PRESENTER_PATH_CPU_UPLOAD);

  /* memory that is no DMA-BUF, laid out as NV12 320×240 with R8 + GR88 */
  {
    g_autofree char *path = NULL;

    fd = g_file_open_tmp ("not-a-dmabuf-XXXXXX", &path, NULL);
    g_assert_cmpint (fd, >=, 0);
    g_unlink (path);
  }
  g_assert_cmpint (ftruncate (fd, 320 * 240 * 3 / 2), ==, 0);
  planes[0] = (WavryDmabufPlane) { WAVRY_DRM_FORMAT_R8, fd, 0, 320, WAVRY_DRM_FORMAT_MOD_LINEAR, 320, 240 };
  planes[1] = (WavryDmabufPlane) { WAVRY_DRM_FORMAT_GR88, fd, 320 * 240, 320, WAVRY_DRM_FORMAT_MOD_LINEAR, 160, 120 };
  dmabuf = wavry_video_frame_new_dmabuf (WAVRY_PIXEL_FORMAT_NV12, 320, 240, planes, 2,
                                         &released, count_release);
  g_assert_nonnull (dmabuf);
  wavry_gl_presenter_push_frame (f->presenter, dmabuf);
  wavry_video_frame_unref (dmabuf);
  iterate_ms (200);

  /* dropped and let go of (the surface goes back to the decoder) */
  g_assert_cmpuint (released, ==, 1);
  g_assert_cmpuint (wavry_gl_presenter_get_presented_count (f->presenter), ==, 1);
  g_assert_false (wavry_gl_presenter_get_dmabuf_import (f->presenter));
  g_assert_nonnull (wavry_gl_presenter_get_dmabuf_unavailable_reason (f->presenter));
  g_test_message ("after the DMA-BUF frame: %s", wavry_gl_presenter_get_dmabuf_unavailable_reason (f->presenter));
  /* told only when it changed (it was FALSE already where import was not offered) */
  g_assert_cmpuint (notified, ==, reason == NULL ? 1 : 0);
  g_assert_cmpint (wavry_gl_presenter_get_path (f->presenter), ==, WAVRY_GL_PRESENTER_PATH_CPU_UPLOAD);
  check_halves (f, 320, 240);
  g_assert_cmpstr (wavry_gl_presenter_path_to_string (WAVRY_GL_PRESENTER_PATH_CPU_UPLOAD), ==, "CPU upload");

  /* frames in memory from then on: shown, in their colours */
  wavry_gl_presenter_push_frame (f->presenter, after);
  wait_presented (f->presenter, 2);
  g_assert_true (wavry_gl_presenter_get_picture_rect (f->presenter, &r));
  assert_colour (f, r.origin.x + r.size.width * 0.25, r.origin.y + r.size.height * 0.5, GREEN, TOLERANCE);
  assert_colour (f, r.origin.x + r.size.width * 0.75, r.origin.y + r.size.height * 0.5, GREEN, TOLERANCE);

  /* shown again after a re-realize (a new context probes again), still off */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  gtk_widget_unrealize (GTK_WIDGET (f->window));
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (wavry_test_wait_for (window_ready, f, 5000));
  wait_presented (f->presenter, 3);
  g_assert_false (wavry_gl_presenter_get_dmabuf_import (f->presenter));
  g_assert_nonnull (wavry_gl_presenter_get_dmabuf_unavailable_reason (f->presenter));
  assert_colour (f, r.origin.x + r.size.width * 0.25, r.origin.y + r.size.height * 0.5, GREEN, TOLERANCE);

  g_signal_handlers_disconnect_by_data (f->presenter, &notified);
  close (fd);
}

static gboolean
is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

static gboolean
has_events (gpointer data)
{
  TestSink *sink = data;

  return find_event (sink, EV_KEY, 30, FALSE) != NULL &&
         find_event (sink, EV_BUTTON, 0x110, FALSE) != NULL;
}

static gboolean
not_grabbed (gpointer data)
{
  return !wavry_input_capture_get_grabbed (data);
}

static gboolean
stats_visible (gpointer data)
{
  return wavry_stream_window_get_stats_visible (data);
}

static void
xkey (Display *dpy, KeySym sym, gboolean press)
{
  XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, sym), press, CurrentTime);
  XFlush (dpy);
}

static void
test_input (Fixture *f, gconstpointer data)
{
  g_autoptr(WavryVideoFrame) frame = make_frame (WAVRY_PIXEL_FORMAT_I420, 320, 240, RED, BLUE);
  g_autoptr(TestSink) sink = g_object_new (TEST_TYPE_SINK, NULL);
  WavryInputCapture *capture = wavry_stream_window_get_input_capture (f->window);
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (f->presenter));
  GtkWidget *grab_label;
  graphene_rect_t r;
  const Event *e;
  int rx, ry;
  guint n;

  wavry_stream_window_set_input_sink (f->window, WAVRY_INPUT_SINK (sink));
  wavry_gl_presenter_push_frame (f->presenter, frame);
  wait_presented (f->presenter, 1);
  g_assert_true (wavry_gl_presenter_get_picture_rect (f->presenter, &r));

  /* no window manager on Xvfb: give the window the focus ourselves */
  XSetInputFocus (f->dpy, gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                  RevertToParent, CurrentTime);
  XFlush (f->dpy);
  g_assert_true (wavry_test_wait_for (is_active, f->window, 5000));
  g_assert_true (wavry_input_capture_get_grabbed (capture));
  grab_label = GTK_WIDGET (gtk_widget_get_last_child (GTK_WIDGET (
    gtk_widget_get_parent (GTK_WIDGET (f->presenter)))));
  g_assert_true (GTK_IS_LABEL (grab_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (grab_label)), ==, "Press Ctrl+Alt+Shift to release");
  g_assert_true (gtk_widget_get_visible (grab_label));

  /* click at 30 % / 60 % of the picture, type 'a' */
  presenter_to_root (f, r.origin.x + r.size.width * 0.3, r.origin.y + r.size.height * 0.6, &rx, &ry);
  XTestFakeMotionEvent (f->dpy, -1, rx, ry, CurrentTime);
  XTestFakeButtonEvent (f->dpy, 1, True, CurrentTime);
  XTestFakeButtonEvent (f->dpy, 1, False, CurrentTime);
  XFlush (f->dpy);
  iterate_ms (50);
  xkey (f->dpy, XK_a, TRUE);
  xkey (f->dpy, XK_a, FALSE);
  g_assert_true (wavry_test_wait_for (has_events, sink, 5000));

  g_assert_nonnull (find_event (sink, EV_KEY, 30, TRUE));
  g_assert_nonnull (find_event (sink, EV_BUTTON, 0x110, TRUE));
  /* the pointer position sent before the press */
  e = NULL;
  for (guint i = 0; i < sink->events->len; i++)
    {
      const Event *ev = &g_array_index (sink->events, Event, i);

      if (ev->type == EV_BUTTON)
        break;
      if (ev->type == EV_POINTER)
        e = ev;
    }
  g_assert_nonnull (e);
  g_assert_cmpfloat_with_epsilon (e->x, 0.3, 0.01);
  g_assert_cmpfloat_with_epsilon (e->y, 0.6, 0.01);

  /* right button and a scroll detent down */
  XTestFakeButtonEvent (f->dpy, 3, True, CurrentTime);
  XTestFakeButtonEvent (f->dpy, 3, False, CurrentTime);
  XTestFakeButtonEvent (f->dpy, 5, True, CurrentTime);
  XTestFakeButtonEvent (f->dpy, 5, False, CurrentTime);
  XFlush (f->dpy);
  iterate_ms (300);
  g_assert_nonnull (find_event (sink, EV_BUTTON, 0x111, TRUE));
  g_assert_nonnull (find_event (sink, EV_BUTTON, 0x111, FALSE));
  e = NULL;
  for (guint i = 0; i < sink->events->len; i++)
    if (g_array_index (sink->events, Event, i).type == EV_SCROLL)
      e = &g_array_index (sink->events, Event, i);
  g_assert_nonnull (e);
  g_assert_cmpint (e->dy, ==, 1);
  g_assert_cmpint (e->dx, ==, 0);

  /* Ctrl+Shift+S stays with the window (stats overlay), and is not sent */
  g_assert_false (wavry_stream_window_get_stats_visible (f->window));
  xkey (f->dpy, XK_Control_L, TRUE);
  xkey (f->dpy, XK_Shift_L, TRUE);
  xkey (f->dpy, XK_s, TRUE);
  xkey (f->dpy, XK_s, FALSE);
  xkey (f->dpy, XK_Shift_L, FALSE);
  xkey (f->dpy, XK_Control_L, FALSE);
  g_assert_true (wavry_test_wait_for (stats_visible, f->window, 5000));
  g_assert_null (find_event (sink, EV_KEY, 31, TRUE));   /* KEY_S */

  /* Ctrl+Alt+Shift releases the grab; held modifiers are released on the sink */
  xkey (f->dpy, XK_Control_L, TRUE);
  xkey (f->dpy, XK_Alt_L, TRUE);
  xkey (f->dpy, XK_Shift_L, TRUE);
  g_assert_true (wavry_test_wait_for (not_grabbed, capture, 5000));
  xkey (f->dpy, XK_Shift_L, FALSE);
  xkey (f->dpy, XK_Alt_L, FALSE);
  xkey (f->dpy, XK_Control_L, FALSE);
  iterate_ms (100);
  g_assert_false (gtk_widget_get_visible (grab_label));
  g_assert_nonnull (find_event (sink, EV_KEY, 29, FALSE));   /* KEY_LEFTCTRL */
  g_assert_nonnull (find_event (sink, EV_KEY, 56, FALSE));   /* KEY_LEFTALT */
  g_assert_nonnull (find_event (sink, EV_KEY, 42, FALSE));   /* KEY_LEFTSHIFT */

  /* released: typing no longer reaches the sink */
  n = sink->events->len;
  xkey (f->dpy, XK_b, TRUE);
  xkey (f->dpy, XK_b, FALSE);
  iterate_ms (200);
  g_assert_cmpuint (sink->events->len, ==, n);

  /* a click in the picture grabs again */
  XTestFakeButtonEvent (f->dpy, 1, True, CurrentTime);
  XTestFakeButtonEvent (f->dpy, 1, False, CurrentTime);
  XFlush (f->dpy);
  iterate_ms (200);
  g_assert_true (wavry_input_capture_get_grabbed (capture));
  g_assert_true (gtk_widget_get_visible (grab_label));

  wavry_stream_window_set_input_sink (f->window, NULL);
}

static void
test_actions (Fixture *f, gconstpointer data)
{
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Test Host");
  g_assert_false (wavry_stream_window_get_stats_visible (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-stats", NULL));
  g_assert_true (wavry_stream_window_get_stats_visible (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-stats", NULL));
  g_assert_false (wavry_stream_window_get_stats_visible (f->window));
}

/* ---- end to end: a host streams its test pattern into the window ---- */

#define E2E_WIDTH  320
#define E2E_HEIGHT 240

static void
on_client_frame (WavryVideoFrame *frame, gpointer user_data)
{
  wavry_gl_presenter_push_frame (user_data, frame);   /* decode thread */
}

static gboolean
is_connected (gpointer data)
{
  return wavry_connection_get_state (data) == WAVRY_RIFT_CLIENT_STATE_ESTABLISHED ||
         wavry_connection_get_state (data) == WAVRY_RIFT_CLIENT_STATE_CLOSED;
}

static void
connected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  wavry_connection_connect_finish (WAVRY_CONNECTION (source), result, user_data);
}

static void
test_end_to_end (Fixture *f, gconstpointer data)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetSocketAddress) listen = NULL;
  g_autoptr(WavryIdentity) host_id = wavry_identity_generate ();
  g_autoptr(WavryIdentity) client_id = wavry_identity_generate ();
  g_autoptr(WavryTrustedClients) trusted = wavry_trusted_clients_new ();
  g_autoptr(WavryHostMedia) media = NULL;
  g_autoptr(WavryHostDaemon) daemon = NULL;
  g_autoptr(WavryClientMedia) client_media = NULL;
  g_autoptr(WavryConnection) connection = NULL;
  g_autoptr(WavryVideoFrame) expected = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, E2E_WIDTH, E2E_HEIGHT);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) connect_error = NULL;
  WavryHostMediaConfig host_config = { 0 };
  WavryClientMediaConfig client_config = { 0 };
  Rift__Codec codecs[3];
  gsize n_codecs;
  graphene_rect_t r;
  guint w, h;

  host_config.capture_spec = "test-pattern";
  host_config.capture.width = E2E_WIDTH;
  host_config.capture.height = E2E_HEIGHT;
  host_config.fps = 30;
  host_config.bitrate_kbps = 2000;
  host_config.encoder = "x264";
  media = wavry_host_media_new (&host_config, &error);
  g_assert_no_error (error);
  wavry_trusted_clients_add (trusted, wavry_identity_get_id (client_id));
  daemon = wavry_host_daemon_new (host_id, trusted, "window test host");
  wavry_host_daemon_set_media (daemon, media);
  listen = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (loopback, 0));
  g_assert_true (wavry_host_daemon_start (daemon, listen, &error));
  g_assert_no_error (error);

  client_media = wavry_client_media_new (&client_config, &error);
  g_assert_no_error (error);
  wavry_client_media_set_frame_func (client_media, on_client_frame, f->presenter);
  connection = wavry_connection_new (client_id, "window test client");
  n_codecs = wavry_client_media_get_codecs (client_media, codecs);
  wavry_connection_set_codecs (connection, codecs, n_codecs);
  wavry_connection_connect_async (connection, wavry_host_daemon_get_local_address (daemon),
                                  wavry_identity_get_id (host_id), NULL, connected_cb, &connect_error);
  g_assert_true (wavry_test_wait_for (is_connected, connection, 10000));
  iterate_ms (10);
  g_assert_no_error (connect_error);
  g_assert_true (wavry_client_media_attach (client_media, connection, &error));
  g_assert_no_error (error);
  wavry_stream_window_set_stats_source (f->window, client_media);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-stats", NULL));

  wait_presented (f->presenter, 10);
  iterate_ms (1200);   /* a stats update with frames in it */

  g_assert_true (wavry_gl_presenter_get_frame_size (f->presenter, &w, &h));
  g_assert_cmpuint (w, ==, E2E_WIDTH);
  g_assert_cmpuint (h, ==, E2E_HEIGHT);
  g_assert_true (wavry_gl_presenter_get_picture_rect (f->presenter, &r));
  /* the overlay would hide the first bar */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-stats", NULL));
  iterate_ms (100);
  /* the 8 colour bars, sampled above the moving box, as the presenter
   * converts the source's YUV (bars are the same in every picture) */
  wavry_test_pattern_render (expected, 0);
  for (guint i = 0; i < 8; i++)
    {
      guint sx = (guint) ((i + 0.5) * E2E_WIDTH / 8);
      guint sy = E2E_HEIGHT / 8;
      Rgb want = yuv_to_rgb (wavry_video_frame_get_data (expected, 0)[sy * wavry_video_frame_get_stride (expected, 0) + sx],
                             wavry_video_frame_get_data (expected, 1)[sy / 2 * wavry_video_frame_get_stride (expected, 1) + sx / 2],
                             wavry_video_frame_get_data (expected, 2)[sy / 2 * wavry_video_frame_get_stride (expected, 2) + sx / 2]);

      assert_colour (f, r.origin.x + (i + 0.5) * r.size.width / 8, r.origin.y + r.size.height / 8,
                     want, 24);
    }
  g_test_message ("stats overlay: %s", wavry_stream_window_get_stats_text (f->window));
  g_assert_nonnull (strstr (wavry_stream_window_get_stats_text (f->window), "320×240"));
  g_assert_nonnull (strstr (wavry_stream_window_get_stats_text (f->window), "present"));
  /* how the frames reach the screen: uploaded from memory here (no VA-API,
   * and the decoder was not asked for DMA-BUFs) */
  g_assert_nonnull (strstr (wavry_stream_window_get_stats_text (f->window), "CPU upload"));

  /* The window's input reaches the host: through the client input sink, a
   * key and a click arrive at the host media (which has no injector here,
   * so it counts them refused rather than injecting them). */
  {
    g_autoptr(WavryInputSink) sink = wavry_client_input_sink_new (client_media);
    WavryHostMediaStats before, after;

    wavry_host_media_get_stats (media, &before);
    wavry_stream_window_set_input_sink (f->window, sink);
    wavry_input_sink_key (sink, 30, TRUE);
    wavry_input_sink_key (sink, 30, FALSE);
    wavry_input_sink_pointer (sink, 0.5, 0.5);
    wavry_input_sink_button (sink, WAVRY_BTN_LEFT, TRUE);
    iterate_ms (200);
    wavry_host_media_get_stats (media, &after);
    g_assert_cmpuint (after.input_refused - before.input_refused, ==, 4);
    g_assert_cmpuint (after.input_invalid, ==, before.input_invalid);
    wavry_stream_window_set_input_sink (f->window, NULL);
  }

  wavry_stream_window_set_stats_source (f->window, NULL);
  g_assert_true (wavry_client_media_detach (client_media, &error));
  g_assert_no_error (error);
  wavry_host_daemon_stop (daemon);
}

static const struct
{
  const char *path;
  void      (*func) (Fixture *, gconstpointer);
} display_tests[] = {
  { "/stream-window/present-halves", test_present_halves },
  { "/stream-window/newest-frame", test_newest_frame },
  { "/stream-window/dmabuf-fallback", test_dmabuf_fallback },
  { "/stream-window/actions", test_actions },
  { "/stream-window/input", test_input },
  { "/stream-window/end-to-end", test_end_to_end },
};

static void
skip_without_display (void)
{
  g_test_skip ("needs an X display (DISPLAY is unset; build-aux/headless-session starts Xvfb)");
}

int
main (int argc, char **argv)
{
  g_auto(GStrv) only = NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stream-window/fit", test_fit);
  if (g_getenv ("DISPLAY") == NULL || *g_getenv ("DISPLAY") == '\0')
    {
      for (guint i = 0; i < G_N_ELEMENTS (display_tests); i++)
        g_test_add_func (display_tests[i].path, skip_without_display);
      return g_test_run ();
    }
  gdk_set_allowed_backends ("x11");
  gtk_init ();
  adw_init ();

  /* WAVRY_TEST_ONLY (paths, comma-separated): a run with another GL
   * setup registers just the cases that differ there, so the TAP plan
   * counts only what runs. */
  only = g_getenv ("WAVRY_TEST_ONLY") != NULL ? g_strsplit (g_getenv ("WAVRY_TEST_ONLY"), ",", -1)
                                              : NULL;
  for (guint i = 0; i < G_N_ELEMENTS (display_tests); i++)
    if (only == NULL || g_strv_contains ((const char * const *) only, display_tests[i].path))
      g_test_add (display_tests[i].path, Fixture, NULL, fixture_setup, display_tests[i].func,
                  fixture_teardown);
  return g_test_run ();
}
