/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include "wavry-rift-proto.h"

/* RIFT §5 message decoder: never crashes or leaks, and an accepted message
 * packs to exactly its computed size.
 *
 * A stronger "re-encodes to something that parses again" property does not
 * hold for protobuf-c: it keeps unknown fields verbatim, even one numbered 0
 * that it should have refused (corpus/message/regress-unknown-field-0), so
 * its re-encoding can be invalid. Wavry never re-encodes a received message,
 * so only the decoder's safety matters here. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(Rift__Message) message = wavry_rift_message_unpack (data, size);
  g_autoptr(Rift__HandshakeInfo) info = wavry_rift_handshake_info_unpack (data, size);

  if (message != NULL)
    {
      g_autoptr(GBytes) packed = wavry_rift_message_pack (message);

      g_assert (g_bytes_get_size (packed) == rift__message__get_packed_size (message));
      g_assert (wavry_rift_message_describe (message) != NULL);
    }
  if (info != NULL)
    g_assert (info->identity.len == 0 || info->identity.data != NULL);

  return 0;
}
