/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-rift-packetizer.h"
#include "wavry-rift-reassembler.h"

/* What holding one chunk costs besides its payload (GBytes, malloc header,
 * its pointer in the slot), counted against the byte budget so that tiny
 * chunks cannot get round it. */
#define CHUNK_OVERHEAD 64

/* Lost frame ids kept for pop_lost(); the oldest go first when nobody pops. */
#define MAX_LOST 256

typedef struct
{
  guint64    frame_id;
  gboolean   has_chunks;  /* FALSE: a gap placeholder, no chunk seen yet */
  gboolean   complete;
  guint32    count;
  guint32    received;
  guint64    timestamp_us;
  gboolean   keyframe;
  guint32    capture_us;
  guint32    encode_us;
  WavryTime  first_arrival;
  WavryTime  last_arrival;
  WavryTime  deadline;
  gsize      bytes;       /* payload bytes received */
  gsize      cost;        /* counted in held_bytes */
  GBytes   **chunks;      /* @count entries until complete */
  GBytes    *data;        /* once complete */
} Slot;

struct _WavryRiftReassembler
{
  /* Slots hold exactly the frame ids [next_id, end_id), at id % WINDOW. */
  Slot       slots[WAVRY_RIFT_REASSEMBLER_WINDOW];
  gboolean   started;
  guint64    next_id;   /* oldest frame neither delivered nor discarded */
  guint64    end_id;
  gboolean   gap;       /* a frame was discarded since the last delivery */
  gsize      held_bytes;  /* sum of the slots' cost */
  GArray    *lost;
  /* Chunks beyond the window: if nothing in the window moves them into it
   * within the timeout, the sequence restarts at the oldest of them. */
  gboolean   ahead;
  WavryTime  ahead_since;
  guint64    ahead_min;
  WavryRiftReassemblerStats stats;
};

void
wavry_rift_video_frame_free (WavryRiftVideoFrame *frame)
{
  if (frame == NULL)
    return;
  g_clear_pointer (&frame->data, g_bytes_unref);
  g_free (frame);
}

WavryRiftReassembler *
wavry_rift_reassembler_new (void)
{
  WavryRiftReassembler *self = g_new0 (WavryRiftReassembler, 1);

  self->lost = g_array_new (FALSE, FALSE, sizeof (guint64));
  return self;
}

static Slot *
slot_for (WavryRiftReassembler *self,
          guint64               frame_id)
{
  return &self->slots[frame_id % WAVRY_RIFT_REASSEMBLER_WINDOW];
}

static void
slot_clear (WavryRiftReassembler *self,
            Slot                 *slot)
{
  if (slot->chunks != NULL)
    {
      for (guint32 i = 0; i < slot->count; i++)
        g_clear_pointer (&slot->chunks[i], g_bytes_unref);
      g_free (slot->chunks);
    }
  g_clear_pointer (&slot->data, g_bytes_unref);
  g_assert (self->held_bytes >= slot->cost);
  self->held_bytes -= slot->cost;
  memset (slot, 0, sizeof *slot);
}

void
wavry_rift_reassembler_free (WavryRiftReassembler *self)
{
  if (self == NULL)
    return;
  for (guint64 id = self->next_id; id < self->end_id; id++)
    slot_clear (self, slot_for (self, id));
  g_array_unref (self->lost);
  g_free (self);
}

static void
push_lost (WavryRiftReassembler *self,
           guint64               frame_id)
{
  if (self->lost->len >= MAX_LOST)
    g_array_remove_index (self->lost, 0);
  g_array_append_val (self->lost, frame_id);
}

static gboolean
drop (WavryRiftReassembler *self)
{
  self->stats.chunks_dropped++;
  return FALSE;
}

static void
complete_slot (WavryRiftReassembler *self,
               Slot                 *slot)
{
  guint8 *buf = g_malloc (MAX (slot->bytes, 1));
  gsize offset = 0;

  for (guint32 i = 0; i < slot->count; i++)
    {
      gsize len;
      const guint8 *p = g_bytes_get_data (slot->chunks[i], &len);

      if (len > 0)
        memcpy (buf + offset, p, len);
      offset += len;
      g_bytes_unref (slot->chunks[i]);
    }
  g_assert (offset == slot->bytes);
  g_clear_pointer (&slot->chunks, g_free);
  slot->data = g_bytes_new_take (buf, slot->bytes);
  slot->complete = TRUE;
  self->held_bytes -= slot->cost - slot->bytes;
  slot->cost = slot->bytes;
  self->stats.frames_complete++;
}

gboolean
wavry_rift_reassembler_add_chunk (WavryRiftReassembler   *self,
                                  const Rift__VideoChunk *chunk,
                                  WavryTime               now)
{
  Slot *slot;
  gsize cost;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (chunk != NULL, FALSE);

  /* RIFT §6.1: ignore chunk_index ≥ chunk_count. */
  if (chunk->chunk_count == 0 ||
      chunk->chunk_count > WAVRY_RIFT_VIDEO_CHUNKS_MAX ||
      chunk->chunk_index >= chunk->chunk_count ||
      chunk->payload.len > WAVRY_RIFT_VIDEO_CHUNK_MAX ||
      (chunk->payload.len > 0 && chunk->payload.data == NULL) ||
      /* Never reached by a real sender; refusing it keeps end_id from wrapping. */
      chunk->frame_id == G_MAXUINT64)
    return drop (self);

  if (!self->started)
    {
      self->started = TRUE;
      self->next_id = self->end_id = chunk->frame_id;
    }

  if (chunk->frame_id < self->next_id)
    return drop (self);
  if (chunk->frame_id - self->next_id >= WAVRY_RIFT_REASSEMBLER_WINDOW)
    {
      if (!self->ahead)
        {
          self->ahead = TRUE;
          self->ahead_since = now;
          self->ahead_min = chunk->frame_id;
        }
      self->ahead_min = MIN (self->ahead_min, chunk->frame_id);
      return drop (self);
    }

  /* Every frame id up to this one gets a slot, so that a frame none of
   * whose chunks arrive is discarded like one that lost some. */
  while (self->end_id <= chunk->frame_id)
    {
      slot = slot_for (self, self->end_id);
      g_assert (!slot->has_chunks && slot->data == NULL);
      slot->frame_id = self->end_id++;
      slot->deadline = now + WAVRY_RIFT_REASSEMBLER_TIMEOUT_US;
    }

  slot = slot_for (self, chunk->frame_id);
  g_assert (slot->frame_id == chunk->frame_id);

  if (slot->has_chunks)
    {
      if (slot->count != chunk->chunk_count ||
          slot->keyframe != (chunk->keyframe != 0) ||
          slot->timestamp_us != chunk->timestamp_us)
        return drop (self);
      if (slot->complete || slot->chunks[chunk->chunk_index] != NULL)
        {
          self->stats.chunks_duplicate++;
          return FALSE;
        }
    }

  cost = chunk->payload.len + CHUNK_OVERHEAD;
  if (!slot->has_chunks)
    cost += chunk->chunk_count * sizeof (GBytes *);
  if (self->held_bytes + cost > WAVRY_RIFT_REASSEMBLER_MAX_BYTES)
    return drop (self);
  self->held_bytes += cost;
  slot->cost += cost;

  if (!slot->has_chunks)
    {
      slot->has_chunks = TRUE;
      slot->count = chunk->chunk_count;
      slot->timestamp_us = chunk->timestamp_us;
      slot->keyframe = chunk->keyframe != 0;
      slot->capture_us = chunk->capture_us;
      slot->encode_us = chunk->encode_us;
      slot->first_arrival = now;
      slot->chunks = g_new0 (GBytes *, slot->count);
    }

  slot->chunks[chunk->chunk_index] = g_bytes_new (chunk->payload.data, chunk->payload.len);
  slot->bytes += chunk->payload.len;
  slot->last_arrival = now;
  if (++slot->received == slot->count)
    complete_slot (self, slot);

  return TRUE;
}

WavryRiftVideoFrame *
wavry_rift_reassembler_pop_frame (WavryRiftReassembler *self)
{
  WavryRiftVideoFrame *frame;
  Slot *slot;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->next_id == self->end_id)
    return NULL;
  slot = slot_for (self, self->next_id);
  if (!slot->complete)
    return NULL;

  frame = g_new0 (WavryRiftVideoFrame, 1);
  frame->frame_id = slot->frame_id;
  frame->data = g_steal_pointer (&slot->data);
  frame->timestamp_us = slot->timestamp_us;
  frame->keyframe = slot->keyframe;
  frame->capture_us = slot->capture_us;
  frame->encode_us = slot->encode_us;
  frame->first_arrival = slot->first_arrival;
  frame->last_arrival = slot->last_arrival;
  frame->after_gap = self->gap;
  self->gap = FALSE;

  slot_clear (self, slot);
  self->next_id++;
  return frame;
}

static void
discard_head (WavryRiftReassembler *self)
{
  Slot *slot = slot_for (self, self->next_id);

  push_lost (self, self->next_id);
  self->stats.frames_lost++;
  self->gap = TRUE;
  slot_clear (self, slot);
  self->next_id++;
}

void
wavry_rift_reassembler_handle_timeout (WavryRiftReassembler *self,
                                       WavryTime             now)
{
  g_return_if_fail (self != NULL);

  while (self->next_id < self->end_id)
    {
      Slot *slot = slot_for (self, self->next_id);

      if (slot->complete || now < slot->deadline)
        break;
      discard_head (self);
    }

  if (!self->ahead)
    return;
  if (self->ahead_min < self->next_id ||
      self->ahead_min - self->next_id < WAVRY_RIFT_REASSEMBLER_WINDOW)
    {
      self->ahead = FALSE;
      return;
    }
  if (now < self->ahead_since + WAVRY_RIFT_REASSEMBLER_TIMEOUT_US)
    return;

  /* The sender moved more than a window ahead (a long outage): everything
   * before the oldest chunk seen beyond the window is lost. pop_lost()
   * reports the newest lost id only; it is the one that matters for
   * ReferenceInvalidation. */
  while (self->next_id < self->end_id)
    discard_head (self);
  self->stats.frames_lost += self->ahead_min - self->next_id;
  push_lost (self, self->ahead_min - 1);
  self->gap = TRUE;
  self->next_id = self->end_id = self->ahead_min;
  self->ahead = FALSE;
}

WavryTime
wavry_rift_reassembler_next_timeout (WavryRiftReassembler *self)
{
  WavryTime next = G_MAXINT64;

  g_return_val_if_fail (self != NULL, G_MAXINT64);

  for (guint64 id = self->next_id; id < self->end_id; id++)
    {
      Slot *slot = slot_for (self, id);

      if (!slot->complete)
        {
          next = slot->deadline;
          break;
        }
    }
  if (self->ahead)
    next = MIN (next, self->ahead_since + WAVRY_RIFT_REASSEMBLER_TIMEOUT_US);

  return next;
}

gboolean
wavry_rift_reassembler_pop_lost (WavryRiftReassembler *self,
                                 guint64              *frame_id)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (frame_id != NULL, FALSE);

  if (self->lost->len == 0)
    return FALSE;
  *frame_id = g_array_index (self->lost, guint64, 0);
  g_array_remove_index (self->lost, 0);
  return TRUE;
}

gsize
wavry_rift_reassembler_get_held_bytes (WavryRiftReassembler *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->held_bytes;
}

void
wavry_rift_reassembler_get_stats (WavryRiftReassembler      *self,
                                  WavryRiftReassemblerStats *stats)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (stats != NULL);

  *stats = self->stats;
}
