/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-core-types.h"
#include "wavry-rift-frame.h"
#include "wavry-rift-noise.h"
#include "wavry-rift-replay-window.h"

G_BEGIN_DECLS

/* RIFT §3.2: a transport datagram = 18-byte header ‖ ciphertext ‖ tag, with
 * the header as associated data and the packet id as the AEAD nonce. */
#define WAVRY_RIFT_PACKET_OVERHEAD (WAVRY_RIFT_TRANSPORT_HEADER_LEN + WAVRY_RIFT_AEAD_TAG_LEN)

/* Seals @plaintext into @out; returns the datagram length, or 0 when @out_cap
 * is too small. */
gsize         wavry_rift_packet_seal (const WavryNoiseCipher *cipher,
                                      guint32                 alias,
                                      guint64                 packet_id,
                                      const guint8           *plaintext,
                                      gsize                   plaintext_len,
                                      guint8                 *out,
                                      gsize                   out_cap);

/* Opens a transport datagram whose header was already decoded into @header:
 * replay check, decrypt (into @plaintext, at least len - overhead bytes),
 * then mark the id in @window. Returns why it was dropped, or
 * WAVRY_RIFT_DROP_NONE. */
WavryRiftDrop wavry_rift_packet_open (const WavryNoiseCipher *cipher,
                                      WavryRiftReplayWindow  *window,
                                      const WavryRiftHeader  *header,
                                      const guint8           *datagram,
                                      gsize                   datagram_len,
                                      guint8                 *plaintext,
                                      gsize                  *plaintext_len);

G_END_DECLS
