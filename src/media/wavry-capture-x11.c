/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-capture-x11.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libavdevice/avdevice.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>

#include "wavry-media-error.h"

#define DEFAULT_FPS 30
#define MAX_FPS 240

struct _WavryCaptureX11
{
  WavryCapture      parent_instance;

  AVFormatContext  *input;      /* owned by the thread once started */
  WavryPixelFormat  format;
  guint             width;
  guint             height;

  GThread          *thread;
  gint              stopping;   /* atomic: read by FFmpeg's interrupt callback */
};

G_DEFINE_FINAL_TYPE (WavryCaptureX11, wavry_capture_x11, WAVRY_TYPE_CAPTURE)

static gpointer
register_devices (gpointer data)
{
  avdevice_register_all ();
  return NULL;
}

/* Called by FFmpeg from the blocking read: non-zero aborts it. */
static int
interrupt_cb (void *opaque)
{
  WavryCaptureX11 *self = opaque;

  return g_atomic_int_get (&self->stopping);
}

static char *
av_error_string (int code)
{
  char buf[AV_ERROR_MAX_STRING_SIZE] = { 0 };

  av_strerror (code, buf, sizeof buf);
  return g_strdup (buf);
}

static gpointer
run_thread (gpointer data)
{
  WavryCaptureX11 *self = data;
  WavryCapture *capture = WAVRY_CAPTURE (self);
  AVPacket *packet = av_packet_alloc ();
  g_autoptr(GError) error = NULL;

  while (!g_atomic_int_get (&self->stopping))
    {
      g_autoptr(WavryVideoFrame) frame = NULL;
      guint8 *dest;
      gsize dest_stride, row_bytes, src_stride;
      int ret;

      /* x11grab paces itself: this blocks until the next frame is due. */
      ret = av_read_frame (self->input, packet);
      if (ret < 0)
        {
          g_autofree char *reason = NULL;

          if (g_atomic_int_get (&self->stopping))
            break;
          reason = av_error_string (ret);
          g_set_error (&error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                       _("X11 capture failed: %s"), reason);
          break;
        }

      /* The rawvideo packet is the picture, row after row: copy it into the
       * frame's aligned rows (the one copy this path makes). */
      frame = wavry_video_frame_new (self->format, self->width, self->height);
      dest = wavry_video_frame_get_data (frame, 0);
      dest_stride = wavry_video_frame_get_stride (frame, 0);
      row_bytes = wavry_video_frame_get_row_bytes (frame, 0);
      src_stride = (gsize) packet->size / self->height;
      if (src_stride < row_bytes)
        {
          g_set_error (&error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                       _("X11 capture failed: a %d-byte image is too small for %u×%u."),
                       packet->size, self->width, self->height);
          av_packet_unref (packet);
          break;
        }
      for (guint r = 0; r < self->height; r++)
        memcpy (dest + r * dest_stride, packet->data + r * src_stride, row_bytes);
      if (packet->pts != AV_NOPTS_VALUE)
        wavry_video_frame_set_pts (frame, av_rescale_q (packet->pts,
                                                        self->input->streams[0]->time_base,
                                                        (AVRational) { 1, G_USEC_PER_SEC }));
      av_packet_unref (packet);

      wavry_capture_push_frame (capture, frame);
    }

  av_packet_free (&packet);
  if (error != NULL)
    wavry_capture_push_end (capture, error);
  return NULL;
}

static gboolean
wavry_capture_x11_start (WavryCapture  *capture,
                         GError       **error)
{
  WavryCaptureX11 *self = WAVRY_CAPTURE_X11 (capture);

  self->thread = g_thread_try_new ("wavry-x11", run_thread, self, error);
  return self->thread != NULL;
}

static void
wavry_capture_x11_stop (WavryCapture *capture)
{
  WavryCaptureX11 *self = WAVRY_CAPTURE_X11 (capture);

  g_atomic_int_set (&self->stopping, TRUE);
  g_clear_pointer (&self->thread, g_thread_join);
}

static void
wavry_capture_x11_finalize (GObject *object)
{
  WavryCaptureX11 *self = WAVRY_CAPTURE_X11 (object);

  g_assert (self->thread == NULL);
  avformat_close_input (&self->input);

  G_OBJECT_CLASS (wavry_capture_x11_parent_class)->finalize (object);
}

static void
wavry_capture_x11_class_init (WavryCaptureX11Class *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  WavryCaptureClass *capture_class = WAVRY_CAPTURE_CLASS (klass);

  object_class->finalize = wavry_capture_x11_finalize;
  capture_class->start = wavry_capture_x11_start;
  capture_class->stop = wavry_capture_x11_stop;
}

static void
wavry_capture_x11_init (WavryCaptureX11 *self)
{
}

WavryCapture *
wavry_capture_x11_new (const char  *display,
                       guint        fps,
                       GError     **error)
{
  static GOnce registered = G_ONCE_INIT;
  g_autoptr(WavryCaptureX11) self = NULL;
  const AVInputFormat *x11grab;
  AVDictionary *options = NULL;
  AVCodecParameters *par;
  g_autofree char *rate = NULL;
  g_autofree char *description = NULL;
  int ret;

  if (display == NULL || *display == '\0')
    display = g_getenv ("DISPLAY");
  if (display == NULL || *display == '\0')
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                           _("Cannot capture X11: no display given and DISPLAY is not set."));
      return NULL;
    }
  if (fps == 0)
    fps = DEFAULT_FPS;
  if (fps > MAX_FPS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Invalid X11 capture rate %u: at most %u frames a second."), fps, MAX_FPS);
      return NULL;
    }

  g_once (&registered, register_devices, NULL);
  x11grab = av_find_input_format ("x11grab");
  if (x11grab == NULL)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                           _("Cannot capture X11: this FFmpeg has no x11grab input device."));
      return NULL;
    }

  self = g_object_new (WAVRY_TYPE_CAPTURE_X11, NULL);
  self->input = avformat_alloc_context ();
  self->input->interrupt_callback.callback = interrupt_cb;
  self->input->interrupt_callback.opaque = self;

  rate = g_strdup_printf ("%u", fps);
  av_dict_set (&options, "framerate", rate, 0);
  av_dict_set (&options, "draw_mouse", "0", 0);
  ret = avformat_open_input (&self->input, display, x11grab, &options);
  av_dict_free (&options);
  if (ret < 0)
    {
      g_autofree char *reason = av_error_string (ret);

      /* avformat_open_input() freed the context. */
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("Cannot open X display %s: %s"), display, reason);
      return NULL;
    }

  par = self->input->nb_streams > 0 ? self->input->streams[0]->codecpar : NULL;
  if (par == NULL || par->width <= 0 || par->height <= 0 ||
      par->width > WAVRY_VIDEO_FRAME_MAX_DIMENSION || par->height > WAVRY_VIDEO_FRAME_MAX_DIMENSION)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Cannot capture X display %s: its screen size is not supported (at most %u×%u)."),
                   display, WAVRY_VIDEO_FRAME_MAX_DIMENSION, WAVRY_VIDEO_FRAME_MAX_DIMENSION);
      return NULL;
    }
  switch (par->format)
    {
    case AV_PIX_FMT_BGR0:
    case AV_PIX_FMT_BGRA:
      self->format = WAVRY_PIXEL_FORMAT_BGRX;
      break;
    case AV_PIX_FMT_RGB0:
    case AV_PIX_FMT_RGBA:
      self->format = WAVRY_PIXEL_FORMAT_RGBX;
      break;
    default:
      {
        const char *name = av_get_pix_fmt_name (par->format);

        g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                     _("Cannot capture X display %s: its pixel format %s is not supported "
                       "(use a 24- or 32-bit TrueColor screen)."),
                     display, name != NULL ? name : "?");
        return NULL;
      }
    }
  self->width = (guint) par->width;
  self->height = (guint) par->height;

  description = g_strdup_printf ("X11 %s %u×%u@%u", display, self->width, self->height, fps);
  wavry_capture_set_description (WAVRY_CAPTURE (self), description);

  return WAVRY_CAPTURE (g_steal_pointer (&self));
}
