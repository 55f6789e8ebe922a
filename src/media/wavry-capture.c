/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-capture.h"
#include "wavry-media-error.h"

typedef struct
{
  GMutex           lock;
  GCond            cond;
  WavryVideoFrame *newest;      /* not yet taken by a consumer */
  WavryVideoFrame *last;        /* most recent pushed */
  GError          *end_error;   /* set once the source ended */
  gboolean         ended;
  gboolean         interrupted;
  gboolean         started;
  gboolean         stopped;
  guint64          n_frames;
  guint64          n_dropped;
  char            *description;
} WavryCapturePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (WavryCapture, wavry_capture, G_TYPE_OBJECT)

static void
wavry_capture_dispose (GObject *object)
{
  WavryCapture *self = WAVRY_CAPTURE (object);

  wavry_capture_stop (self);

  G_OBJECT_CLASS (wavry_capture_parent_class)->dispose (object);
}

static void
wavry_capture_finalize (GObject *object)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (WAVRY_CAPTURE (object));

  g_clear_pointer (&priv->newest, wavry_video_frame_unref);
  g_clear_pointer (&priv->last, wavry_video_frame_unref);
  g_clear_error (&priv->end_error);
  g_free (priv->description);
  g_mutex_clear (&priv->lock);
  g_cond_clear (&priv->cond);

  G_OBJECT_CLASS (wavry_capture_parent_class)->finalize (object);
}

static void
wavry_capture_class_init (WavryCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wavry_capture_dispose;
  object_class->finalize = wavry_capture_finalize;
}

static void
wavry_capture_init (WavryCapture *self)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (self);

  g_mutex_init (&priv->lock);
  g_cond_init (&priv->cond);
}

gboolean
wavry_capture_start (WavryCapture  *self,
                     GError       **error)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (self);

  g_return_val_if_fail (WAVRY_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (!priv->started, FALSE);

  priv->started = TRUE;
  if (!WAVRY_CAPTURE_GET_CLASS (self)->start (self, error))
    {
      priv->stopped = TRUE;
      return FALSE;
    }
  return TRUE;
}

void
wavry_capture_stop (WavryCapture *self)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (self);

  g_return_if_fail (WAVRY_IS_CAPTURE (self));

  if (!priv->started || priv->stopped)
    return;
  priv->stopped = TRUE;
  WAVRY_CAPTURE_GET_CLASS (self)->stop (self);

  g_mutex_lock (&priv->lock);
  if (!priv->ended)
    {
      priv->ended = TRUE;
      priv->end_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             "the capture was stopped");
    }
  g_cond_broadcast (&priv->cond);
  g_mutex_unlock (&priv->lock);
}

WavryVideoFrame *
wavry_capture_wait_frame (WavryCapture  *self,
                          gint64         deadline_us,
                          GError       **error)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (self);
  WavryVideoFrame *frame = NULL;

  g_return_val_if_fail (WAVRY_IS_CAPTURE (self), NULL);

  g_mutex_lock (&priv->lock);
  while (priv->newest == NULL && !priv->ended && !priv->interrupted)
    {
      if (!g_cond_wait_until (&priv->cond, &priv->lock, deadline_us))
        break;
    }
  if (priv->newest != NULL)
    frame = g_steal_pointer (&priv->newest);
  else if (priv->ended)
    {
      if (priv->end_error != NULL)
        g_propagate_error (error, g_error_copy (priv->end_error));
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "end of stream");
    }
  priv->interrupted = FALSE;
  g_mutex_unlock (&priv->lock);

  return frame;
}

void
wavry_capture_interrupt (WavryCapture *self)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (self);

  g_return_if_fail (WAVRY_IS_CAPTURE (self));

  g_mutex_lock (&priv->lock);
  priv->interrupted = TRUE;
  g_cond_broadcast (&priv->cond);
  g_mutex_unlock (&priv->lock);
}

WavryVideoFrame *
wavry_capture_get_last_frame (WavryCapture *self)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (self);
  WavryVideoFrame *frame = NULL;

  g_return_val_if_fail (WAVRY_IS_CAPTURE (self), NULL);

  g_mutex_lock (&priv->lock);
  if (priv->last != NULL)
    frame = wavry_video_frame_ref (priv->last);
  g_mutex_unlock (&priv->lock);

  return frame;
}

guint64
wavry_capture_get_n_frames (WavryCapture *self)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (self);
  guint64 n;

  g_mutex_lock (&priv->lock);
  n = priv->n_frames;
  g_mutex_unlock (&priv->lock);
  return n;
}

guint64
wavry_capture_get_n_dropped (WavryCapture *self)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (self);
  guint64 n;

  g_mutex_lock (&priv->lock);
  n = priv->n_dropped;
  g_mutex_unlock (&priv->lock);
  return n;
}

const char *
wavry_capture_get_description (WavryCapture *self)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (self);

  g_return_val_if_fail (WAVRY_IS_CAPTURE (self), NULL);
  return priv->description != NULL ? priv->description : G_OBJECT_TYPE_NAME (self);
}

void
wavry_capture_set_description (WavryCapture *self,
                               const char   *description)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (self);

  g_return_if_fail (WAVRY_IS_CAPTURE (self));
  g_free (priv->description);
  priv->description = g_strdup (description);
}

void
wavry_capture_push_frame (WavryCapture    *self,
                          WavryVideoFrame *frame)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (self);

  g_return_if_fail (WAVRY_IS_CAPTURE (self));
  g_return_if_fail (frame != NULL);

  if (wavry_video_frame_get_capture_time (frame) == 0)
    wavry_video_frame_set_capture_time (frame, g_get_monotonic_time ());

  g_mutex_lock (&priv->lock);
  if (priv->newest != NULL)
    {
      priv->n_dropped++;
      wavry_video_frame_unref (priv->newest);
    }
  priv->newest = wavry_video_frame_ref (frame);
  g_clear_pointer (&priv->last, wavry_video_frame_unref);
  priv->last = wavry_video_frame_ref (frame);
  priv->n_frames++;
  g_cond_broadcast (&priv->cond);
  g_mutex_unlock (&priv->lock);
}

void
wavry_capture_push_end (WavryCapture *self,
                        const GError *error)
{
  WavryCapturePrivate *priv = wavry_capture_get_instance_private (self);

  g_return_if_fail (WAVRY_IS_CAPTURE (self));

  g_mutex_lock (&priv->lock);
  if (!priv->ended)
    {
      priv->ended = TRUE;
      priv->end_error = error != NULL ? g_error_copy (error) : NULL;
    }
  g_cond_broadcast (&priv->cond);
  g_mutex_unlock (&priv->lock);
}
