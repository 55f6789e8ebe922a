/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include "wavry-annexb.h"
#include "wavry-media-error.h"

/* wavry-annexb NAL scanner (RIFT §6.1). The first input byte picks the codec
 * (bit 0: HEVC, else H.264); the rest is the byte stream. Never crashes or
 * reads out of bounds; every NAL it yields lies inside the input, after a
 * start code, in order, with a valid header; scan() agrees with the iterator. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Rift__Codec codec;
  WavryAnnexbIter iter;
  WavryNalUnit nal;
  GError *error = NULL;
  WavryAnnexbFlags flags = 0;
  guint n = 0, scanned = 0;
  gsize last_end = 0;
  gboolean ok;

  if (size < 1)
    return 0;
  codec = (data[0] & 1) ? RIFT__CODEC__CODEC_HEVC : RIFT__CODEC__CODEC_H264;
  data++;
  size--;

  for (gsize from = 0; from <= size; from += 1 + size / 8)
    {
      guint sc_len = 0;
      gsize at = wavry_annexb_find_start_code (data, size, from, &sc_len);

      g_assert (at <= size);
      if (at < size)
        {
          g_assert (sc_len == 3 || sc_len == 4);
          g_assert (at >= from && at + sc_len <= size);
          g_assert (data[at + sc_len - 1] == 1 && data[at + sc_len - 2] == 0 && data[at + sc_len - 3] == 0);
        }
    }

  wavry_annexb_iter_init (&iter, codec, data, size);
  while (wavry_annexb_iter_next (&iter, &nal, &error))
    {
      g_assert (nal.offset >= last_end + 3);
      g_assert (nal.size >= 1 && nal.offset + nal.size <= size);
      g_assert (data[nal.offset - 1] == 1 && data[nal.offset - 2] == 0 && data[nal.offset - 3] == 0);
      g_assert ((data[nal.offset] & 0x80) == 0);
      g_assert (nal.type < (codec == RIFT__CODEC__CODEC_HEVC ? 64 : 32));
      last_end = nal.offset + nal.size;
      n++;
    }

  ok = wavry_annexb_scan (codec, data, size, &flags, &scanned, NULL);
  if (error != NULL)
    {
      g_assert (error->domain == WAVRY_MEDIA_ERROR && error->code == WAVRY_MEDIA_ERROR_MALFORMED);
      g_assert (!ok);
      g_error_free (error);
    }
  else
    {
      g_assert (ok == (n > 0));
      if (ok)
        g_assert (scanned == n);
    }
  if (wavry_annexb_is_keyframe (codec, data, size))
    g_assert (ok && (flags & WAVRY_ANNEXB_HAS_IRAP) && (flags & WAVRY_ANNEXB_HAS_SPS));

  return 0;
}
