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
 * The secret is kept in sodium_malloc'd memory and wiped on finalize. */
WavryIdentity *wavry_identity_generate              (void);
WavryIdentity *wavry_identity_new_from_seed         (const guint8  seed[WAVRY_ED25519_SEED_LEN]);
WavryIdentity *wavry_identity_new_from_public_key   (const guint8  public_key[WAVRY_ED25519_PUBLIC_LEN]);
WavryIdentity *wavry_identity_new_from_id           (const char   *wavry_id,
                                                     GError      **error);

gboolean       wavry_identity_has_secret            (WavryIdentity *self);
const guint8  *wavry_identity_get_public_key        (WavryIdentity *self);
const char    *wavry_identity_get_id                (WavryIdentity *self);
gboolean       wavry_identity_equal                 (WavryIdentity *a,
                                                     WavryIdentity *b);

/* The Noise static key (RIFT §3.1): X25519 form of the Ed25519 key. */
void           wavry_identity_get_x25519_public     (WavryIdentity *self,
                                                     guint8         out[WAVRY_X25519_LEN]);
gboolean       wavry_identity_get_x25519_secret     (WavryIdentity *self,
                                                     guint8         out[WAVRY_X25519_LEN]);

gboolean       wavry_identity_sign                  (WavryIdentity *self,
                                                     const guint8  *message,
                                                     gsize          message_len,
                                                     guint8         signature[WAVRY_ED25519_SIG_LEN]);
gboolean       wavry_identity_verify                (WavryIdentity *self,
                                                     const guint8  *message,
                                                     gsize          message_len,
                                                     const guint8   signature[WAVRY_ED25519_SIG_LEN]);

/* Key files (text, see doc/key-files.md). Parsing and formatting only: the
 * callers in src/services do the file I/O and permissions. */
char          *wavry_identity_to_secret_key_file    (WavryIdentity *self);
char          *wavry_identity_to_public_key_file    (WavryIdentity *self);
WavryIdentity *wavry_identity_parse_key_file        (const char    *contents,
                                                     gsize          length,
                                                     GError       **error);

/* The Wavry ID rule (RIFT §1, testdata/ed25519): base64url without padding,
 * exactly 43 characters; parsing rejects '=', '+', '/', non-canonical
 * trailing bits and any length other than 32 bytes. */
char          *wavry_id_encode                      (const guint8  public_key[WAVRY_ED25519_PUBLIC_LEN]);
gboolean       wavry_id_decode                      (const char   *wavry_id,
                                                     guint8        public_key[WAVRY_ED25519_PUBLIC_LEN],
                                                     GError      **error);
gboolean       wavry_id_is_valid                    (const char   *wavry_id);

G_END_DECLS
