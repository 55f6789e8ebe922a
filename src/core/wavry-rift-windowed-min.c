/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-windowed-min.h"

typedef struct
{
  WavryTime time;
  gint64    value;
} Sample;

/* A ring buffer used as a deque. Values increase strictly from head to tail
 * and so do times; the head is the minimum. */
struct _WavryRiftWindowedMin
{
  gint64    window_us;
  WavryTime last_now;
  gboolean  any;
  Sample   *ring;
  guint     capacity;  /* a power of two */
  guint     head;
  guint     len;
};

WavryRiftWindowedMin *
wavry_rift_windowed_min_new (gint64 window_us)
{
  WavryRiftWindowedMin *self;

  g_return_val_if_fail (window_us > 0, NULL);

  self = g_new0 (WavryRiftWindowedMin, 1);
  self->window_us = window_us;
  self->capacity = 16;
  self->ring = g_new (Sample, self->capacity);
  return self;
}

void
wavry_rift_windowed_min_free (WavryRiftWindowedMin *self)
{
  if (self == NULL)
    return;
  g_free (self->ring);
  g_free (self);
}

static Sample *
at (WavryRiftWindowedMin *self,
    guint                 i)
{
  return &self->ring[(self->head + i) & (self->capacity - 1)];
}

static void
grow (WavryRiftWindowedMin *self)
{
  guint capacity = self->capacity * 2;
  Sample *ring = g_new (Sample, capacity);

  for (guint i = 0; i < self->len; i++)
    ring[i] = *at (self, i);
  g_free (self->ring);
  self->ring = ring;
  self->capacity = capacity;
  self->head = 0;
}

gint64
wavry_rift_windowed_min_update (WavryRiftWindowedMin *self,
                                WavryTime             now,
                                gint64                value)
{
  g_return_val_if_fail (self != NULL, G_MAXINT64);

  /* Keep the deque's times ordered even if a caller's clock steps back. */
  if (self->any && now < self->last_now)
    now = self->last_now;
  self->last_now = now;
  self->any = TRUE;

  /* A newer value no larger than an older one makes the older one useless. */
  while (self->len > 0 && at (self, self->len - 1)->value >= value)
    self->len--;
  if (self->len == self->capacity)
    grow (self);
  *at (self, self->len) = (Sample) { now, value };
  self->len++;

  /* Expire from the front. The newest sample (now - now = 0) always stays.
   * Times never decrease here, so the unsigned difference is exact even
   * for extreme values, where a signed one could overflow. */
  while (self->len > 1 &&
         (guint64) now - (guint64) self->ring[self->head].time >= (guint64) self->window_us)
    {
      self->head = (self->head + 1) & (self->capacity - 1);
      self->len--;
    }

  return self->ring[self->head].value;
}

gint64
wavry_rift_windowed_min_get (WavryRiftWindowedMin *self)
{
  g_return_val_if_fail (self != NULL, G_MAXINT64);

  return self->len > 0 ? self->ring[self->head].value : G_MAXINT64;
}

guint
wavry_rift_windowed_min_get_size (WavryRiftWindowedMin *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->len;
}
