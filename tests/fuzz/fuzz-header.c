/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include <string.h>

#include "wavry-rift-frame.h"

/* RIFT §1 header decoder: never crashes, and whatever it accepts re-encodes
 * to the same bytes. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  WavryRiftHeader header;
  guint8 again[WAVRY_RIFT_HANDSHAKE_HEADER_LEN];
  static const guint8 zero[16] = { 0 };

  if (wavry_rift_header_decode (data, size, &header) != WAVRY_RIFT_DROP_NONE)
    return 0;

  g_assert (header.header_len <= size);
  if (header.kind == WAVRY_RIFT_HEADER_TRANSPORT)
    {
      g_assert (header.alias != 0);
      wavry_rift_header_encode_transport (again, header.alias, header.packet_id);
      g_assert (memcmp (again, data, WAVRY_RIFT_TRANSPORT_HEADER_LEN) == 0);
    }
  else if (memcmp (header.session_id, zero, 16) == 0)
    {
      wavry_rift_header_encode_handshake (again, header.packet_id);
      g_assert (memcmp (again, data, WAVRY_RIFT_HANDSHAKE_HEADER_LEN) == 0);
    }

  return 0;
}
