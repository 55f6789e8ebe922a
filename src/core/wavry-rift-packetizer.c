/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-packetizer.h"
#include "wavry-rift-proto.h"

GPtrArray *
wavry_rift_packetize_frame (guint64       frame_id,
                            const guint8 *data,
                            gsize         len,
                            guint64       timestamp_us,
                            gboolean      keyframe,
                            guint32       capture_us,
                            guint32       encode_us)
{
  Rift__Message message = RIFT__MESSAGE__INIT;
  Rift__MediaMessage media = RIFT__MEDIA_MESSAGE__INIT;
  Rift__VideoChunk chunk = RIFT__VIDEO_CHUNK__INIT;
  g_autoptr(GPtrArray) chunks = NULL;
  gsize count;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (len <= (gsize) WAVRY_RIFT_VIDEO_CHUNK_MAX * WAVRY_RIFT_VIDEO_CHUNKS_MAX, NULL);

  count = (len + WAVRY_RIFT_VIDEO_CHUNK_MAX - 1) / WAVRY_RIFT_VIDEO_CHUNK_MAX;
  chunks = g_ptr_array_new_full (count, (GDestroyNotify) g_bytes_unref);

  message.content_case = RIFT__MESSAGE__CONTENT_MEDIA;
  message.media = &media;
  media.content_case = RIFT__MEDIA_MESSAGE__CONTENT_VIDEO;
  media.video = &chunk;

  /* RIFT §6.1: chunk_count, timestamp_us and keyframe repeat in every chunk. */
  chunk.frame_id = frame_id;
  chunk.chunk_count = count;
  chunk.timestamp_us = timestamp_us;
  chunk.keyframe = keyframe ? 1 : 0;
  chunk.capture_us = capture_us;
  chunk.encode_us = encode_us;

  for (gsize i = 0; i < count; i++)
    {
      gsize offset = i * WAVRY_RIFT_VIDEO_CHUNK_MAX;

      chunk.chunk_index = i;
      chunk.payload.data = (guint8 *) data + offset;
      chunk.payload.len = MIN (len - offset, WAVRY_RIFT_VIDEO_CHUNK_MAX);
      g_ptr_array_add (chunks, wavry_rift_message_pack (&message));
    }

  return g_steal_pointer (&chunks);
}
