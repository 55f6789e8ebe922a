/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <blake2.h>
#include <sodium.h>

#include "wavry-error.h"
#include "wavry-rift-noise.h"

/* Noise Protocol Framework, revision 34, restricted to what RIFT §3 needs:
 * pattern XX (plus psk modifiers for the conformance vectors), DH 25519,
 * cipher ChaChaPoly, hash BLAKE2s / SHA256 / BLAKE2b. Section numbers in
 * the comments ("Noise §5.2") refer to that document. */

#define DH_LEN          32
#define AEAD_NONCE_LEN  crypto_aead_chacha20poly1305_ietf_NPUBBYTES
#define MAX_BLOCK_LEN   128
#define MAX_PSKS        4
#define N_MESSAGES      3
/* Longest token list: "e, ee, s, es" plus a psk modifier. */
#define MAX_TOKENS      6

G_STATIC_ASSERT (WAVRY_NOISE_KEY_LEN == crypto_aead_chacha20poly1305_ietf_KEYBYTES);
G_STATIC_ASSERT (WAVRY_NOISE_TAG_LEN == crypto_aead_chacha20poly1305_ietf_ABYTES);
G_STATIC_ASSERT (AEAD_NONCE_LEN == 12);
G_STATIC_ASSERT (DH_LEN == crypto_scalarmult_BYTES);
G_STATIC_ASSERT (DH_LEN == crypto_scalarmult_SCALARBYTES);

typedef enum
{
  TOKEN_E,
  TOKEN_S,
  TOKEN_EE,
  TOKEN_ES,
  TOKEN_SE,
  TOKEN_PSK,
} NoiseToken;

/* Noise §7.5: XX without its psk modifiers. */
static const NoiseToken xx_tokens[N_MESSAGES][4] = {
  { TOKEN_E },
  { TOKEN_E, TOKEN_EE, TOKEN_S, TOKEN_ES },
  { TOKEN_S, TOKEN_SE },
};
static const guint xx_n_tokens[N_MESSAGES] = { 1, 4, 2 };

typedef union
{
  blake2s_state            blake2s;
  crypto_hash_sha256_state sha256;
  crypto_generichash_state blake2b;
} HashContext;

/* Everything that changes while a message is processed: the CipherState,
 * the SymmetricState and the progress of the HandshakeState (Noise §5).
 * read_message works on a copy of this and commits it only on success. */
typedef struct
{
  guint8   k[WAVRY_NOISE_KEY_LEN];
  guint64  n;
  gboolean has_k;
  guint8   ck[WAVRY_NOISE_MAX_HASH_LEN];
  guint8   h[WAVRY_NOISE_MAX_HASH_LEN];
  guint8   re[DH_LEN];
  guint8   rs[DH_LEN];
  gboolean has_re;
  gboolean has_rs;
  guint    message;   /* index of the next handshake message, 0..3 */
  guint    next_psk;
} NoiseState;

/* The whole struct lives in one sodium_malloc() block: locked, guarded and
 * wiped on free. That includes the scratch space for HMAC pads, HKDF output
 * and DH results, so no secret is ever left on the stack. */
struct _WavryNoiseHandshake
{
  /* First, so that the 64-byte alignment BLAKE2b wants is easy to check. */
  HashContext    hash_ctx;

  NoiseState     state;
  NoiseState     work;

  guint8         s_priv[DH_LEN];
  guint8         s_pub[DH_LEN];
  guint8         e_priv[DH_LEN];
  guint8         e_pub[DH_LEN];
  guint8         psks[MAX_PSKS][WAVRY_NOISE_KEY_LEN];
  guint          psk_positions[MAX_PSKS];
  guint          n_psks;

  /* Scratch, wiped after every operation. */
  guint8         hmac_pad[MAX_BLOCK_LEN];
  guint8         hmac_inner[WAVRY_NOISE_MAX_HASH_LEN];
  guint8         hkdf_temp[WAVRY_NOISE_MAX_HASH_LEN];
  guint8         hkdf_out[3][WAVRY_NOISE_MAX_HASH_LEN];
  guint8         dh[DH_LEN];

  WavryNoiseHash hash;
  gsize          hash_len;
  gsize          block_len;
  gboolean       initiator;
  /* Not secret; kept so that set_psks() can restart InitializeSymmetric()
   * with the new protocol name. Ordinary heap memory. */
  guint8        *prologue;
  gsize          prologue_len;
};

/* libsodium picks its fastest ChaCha20 and X25519 code in sodium_init();
 * without it the reference code runs. g_once keeps the per-packet cost to
 * one atomic read. */
static gboolean
ensure_sodium (void)
{
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      gsize result = sodium_init () < 0 ? 2 : 1;

      g_once_init_leave (&ready, result);
    }

  return ready == 1;
}

/* Noise §5.1: the 96-bit nonce is 32 zero bits then n, little-endian. */
static void
make_nonce (guint8  nonce[AEAD_NONCE_LEN],
            guint64 n)
{
  memset (nonce, 0, 4);
  for (guint i = 0; i < 8; i++)
    nonce[4 + i] = (n >> (8 * i)) & 0xff;
}

/* Two non-empty ranges overlap iff one starts inside the other. Unsigned
 * differences wrap, so this holds even for caps near G_MAXSIZE. */
static gboolean
ranges_overlap (const guint8 *a,
                gsize         a_len,
                const guint8 *b,
                gsize         b_len)
{
  if (a_len == 0 || b_len == 0)
    return FALSE;
  return (guintptr) a - (guintptr) b < b_len || (guintptr) b - (guintptr) a < a_len;
}

/* ---- Transport cipher ---------------------------------------------------- */

gboolean
wavry_noise_cipher_encrypt (const WavryNoiseCipher *cipher,
                            guint64                 nonce,
                            const guint8           *ad,
                            gsize                   ad_len,
                            const guint8           *plaintext,
                            gsize                   plaintext_len,
                            guint8                 *out)
{
  guint8 npub[AEAD_NONCE_LEN];

  g_return_val_if_fail (cipher != NULL && cipher->has_key, FALSE);
  g_return_val_if_fail (ad != NULL || ad_len == 0, FALSE);
  g_return_val_if_fail (plaintext != NULL || plaintext_len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* Noise §5.1: 2^64-1 is reserved. Noise §3: messages are at most 65535
   * bytes, tag included; this also keeps libsodium's MESSAGEBYTES_MAX check
   * (which aborts) out of reach. */
  if (nonce == G_MAXUINT64 ||
      plaintext_len > WAVRY_NOISE_MAX_MESSAGE - WAVRY_NOISE_TAG_LEN ||
      !ensure_sodium ())
    return FALSE;

  make_nonce (npub, nonce);
  /* libsodium XORs the key stream from m into c and then MACs c, so c == m
   * is safe; the tag goes to out + plaintext_len. */
  return crypto_aead_chacha20poly1305_ietf_encrypt (out, NULL,
                                                    plaintext, plaintext_len,
                                                    ad, ad_len,
                                                    NULL, npub, cipher->key) == 0;
}

gboolean
wavry_noise_cipher_decrypt (const WavryNoiseCipher *cipher,
                            guint64                 nonce,
                            const guint8           *ad,
                            gsize                   ad_len,
                            const guint8           *ciphertext,
                            gsize                   ciphertext_len,
                            guint8                 *out)
{
  guint8 npub[AEAD_NONCE_LEN];

  g_return_val_if_fail (cipher != NULL && cipher->has_key, FALSE);
  g_return_val_if_fail (ad != NULL || ad_len == 0, FALSE);
  g_return_val_if_fail (ciphertext != NULL || ciphertext_len == 0, FALSE);

  if (nonce == G_MAXUINT64 ||
      ciphertext_len < WAVRY_NOISE_TAG_LEN ||
      ciphertext_len > WAVRY_NOISE_MAX_MESSAGE ||
      !ensure_sodium ())
    return FALSE;

  g_return_val_if_fail (out != NULL || ciphertext_len == WAVRY_NOISE_TAG_LEN, FALSE);

  make_nonce (npub, nonce);
  /* libsodium verifies the tag over the ciphertext before it writes a byte
   * of plaintext, so out == ciphertext is safe. On a bad tag it zeroes
   * @out. With out == NULL (empty plaintext) it only verifies. */
  return crypto_aead_chacha20poly1305_ietf_decrypt (out, NULL, NULL,
                                                    ciphertext, ciphertext_len,
                                                    ad, ad_len,
                                                    npub, cipher->key) == 0;
}

void
wavry_noise_cipher_clear (WavryNoiseCipher *cipher)
{
  g_return_if_fail (cipher != NULL);

  sodium_memzero (cipher, sizeof *cipher);
  cipher->has_key = FALSE;
}

/* ---- Hash functions, HMAC, HKDF (Noise §4.3) ---------------------------- */

static const char *
hash_name (WavryNoiseHash hash)
{
  switch (hash)
    {
    case WAVRY_NOISE_HASH_BLAKE2S:
      return "BLAKE2s";
    case WAVRY_NOISE_HASH_SHA256:
      return "SHA256";
    case WAVRY_NOISE_HASH_BLAKE2B:
      return "BLAKE2b";
    default:
      g_assert_not_reached ();
    }
}

static void
hash_init (WavryNoiseHandshake *hs)
{
  switch (hs->hash)
    {
    case WAVRY_NOISE_HASH_BLAKE2S:
      blake2s_init (&hs->hash_ctx.blake2s, BLAKE2S_OUTBYTES);
      break;
    case WAVRY_NOISE_HASH_SHA256:
      crypto_hash_sha256_init (&hs->hash_ctx.sha256);
      break;
    case WAVRY_NOISE_HASH_BLAKE2B:
      crypto_generichash_init (&hs->hash_ctx.blake2b, NULL, 0, crypto_generichash_BYTES_MAX);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
hash_update (WavryNoiseHandshake *hs,
             const guint8        *data,
             gsize                len)
{
  if (len == 0)
    return;

  switch (hs->hash)
    {
    case WAVRY_NOISE_HASH_BLAKE2S:
      blake2s_update (&hs->hash_ctx.blake2s, data, len);
      break;
    case WAVRY_NOISE_HASH_SHA256:
      crypto_hash_sha256_update (&hs->hash_ctx.sha256, data, len);
      break;
    case WAVRY_NOISE_HASH_BLAKE2B:
      crypto_generichash_update (&hs->hash_ctx.blake2b, data, len);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Writes hash_len bytes to @out and wipes the context. */
static void
hash_final (WavryNoiseHandshake *hs,
            guint8              *out)
{
  int rc;

  switch (hs->hash)
    {
    case WAVRY_NOISE_HASH_BLAKE2S:
      rc = blake2s_final (&hs->hash_ctx.blake2s, out, BLAKE2S_OUTBYTES);
      break;
    case WAVRY_NOISE_HASH_SHA256:
      rc = crypto_hash_sha256_final (&hs->hash_ctx.sha256, out);
      break;
    case WAVRY_NOISE_HASH_BLAKE2B:
      rc = crypto_generichash_final (&hs->hash_ctx.blake2b, out, crypto_generichash_BYTES_MAX);
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert (rc == 0);

  sodium_memzero (&hs->hash_ctx, sizeof hs->hash_ctx);
}

/* Noise §4.3: HMAC-HASH per RFC 2104 with the hash's BLOCKLEN, over
 * @data1 ‖ @data2. @key is hash_len bytes (always a chaining key or an HKDF
 * temp key). @out may alias @key: the key is consumed into the pad first. */
static void
hmac (WavryNoiseHandshake *hs,
      const guint8        *key,
      const guint8        *data1,
      gsize                data1_len,
      const guint8        *data2,
      gsize                data2_len,
      guint8              *out)
{
  memset (hs->hmac_pad, 0, hs->block_len);
  memcpy (hs->hmac_pad, key, hs->hash_len);
  for (gsize i = 0; i < hs->block_len; i++)
    hs->hmac_pad[i] ^= 0x36;

  hash_init (hs);
  hash_update (hs, hs->hmac_pad, hs->block_len);
  hash_update (hs, data1, data1_len);
  hash_update (hs, data2, data2_len);
  hash_final (hs, hs->hmac_inner);

  /* (k ^ ipad) ^ (ipad ^ opad) = k ^ opad */
  for (gsize i = 0; i < hs->block_len; i++)
    hs->hmac_pad[i] ^= 0x36 ^ 0x5c;

  hash_init (hs);
  hash_update (hs, hs->hmac_pad, hs->block_len);
  hash_update (hs, hs->hmac_inner, hs->hash_len);
  hash_final (hs, out);

  sodium_memzero (hs->hmac_pad, sizeof hs->hmac_pad);
  sodium_memzero (hs->hmac_inner, sizeof hs->hmac_inner);
}

/* Noise §4.3 HKDF(chaining_key, input_key_material, num_outputs): the
 * outputs land in hs->hkdf_out[0 .. n_outputs - 1]. */
static void
hkdf (WavryNoiseHandshake *hs,
      const guint8        *chaining_key,
      const guint8        *ikm,
      gsize                ikm_len,
      guint                n_outputs)
{
  static const guint8 counter[3] = { 0x01, 0x02, 0x03 };

  g_assert (n_outputs == 2 || n_outputs == 3);

  hmac (hs, chaining_key, ikm, ikm_len, NULL, 0, hs->hkdf_temp);
  hmac (hs, hs->hkdf_temp, &counter[0], 1, NULL, 0, hs->hkdf_out[0]);
  for (guint i = 1; i < n_outputs; i++)
    hmac (hs, hs->hkdf_temp, hs->hkdf_out[i - 1], hs->hash_len, &counter[i], 1, hs->hkdf_out[i]);

  sodium_memzero (hs->hkdf_temp, sizeof hs->hkdf_temp);
}

static void
wipe_scratch (WavryNoiseHandshake *hs)
{
  sodium_memzero (&hs->hash_ctx, sizeof hs->hash_ctx);
  sodium_memzero (hs->hmac_pad, sizeof hs->hmac_pad);
  sodium_memzero (hs->hmac_inner, sizeof hs->hmac_inner);
  sodium_memzero (hs->hkdf_temp, sizeof hs->hkdf_temp);
  sodium_memzero (hs->hkdf_out, sizeof hs->hkdf_out);
  sodium_memzero (hs->dh, sizeof hs->dh);
}

/* ---- SymmetricState (Noise §5.2) ----------------------------------------- */

static void
mix_hash (WavryNoiseHandshake *hs,
          NoiseState          *st,
          const guint8        *data,
          gsize                len)
{
  hash_init (hs);
  hash_update (hs, st->h, hs->hash_len);
  hash_update (hs, data, len);
  hash_final (hs, st->h);
}

/* InitializeKey(): the first 32 bytes of an HKDF output (Noise §5.2 truncates
 * for HASHLEN 64). */
static void
initialize_key (NoiseState   *st,
                const guint8 *temp_k)
{
  memcpy (st->k, temp_k, WAVRY_NOISE_KEY_LEN);
  st->n = 0;
  st->has_k = TRUE;
}

static void
mix_key (WavryNoiseHandshake *hs,
         NoiseState          *st,
         const guint8        *ikm,
         gsize                ikm_len)
{
  hkdf (hs, st->ck, ikm, ikm_len, 2);
  memcpy (st->ck, hs->hkdf_out[0], hs->hash_len);
  initialize_key (st, hs->hkdf_out[1]);
  sodium_memzero (hs->hkdf_out, sizeof hs->hkdf_out);
}

static void
mix_key_and_hash (WavryNoiseHandshake *hs,
                  NoiseState          *st,
                  const guint8        *ikm,
                  gsize                ikm_len)
{
  hkdf (hs, st->ck, ikm, ikm_len, 3);
  memcpy (st->ck, hs->hkdf_out[0], hs->hash_len);
  mix_hash (hs, st, hs->hkdf_out[1], hs->hash_len);
  initialize_key (st, hs->hkdf_out[2]);
  sodium_memzero (hs->hkdf_out, sizeof hs->hkdf_out);
}

/* EncryptAndHash(): @out gets len (+ 16 once a key is set) bytes; it must not
 * overlap @plaintext unless it is the same address. */
static gboolean
encrypt_and_hash (WavryNoiseHandshake *hs,
                  NoiseState          *st,
                  const guint8        *plaintext,
                  gsize                len,
                  guint8              *out,
                  gsize               *out_len)
{
  guint8 npub[AEAD_NONCE_LEN];

  if (!st->has_k)
    {
      if (len > 0 && out != plaintext)
        memcpy (out, plaintext, len);
      *out_len = len;
    }
  else
    {
      /* Noise §5.1: the handshake uses at most a handful of nonces. */
      g_assert (st->n < G_MAXUINT64);
      make_nonce (npub, st->n);
      if (crypto_aead_chacha20poly1305_ietf_encrypt (out, NULL, plaintext, len,
                                                     st->h, hs->hash_len,
                                                     NULL, npub, st->k) != 0)
        return FALSE;
      st->n++;
      *out_len = len + WAVRY_NOISE_TAG_LEN;
    }

  mix_hash (hs, st, out, *out_len);
  return TRUE;
}

/* DecryptAndHash(): @ciphertext and @out must not overlap, because h is
 * mixed with the ciphertext after decryption. */
static gboolean
decrypt_and_hash (WavryNoiseHandshake *hs,
                  NoiseState          *st,
                  const guint8        *ciphertext,
                  gsize                len,
                  guint8              *out)
{
  guint8 npub[AEAD_NONCE_LEN];

  if (!st->has_k)
    {
      if (len > 0)
        memcpy (out, ciphertext, len);
    }
  else
    {
      g_assert (len >= WAVRY_NOISE_TAG_LEN);
      g_assert (st->n < G_MAXUINT64);
      make_nonce (npub, st->n);
      if (crypto_aead_chacha20poly1305_ietf_decrypt (out, NULL, NULL, ciphertext, len,
                                                     st->h, hs->hash_len,
                                                     npub, st->k) != 0)
        return FALSE;
      st->n++;
    }

  mix_hash (hs, st, ciphertext, len);
  return TRUE;
}

/* ---- HandshakeState (Noise §5.3) ----------------------------------------- */

static void
build_protocol_name (WavryNoiseHandshake *hs,
                     char                *name,
                     gsize                name_size)
{
  g_strlcpy (name, "Noise_XX", name_size);
  for (guint i = 0; i < hs->n_psks; i++)
    {
      char modifier[8];

      g_snprintf (modifier, sizeof modifier, "%spsk%u", i > 0 ? "+" : "", hs->psk_positions[i]);
      g_strlcat (name, modifier, name_size);
    }
  g_strlcat (name, "_25519_ChaChaPoly_", name_size);
  g_strlcat (name, hash_name (hs->hash), name_size);
}

/* InitializeSymmetric(protocol_name) and MixHash(prologue); XX has no
 * pre-messages. */
static void
initialize (WavryNoiseHandshake *hs)
{
  NoiseState *st = &hs->state;
  char name[96];
  gsize name_len;

  sodium_memzero (st, sizeof *st);

  build_protocol_name (hs, name, sizeof name);
  name_len = strlen (name);
  if (name_len <= hs->hash_len)
    {
      memcpy (st->h, name, name_len);
    }
  else
    {
      hash_init (hs);
      hash_update (hs, (const guint8 *) name, name_len);
      hash_final (hs, st->h);
    }
  memcpy (st->ck, st->h, hs->hash_len);

  mix_hash (hs, st, hs->prologue, hs->prologue_len);
  wipe_scratch (hs);
}

static gboolean
has_psk_at (WavryNoiseHandshake *hs,
            guint                position)
{
  for (guint i = 0; i < hs->n_psks; i++)
    if (hs->psk_positions[i] == position)
      return TRUE;
  return FALSE;
}

/* The tokens of handshake message @index (0-based), psk modifiers applied:
 * psk0 goes before the first token of message 1, pskN after the last token
 * of message N (Noise §9.2). */
static guint
message_tokens (WavryNoiseHandshake *hs,
                guint                index,
                NoiseToken           tokens[MAX_TOKENS])
{
  guint n = 0;

  if (index == 0 && has_psk_at (hs, 0))
    tokens[n++] = TOKEN_PSK;
  for (guint i = 0; i < xx_n_tokens[index]; i++)
    tokens[n++] = xx_tokens[index][i];
  if (has_psk_at (hs, index + 1))
    tokens[n++] = TOKEN_PSK;

  g_assert (n <= MAX_TOKENS);
  return n;
}

/* DH() into hs->dh, then MixKey(). Noise §12.1 lets an implementation reject
 * an all-zero output; we do, so a low-order point from the peer cannot force
 * a known key. */
static gboolean
mix_dh (WavryNoiseHandshake *hs,
        NoiseState          *st,
        const guint8        *priv,
        const guint8        *pub,
        const char          *token,
        GError             **error)
{
  /* crypto_scalarmult() already fails on an all-zero result; the second
   * check keeps us safe should that ever change. */
  if (crypto_scalarmult (hs->dh, priv, pub) != 0 || sodium_is_zero (hs->dh, DH_LEN))
    {
      sodium_memzero (hs->dh, sizeof hs->dh);
      g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE,
                   "Noise handshake: the peer's public key gives an all-zero "
                   "X25519 result in the '%s' step (low-order point)", token);
      return FALSE;
    }

  mix_key (hs, st, hs->dh, DH_LEN);
  sodium_memzero (hs->dh, sizeof hs->dh);
  return TRUE;
}

/* ee, es and se: pick the key pair for this side (Noise §7.1). */
static gboolean
process_dh_token (WavryNoiseHandshake *hs,
                  NoiseState          *st,
                  NoiseToken           token,
                  GError             **error)
{
  const guint8 *priv;
  const guint8 *pub;
  const char *name;
  gboolean local_e;   /* does this side use its ephemeral (else static)? */
  gboolean remote_e;  /* does it use the peer's ephemeral (else static)? */

  switch (token)
    {
    case TOKEN_EE:
      name = "ee";
      local_e = TRUE;
      remote_e = TRUE;
      break;
    case TOKEN_ES:
      name = "es";
      local_e = hs->initiator;
      remote_e = !hs->initiator;
      break;
    case TOKEN_SE:
      name = "se";
      local_e = !hs->initiator;
      remote_e = hs->initiator;
      break;
    case TOKEN_E:
    case TOKEN_S:
    case TOKEN_PSK:
    default:
      g_assert_not_reached ();
    }

  /* Pattern XX always delivers re and rs before they are needed. */
  g_assert (remote_e ? st->has_re : st->has_rs);

  priv = local_e ? hs->e_priv : hs->s_priv;
  pub = remote_e ? st->re : st->rs;

  return mix_dh (hs, st, priv, pub, name, error);
}

static gboolean
check_turn (WavryNoiseHandshake *hs,
            gboolean             writing,
            GError             **error)
{
  const char *role = hs->initiator ? "initiator" : "responder";
  guint message = hs->state.message;

  if (message >= N_MESSAGES)
    {
      g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE,
                   "Noise handshake: already complete, cannot %s another message (%s)",
                   writing ? "write" : "read", role);
      return FALSE;
    }

  /* Even messages (0, 2) go from initiator to responder. */
  if (((message % 2 == 0) == hs->initiator) != writing)
    {
      g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE,
                   "Noise handshake: out of turn, the %s must %s message %u next",
                   role, writing ? "read" : "write", message + 1);
      return FALSE;
    }

  return TRUE;
}

static void
set_truncated_error (GError    **error,
                     guint       message,
                     const char *what,
                     gsize       need,
                     gsize       have)
{
  g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED,
               "Noise handshake message %u is truncated: %s needs %" G_GSIZE_FORMAT
               " bytes, %" G_GSIZE_FORMAT " left",
               message + 1, what, need, have);
}

WavryNoiseHandshake *
wavry_noise_handshake_new (WavryNoiseHash  hash,
                           gboolean        initiator,
                           const guint8   *prologue,
                           gsize           prologue_len,
                           const guint8    static_secret[WAVRY_NOISE_KEY_LEN])
{
  WavryNoiseHandshake *hs;

  g_return_val_if_fail (hash == WAVRY_NOISE_HASH_BLAKE2S ||
                        hash == WAVRY_NOISE_HASH_SHA256 ||
                        hash == WAVRY_NOISE_HASH_BLAKE2B, NULL);
  g_return_val_if_fail (prologue != NULL || prologue_len == 0, NULL);
  g_return_val_if_fail (static_secret != NULL, NULL);

  if (!ensure_sodium ())
    {
      g_critical ("libsodium failed to initialise; no Noise handshake possible");
      return NULL;
    }

  hs = sodium_malloc (sizeof *hs);
  if (hs == NULL)
    {
      g_critical ("sodium_malloc() failed for a Noise handshake (locked memory limit?)");
      return NULL;
    }
  /* sodium_malloc() only aligns to the struct size's own alignment, which
   * the union forces to 64; check rather than trust. */
  g_assert (((guintptr) hs % G_ALIGNOF (HashContext)) == 0);
  memset (hs, 0, sizeof *hs);

  hs->hash = hash;
  hs->hash_len = hash == WAVRY_NOISE_HASH_BLAKE2B ? 64 : 32;
  hs->block_len = hash == WAVRY_NOISE_HASH_BLAKE2B ? 128 : 64;
  hs->initiator = !!initiator;
  hs->prologue = prologue_len > 0 ? g_memdup2 (prologue, prologue_len) : NULL;
  hs->prologue_len = prologue_len;

  memcpy (hs->s_priv, static_secret, DH_LEN);
  crypto_scalarmult_base (hs->s_pub, hs->s_priv);
  /* GENERATE_KEYPAIR() up front so the ephemeral public key can be queried
   * at any time; tests may replace it before the first message. */
  crypto_box_keypair (hs->e_pub, hs->e_priv);

  initialize (hs);

  return hs;
}

void
wavry_noise_handshake_set_ephemeral (WavryNoiseHandshake *hs,
                                     const guint8         ephemeral_secret[WAVRY_NOISE_KEY_LEN])
{
  g_return_if_fail (hs != NULL);
  g_return_if_fail (ephemeral_secret != NULL);
  g_return_if_fail (hs->state.message == 0);

  memcpy (hs->e_priv, ephemeral_secret, DH_LEN);
  crypto_scalarmult_base (hs->e_pub, hs->e_priv);
}

gboolean
wavry_noise_handshake_set_psks (WavryNoiseHandshake *hs,
                                const guint         *positions,
                                const guint8 (*psks)[WAVRY_NOISE_KEY_LEN],
                                guint                 n_psks)
{
  g_return_val_if_fail (hs != NULL, FALSE);
  g_return_val_if_fail (n_psks == 0 || (positions != NULL && psks != NULL), FALSE);
  g_return_val_if_fail (hs->state.message == 0, FALSE);

  /* XX has three messages, so positions 0..3, each at most once; ascending
   * order keeps the protocol name canonical ("psk0+psk2"). */
  if (n_psks > MAX_PSKS)
    return FALSE;
  for (guint i = 0; i < n_psks; i++)
    {
      if (positions[i] > N_MESSAGES)
        return FALSE;
      if (i > 0 && positions[i] <= positions[i - 1])
        return FALSE;
    }

  sodium_memzero (hs->psks, sizeof hs->psks);
  for (guint i = 0; i < n_psks; i++)
    {
      hs->psk_positions[i] = positions[i];
      memcpy (hs->psks[i], psks[i], WAVRY_NOISE_KEY_LEN);
    }
  hs->n_psks = n_psks;

  /* The modifiers are part of the protocol name, so h and ck start over. */
  initialize (hs);

  return TRUE;
}

static gboolean
write_message_tokens (WavryNoiseHandshake *hs,
                      NoiseState          *st,
                      const guint8        *payload,
                      gsize                payload_len,
                      guint8              *out,
                      gsize                out_cap,
                      gsize               *out_len,
                      GError             **error)
{
  NoiseToken tokens[MAX_TOKENS];
  guint n_tokens = message_tokens (hs, st->message, tokens);
  gsize cap = MIN (out_cap, WAVRY_NOISE_MAX_MESSAGE);
  gsize pos = 0;
  gsize written;
  gsize need;

  for (guint i = 0; i < n_tokens; i++)
    {
      switch (tokens[i])
        {
        case TOKEN_E:
          if (cap - pos < DH_LEN)
            goto too_small;
          memcpy (out + pos, hs->e_pub, DH_LEN);
          pos += DH_LEN;
          mix_hash (hs, st, hs->e_pub, DH_LEN);
          /* Noise §9.2: with psks, e also feeds the key. */
          if (hs->n_psks > 0)
            mix_key (hs, st, hs->e_pub, DH_LEN);
          break;

        case TOKEN_S:
          need = DH_LEN + (st->has_k ? WAVRY_NOISE_TAG_LEN : 0);
          if (cap - pos < need)
            goto too_small;
          if (!encrypt_and_hash (hs, st, hs->s_pub, DH_LEN, out + pos, &written))
            goto encrypt_failed;
          pos += written;
          break;

        case TOKEN_EE:
        case TOKEN_ES:
        case TOKEN_SE:
          if (!process_dh_token (hs, st, tokens[i], error))
            return FALSE;
          break;

        case TOKEN_PSK:
          mix_key_and_hash (hs, st, hs->psks[st->next_psk], WAVRY_NOISE_KEY_LEN);
          st->next_psk++;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* The payload: checked without adding to payload_len, so a huge value
   * cannot wrap around. */
  need = st->has_k ? WAVRY_NOISE_TAG_LEN : 0;
  if (cap - pos < need || payload_len > cap - pos - need)
    goto too_small;
  if (!encrypt_and_hash (hs, st, payload, payload_len, out + pos, &written))
    goto encrypt_failed;
  pos += written;

  *out_len = pos;
  return TRUE;

too_small:
  g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_FAILED,
               "Noise handshake message %u with a %" G_GSIZE_FORMAT "-byte payload "
               "does not fit in %" G_GSIZE_FORMAT " bytes (Noise limit %u)",
               st->message + 1, payload_len, out_cap, WAVRY_NOISE_MAX_MESSAGE);
  return FALSE;

encrypt_failed:
  g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_FAILED,
               "Noise handshake message %u: encryption failed", st->message + 1);
  return FALSE;
}

gboolean
wavry_noise_handshake_write_message (WavryNoiseHandshake *hs,
                                     const guint8        *payload,
                                     gsize                payload_len,
                                     guint8              *out,
                                     gsize                out_cap,
                                     gsize               *out_len,
                                     GError             **error)
{
  gboolean ok;

  g_return_val_if_fail (hs != NULL, FALSE);
  g_return_val_if_fail (payload != NULL || payload_len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (out_len != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  /* The payload is encrypted into @out after the tokens, so any overlap
   * would corrupt it. */
  g_return_val_if_fail (!ranges_overlap (payload, payload_len, out, out_cap), FALSE);

  if (!check_turn (hs, TRUE, error))
    return FALSE;

  /* Like reading, writing works on a copy: a failure (buffer too small, a
   * low-order peer key) leaves the handshake as it was. */
  memcpy (&hs->work, &hs->state, sizeof hs->work);
  ok = write_message_tokens (hs, &hs->work, payload, payload_len, out, out_cap, out_len, error);
  if (ok)
    {
      hs->work.message++;
      memcpy (&hs->state, &hs->work, sizeof hs->state);
    }

  sodium_memzero (&hs->work, sizeof hs->work);
  wipe_scratch (hs);
  return ok;
}

static gboolean
read_message_tokens (WavryNoiseHandshake *hs,
                     NoiseState          *st,
                     const guint8        *message,
                     gsize                message_len,
                     guint8              *payload_out,
                     gsize                payload_cap,
                     gsize               *payload_len,
                     GError             **error)
{
  NoiseToken tokens[MAX_TOKENS];
  guint n_tokens = message_tokens (hs, st->message, tokens);
  gsize pos = 0;
  gsize need;
  gsize plain_len;

  for (guint i = 0; i < n_tokens; i++)
    {
      switch (tokens[i])
        {
        case TOKEN_E:
          if (message_len - pos < DH_LEN)
            {
              set_truncated_error (error, st->message, "the ephemeral key", DH_LEN,
                                   message_len - pos);
              return FALSE;
            }
          memcpy (st->re, message + pos, DH_LEN);
          st->has_re = TRUE;
          pos += DH_LEN;
          mix_hash (hs, st, st->re, DH_LEN);
          if (hs->n_psks > 0)
            mix_key (hs, st, st->re, DH_LEN);
          break;

        case TOKEN_S:
          need = DH_LEN + (st->has_k ? WAVRY_NOISE_TAG_LEN : 0);
          if (message_len - pos < need)
            {
              set_truncated_error (error, st->message, "the static key", need, message_len - pos);
              return FALSE;
            }
          if (!decrypt_and_hash (hs, st, message + pos, need, st->rs))
            {
              g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_DECRYPT,
                           "Noise handshake message %u: the peer's static key does not "
                           "authenticate (wrong prologue, tampering or a stale message)",
                           st->message + 1);
              return FALSE;
            }
          st->has_rs = TRUE;
          pos += need;
          break;

        case TOKEN_EE:
        case TOKEN_ES:
        case TOKEN_SE:
          if (!process_dh_token (hs, st, tokens[i], error))
            return FALSE;
          break;

        case TOKEN_PSK:
          mix_key_and_hash (hs, st, hs->psks[st->next_psk], WAVRY_NOISE_KEY_LEN);
          st->next_psk++;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  need = st->has_k ? WAVRY_NOISE_TAG_LEN : 0;
  if (message_len - pos < need)
    {
      set_truncated_error (error, st->message, "the payload tag", need, message_len - pos);
      return FALSE;
    }
  plain_len = message_len - pos - need;
  if (plain_len > payload_cap)
    {
      g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED,
                   "Noise handshake message %u carries a %" G_GSIZE_FORMAT "-byte payload, "
                   "more than the %" G_GSIZE_FORMAT " bytes allowed",
                   st->message + 1, plain_len, payload_cap);
      return FALSE;
    }
  if (!decrypt_and_hash (hs, st, message + pos, message_len - pos, payload_out))
    {
      g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_DECRYPT,
                   "Noise handshake message %u: the payload does not authenticate "
                   "(wrong prologue or key, tampering or a stale message)", st->message + 1);
      return FALSE;
    }

  *payload_len = plain_len;
  return TRUE;
}

gboolean
wavry_noise_handshake_read_message (WavryNoiseHandshake *hs,
                                    const guint8        *message,
                                    gsize                message_len,
                                    guint8              *payload_out,
                                    gsize                payload_cap,
                                    gsize               *payload_len,
                                    GError             **error)
{
  gboolean ok;
  gsize len = 0;

  g_return_val_if_fail (hs != NULL, FALSE);
  g_return_val_if_fail (message != NULL || message_len == 0, FALSE);
  g_return_val_if_fail (payload_out != NULL || payload_cap == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  /* h absorbs the ciphertext after decryption, so in-place is impossible. */
  g_return_val_if_fail (!ranges_overlap (message, message_len, payload_out, payload_cap), FALSE);

  if (!check_turn (hs, FALSE, error))
    return FALSE;

  if (message_len > WAVRY_NOISE_MAX_MESSAGE)
    {
      g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED,
                   "Noise handshake message %u is %" G_GSIZE_FORMAT " bytes, "
                   "over the Noise limit of %u",
                   hs->state.message + 1, message_len, WAVRY_NOISE_MAX_MESSAGE);
      return FALSE;
    }

  /* Work on a copy and commit only on success: a forged, truncated or
   * reordered datagram must not disturb a handshake in progress (RIFT §3.1
   * retries rely on it). */
  memcpy (&hs->work, &hs->state, sizeof hs->work);
  ok = read_message_tokens (hs, &hs->work, message, message_len,
                            payload_out, payload_cap, &len, error);
  if (ok)
    {
      hs->work.message++;
      memcpy (&hs->state, &hs->work, sizeof hs->state);
      if (payload_len != NULL)
        *payload_len = len;
    }

  sodium_memzero (&hs->work, sizeof hs->work);
  wipe_scratch (hs);
  return ok;
}

gboolean
wavry_noise_handshake_is_complete (WavryNoiseHandshake *hs)
{
  g_return_val_if_fail (hs != NULL, FALSE);

  return hs->state.message >= N_MESSAGES;
}

gboolean
wavry_noise_handshake_is_my_turn (WavryNoiseHandshake *hs)
{
  g_return_val_if_fail (hs != NULL, FALSE);

  if (hs->state.message >= N_MESSAGES)
    return FALSE;
  return (hs->state.message % 2 == 0) == hs->initiator;
}

const guint8 *
wavry_noise_handshake_get_remote_static (WavryNoiseHandshake *hs)
{
  g_return_val_if_fail (hs != NULL, NULL);

  return hs->state.has_rs ? hs->state.rs : NULL;
}

const guint8 *
wavry_noise_handshake_get_local_ephemeral_public (WavryNoiseHandshake *hs)
{
  g_return_val_if_fail (hs != NULL, NULL);

  return hs->e_pub;
}

gsize
wavry_noise_handshake_get_hash (WavryNoiseHandshake *hs,
                                guint8               out[WAVRY_NOISE_MAX_HASH_LEN])
{
  g_return_val_if_fail (hs != NULL, 0);
  g_return_val_if_fail (out != NULL, 0);

  memcpy (out, hs->state.h, hs->hash_len);
  return hs->hash_len;
}

gboolean
wavry_noise_handshake_split (WavryNoiseHandshake *hs,
                             WavryNoiseCipher    *send,
                             WavryNoiseCipher    *recv)
{
  WavryNoiseCipher *c1;
  WavryNoiseCipher *c2;

  g_return_val_if_fail (hs != NULL, FALSE);
  g_return_val_if_fail (send != NULL && recv != NULL && send != recv, FALSE);
  g_return_val_if_fail (hs->state.message >= N_MESSAGES, FALSE);

  /* Noise §5.2 Split(): HKDF(ck, zerolen, 2), each truncated to 32 bytes.
   * c1 carries initiator → responder. */
  c1 = hs->initiator ? send : recv;
  c2 = hs->initiator ? recv : send;

  hkdf (hs, hs->state.ck, NULL, 0, 2);
  memcpy (c1->key, hs->hkdf_out[0], WAVRY_NOISE_KEY_LEN);
  c1->has_key = TRUE;
  memcpy (c2->key, hs->hkdf_out[1], WAVRY_NOISE_KEY_LEN);
  c2->has_key = TRUE;

  wipe_scratch (hs);
  return TRUE;
}

void
wavry_noise_handshake_free (WavryNoiseHandshake *hs)
{
  if (hs == NULL)
    return;

  g_free (hs->prologue);
  sodium_memzero (hs, sizeof *hs);
  sodium_free (hs);
}
