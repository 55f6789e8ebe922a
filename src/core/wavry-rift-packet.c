/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-packet.h"

gsize
wavry_rift_packet_seal (const WavryNoiseCipher *cipher,
                        guint32                 alias,
                        guint64                 packet_id,
                        const guint8           *plaintext,
                        gsize                   plaintext_len,
                        guint8                 *out,
                        gsize                   out_cap)
{
  gsize total = plaintext_len + WAVRY_RIFT_PACKET_OVERHEAD;

  g_return_val_if_fail (cipher != NULL && cipher->has_key, 0);

  if (out_cap < total || total > WAVRY_RIFT_MAX_DATAGRAM)
    return 0;

  wavry_rift_header_encode_transport (out, alias, packet_id);
  if (!wavry_noise_cipher_encrypt (cipher, packet_id,
                                   out, WAVRY_RIFT_TRANSPORT_HEADER_LEN,
                                   plaintext, plaintext_len,
                                   out + WAVRY_RIFT_TRANSPORT_HEADER_LEN))
    return 0;

  return total;
}

WavryRiftDrop
wavry_rift_packet_open (const WavryNoiseCipher *cipher,
                        WavryRiftReplayWindow  *window,
                        const WavryRiftHeader  *header,
                        const guint8           *datagram,
                        gsize                   datagram_len,
                        guint8                 *plaintext,
                        gsize                  *plaintext_len)
{
  g_return_val_if_fail (cipher != NULL && cipher->has_key, WAVRY_RIFT_DROP_DECRYPT_FAILED);
  g_return_val_if_fail (header->kind == WAVRY_RIFT_HEADER_TRANSPORT, WAVRY_RIFT_DROP_UNEXPECTED);

  if (datagram_len < WAVRY_RIFT_PACKET_OVERHEAD)
    return WAVRY_RIFT_DROP_TOO_SHORT;

  /* §3.3: check before decrypting, mark only after a successful open. */
  if (!wavry_rift_replay_window_check (window, header->packet_id))
    return WAVRY_RIFT_DROP_REPLAY;

  if (!wavry_noise_cipher_decrypt (cipher, header->packet_id,
                                   datagram, WAVRY_RIFT_TRANSPORT_HEADER_LEN,
                                   datagram + WAVRY_RIFT_TRANSPORT_HEADER_LEN,
                                   datagram_len - WAVRY_RIFT_TRANSPORT_HEADER_LEN,
                                   plaintext))
    return WAVRY_RIFT_DROP_DECRYPT_FAILED;

  wavry_rift_replay_window_mark (window, header->packet_id);
  *plaintext_len = datagram_len - WAVRY_RIFT_PACKET_OVERHEAD;

  return WAVRY_RIFT_DROP_NONE;
}
