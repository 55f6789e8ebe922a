/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-core-types.h"

G_BEGIN_DECLS

/* RIFT §3: Noise_XX_25519_ChaChaPoly_<hash>. RIFT itself uses BLAKE2s; SHA256
 * and BLAKE2b exist so the conformance vectors of all three suites run. */
typedef enum /*< prefix=WAVRY_NOISE_HASH >*/
{
  WAVRY_NOISE_HASH_BLAKE2S,
  WAVRY_NOISE_HASH_SHA256,
  WAVRY_NOISE_HASH_BLAKE2B,
} WavryNoiseHash;

#define WAVRY_NOISE_KEY_LEN        32
#define WAVRY_NOISE_TAG_LEN        16
#define WAVRY_NOISE_MAX_HASH_LEN   64
#define WAVRY_NOISE_MAX_MESSAGE    65535
/* The RIFT prologue: "RI" and version 1. */
#define WAVRY_RIFT_NOISE_PROLOGUE      ((const guint8 *) "\x52\x49\x00\x01")
#define WAVRY_RIFT_NOISE_PROLOGUE_LEN  4

/* Transport cipher after Split(). The nonce is explicit: RIFT uses the packet
 * id (RIFT §3.2), so the caller owns the counter and the replay window. */
struct _WavryNoiseCipher
{
  guint8   key[WAVRY_NOISE_KEY_LEN];
  gboolean has_key;
};

/* Encrypts @plaintext into @out (plaintext_len + 16 bytes; @out may equal
 * @plaintext but must not otherwise overlap it). Nonce = 00000000 ‖
 * u64_le(nonce). FALSE for nonce 2^64-1 (reserved by Noise §5.1) or a
 * plaintext over 65535 - 16 bytes. Reentrant: @cipher is only read. */
gboolean wavry_noise_cipher_encrypt (const WavryNoiseCipher *cipher,
                                     guint64                 nonce,
                                     const guint8           *ad,
                                     gsize                   ad_len,
                                     const guint8           *plaintext,
                                     gsize                   plaintext_len,
                                     guint8                 *out);
/* Decrypts @ciphertext (16 <= ciphertext_len <= 65535) into @out
 * (ciphertext_len - 16 bytes; may equal @ciphertext; may be NULL when that is
 * 0). FALSE when the tag does not verify; libsodium then zeroes @out, so an
 * in-place decryption destroys the ciphertext. */
gboolean wavry_noise_cipher_decrypt (const WavryNoiseCipher *cipher,
                                     guint64                 nonce,
                                     const guint8           *ad,
                                     gsize                   ad_len,
                                     const guint8           *ciphertext,
                                     gsize                   ciphertext_len,
                                     guint8                 *out);
void     wavry_noise_cipher_clear   (WavryNoiseCipher       *cipher);

/* The handshake state (Noise §5.3) for pattern XX, optionally with psk
 * modifiers (only needed by the conformance vectors). All secrets live in
 * sodium_malloc'd memory and are wiped by wavry_noise_handshake_free().
 * The ephemeral key pair is generated here. Not thread-safe; one handshake
 * belongs to one thread. Returns NULL (with a critical) only when libsodium
 * cannot initialise or lock memory. */
WavryNoiseHandshake *wavry_noise_handshake_new (WavryNoiseHash  hash,
                                                gboolean        initiator,
                                                const guint8   *prologue,
                                                gsize           prologue_len,
                                                const guint8    static_secret[WAVRY_NOISE_KEY_LEN]);
/* Tests only: fix the ephemeral key instead of generating one. Call before
 * the first message. */
void     wavry_noise_handshake_set_ephemeral       (WavryNoiseHandshake *hs,
                                                    const guint8         ephemeral_secret[WAVRY_NOISE_KEY_LEN]);
/* Tests only: "XXpsk3"-style modifiers; @positions lists the psk token
 * positions (0 = start of message 1, n = end of message n), strictly
 * ascending, each 0..3; @psks[i] goes with @positions[i]. Restarts the
 * handshake with the new protocol name, so call it before the first message
 * (after the prologue has been given to _new()). FALSE for an invalid list. */
gboolean wavry_noise_handshake_set_psks            (WavryNoiseHandshake *hs,
                                                    const guint          *positions,
                                                    const guint8 (*psks)[WAVRY_NOISE_KEY_LEN],
                                                    guint                 n_psks);

/* Writes the next handshake message carrying @payload into @out (which must
 * not overlap @payload). Errors (WAVRY_RIFT_ERROR): _HANDSHAKE when it is not
 * this side's turn or the peer's key gives an all-zero DH result; _FAILED
 * when the message does not fit in @out_cap or in 65535 bytes. On failure
 * the state is unchanged (the contents of @out are undefined). */
gboolean wavry_noise_handshake_write_message       (WavryNoiseHandshake *hs,
                                                    const guint8        *payload,
                                                    gsize                payload_len,
                                                    guint8              *out,
                                                    gsize                out_cap,
                                                    gsize               *out_len,
                                                    GError             **error);
/* Reads the next handshake message; the decrypted payload goes to
 * @payload_out (at most @payload_cap bytes; must not overlap @message).
 * Errors (WAVRY_RIFT_ERROR): _HANDSHAKE when it is not this side's turn or
 * the DH result is all zero; _MALFORMED when the message is truncated, over
 * 65535 bytes, or its payload exceeds @payload_cap; _DECRYPT when a tag does
 * not verify (tampering, wrong prologue, wrong psk). On failure the state is
 * left exactly as it was, so a forged or reordered datagram cannot break a
 * handshake in progress and the genuine message still succeeds later. */
gboolean wavry_noise_handshake_read_message        (WavryNoiseHandshake *hs,
                                                    const guint8        *message,
                                                    gsize                message_len,
                                                    guint8              *payload_out,
                                                    gsize                payload_cap,
                                                    gsize               *payload_len,
                                                    GError             **error);

gboolean      wavry_noise_handshake_is_complete     (WavryNoiseHandshake *hs);
gboolean      wavry_noise_handshake_is_my_turn      (WavryNoiseHandshake *hs);
/* The peer's static public key once received, else NULL. The pointer stays
 * valid until the handshake is freed. */
const guint8 *wavry_noise_handshake_get_remote_static (WavryNoiseHandshake *hs);
const guint8 *wavry_noise_handshake_get_local_ephemeral_public (WavryNoiseHandshake *hs);
/* h; returns its length (32 or 64). */
gsize         wavry_noise_handshake_get_hash        (WavryNoiseHandshake *hs,
                                                     guint8               out[WAVRY_NOISE_MAX_HASH_LEN]);
/* Split() once complete (a critical before): @send is this side's sending
 * key (k1 for the initiator), @recv the other. */
gboolean      wavry_noise_handshake_split           (WavryNoiseHandshake *hs,
                                                     WavryNoiseCipher    *send,
                                                     WavryNoiseCipher    *recv);
void          wavry_noise_handshake_free            (WavryNoiseHandshake *hs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryNoiseHandshake, wavry_noise_handshake_free)

G_END_DECLS
