/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-rift-crc.h"
#include "wavry-rift-frame.h"

G_STATIC_ASSERT (WAVRY_RIFT_HANDSHAKE_HEADER_LEN == 2 + 2 + 16 + 8 + 2);
G_STATIC_ASSERT (WAVRY_RIFT_TRANSPORT_HEADER_LEN == 2 + 2 + 4 + 8 + 2);

static const char * const drop_names[WAVRY_RIFT_DROP_LAST] = {
  [WAVRY_RIFT_DROP_NONE] = "none",
  [WAVRY_RIFT_DROP_TOO_SHORT] = "too-short",
  [WAVRY_RIFT_DROP_BAD_MAGIC] = "bad-magic",
  [WAVRY_RIFT_DROP_BAD_VERSION] = "bad-version",
  [WAVRY_RIFT_DROP_BAD_CRC] = "bad-crc",
  [WAVRY_RIFT_DROP_TOO_LONG] = "too-long",
  [WAVRY_RIFT_DROP_UNKNOWN_PEER] = "unknown-peer",
  [WAVRY_RIFT_DROP_UNEXPECTED] = "unexpected",
  [WAVRY_RIFT_DROP_HANDSHAKE_FAILED] = "handshake-failed",
  [WAVRY_RIFT_DROP_DECRYPT_FAILED] = "decrypt-failed",
  [WAVRY_RIFT_DROP_REPLAY] = "replay",
  [WAVRY_RIFT_DROP_BAD_MESSAGE] = "bad-message",
  [WAVRY_RIFT_DROP_DUPLICATE] = "duplicate",
  [WAVRY_RIFT_DROP_PROBE] = "probe",
};

const char *
wavry_rift_drop_to_string (WavryRiftDrop reason)
{
  if ((guint) reason >= WAVRY_RIFT_DROP_LAST)
    return "unknown";
  return drop_names[reason];
}

/* RIFT §1 receive rules, applied in the order the spec lists them. */
WavryRiftDrop
wavry_rift_header_decode (const guint8    *data,
                          gsize            len,
                          WavryRiftHeader *out)
{
  gsize crc_at;

  g_return_val_if_fail (out != NULL, WAVRY_RIFT_DROP_TOO_SHORT);

  memset (out, 0, sizeof *out);

  /* 1. len < 18 → drop */
  if (data == NULL || len < WAVRY_RIFT_TRANSPORT_HEADER_LEN)
    return WAVRY_RIFT_DROP_TOO_SHORT;
  if (len > WAVRY_RIFT_MAX_DATAGRAM)
    return WAVRY_RIFT_DROP_TOO_LONG;

  /* 2. "RI" */
  if (data[0] != 'R' || data[1] != 'I')
    return WAVRY_RIFT_DROP_BAD_MAGIC;

  /* 3. version */
  out->version = wavry_rift_read_u16be (data + 2);
  if (out->version != WAVRY_RIFT_VERSION)
    return WAVRY_RIFT_DROP_BAD_VERSION;

  /* 4. form: alias 0 and long enough → handshake */
  if (wavry_rift_read_u32be (data + 4) == 0 && len >= WAVRY_RIFT_HANDSHAKE_HEADER_LEN)
    {
      out->kind = WAVRY_RIFT_HEADER_HANDSHAKE;
      out->header_len = WAVRY_RIFT_HANDSHAKE_HEADER_LEN;
      memcpy (out->session_id, data + 4, 16);
      out->packet_id = wavry_rift_read_u64be (data + 20);
      crc_at = 28;
    }
  else
    {
      out->kind = WAVRY_RIFT_HEADER_TRANSPORT;
      out->header_len = WAVRY_RIFT_TRANSPORT_HEADER_LEN;
      out->alias = wavry_rift_read_u32be (data + 4);
      out->packet_id = wavry_rift_read_u64be (data + 8);
      crc_at = 16;
    }

  /* 5. CRC over the header only */
  if (wavry_rift_crc16_kermit (data, crc_at) != wavry_rift_read_u16be (data + crc_at))
    return WAVRY_RIFT_DROP_BAD_CRC;

  /* A transport header with alias 0 shorter than 30 bytes is never valid
   * (§1: never send alias 0). A non-zero handshake session id is only a send
   * rule (§1), so it is accepted here and ignored by the session layer. */
  if (out->kind == WAVRY_RIFT_HEADER_TRANSPORT && out->alias == 0)
    return WAVRY_RIFT_DROP_TOO_SHORT;

  return WAVRY_RIFT_DROP_NONE;
}

void
wavry_rift_header_encode_handshake (guint8  out[WAVRY_RIFT_HANDSHAKE_HEADER_LEN],
                                    guint64 packet_id)
{
  out[0] = 'R';
  out[1] = 'I';
  wavry_rift_write_u16be (out + 2, WAVRY_RIFT_VERSION);
  memset (out + 4, 0, 16);
  wavry_rift_write_u64be (out + 20, packet_id);
  wavry_rift_write_u16be (out + 28, wavry_rift_crc16_kermit (out, 28));
}

void
wavry_rift_header_encode_transport (guint8  out[WAVRY_RIFT_TRANSPORT_HEADER_LEN],
                                    guint32 alias,
                                    guint64 packet_id)
{
  g_return_if_fail (alias != 0);

  out[0] = 'R';
  out[1] = 'I';
  wavry_rift_write_u16be (out + 2, WAVRY_RIFT_VERSION);
  wavry_rift_write_u32be (out + 4, alias);
  wavry_rift_write_u64be (out + 8, packet_id);
  wavry_rift_write_u16be (out + 16, wavry_rift_crc16_kermit (out, 16));
}
