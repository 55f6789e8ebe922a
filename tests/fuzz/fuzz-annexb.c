/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include <string.h>
#include <glib.h>

#include "wavry-recorder.h"

/* The recorder's Annex-B scan (parameter sets of a keyframe, RIFT §6.1).
 * Input: one byte choosing the codec (odd: H.264, even: HEVC), then the
 * access unit. Never crashes; what it returns is a run of 4-byte start codes
 * each followed by a NAL unit found in the input, and scanning it again
 * returns it unchanged. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) ps = NULL;
  g_autoptr(GBytes) again = NULL;
  Rift__Codec codec;
  const guint8 *out;
  gsize out_len;

  if (size < 1)
    return 0;
  codec = (data[0] & 1) ? RIFT__CODEC__CODEC_H264 : RIFT__CODEC__CODEC_HEVC;

  ps = wavry_recorder_extract_parameter_sets (codec, data + 1, size - 1);
  if (ps == NULL)
    return 0;

  out = g_bytes_get_data (ps, &out_len);
  g_assert (out_len >= 5);
  g_assert (memcmp (out, "\0\0\0\1", 4) == 0);
  /* Start codes are added, trailing zeros dropped: never more than 4 bytes
   * for every 3-byte start code of the input. */
  g_assert (out_len <= 2 * (size - 1));

  again = wavry_recorder_extract_parameter_sets (codec, out, out_len);
  g_assert (again != NULL);
  g_assert (g_bytes_equal (ps, again));

  return 0;
}
