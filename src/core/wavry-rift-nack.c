/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-nack.h"
#include "wavry-rift-proto.h"

/* Ids seen or NACKed, at id % RING, stored as id + 1 (0 = empty). Every id
 * a jump may list lies within WINDOW below the new highest, and an entry is
 * only overwritten by an id RING higher, so twice the window is enough. */
#define RING (2 * WAVRY_RIFT_NACK_WINDOW)

struct _WavryRiftNackTracker
{
  gboolean started;
  guint64  highest;
  guint64  marks[RING];
};

WavryRiftNackTracker *
wavry_rift_nack_tracker_new (void)
{
  return g_new0 (WavryRiftNackTracker, 1);
}

void
wavry_rift_nack_tracker_free (WavryRiftNackTracker *self)
{
  g_free (self);
}

static void
mark (WavryRiftNackTracker *self,
      guint64               packet_id)
{
  self->marks[packet_id % RING] = packet_id + 1;
}

static gboolean
is_marked (WavryRiftNackTracker *self,
           guint64               packet_id)
{
  return self->marks[packet_id % RING] == packet_id + 1;
}

GArray *
wavry_rift_nack_tracker_on_packet (WavryRiftNackTracker *self,
                                   guint64               packet_id)
{
  GArray *ids = NULL;
  guint64 lo;

  g_return_val_if_fail (self != NULL, NULL);

  /* The first packet starts the sequence: nothing before it is NACKed. */
  if (!self->started || packet_id <= self->highest)
    {
      if (!self->started)
        self->highest = packet_id;
      self->started = TRUE;
      mark (self, packet_id);
      return NULL;
    }

  lo = self->highest + 1;
  if (packet_id - lo > WAVRY_RIFT_NACK_WINDOW)
    lo = packet_id - WAVRY_RIFT_NACK_WINDOW;

  for (guint64 id = lo; id < packet_id; id++)
    {
      if (is_marked (self, id))
        continue;
      if (ids == NULL)
        ids = g_array_sized_new (FALSE, FALSE, sizeof (guint64), packet_id - id);
      g_array_append_val (ids, id);
      mark (self, id);
    }

  self->highest = packet_id;
  mark (self, packet_id);
  return ids;
}

void
wavry_rift_nack_tracker_mark_received (WavryRiftNackTracker *self,
                                       guint64               packet_id)
{
  g_return_if_fail (self != NULL);

  /* Does not move highest: the ids between highest and a recovered id
   * ahead of it may still need a NACK. */
  mark (self, packet_id);
}

GBytes *
wavry_rift_nack_build (const guint64 *ids,
                       gsize          n_ids)
{
  Rift__Message message = RIFT__MESSAGE__INIT;
  Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
  Rift__Nack nack = RIFT__NACK__INIT;

  g_return_val_if_fail (ids != NULL, NULL);
  g_return_val_if_fail (n_ids > 0, NULL);

  message.content_case = RIFT__MESSAGE__CONTENT_CONTROL;
  message.control = &control;
  control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_NACK;
  control.nack = &nack;
  nack.n_packet_ids = n_ids;
  nack.packet_ids = (guint64 *) ids;

  return wavry_rift_message_pack (&message);
}
