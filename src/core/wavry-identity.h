/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib-object.h>

#include "wavry-core-types.h"

G_BEGIN_DECLS

#define WAVRY_ID_LEN              43  /* base64url, no padding, of 32 bytes */
#define WAVRY_ED25519_PUBLIC_LEN  32
#define WAVRY_ED25519_SEED_LEN    32
#define WAVRY_ED25519_SIG_LEN     64
#define WAVRY_X25519_LEN          32

#define WAVRY_TYPE_IDENTITY (wavry_identity_get_type ())
G_DECLARE_FINAL_TYPE (WavryIdentity, wavry_identity, WAVRY, IDENTITY, GObject)

/* A device identity: an Ed25519 key pair, or only its public half.
 * The secret is kept in sodium_malloc'd memory and wiped on finalize.
 * Identities are immutable once built, so they may be shared between
 * threads. */

/* Initialises libsodium; every function below does it itself, so calling
 * this is optional, but main () can use it to report a broken random source
 * early instead of aborting on first use. */
gboolean       wavry_identity_init_crypto           (GError      **error);

WavryIdentity *wavry_identity_generate              (void);
WavryIdentity *wavry_identity_new_from_seed         (const guint8  seed[WAVRY_ED25519_SEED_LEN]);
/* Returns NULL when @public_key is not a usable Ed25519 public key: a
 * non-canonical encoding, not on the curve, of small order or outside the
 * prime-order subgroup. Such a key cannot verify a signature nor have an
 * X25519 form, so no identity is built for it. */
WavryIdentity *wavry_identity_new_from_public_key   (const guint8  public_key[WAVRY_ED25519_PUBLIC_LEN]);
/* A public-only identity. Fails with WAVRY_RIFT_ERROR_INVALID_KEY when
 * @wavry_id breaks the Wavry ID rule (see wavry_id_decode ()) or names a
 * key that wavry_identity_new_from_public_key () refuses. */
WavryIdentity *wavry_identity_new_from_id           (const char   *wavry_id,
                                                     GError      **error);

gboolean       wavry_identity_has_secret            (WavryIdentity *self);
const guint8  *wavry_identity_get_public_key        (WavryIdentity *self);
const char    *wavry_identity_get_id                (WavryIdentity *self);
/* TRUE when both hold the same public key, whether or not either holds
 * the secret half. */
gboolean       wavry_identity_equal                 (WavryIdentity *a,
                                                     WavryIdentity *b);

/* The Noise static key (RIFT §3.1): X25519 form of the Ed25519 key.
 * get_x25519_secret () returns FALSE (and leaves @out untouched) for a
 * public-only identity; on success the caller must sodium_memzero () @out. */
void           wavry_identity_get_x25519_public     (WavryIdentity *self,
                                                     guint8         out[WAVRY_X25519_LEN]);
gboolean       wavry_identity_get_x25519_secret     (WavryIdentity *self,
                                                     guint8         out[WAVRY_X25519_LEN]);

/* sign () returns FALSE (and zeroes @signature) for a public-only identity. */

gboolean       wavry_identity_sign                  (WavryIdentity *self,
                                                     const guint8  *message,
                                                     gsize          message_len,
                                                     guint8         signature[WAVRY_ED25519_SIG_LEN]);
gboolean       wavry_identity_verify                (WavryIdentity *self,
                                                     const guint8  *message,
                                                     gsize          message_len,
                                                     const guint8   signature[WAVRY_ED25519_SIG_LEN]);

/* Key files (text, see doc/key-files.md). Parsing and formatting only: the
 * callers in src/net (wavry-keystore) do the file I/O and permissions.
 *
 * to_secret_key_file () returns the secret seed in clear text: free it with
 * wavry_identity_free_secret_string (), which wipes it first, or hold it in
 * a g_auto(WavryIdentitySecretString). It must not be called on a
 * public-only identity.
 *
 * parse_key_file () reads @length bytes of @contents (no NUL terminator
 * needed): a secret key file, a public key file, or a bare Wavry ID on one
 * line (a public key). On failure the error (WAVRY_RIFT_ERROR_MALFORMED for
 * the layout, WAVRY_RIFT_ERROR_INVALID_KEY for the key itself) says what is
 * wrong without quoting secret material, and is meant to follow a prefix that
 * names where the text came from. Wiping @contents stays the caller's job. */
char          *wavry_identity_to_secret_key_file    (WavryIdentity *self);
char          *wavry_identity_to_public_key_file    (WavryIdentity *self);
WavryIdentity *wavry_identity_parse_key_file        (const char    *contents,
                                                     gsize          length,
                                                     GError       **error);

/* Wipes and frees a string that holds secret material; NULL is ignored. */
void           wavry_identity_free_secret_string    (char          *secret);

typedef char *WavryIdentitySecretString;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (WavryIdentitySecretString, wavry_identity_free_secret_string, NULL)

/* The Wavry ID rule (RIFT §1, testdata/ed25519): base64url without padding,
 * exactly 43 characters; parsing rejects '=', '+', '/', whitespace,
 * non-canonical trailing bits and any length other than 32 bytes. These check
 * the encoding only, as upstream's WavryId::parse does: whether the 32 bytes
 * are a usable Ed25519 key is wavry_identity_new_from_id ()'s business.
 * wavry_id_decode () fails with WAVRY_RIFT_ERROR_INVALID_KEY and a message
 * for the user that quotes the input. */
char          *wavry_id_encode                      (const guint8  public_key[WAVRY_ED25519_PUBLIC_LEN]);
gboolean       wavry_id_decode                      (const char   *wavry_id,
                                                     guint8        public_key[WAVRY_ED25519_PUBLIC_LEN],
                                                     GError      **error);
gboolean       wavry_id_is_valid                    (const char   *wavry_id);

G_END_DECLS
