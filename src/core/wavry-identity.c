/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "wavry-error.h"
#include "wavry-identity.h"

G_STATIC_ASSERT (WAVRY_ED25519_PUBLIC_LEN == crypto_sign_PUBLICKEYBYTES);
G_STATIC_ASSERT (WAVRY_ED25519_SEED_LEN == crypto_sign_SEEDBYTES);
G_STATIC_ASSERT (WAVRY_ED25519_SIG_LEN == crypto_sign_BYTES);
G_STATIC_ASSERT (WAVRY_X25519_LEN == crypto_scalarmult_curve25519_BYTES);
G_STATIC_ASSERT (crypto_sign_SECRETKEYBYTES == WAVRY_ED25519_SEED_LEN + WAVRY_ED25519_PUBLIC_LEN);
G_STATIC_ASSERT (WAVRY_ID_LEN + 1 == sodium_base64_ENCODED_LEN (WAVRY_ED25519_PUBLIC_LEN,
                                                                 sodium_base64_VARIANT_URLSAFE_NO_PADDING));

/* doc/key-files.md */
#define SECRET_KEY_KIND "wavry-ed25519-secret-key-v1"
#define PUBLIC_KEY_KIND "wavry-ed25519-public-key-v1"
#define SECRET_KEY_HEADER \
  "# Wavry device identity (Ed25519 secret key). Keep this file private.\n" \
  "# Wavry ID: "
/* A key file is three short lines; anything much bigger is some other file
 * handed to us by mistake, and refusing it early bounds the work. */
#define KEY_FILE_MAX_LEN 16384

#define ID_RULE "a Wavry ID is 43 characters of A–Z, a–z, 0–9, “-” and “_”"
/* 43 characters carry 258 bits for 256 bits of key: the last character's
 * 4 low bits must be zero, which leaves these 16. */
#define CANONICAL_LAST_CHARS "A E I M Q U Y c g k o s w 0 4 8"

struct _WavryIdentity
{
  GObject parent_instance;

  guint8  public_key[WAVRY_ED25519_PUBLIC_LEN];
  guint8  x25519_public[WAVRY_X25519_LEN];
  char    id[WAVRY_ID_LEN + 1];

  /* libsodium's 64-byte form, seed ‖ public key, in guarded memory that is
   * kept out of swap; NULL for a public-only identity. */
  guint8 *secret_key;
};

G_DEFINE_FINAL_TYPE (WavryIdentity, wavry_identity, G_TYPE_OBJECT)

static void
wavry_identity_finalize (GObject *object)
{
  WavryIdentity *self = WAVRY_IDENTITY (object);

  /* sodium_free () zeroes the pages before unmapping them. */
  g_clear_pointer (&self->secret_key, sodium_free);

  G_OBJECT_CLASS (wavry_identity_parent_class)->finalize (object);
}

static void
wavry_identity_class_init (WavryIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wavry_identity_finalize;
}

static void
wavry_identity_init (WavryIdentity *self)
{
}

gboolean
wavry_identity_init_crypto (GError **error)
{
  /* sodium_init () is thread-safe and returns 1 once already done. */
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_FAILED,
                           "The cryptography library (libsodium) could not be "
                           "initialised; is the system random source available?");
      return FALSE;
    }

  return TRUE;
}

static void
ensure_crypto (void)
{
  g_autoptr(GError) error = NULL;

  /* The constructors have no error to report this through, and without a
   * random source no key can be made safely: stop, as GLib does when it
   * runs out of memory. main () can check earlier with init_crypto (). */
  if (!wavry_identity_init_crypto (&error))
    g_error ("%s", error->message);
}

static guint8 *
secret_key_alloc (void)
{
  guint8 *sk = sodium_malloc (crypto_sign_SECRETKEYBYTES);

  /* Like g_malloc (): running out of (lockable, mappable) memory is fatal. */
  if (sk == NULL)
    g_error ("%s: failed to allocate %u bytes of guarded memory",
             G_STRLOC, (guint) crypto_sign_SECRETKEYBYTES);

  return sk;
}

static gboolean
public_key_is_usable (const guint8 public_key[WAVRY_ED25519_PUBLIC_LEN])
{
  /* libsodium's check: canonical encoding, on the curve, not of small order,
   * in the prime-order subgroup. crypto_sign_verify_detached () and the
   * X25519 conversion refuse such keys anyway; refusing them here means a
   * WavryIdentity always has both forms and can check a signature. */
  return crypto_core_ed25519_is_valid_point (public_key) == 1;
}

/* Fills in everything derived from public_key. */
static void
identity_finish (WavryIdentity *self)
{
  int rc;

  rc = crypto_sign_ed25519_pk_to_curve25519 (self->x25519_public, self->public_key);
  g_assert (rc == 0);

  sodium_bin2base64 (self->id, sizeof self->id,
                     self->public_key, sizeof self->public_key,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

WavryIdentity *
wavry_identity_generate (void)
{
  WavryIdentity *self;

  ensure_crypto ();

  self = g_object_new (WAVRY_TYPE_IDENTITY, NULL);
  self->secret_key = secret_key_alloc ();
  crypto_sign_keypair (self->public_key, self->secret_key);
  identity_finish (self);

  return self;
}

WavryIdentity *
wavry_identity_new_from_seed (const guint8 seed[WAVRY_ED25519_SEED_LEN])
{
  WavryIdentity *self;

  g_return_val_if_fail (seed != NULL, NULL);

  ensure_crypto ();

  self = g_object_new (WAVRY_TYPE_IDENTITY, NULL);
  self->secret_key = secret_key_alloc ();
  crypto_sign_seed_keypair (self->public_key, self->secret_key, seed);
  identity_finish (self);

  return self;
}

WavryIdentity *
wavry_identity_new_from_public_key (const guint8 public_key[WAVRY_ED25519_PUBLIC_LEN])
{
  WavryIdentity *self;

  g_return_val_if_fail (public_key != NULL, NULL);

  ensure_crypto ();

  if (!public_key_is_usable (public_key))
    return NULL;

  self = g_object_new (WAVRY_TYPE_IDENTITY, NULL);
  memcpy (self->public_key, public_key, sizeof self->public_key);
  identity_finish (self);

  return self;
}

gboolean
wavry_identity_has_secret (WavryIdentity *self)
{
  g_return_val_if_fail (WAVRY_IS_IDENTITY (self), FALSE);

  return self->secret_key != NULL;
}

const guint8 *
wavry_identity_get_public_key (WavryIdentity *self)
{
  g_return_val_if_fail (WAVRY_IS_IDENTITY (self), NULL);

  return self->public_key;
}

const char *
wavry_identity_get_id (WavryIdentity *self)
{
  g_return_val_if_fail (WAVRY_IS_IDENTITY (self), NULL);

  return self->id;
}

gboolean
wavry_identity_equal (WavryIdentity *a,
                      WavryIdentity *b)
{
  g_return_val_if_fail (WAVRY_IS_IDENTITY (a), FALSE);
  g_return_val_if_fail (WAVRY_IS_IDENTITY (b), FALSE);

  return memcmp (a->public_key, b->public_key, sizeof a->public_key) == 0;
}

void
wavry_identity_get_x25519_public (WavryIdentity *self,
                                  guint8         out[WAVRY_X25519_LEN])
{
  g_return_if_fail (WAVRY_IS_IDENTITY (self));
  g_return_if_fail (out != NULL);

  memcpy (out, self->x25519_public, WAVRY_X25519_LEN);
}

gboolean
wavry_identity_get_x25519_secret (WavryIdentity *self,
                                  guint8         out[WAVRY_X25519_LEN])
{
  g_return_val_if_fail (WAVRY_IS_IDENTITY (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (self->secret_key == NULL)
    return FALSE;

  /* Always succeeds: it hashes the seed and clamps the result. */
  crypto_sign_ed25519_sk_to_curve25519 (out, self->secret_key);

  return TRUE;
}

gboolean
wavry_identity_sign (WavryIdentity *self,
                     const guint8  *message,
                     gsize          message_len,
                     guint8         signature[WAVRY_ED25519_SIG_LEN])
{
  g_return_val_if_fail (WAVRY_IS_IDENTITY (self), FALSE);
  g_return_val_if_fail (message != NULL || message_len == 0, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);

  if (self->secret_key == NULL)
    {
      memset (signature, 0, WAVRY_ED25519_SIG_LEN);
      return FALSE;
    }

  return crypto_sign_detached (signature, NULL,
                               message, message_len,
                               self->secret_key) == 0;
}

gboolean
wavry_identity_verify (WavryIdentity *self,
                       const guint8  *message,
                       gsize          message_len,
                       const guint8   signature[WAVRY_ED25519_SIG_LEN])
{
  g_return_val_if_fail (WAVRY_IS_IDENTITY (self), FALSE);
  g_return_val_if_fail (message != NULL || message_len == 0, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);

  return crypto_sign_verify_detached (signature,
                                      message, message_len,
                                      self->public_key) == 0;
}

/* Base64url of 32 bytes: the Wavry ID and the secret seed in a key file. */

typedef enum
{
  B64_OK,
  B64_EMPTY,
  B64_BAD_CHAR,
  B64_BAD_LENGTH,
  B64_NON_CANONICAL,
} B64Status;

static gboolean
is_b64url_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

/* Decodes exactly 32 bytes from @len characters at @text. Only the
 * character checks branch on the input; the decoding itself is libsodium's,
 * which is constant-time, since @text may be a secret seed. */
static B64Status
b64url32_decode (const char *text,
                 gsize       len,
                 guint8      out[32],
                 gsize      *bad_index)
{
  size_t bin_len = 0;

  if (len == 0)
    return B64_EMPTY;

  for (gsize i = 0; i < len; i++)
    {
      if (!is_b64url_char (text[i]))
        {
          *bad_index = i;
          return B64_BAD_CHAR;
        }
    }

  if (len != WAVRY_ID_LEN)
    return B64_BAD_LENGTH;

  /* With only valid characters and the right length, the one thing left
   * for libsodium to refuse is non-zero padding bits in the last one. */
  if (sodium_base642bin (out, 32, text, len, NULL, &bin_len, NULL,
                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      bin_len != 32)
    {
      sodium_memzero (out, 32);
      return B64_NON_CANONICAL;
    }

  return B64_OK;
}

/* A quotable form of user input: at most 60 characters, control characters
 * and invalid UTF-8 escaped, so that an error message stays one readable
 * line whatever was pasted. */
static char *
quote_input (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p = text;
  guint n = 0;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (n++ == 60)
        {
          g_string_append (out, "…");
          break;
        }

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guint) (guchar) *p);
          p++;
        }
      else
        {
          if (c == '\n')
            g_string_append (out, "\\n");
          else if (c == '\t')
            g_string_append (out, "\\t");
          else if (!g_unichar_isprint (c))
            g_string_append_printf (out, "\\u%04x", (guint) c);
          else
            g_string_append_unichar (out, c);
          p = g_utf8_next_char (p);
        }
    }

  return g_string_free (out, FALSE);
}

/* Why @text is not 32 bytes of canonical base64url, in words that follow
 * "it"; quotes characters of @text only when @may_quote, so that it can
 * describe a secret seed without repeating it. */
static char *
describe_b64_problem (B64Status   status,
                      const char *text,
                      gsize       len,
                      gsize       bad_index,
                      gboolean    may_quote)
{
  switch (status)
    {
    case B64_EMPTY:
      return g_strdup ("it is empty");

    case B64_BAD_CHAR:
      {
        char c = text[bad_index];

        if (c == '=')
          return g_strdup ("it has “=” padding, which must be left out");
        if (c == '+')
          return g_strdup ("it contains “+”, which is standard base64: this needs “-” instead");
        if (c == '/')
          return g_strdup ("it contains “/”, which is standard base64: this needs “_” instead");
        if (c == ' ')
          return g_strdup ("it contains a space");
        if (c == '\t')
          return g_strdup ("it contains a tab");
        if (g_ascii_isspace (c))
          return g_strdup ("it contains a line break");
        if (may_quote && g_ascii_isprint (c))
          return g_strdup_printf ("it contains “%c”, which is not allowed", c);
        if (may_quote && (guchar) c >= 0x80)
          {
            gunichar u = g_utf8_get_char_validated (text + bad_index, len - bad_index);

            if (u != (gunichar) -1 && u != (gunichar) -2 && g_unichar_isprint (u))
              {
                char buf[8] = { 0 };

                g_unichar_to_utf8 (u, buf);
                return g_strdup_printf ("it contains “%s”, which is not allowed", buf);
              }
          }
        return g_strdup ("it contains a character that is not allowed");
      }

    case B64_BAD_LENGTH:
      return g_strdup_printf ("it has %" G_GSIZE_FORMAT " characters instead of 43", len);

    case B64_NON_CANONICAL:
      if (may_quote)
        return g_strdup_printf ("its last character, “%c”, is impossible there "
                                "(only " CANONICAL_LAST_CHARS " can end 43 "
                                "characters of base64url); it was probably mistyped",
                                text[len - 1]);
      return g_strdup ("its last character is impossible there "
                       "(only " CANONICAL_LAST_CHARS " can end 43 characters "
                       "of base64url); it was changed or mistyped");

    case B64_OK:
    default:
      g_assert_not_reached ();
    }
}

char *
wavry_id_encode (const guint8 public_key[WAVRY_ED25519_PUBLIC_LEN])
{
  char *id;

  g_return_val_if_fail (public_key != NULL, NULL);

  id = g_malloc (WAVRY_ID_LEN + 1);
  sodium_bin2base64 (id, WAVRY_ID_LEN + 1,
                     public_key, WAVRY_ED25519_PUBLIC_LEN,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);

  return id;
}

gboolean
wavry_id_decode (const char *wavry_id,
                 guint8      public_key[WAVRY_ED25519_PUBLIC_LEN],
                 GError    **error)
{
  guint8 out[WAVRY_ED25519_PUBLIC_LEN];
  gsize len;
  gsize bad_index = 0;
  B64Status status;
  g_autofree char *reason = NULL;
  g_autofree char *quoted = NULL;

  g_return_val_if_fail (wavry_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  len = strlen (wavry_id);
  status = b64url32_decode (wavry_id, len, out, &bad_index);
  if (status == B64_OK)
    {
      if (public_key != NULL)
        memcpy (public_key, out, sizeof out);
      return TRUE;
    }

  if (error == NULL)
    return FALSE;

  reason = describe_b64_problem (status, wavry_id, len, bad_index, TRUE);
  quoted = quote_input (wavry_id);
  if (status == B64_NON_CANONICAL)
    g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_INVALID_KEY,
                 "“%s” is not a Wavry ID: %s", quoted, reason);
  else
    g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_INVALID_KEY,
                 "“%s” is not a Wavry ID: %s; " ID_RULE, quoted, reason);

  return FALSE;
}

gboolean
wavry_id_is_valid (const char *wavry_id)
{
  if (wavry_id == NULL)
    return FALSE;

  return wavry_id_decode (wavry_id, NULL, NULL);
}

WavryIdentity *
wavry_identity_new_from_id (const char  *wavry_id,
                            GError     **error)
{
  guint8 public_key[WAVRY_ED25519_PUBLIC_LEN];
  WavryIdentity *self;

  g_return_val_if_fail (wavry_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!wavry_id_decode (wavry_id, public_key, error))
    return NULL;

  self = wavry_identity_new_from_public_key (public_key);
  if (self == NULL)
    {
      g_autofree char *quoted = quote_input (wavry_id);

      g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_INVALID_KEY,
                   "“%s” is not a Wavry ID: it is well formed but names no "
                   "usable Ed25519 public key; it was probably mistyped",
                   quoted);
    }

  return self;
}

/* Key files */

char *
wavry_identity_to_secret_key_file (WavryIdentity *self)
{
  const gsize header_len = strlen (SECRET_KEY_HEADER);
  const gsize kind_len = strlen (SECRET_KEY_KIND);
  /* header, ID, "\n", kind, " ", seed, "\n" */
  const gsize total = header_len + WAVRY_ID_LEN + 1 + kind_len + 1 + WAVRY_ID_LEN + 1;
  char *text;
  char *p;

  g_return_val_if_fail (WAVRY_IS_IDENTITY (self), NULL);
  g_return_val_if_fail (self->secret_key != NULL, NULL);

  /* Built in place, without printf, so that the seed's base64 lands only in
   * the buffer the caller wipes and in no intermediate copy. */
  text = g_malloc (total + 1);
  p = text;
  memcpy (p, SECRET_KEY_HEADER, header_len);
  p += header_len;
  memcpy (p, self->id, WAVRY_ID_LEN);
  p += WAVRY_ID_LEN;
  *p++ = '\n';
  memcpy (p, SECRET_KEY_KIND, kind_len);
  p += kind_len;
  *p++ = ' ';
  /* Writes 43 characters and a NUL, which the newline then replaces. */
  sodium_bin2base64 (p, WAVRY_ID_LEN + 1,
                     self->secret_key, WAVRY_ED25519_SEED_LEN,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  p += WAVRY_ID_LEN;
  *p++ = '\n';
  *p = '\0';
  g_assert ((gsize) (p - text) == total);

  return text;
}

char *
wavry_identity_to_public_key_file (WavryIdentity *self)
{
  g_return_val_if_fail (WAVRY_IS_IDENTITY (self), NULL);

  return g_strconcat (PUBLIC_KEY_KIND " ", self->id, "\n", NULL);
}

void
wavry_identity_free_secret_string (char *secret)
{
  if (secret == NULL)
    return;

  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

static gboolean
token_equal (const char *token,
             gsize       len,
             const char *word)
{
  return strlen (word) == len && memcmp (token, word, len) == 0;
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* Could @token be base64 key material (ours or another tool's)? Then an
 * error message must not repeat it. */
static gboolean
looks_like_key_material (const char *token,
                         gsize       len)
{
  if (len < 32)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!is_b64url_char (token[i]) && token[i] != '+' && token[i] != '/' && token[i] != '=')
      return FALSE;

  return TRUE;
}

static WavryIdentity *
parse_secret_value (const char  *value,
                    gsize        value_len,
                    guint        line_no,
                    GError     **error)
{
  guint8 seed[WAVRY_ED25519_SEED_LEN];
  gsize bad_index = 0;
  B64Status status;
  WavryIdentity *self;

  status = b64url32_decode (value, value_len, seed, &bad_index);
  if (status != B64_OK)
    {
      g_autofree char *problem = describe_b64_problem (status, value, value_len,
                                                       bad_index, FALSE);
      g_autofree char *reason = NULL;

      if (status == B64_BAD_LENGTH)
        reason = g_strdup_printf ("it has %" G_GSIZE_FORMAT " characters instead of "
                                  "the 43 that encode a 32-byte Ed25519 seed",
                                  value_len);
      else if (status == B64_BAD_CHAR)
        reason = g_strdup_printf ("%s; it must be 43 characters of A–Z, a–z, "
                                  "0–9, “-” and “_”", problem);
      else
        reason = g_steal_pointer (&problem);

      g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_INVALID_KEY,
                   "line %u: the secret key is not valid: %s", line_no, reason);
      return NULL;
    }

  self = wavry_identity_new_from_seed (seed);
  sodium_memzero (seed, sizeof seed);

  return self;
}

static WavryIdentity *
parse_public_value (const char  *value,
                    gsize        value_len,
                    guint        line_no,
                    gboolean     bare,
                    GError     **error)
{
  guint8 public_key[WAVRY_ED25519_PUBLIC_LEN];
  gsize bad_index = 0;
  B64Status status;
  WavryIdentity *self;

  status = b64url32_decode (value, value_len, public_key, &bad_index);
  if (status != B64_OK)
    {
      /* A line of one word may be anything, even a mangled secret: describe
       * it without quoting it. */
      g_autofree char *reason = describe_b64_problem (status, value, value_len,
                                                      bad_index, !bare);

      if (bare)
        g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED,
                     "line %u is neither “" SECRET_KEY_KIND " …”, “"
                     PUBLIC_KEY_KIND " …” nor a Wavry ID: as a Wavry ID, %s",
                     line_no, reason);
      else
        g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_INVALID_KEY,
                     "line %u: the public key is not a Wavry ID: %s; " ID_RULE,
                     line_no, reason);
      return NULL;
    }

  self = wavry_identity_new_from_public_key (public_key);
  if (self == NULL)
    g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_INVALID_KEY,
                 "line %u: the public key is well formed but is not a usable "
                 "Ed25519 public key", line_no);

  return self;
}

/* One non-comment line, trimmed: "KIND VALUE" or a bare Wavry ID. */
static WavryIdentity *
parse_key_line (const char  *line,
                gsize        len,
                guint        line_no,
                GError     **error)
{
  const char *end = line + len;
  const char *kind = line;
  const char *kind_end;
  const char *value;
  const char *value_end;
  const char *rest;
  gboolean secret;

  kind_end = kind;
  while (kind_end < end && !is_blank (*kind_end))
    kind_end++;

  value = kind_end;
  while (value < end && is_blank (*value))
    value++;
  value_end = value;
  while (value_end < end && !is_blank (*value_end))
    value_end++;

  rest = value_end;
  while (rest < end && is_blank (*rest))
    rest++;

  secret = token_equal (kind, kind_end - kind, SECRET_KEY_KIND);
  if (secret || token_equal (kind, kind_end - kind, PUBLIC_KEY_KIND))
    {
      if (value == end)
        {
          g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED,
                       "line %u: “%s” is not followed by a key",
                       line_no, secret ? SECRET_KEY_KIND : PUBLIC_KEY_KIND);
          return NULL;
        }
      if (rest != end)
        {
          g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED,
                       "line %u: unexpected text after the key", line_no);
          return NULL;
        }

      if (secret)
        return parse_secret_value (value, value_end - value, line_no, error);
      else
        return parse_public_value (value, value_end - value, line_no, FALSE, error);
    }

  if (value == end)
    return parse_public_value (kind, kind_end - kind, line_no, TRUE, error);

  if (!looks_like_key_material (kind, kind_end - kind))
    {
      g_autofree char *token = g_strndup (kind, MIN (kind_end - kind, 64));
      g_autofree char *quoted = quote_input (token);

      g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED,
                   "line %u: unknown key kind “%s”; expected “" SECRET_KEY_KIND
                   "” or “" PUBLIC_KEY_KIND "”", line_no, quoted);
    }
  else
    {
      g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED,
                   "line %u does not start with “" SECRET_KEY_KIND
                   "” or “" PUBLIC_KEY_KIND "”", line_no);
    }

  return NULL;
}

WavryIdentity *
wavry_identity_parse_key_file (const char  *contents,
                               gsize        length,
                               GError     **error)
{
  g_autoptr(WavryIdentity) found = NULL;
  guint found_line = 0;
  guint line_no = 0;
  const char *p = contents;
  const char *end = contents + length;

  g_return_val_if_fail (contents != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > KEY_FILE_MAX_LEN)
    {
      g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED,
                   "it is %" G_GSIZE_FORMAT " bytes long, far too long for a "
                   "Wavry key file", length);
      return NULL;
    }
  if (length > 0 && memchr (contents, '\0', length) != NULL)
    {
      g_set_error_literal (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED,
                           "it is not text (it contains NUL bytes)");
      return NULL;
    }

  /* Editors on other systems may add a UTF-8 byte order mark. */
  if (length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line = p;
      const char *line_end = newline != NULL ? newline : end;

      line_no++;
      p = newline != NULL ? newline + 1 : end;

      /* Surrounding whitespace, including a CR from CRLF line ends. */
      while (line < line_end && g_ascii_isspace (*line))
        line++;
      while (line_end > line && g_ascii_isspace (line_end[-1]))
        line_end--;

      if (line == line_end || *line == '#')
        continue;

      if (found != NULL)
        {
          g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED,
                       "line %u: unexpected text after the key on line %u "
                       "(a key file holds one key)", line_no, found_line);
          return NULL;
        }

      found = parse_key_line (line, line_end - line, line_no, error);
      if (found == NULL)
        return NULL;
      found_line = line_no;
    }

  if (found == NULL)
    {
      g_set_error_literal (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED,
                           line_no == 0 ? "it is empty"
                                        : "it holds no key, only comments and blank lines");
      return NULL;
    }

  return g_steal_pointer (&found);
}
