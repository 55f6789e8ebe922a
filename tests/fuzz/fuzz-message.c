/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include "wavry-rift-proto.h"

/* RIFT §5 message decoder: never crashes; an accepted message packs and
 * unpacks again to the same encoding (protobuf canonical form). */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(Rift__Message) message = wavry_rift_message_unpack (data, size);
  g_autoptr(Rift__HandshakeInfo) info = wavry_rift_handshake_info_unpack (data, size);

  if (message != NULL)
    {
      g_autoptr(GBytes) packed = wavry_rift_message_pack (message);
      g_autoptr(Rift__Message) again = NULL;
      g_autoptr(GBytes) repacked = NULL;

      (void) wavry_rift_message_describe (message);
      again = wavry_rift_message_unpack (g_bytes_get_data (packed, NULL), g_bytes_get_size (packed));
      g_assert (again != NULL);
      repacked = wavry_rift_message_pack (again);
      g_assert (g_bytes_equal (packed, repacked));
    }

  return 0;
}
