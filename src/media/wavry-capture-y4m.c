/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-capture-y4m.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "wavry-media-error.h"
#include "wavry-y4m.h"

#define DEFAULT_FPS 30

struct _WavryCaptureY4m
{
  WavryCapture    parent_instance;

  int             fd;
  gboolean        close_fd;
  gboolean        paced;        /* a regular file: played at its rate */
  guint           fps;          /* override, or 0 */
  WavryY4mReader *reader;       /* owned by the thread once started */

  GCancellable   *cancellable;  /* unblocks reads at stop */
  GThread        *thread;
  GMutex          lock;
  GCond           cond;
  gboolean        stopping;     /* under lock */
};

G_DEFINE_FINAL_TYPE (WavryCaptureY4m, wavry_capture_y4m, WAVRY_TYPE_CAPTURE)

/* Sleeps until @deadline; FALSE when the source is being stopped. */
static gboolean
wait_until (WavryCaptureY4m *self,
            gint64           deadline)
{
  gboolean stopping;

  g_mutex_lock (&self->lock);
  while (!self->stopping && g_get_monotonic_time () < deadline)
    g_cond_wait_until (&self->cond, &self->lock, deadline);
  stopping = self->stopping;
  g_mutex_unlock (&self->lock);
  return !stopping;
}

static void
set_description (WavryCaptureY4m *self)
{
  const WavryY4mHeader *h = wavry_y4m_reader_get_header (self->reader);
  g_autofree char *description = NULL;

  description = g_strdup_printf ("y4m %s %u×%u%s", self->paced ? "file" : "pipe",
                                 h->width, h->height, self->paced ? "" : " (producer paced)");
  wavry_capture_set_description (WAVRY_CAPTURE (self), description);
}

static gpointer
run_thread (gpointer data)
{
  WavryCaptureY4m *self = data;
  WavryCapture *capture = WAVRY_CAPTURE (self);
  g_autoptr(GError) error = NULL;
  const WavryY4mHeader *h;
  guint rate_num, rate_den;
  gint64 start = 0;
  guint64 index = 0;

  if (self->reader == NULL)
    {
      self->reader = wavry_y4m_reader_new_for_fd (self->fd, self->close_fd, self->cancellable, &error);
      self->close_fd = FALSE;   /* the reader's stream closes it now */
      if (self->reader == NULL)
        goto out;
      set_description (self);
    }

  h = wavry_y4m_reader_get_header (self->reader);
  rate_num = self->fps != 0 ? self->fps : h->fps_num != 0 ? h->fps_num : DEFAULT_FPS;
  rate_den = self->fps != 0 ? 1 : h->fps_num != 0 ? h->fps_den : 1;

  for (;;)
    {
      g_autoptr(WavryVideoFrame) frame = NULL;

      /* Straight from the stream into the frame's planes: no other copy. */
      frame = wavry_y4m_reader_read_frame (self->reader, NULL, self->cancellable, &error);
      if (frame == NULL)
        break;
      /* pts from the rate actually used (the header's F, or the override). */
      wavry_video_frame_set_pts (frame, (gint64) (index * rate_den * G_USEC_PER_SEC / rate_num));

      if (self->paced)
        {
          gint64 due;

          if (index == 0)
            start = g_get_monotonic_time ();
          due = start + (gint64) (index * rate_den * G_USEC_PER_SEC / rate_num);
          /* Reading fell behind by more than a frame: restart the clock from
           * here rather than catching up in a burst. */
          if (g_get_monotonic_time () > due + (gint64) (rate_den * G_USEC_PER_SEC / rate_num))
            {
              start = g_get_monotonic_time () - (due - start);
              due = g_get_monotonic_time ();
            }
          if (!wait_until (self, due))
            goto out;
        }
      wavry_capture_push_frame (capture, frame);
      index++;
    }

out:
  if (error == NULL)
    return NULL;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    wavry_capture_push_end (capture, NULL);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    wavry_capture_push_end (capture, error);
  return NULL;
}

static gboolean
wavry_capture_y4m_start (WavryCapture  *capture,
                         GError       **error)
{
  WavryCaptureY4m *self = WAVRY_CAPTURE_Y4M (capture);

  self->thread = g_thread_try_new ("wavry-y4m", run_thread, self, error);
  return self->thread != NULL;
}

static void
wavry_capture_y4m_stop (WavryCapture *capture)
{
  WavryCaptureY4m *self = WAVRY_CAPTURE_Y4M (capture);

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->thread, g_thread_join);
}

static void
wavry_capture_y4m_finalize (GObject *object)
{
  WavryCaptureY4m *self = WAVRY_CAPTURE_Y4M (object);

  g_assert (self->thread == NULL);
  g_clear_pointer (&self->reader, wavry_y4m_reader_free);
  if (self->close_fd && self->fd >= 0)
    g_close (self->fd, NULL);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (wavry_capture_y4m_parent_class)->finalize (object);
}

static void
wavry_capture_y4m_class_init (WavryCaptureY4mClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  WavryCaptureClass *capture_class = WAVRY_CAPTURE_CLASS (klass);

  object_class->finalize = wavry_capture_y4m_finalize;
  capture_class->start = wavry_capture_y4m_start;
  capture_class->stop = wavry_capture_y4m_stop;
}

static void
wavry_capture_y4m_init (WavryCaptureY4m *self)
{
  self->fd = -1;
  self->cancellable = g_cancellable_new ();
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

WavryCapture *
wavry_capture_y4m_new_for_fd (int        fd,
                              gboolean   close_fd,
                              guint      fps,
                              GError   **error)
{
  g_autoptr(WavryCaptureY4m) self = NULL;
  struct stat st;

  g_return_val_if_fail (fd >= 0, NULL);

  self = g_object_new (WAVRY_TYPE_CAPTURE_Y4M, NULL);
  self->fd = fd;
  self->close_fd = close_fd;
  self->fps = fps;

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("Cannot read the YUV4MPEG2 input: %s"), g_strerror (saved_errno));
      return NULL;
    }
  self->paced = S_ISREG (st.st_mode);

  if (self->paced)
    {
      self->reader = wavry_y4m_reader_new_for_fd (fd, close_fd, NULL, error);
      self->close_fd = FALSE;   /* the reader's stream owns it now (or closed it) */
      if (self->reader == NULL)
        return NULL;
      set_description (self);
    }
  else
    wavry_capture_set_description (WAVRY_CAPTURE (self), "y4m pipe (producer paced)");

  return WAVRY_CAPTURE (g_steal_pointer (&self));
}

WavryCapture *
wavry_capture_y4m_new (const char  *path,
                       guint        fps,
                       GError     **error)
{
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_str_equal (path, "-"))
    return wavry_capture_y4m_new_for_fd (STDIN_FILENO, FALSE, fps, error);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *display_name = g_filename_display_name (path);

      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("Cannot open the YUV4MPEG2 file “%s”: %s"), display_name, g_strerror (saved_errno));
      return NULL;
    }
  return wavry_capture_y4m_new_for_fd (fd, TRUE, fps, error);
}
