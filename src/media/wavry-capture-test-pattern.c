/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-capture-test-pattern.h"

#include <string.h>

#include <glib/gi18n.h>

#define DEFAULT_WIDTH 1280
#define DEFAULT_HEIGHT 720
#define DEFAULT_FPS 60
#define MAX_FPS 1000
#define BOX_STEP 4   /* pixels per frame */

struct _WavryCaptureTestPattern
{
  WavryCapture  parent_instance;

  guint         width;
  guint         height;
  guint         fps;

  GThread      *thread;
  GMutex        lock;
  GCond         cond;
  gboolean      stopping;    /* under lock */
};

G_DEFINE_FINAL_TYPE (WavryCaptureTestPattern, wavry_capture_test_pattern, WAVRY_TYPE_CAPTURE)

/* BT.601 limited range, 75% bars: white, yellow, cyan, green, magenta, red, blue, black. */
static const guint8 bars[8][3] = {
  { 180, 128, 128 }, { 162, 44, 142 }, { 131, 156, 44 }, { 112, 72, 58 },
  { 84, 184, 198 }, { 65, 100, 212 }, { 35, 212, 114 }, { 16, 128, 128 },
};

/* Fills an even-aligned rectangle (x, y, w, h all even, inside the frame). */
static void
fill_rect (WavryVideoFrame *frame,
           guint            x,
           guint            y,
           guint            w,
           guint            h,
           const guint8     yuv[3])
{
  for (guint p = 0; p < 3; p++)
    {
      guint8 *data = wavry_video_frame_get_data (frame, p);
      gsize stride = wavry_video_frame_get_stride (frame, p);
      guint shift = p == 0 ? 0 : 1;

      for (guint r = y >> shift; r < (y + h) >> shift; r++)
        memset (data + r * stride + (x >> shift), yuv[p], w >> shift);
    }
}

static guint
even (guint value)
{
  return value & ~1u;
}

void
wavry_test_pattern_render (WavryVideoFrame *frame,
                           guint64          index)
{
  static const guint8 background[3] = { 48, 128, 128 };
  static const guint8 white[3] = { 235, 128, 128 };
  static const guint8 black[3] = { 16, 128, 128 };
  guint width, height, bars_height, box, travel, pos, block;

  g_return_if_fail (frame != NULL);
  g_return_if_fail (wavry_video_frame_get_format (frame) == WAVRY_PIXEL_FORMAT_I420);

  width = wavry_video_frame_get_width (frame);
  height = wavry_video_frame_get_height (frame);

  /* Colour bars over the top two thirds, a flat background below. */
  bars_height = even (height * 2 / 3);
  for (guint i = 0; i < 8; i++)
    {
      guint x0 = even (width * i / 8);
      guint x1 = i == 7 ? width : even (width * (i + 1) / 8);

      if (x1 > x0 && bars_height > 0)
        fill_rect (frame, x0, 0, x1 - x0, bars_height, bars[i]);
    }
  if (height > bars_height)
    fill_rect (frame, 0, bars_height, width, height - bars_height, background);

  /* A box that moves BOX_STEP pixels a frame and bounces between the edges
   * (a triangle wave over the frame index). */
  box = MAX (2, even (height / 6));
  box = MIN (box, even (width));
  travel = width - box;
  if (travel == 0)
    pos = 0;
  else
    {
      guint64 phase = (index * BOX_STEP) % (2 * (guint64) travel);

      pos = (guint) (phase <= travel ? phase : 2 * travel - phase);
    }
  fill_rect (frame, even (pos), even ((height - box) / 2), box, box, white);

  /* The frame counter: 32 blocks on the bottom rows, bit 31 first. */
  block = even (width / 32);
  if (block >= 2 && height >= block)
    {
      for (guint bit = 0; bit < 32; bit++)
        fill_rect (frame, bit * block, even (height - block), block, block,
                   ((index >> (31 - bit)) & 1) ? white : black);
    }
}

static gpointer
run_thread (gpointer data)
{
  WavryCaptureTestPattern *self = data;
  WavryCapture *capture = WAVRY_CAPTURE (self);
  gint64 start = g_get_monotonic_time ();
  guint64 slot = 0;

  /* Frame N is due at start + N/fps. A frame that is late (the next one is
   * already due) makes the loop skip to the next future slot: never a burst. */
  g_mutex_lock (&self->lock);
  while (!self->stopping)
    {
      gint64 deadline = start + (gint64) (slot * G_USEC_PER_SEC / self->fps);
      g_autoptr(WavryVideoFrame) frame = NULL;
      gint64 now;

      while (!self->stopping && g_get_monotonic_time () < deadline)
        g_cond_wait_until (&self->cond, &self->lock, deadline);
      if (self->stopping)
        break;
      g_mutex_unlock (&self->lock);

      frame = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, self->width, self->height);
      wavry_test_pattern_render (frame, slot);
      wavry_video_frame_set_pts (frame, (gint64) (slot * G_USEC_PER_SEC / self->fps));
      wavry_capture_push_frame (capture, frame);

      now = g_get_monotonic_time ();
      slot++;
      if (now >= start + (gint64) (slot * G_USEC_PER_SEC / self->fps))
        slot = (guint64) (now - start) * self->fps / G_USEC_PER_SEC + 1;

      g_mutex_lock (&self->lock);
    }
  g_mutex_unlock (&self->lock);

  return NULL;
}

static gboolean
wavry_capture_test_pattern_start (WavryCapture  *capture,
                                  GError       **error)
{
  WavryCaptureTestPattern *self = WAVRY_CAPTURE_TEST_PATTERN (capture);

  self->thread = g_thread_try_new ("wavry-test-pattern", run_thread, self, error);
  return self->thread != NULL;
}

static void
wavry_capture_test_pattern_stop (WavryCapture *capture)
{
  WavryCaptureTestPattern *self = WAVRY_CAPTURE_TEST_PATTERN (capture);

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->thread, g_thread_join);
}

static void
wavry_capture_test_pattern_finalize (GObject *object)
{
  WavryCaptureTestPattern *self = WAVRY_CAPTURE_TEST_PATTERN (object);

  g_assert (self->thread == NULL);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (wavry_capture_test_pattern_parent_class)->finalize (object);
}

static void
wavry_capture_test_pattern_class_init (WavryCaptureTestPatternClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  WavryCaptureClass *capture_class = WAVRY_CAPTURE_CLASS (klass);

  object_class->finalize = wavry_capture_test_pattern_finalize;
  capture_class->start = wavry_capture_test_pattern_start;
  capture_class->stop = wavry_capture_test_pattern_stop;
}

static void
wavry_capture_test_pattern_init (WavryCaptureTestPattern *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

WavryCapture *
wavry_capture_test_pattern_new (guint    width,
                                guint    height,
                                guint    fps,
                                GError **error)
{
  WavryCaptureTestPattern *self;
  g_autofree char *description = NULL;

  if (width == 0)
    width = DEFAULT_WIDTH;
  if (height == 0)
    height = DEFAULT_HEIGHT;
  if (fps == 0)
    fps = DEFAULT_FPS;

  if (width % 2 != 0 || height % 2 != 0 ||
      width > WAVRY_VIDEO_FRAME_MAX_DIMENSION || height > WAVRY_VIDEO_FRAME_MAX_DIMENSION ||
      fps > MAX_FPS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Invalid test pattern %u×%u@%u: the size must be even and at most %u, "
                     "the rate at most %u."),
                   width, height, fps, WAVRY_VIDEO_FRAME_MAX_DIMENSION, MAX_FPS);
      return NULL;
    }

  self = g_object_new (WAVRY_TYPE_CAPTURE_TEST_PATTERN, NULL);
  self->width = width;
  self->height = height;
  self->fps = fps;
  description = g_strdup_printf ("test pattern %u×%u@%u", width, height, fps);
  wavry_capture_set_description (WAVRY_CAPTURE (self), description);

  return WAVRY_CAPTURE (self);
}
