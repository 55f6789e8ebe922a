/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-jitter-buffer.h"

struct _WavryRiftJitterBuffer
{
  GQueue     frames;        /* WavryRiftVideoFrame, in push order */
  gint64     target_us;
  gboolean   have_arrival;
  gboolean   have_interval;
  WavryTime  last_arrival;
  double     avg_interval;  /* µs */
  double     jitter;        /* µs */
  gboolean   have_transit;
  gint64     last_transit;
  guint64    dropped;
};

WavryRiftJitterBuffer *
wavry_rift_jitter_buffer_new (void)
{
  WavryRiftJitterBuffer *self = g_new0 (WavryRiftJitterBuffer, 1);

  g_queue_init (&self->frames);
  return self;
}

void
wavry_rift_jitter_buffer_free (WavryRiftJitterBuffer *self)
{
  if (self == NULL)
    return;
  g_queue_clear_full (&self->frames, (GDestroyNotify) wavry_rift_video_frame_free);
  g_free (self);
}

void
wavry_rift_jitter_buffer_on_datagram (WavryRiftJitterBuffer *self,
                                      WavryTime              arrival)
{
  double interval;

  g_return_if_fail (self != NULL);

  if (!self->have_arrival)
    {
      self->have_arrival = TRUE;
      self->last_arrival = arrival;
      return;
    }

  /* Arrival times come from a monotonic clock; a step back counts as 0. */
  interval = MAX (arrival - self->last_arrival, 0);
  self->last_arrival = MAX (arrival, self->last_arrival);

  /* The first interval seeds the average, so that the jitter does not start
   * with a spike the size of the whole interval. The deviation is taken
   * from the average before this sample (see doc/protocol-notes.md). */
  if (!self->have_interval)
    {
      self->have_interval = TRUE;
      self->avg_interval = interval;
      return;
    }

  self->jitter += (ABS (interval - self->avg_interval) - self->jitter) / 16.0;
  self->avg_interval += (interval - self->avg_interval) / 16.0;
}

void
wavry_rift_jitter_buffer_on_transit (WavryRiftJitterBuffer *self,
                                     gint64                 transit_us)
{
  g_return_if_fail (self != NULL);

  if (self->have_transit)
    {
      gint64 d = transit_us - self->last_transit;

      self->jitter += ((double) ABS (d) - self->jitter) / 16.0;
    }
  self->have_transit = TRUE;
  self->last_transit = transit_us;
}

void
wavry_rift_jitter_buffer_push (WavryRiftJitterBuffer *self,
                               WavryRiftVideoFrame   *frame,
                               WavryTime              now)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (frame != NULL);

  if (self->jitter > WAVRY_RIFT_JITTER_HIGH_US)
    self->target_us = MIN (self->target_us + WAVRY_RIFT_JITTER_TARGET_STEP_US,
                           WAVRY_RIFT_JITTER_TARGET_MAX_US);
  else if (self->jitter < WAVRY_RIFT_JITTER_LOW_US)
    self->target_us = MAX (self->target_us - WAVRY_RIFT_JITTER_TARGET_DECAY_US, 0);

  g_queue_push_tail (&self->frames, frame);
  while (self->frames.length > WAVRY_RIFT_JITTER_BUFFER_MAX_FRAMES)
    {
      wavry_rift_video_frame_free (g_queue_pop_head (&self->frames));
      self->dropped++;
    }
}

static gboolean
is_due (WavryRiftJitterBuffer *self,
        WavryRiftVideoFrame   *frame,
        WavryTime              now)
{
  return now - frame->last_arrival >= self->target_us;
}

WavryRiftVideoFrame *
wavry_rift_jitter_buffer_pop (WavryRiftJitterBuffer *self,
                              WavryTime              now)
{
  GList *newest_key = NULL;
  guint n_due = 0;

  g_return_val_if_fail (self != NULL, NULL);

  for (GList *l = self->frames.head; l != NULL; l = l->next)
    {
      WavryRiftVideoFrame *frame = l->data;

      if (!is_due (self, frame, now))
        break;
      if (frame->keyframe && n_due > 0)
        newest_key = l;
      n_due++;
    }

  if (n_due == 0)
    return NULL;

  /* Latency first: a due keyframe makes every older frame useless. */
  if (newest_key != NULL)
    {
      while (self->frames.head != newest_key)
        {
          wavry_rift_video_frame_free (g_queue_pop_head (&self->frames));
          self->dropped++;
        }
    }

  return g_queue_pop_head (&self->frames);
}

WavryTime
wavry_rift_jitter_buffer_next_timeout (WavryRiftJitterBuffer *self)
{
  WavryRiftVideoFrame *head;

  g_return_val_if_fail (self != NULL, G_MAXINT64);

  head = g_queue_peek_head (&self->frames);
  if (head == NULL)
    return G_MAXINT64;
  return head->last_arrival + self->target_us;
}

gint64
wavry_rift_jitter_buffer_get_target_us (WavryRiftJitterBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->target_us;
}

gint64
wavry_rift_jitter_buffer_get_jitter_us (WavryRiftJitterBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return (gint64) self->jitter;
}

guint64
wavry_rift_jitter_buffer_get_dropped (WavryRiftJitterBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->dropped;
}
