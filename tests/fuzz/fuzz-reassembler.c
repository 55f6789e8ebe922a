/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include "wavry-rift-packetizer.h"
#include "wavry-rift-proto.h"
#include "wavry-rift-reassembler.h"

/* RIFT §6.1 receive path: the input is a sequence of records
 *
 *   u16be length · u8 clock step (ms) · length bytes of a rift Message
 *
 * Each record advances the clock, is unpacked, and a VideoChunk in it goes
 * into one reassembler, followed by handle_timeout() and popping every
 * frame and lost id. Nothing crashes or leaks, frames come out in strictly
 * increasing frame_id order, and the bytes held stay within the budget. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(WavryRiftReassembler) r = wavry_rift_reassembler_new ();
  WavryRiftReassemblerStats stats;
  WavryTime now = 0;
  guint64 last_id = 0;
  gboolean any = FALSE;
  guint64 chunks = 0;

  while (size >= 3)
    {
      gsize len = MIN ((gsize) (data[0] << 8 | data[1]), size - 3);
      g_autoptr(Rift__Message) message = NULL;
      WavryRiftVideoFrame *frame;
      guint64 lost;

      now += data[2] * 1000;
      message = wavry_rift_message_unpack (data + 3, len);
      data += 3 + len;
      size -= 3 + len;

      if (message != NULL &&
          message->content_case == RIFT__MESSAGE__CONTENT_MEDIA &&
          message->media->content_case == RIFT__MEDIA_MESSAGE__CONTENT_VIDEO)
        {
          wavry_rift_reassembler_add_chunk (r, message->media->video, now);
          chunks++;
        }

      if (wavry_rift_reassembler_next_timeout (r) <= now)
        wavry_rift_reassembler_handle_timeout (r, now);

      while ((frame = wavry_rift_reassembler_pop_frame (r)) != NULL)
        {
          g_assert (!any || frame->frame_id > last_id);
          g_assert (g_bytes_get_size (frame->data) <=
                    (gsize) WAVRY_RIFT_VIDEO_CHUNK_MAX * WAVRY_RIFT_VIDEO_CHUNKS_MAX);
          g_assert (frame->first_arrival <= frame->last_arrival);
          any = TRUE;
          last_id = frame->frame_id;
          wavry_rift_video_frame_free (frame);
        }
      while (wavry_rift_reassembler_pop_lost (r, &lost))
        ;
    }

  wavry_rift_reassembler_get_stats (r, &stats);
  g_assert (stats.chunks_dropped + stats.chunks_duplicate <= chunks);

  return 0;
}
