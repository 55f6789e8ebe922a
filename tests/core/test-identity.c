/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "wavry-error.h"
#include "wavry-identity.h"
#include "wavry-test-util.h"

/* testdata/ed25519 parse_notes: the characters that can end a 43-character
 * ID, since its last 4 bits must be zero. */
#define CANONICAL_LAST_CHARS "AEIMQUYcgkosw048"
#define B64URL_ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

#define TEST1_SEED_HEX "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define TEST1_ID "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
/* TEST 1's seed in base64url. */
#define TEST1_SEED_B64 "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"

static JsonObject *
load_section (JsonNode   *root,
              const char *name)
{
  return json_object_get_object_member (json_node_get_object (root), name);
}

static void
assert_bytes_equal (const guint8 *a,
                    const guint8 *b,
                    gsize         len)
{
  g_autofree char *ha = wavry_test_hex_encode (a, len);
  g_autofree char *hb = wavry_test_hex_encode (b, len);

  g_assert_cmpstr (ha, ==, hb);
}

static void
test_new_destroy (void)
{
  WavryIdentity *identity = wavry_identity_generate ();
  WavryIdentity *public_only;
  g_autoptr(GError) error = NULL;

  g_assert_true (wavry_identity_has_secret (identity));
  public_only = wavry_identity_new_from_id (wavry_identity_get_id (identity), &error);
  g_assert_no_error (error);
  g_assert_false (wavry_identity_has_secret (public_only));

  g_assert_finalize_object (identity);
  g_assert_finalize_object (public_only);
}

static void
test_init_crypto (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wavry_identity_init_crypto (&error));
  g_assert_no_error (error);
  /* Idempotent. */
  g_assert_true (wavry_identity_init_crypto (NULL));
}

static void
test_rfc8032 (void)
{
  g_autoptr(JsonNode) root = wavry_test_load_shared_json ("testdata/ed25519/ed25519_wavry_id.json");
  JsonArray *vectors;
  guint n;

  if (root == NULL)
    return;

  vectors = json_object_get_array_member (load_section (root, "rfc8032_section_7_1"), "vectors");
  n = json_array_get_length (vectors);
  g_assert_cmpuint (n, ==, 5);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *v = json_array_get_object_element (vectors, i);
      g_autoptr(GBytes) seed = wavry_test_hex_decode (json_object_get_string_member (v, "secret_key"));
      g_autoptr(GBytes) message = wavry_test_hex_decode (json_object_get_string_member (v, "message"));
      g_autoptr(GBytes) expected_sig = wavry_test_hex_decode (json_object_get_string_member (v, "signature"));
      g_autoptr(WavryIdentity) identity = NULL;
      g_autoptr(WavryIdentity) public_only = NULL;
      guint8 signature[WAVRY_ED25519_SIG_LEN];
      const guint8 *msg;
      gsize msg_len;

      g_test_message ("%s", json_object_get_string_member (v, "name"));
      g_assert_cmpuint (g_bytes_get_size (seed), ==, WAVRY_ED25519_SEED_LEN);
      msg = g_bytes_get_data (message, &msg_len);
      g_assert_cmpuint (msg_len, ==, json_object_get_int_member (v, "message_len"));

      identity = wavry_identity_new_from_seed (g_bytes_get_data (seed, NULL));
      wavry_test_assert_bytes_hex (wavry_identity_get_public_key (identity), WAVRY_ED25519_PUBLIC_LEN,
                                   json_object_get_string_member (v, "public_key"));

      g_assert_true (wavry_identity_sign (identity, msg, msg_len, signature));
      wavry_test_assert_bytes_hex (signature, sizeof signature,
                                   json_object_get_string_member (v, "signature"));
      g_assert_true (wavry_identity_verify (identity, msg, msg_len, signature));

      /* The public half alone verifies it too. */
      public_only = wavry_identity_new_from_public_key (wavry_identity_get_public_key (identity));
      g_assert_nonnull (public_only);
      g_assert_true (wavry_identity_verify (public_only, msg, msg_len,
                                           g_bytes_get_data (expected_sig, NULL)));
      g_assert_true (wavry_identity_equal (identity, public_only));

      /* Any flipped signature bit fails. */
      for (guint bit = 0; bit < WAVRY_ED25519_SIG_LEN * 8; bit++)
        {
          guint8 bad[WAVRY_ED25519_SIG_LEN];

          memcpy (bad, signature, sizeof bad);
          bad[bit / 8] ^= 1 << (bit % 8);
          g_assert_false (wavry_identity_verify (public_only, msg, msg_len, bad));
        }

      /* So does a changed message. */
      if (msg_len > 0)
        {
          g_autofree guint8 *changed = g_memdup2 (msg, msg_len);

          changed[msg_len - 1] ^= 0x01;
          g_assert_false (wavry_identity_verify (public_only, changed, msg_len, signature));
        }
      else
        {
          g_assert_false (wavry_identity_verify (public_only, (const guint8 *) "x", 1, signature));
        }
    }
  g_test_message ("%u RFC 8032 vectors passed", n);
}

static void
test_sign_public_only (void)
{
  g_autoptr(WavryIdentity) identity = wavry_identity_new_from_id (TEST1_ID, NULL);
  guint8 signature[WAVRY_ED25519_SIG_LEN];
  guint8 x25519[WAVRY_X25519_LEN];
  guint8 zero[WAVRY_ED25519_SIG_LEN] = { 0 };

  g_assert_nonnull (identity);
  memset (signature, 0xaa, sizeof signature);
  g_assert_false (wavry_identity_sign (identity, (const guint8 *) "hi", 2, signature));
  g_assert_cmpmem (signature, sizeof signature, zero, sizeof zero);
  g_assert_false (wavry_identity_get_x25519_secret (identity, x25519));
}

static void
test_id_examples (void)
{
  g_autoptr(JsonNode) root = wavry_test_load_shared_json ("testdata/ed25519/ed25519_wavry_id.json");
  JsonArray *examples;
  guint n;

  if (root == NULL)
    return;

  examples = json_object_get_array_member (load_section (root, "wavry_id"), "examples");
  n = json_array_get_length (examples);
  g_assert_cmpuint (n, >=, 4);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *ex = json_array_get_object_element (examples, i);
      g_autoptr(GBytes) public_key = wavry_test_hex_decode (json_object_get_string_member (ex, "public_key_hex"));
      const char *id = json_object_get_string_member (ex, "wavry_id");
      g_autofree char *encoded = NULL;
      guint8 decoded[WAVRY_ED25519_PUBLIC_LEN];
      g_autoptr(GError) error = NULL;
      g_autoptr(WavryIdentity) from_id = NULL;

      g_test_message ("%s", json_object_get_string_member (ex, "from"));
      g_assert_cmpuint (strlen (id), ==, WAVRY_ID_LEN);

      encoded = wavry_id_encode (g_bytes_get_data (public_key, NULL));
      g_assert_cmpstr (encoded, ==, id);

      g_assert_true (wavry_id_is_valid (id));
      g_assert_true (wavry_id_decode (id, decoded, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (decoded, sizeof decoded,
                       g_bytes_get_data (public_key, NULL), g_bytes_get_size (public_key));

      if (json_object_has_member (ex, "ed25519_seed"))
        {
          g_autoptr(GBytes) seed = wavry_test_hex_decode (json_object_get_string_member (ex, "ed25519_seed"));
          g_autoptr(WavryIdentity) identity = wavry_identity_new_from_seed (g_bytes_get_data (seed, NULL));

          g_assert_cmpstr (wavry_identity_get_id (identity), ==, id);

          from_id = wavry_identity_new_from_id (id, &error);
          g_assert_no_error (error);
          g_assert_true (wavry_identity_equal (identity, from_id));
          g_assert_cmpstr (wavry_identity_get_id (from_id), ==, id);
        }
      else
        {
          /* The synthetic example is an encoding example only: the ID is
           * well formed, and new_from_id () accepts it exactly when the
           * bytes happen to be a usable Ed25519 point. */
          gboolean usable = crypto_core_ed25519_is_valid_point (g_bytes_get_data (public_key, NULL));

          from_id = wavry_identity_new_from_id (id, &error);
          if (usable)
            {
              g_assert_no_error (error);
              g_assert_nonnull (from_id);
            }
          else
            {
              g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_INVALID_KEY);
              g_assert_null (from_id);
              g_assert_nonnull (strstr (error->message, "no usable Ed25519 public key"));
            }
        }

      if (json_object_has_member (ex, "standard_base64_would_be"))
        {
          const char *standard = json_object_get_string_member (ex, "standard_base64_would_be");

          g_clear_error (&error);
          g_assert_false (wavry_id_is_valid (standard));
          g_assert_false (wavry_id_decode (standard, decoded, &error));
          g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_INVALID_KEY);
        }
    }
  g_test_message ("%u Wavry ID examples passed", n);
}

static void
assert_id_rejected (const char *id,
                    const char *expected_words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(WavryIdentity) identity = NULL;
  guint8 decoded[WAVRY_ED25519_PUBLIC_LEN];

  g_assert_false (wavry_id_is_valid (id));
  g_assert_false (wavry_id_decode (id, decoded, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_INVALID_KEY);
  g_assert_nonnull (strstr (error->message, "is not a Wavry ID: "));
  if (expected_words != NULL && strstr (error->message, expected_words) == NULL)
    g_error ("error for “%s” lacks “%s”: %s", id, expected_words, error->message);

  identity = wavry_identity_new_from_id (id, &error2);
  g_assert_null (identity);
  g_assert_error (error2, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_INVALID_KEY);
}

static void
test_id_rejects (void)
{
  g_autoptr(JsonNode) root = wavry_test_load_shared_json ("testdata/ed25519/ed25519_wavry_id.json");
  JsonObject *section;
  const char *notes;
  JsonArray *examples;
  guint rejected = 0;

  if (root == NULL)
    return;

  section = load_section (root, "wavry_id");
  notes = json_object_get_string_member (section, "parse_notes");

  /* Our list of canonical last characters is the one the notes give. */
  for (const char *c = CANONICAL_LAST_CHARS; *c != '\0'; c++)
    {
      char needle[3] = { ' ', *c, '\0' };

      g_assert_nonnull (strstr (notes, needle));
    }

  examples = json_object_get_array_member (section, "examples");
  for (guint i = 0; i < json_array_get_length (examples); i++)
    {
      JsonObject *ex = json_array_get_object_element (examples, i);
      const char *id = json_object_get_string_member (ex, "wavry_id");
      g_autofree char *padded = g_strconcat (id, "=", NULL);
      g_autofree char *short_id = g_strndup (id, WAVRY_ID_LEN - 1);
      g_autofree char *long_id = g_strconcat (id, "A", NULL);
      g_autofree char *four_more = g_strconcat (id, "AAAA", NULL);
      g_autofree char *leading_space = g_strconcat (" ", id, NULL);
      g_autofree char *trailing_newline = g_strconcat (id, "\n", NULL);
      g_autofree char *standard = g_strdup (id);
      g_autofree char *inner_space = g_strdup (id);
      g_autofree char *last = g_strdup (id);

      /* '=' padding. */
      assert_id_rejected (padded, "“=” padding");
      rejected++;

      /* Wrong lengths: 31⅝ and 33 bytes' worth. */
      assert_id_rejected (short_id, "42 characters instead of 43");
      assert_id_rejected (long_id, "44 characters instead of 43");
      assert_id_rejected (four_more, "47 characters instead of 43");
      rejected += 3;

      /* Whitespace anywhere. */
      assert_id_rejected (leading_space, "a space");
      assert_id_rejected (trailing_newline, "a line break");
      inner_space[20] = ' ';
      assert_id_rejected (inner_space, "a space");
      rejected += 3;

      /* The standard alphabet's '+' and '/' in place of '-' and '_'. */
      for (char *p = standard; *p != '\0'; p++)
        {
          if (*p == '-')
            *p = '+';
          else if (*p == '_')
            *p = '/';
        }
      if (strcmp (standard, id) != 0)
        {
          assert_id_rejected (standard, "standard base64");
          rejected++;
        }

      /* Every last character: the 16 canonical ones decode (to other keys
       * unless it is the original), the other 48 are non-canonical. */
      for (const char *c = B64URL_ALPHABET; *c != '\0'; c++)
        {
          last[WAVRY_ID_LEN - 1] = *c;
          if (strchr (CANONICAL_LAST_CHARS, *c) != NULL)
            {
              g_assert_true (wavry_id_is_valid (last));
            }
          else
            {
              assert_id_rejected (last, "last character");
              rejected++;
            }
        }
    }

  /* Odd ones out. */
  assert_id_rejected ("", "it is empty");
  assert_id_rejected ("abc", "3 characters instead of 43");
  assert_id_rejected ("11qYAYKxCrfVS+7TyWQHOg7hcvPapiMlrwIaaPcHURo", "“-” instead");
  assert_id_rejected ("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo", "“_” instead");
  assert_id_rejected ("11qYAYKxCrfVS.7TyWQHOg7hcvPapiMlrwIaaPcHURo", "“.”");
  assert_id_rejected ("“11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo”", "contains ““”, which");
  assert_id_rejected ("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR\t", "a tab");
  assert_id_rejected ("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR\xff", "not allowed");
  assert_id_rejected ("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURp", "“p”, is impossible there");
  rejected += 9;

  g_test_message ("%u malformed Wavry IDs rejected", rejected);
}

static void
test_id_error_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *very_long = g_strnfill (500, 'A');

  g_assert_false (wavry_id_decode ("abc", NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "“abc” is not a Wavry ID: it has 3 characters instead of 43; "
                   "a Wavry ID is 43 characters of A–Z, a–z, 0–9, “-” and “_”");
  g_clear_error (&error);

  /* Control characters are escaped and long input is cut short. */
  g_assert_false (wavry_id_decode ("a\nb", NULL, &error));
  g_assert_nonnull (strstr (error->message, "“a\\nb”"));
  g_clear_error (&error);

  g_assert_false (wavry_id_decode (very_long, NULL, &error));
  g_assert_cmpuint (strlen (error->message), <, 200);
  g_assert_nonnull (strstr (error->message, "…”"));
}

static void
test_invalid_points (void)
{
  /* Small order (the identity point), y = 2 (not a point of the prime-order
   * group), and a non-canonical encoding of y = 1 (p + 1): libsodium refuses
   * all three, so neither a public key nor an ID makes an identity of them. */
  static const char *bad_hex[] = {
    "0100000000000000000000000000000000000000000000000000000000000000",
    "0200000000000000000000000000000000000000000000000000000000000000",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_hex); i++)
    {
      g_autoptr(GBytes) key = wavry_test_hex_decode (bad_hex[i]);
      g_autofree char *id = wavry_id_encode (g_bytes_get_data (key, NULL));
      g_autoptr(GError) error = NULL;
      g_autoptr(WavryIdentity) from_id = NULL;

      g_assert_null (wavry_identity_new_from_public_key (g_bytes_get_data (key, NULL)));

      /* The encoding rule alone accepts it. */
      g_assert_true (wavry_id_is_valid (id));
      from_id = wavry_identity_new_from_id (id, &error);
      g_assert_null (from_id);
      g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_INVALID_KEY);
      g_assert_nonnull (strstr (error->message, id));
    }
}

static void
test_random_round_trip (void)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(WavryIdentity) identity = wavry_identity_generate ();
      g_autoptr(WavryIdentity) from_id = NULL;
      g_autoptr(WavryIdentity) from_key = NULL;
      g_autoptr(GError) error = NULL;
      const char *id = wavry_identity_get_id (identity);
      g_autofree char *encoded = wavry_id_encode (wavry_identity_get_public_key (identity));
      guint8 decoded[WAVRY_ED25519_PUBLIC_LEN];
      guint8 message[64];
      guint8 signature[WAVRY_ED25519_SIG_LEN];

      g_assert_cmpuint (strlen (id), ==, WAVRY_ID_LEN);
      g_assert_cmpstr (encoded, ==, id);
      g_assert_nonnull (strchr (CANONICAL_LAST_CHARS, id[WAVRY_ID_LEN - 1]));
      g_assert_true (wavry_id_decode (id, decoded, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (decoded, sizeof decoded,
                       wavry_identity_get_public_key (identity), WAVRY_ED25519_PUBLIC_LEN);

      from_id = wavry_identity_new_from_id (id, &error);
      g_assert_no_error (error);
      g_assert_true (wavry_identity_equal (identity, from_id));
      g_assert_cmpstr (wavry_identity_get_id (from_id), ==, id);

      from_key = wavry_identity_new_from_public_key (decoded);
      g_assert_nonnull (from_key);
      g_assert_true (wavry_identity_equal (from_key, from_id));

      randombytes_buf (message, sizeof message);
      g_assert_true (wavry_identity_sign (identity, message, sizeof message, signature));
      g_assert_true (wavry_identity_verify (from_id, message, sizeof message, signature));
    }
}

static void
test_equal (void)
{
  g_autoptr(WavryIdentity) a = wavry_identity_generate ();
  g_autoptr(WavryIdentity) b = wavry_identity_generate ();
  g_autoptr(WavryIdentity) a_public = wavry_identity_new_from_public_key (wavry_identity_get_public_key (a));

  g_assert_true (wavry_identity_equal (a, a));
  g_assert_true (wavry_identity_equal (a, a_public));
  g_assert_true (wavry_identity_equal (a_public, a));
  g_assert_false (wavry_identity_equal (a, b));
  g_assert_cmpstr (wavry_identity_get_id (a), !=, wavry_identity_get_id (b));
}

static void
check_x25519 (WavryIdentity *identity)
{
  g_autoptr(WavryIdentity) public_only = NULL;
  guint8 x_secret[WAVRY_X25519_LEN];
  guint8 x_public[WAVRY_X25519_LEN];
  guint8 derived[WAVRY_X25519_LEN];
  guint8 from_public[WAVRY_X25519_LEN];

  g_assert_true (wavry_identity_get_x25519_secret (identity, x_secret));
  wavry_identity_get_x25519_public (identity, x_public);

  /* X25519 public of the converted secret = the converted public key. */
  g_assert_cmpint (crypto_scalarmult_curve25519_base (derived, x_secret), ==, 0);
  assert_bytes_equal (derived, x_public, WAVRY_X25519_LEN);

  /* A public-only identity from the ID converts the same way. */
  public_only = wavry_identity_new_from_id (wavry_identity_get_id (identity), NULL);
  g_assert_nonnull (public_only);
  wavry_identity_get_x25519_public (public_only, from_public);
  assert_bytes_equal (from_public, x_public, WAVRY_X25519_LEN);

  sodium_memzero (x_secret, sizeof x_secret);
}

static void
test_x25519 (void)
{
  g_autoptr(JsonNode) root = wavry_test_load_shared_json ("testdata/ed25519/ed25519_wavry_id.json");
  g_autoptr(WavryIdentity) alice = wavry_identity_generate ();
  g_autoptr(WavryIdentity) bob = wavry_identity_generate ();
  guint8 a_secret[WAVRY_X25519_LEN], a_public[WAVRY_X25519_LEN];
  guint8 b_secret[WAVRY_X25519_LEN], b_public[WAVRY_X25519_LEN];
  guint8 ab[WAVRY_X25519_LEN], ba[WAVRY_X25519_LEN];

  if (root != NULL)
    {
      JsonArray *vectors = json_object_get_array_member (load_section (root, "rfc8032_section_7_1"), "vectors");

      for (guint i = 0; i < json_array_get_length (vectors); i++)
        {
          JsonObject *v = json_array_get_object_element (vectors, i);
          g_autoptr(GBytes) seed = wavry_test_hex_decode (json_object_get_string_member (v, "secret_key"));
          g_autoptr(WavryIdentity) identity = wavry_identity_new_from_seed (g_bytes_get_data (seed, NULL));

          check_x25519 (identity);
        }
    }

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(WavryIdentity) identity = wavry_identity_generate ();

      check_x25519 (identity);
    }

  /* The two halves of a Diffie-Hellman agree, as Noise needs. */
  g_assert_true (wavry_identity_get_x25519_secret (alice, a_secret));
  g_assert_true (wavry_identity_get_x25519_secret (bob, b_secret));
  wavry_identity_get_x25519_public (alice, a_public);
  wavry_identity_get_x25519_public (bob, b_public);
  g_assert_cmpint (crypto_scalarmult_curve25519 (ab, a_secret, b_public), ==, 0);
  g_assert_cmpint (crypto_scalarmult_curve25519 (ba, b_secret, a_public), ==, 0);
  assert_bytes_equal (ab, ba, WAVRY_X25519_LEN);
}

static void
test_secret_key_file_format (void)
{
  g_autoptr(GBytes) seed = wavry_test_hex_decode (TEST1_SEED_HEX);
  g_autoptr(WavryIdentity) identity = wavry_identity_new_from_seed (g_bytes_get_data (seed, NULL));
  g_auto(WavryIdentitySecretString) text = wavry_identity_to_secret_key_file (identity);
  g_autofree char *public_text = wavry_identity_to_public_key_file (identity);

  /* doc/key-files.md */
  g_assert_cmpstr (text, ==,
                   "# Wavry device identity (Ed25519 secret key). Keep this file private.\n"
                   "# Wavry ID: " TEST1_ID "\n"
                   "wavry-ed25519-secret-key-v1 " TEST1_SEED_B64 "\n");
  g_assert_cmpstr (public_text, ==, "wavry-ed25519-public-key-v1 " TEST1_ID "\n");
}

static void
test_key_file_round_trip (void)
{
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(WavryIdentity) identity = wavry_identity_generate ();
      g_auto(WavryIdentitySecretString) secret_text = wavry_identity_to_secret_key_file (identity);
      g_autofree char *public_text = wavry_identity_to_public_key_file (identity);
      g_autoptr(WavryIdentity) from_secret = NULL;
      g_autoptr(WavryIdentity) from_public = NULL;
      g_autoptr(GError) error = NULL;
      guint8 message[32], signature[WAVRY_ED25519_SIG_LEN], expected[WAVRY_ED25519_SIG_LEN];

      from_secret = wavry_identity_parse_key_file (secret_text, strlen (secret_text), &error);
      g_assert_no_error (error);
      g_assert_true (wavry_identity_has_secret (from_secret));
      g_assert_true (wavry_identity_equal (identity, from_secret));

      /* Same seed: same deterministic signatures. */
      randombytes_buf (message, sizeof message);
      g_assert_true (wavry_identity_sign (identity, message, sizeof message, expected));
      g_assert_true (wavry_identity_sign (from_secret, message, sizeof message, signature));
      assert_bytes_equal (signature, expected, sizeof signature);

      from_public = wavry_identity_parse_key_file (public_text, strlen (public_text), &error);
      g_assert_no_error (error);
      g_assert_false (wavry_identity_has_secret (from_public));
      g_assert_true (wavry_identity_equal (identity, from_public));
    }
}

static WavryIdentity *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  WavryIdentity *identity = wavry_identity_parse_key_file (text, strlen (text), &error);

  if (error != NULL)
    g_error ("“%s” did not parse: %s", text, error->message);

  return identity;
}

static void
test_key_file_lenient (void)
{
  static const char *public_forms[] = {
    TEST1_ID,
    TEST1_ID "\n",
    "  " TEST1_ID "  \r\n",
    "\n\n# a note\n   # indented note\n" TEST1_ID "\n\n",
    "wavry-ed25519-public-key-v1 " TEST1_ID,
    "wavry-ed25519-public-key-v1\t " TEST1_ID " \t\r\n# trailing comment\n",
    "\xef\xbb\xbfwavry-ed25519-public-key-v1 " TEST1_ID "\n",
  };
  static const char *secret_forms[] = {
    "wavry-ed25519-secret-key-v1 " TEST1_SEED_B64,
    "wavry-ed25519-secret-key-v1 " TEST1_SEED_B64 "\r\n",
    /* The comment's ID is a note for people; a wrong one is not checked. */
    "# Wavry ID: PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw\n"
    "\twavry-ed25519-secret-key-v1   " TEST1_SEED_B64 "   \n\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (public_forms); i++)
    {
      g_autoptr(WavryIdentity) identity = parse_ok (public_forms[i]);

      g_assert_false (wavry_identity_has_secret (identity));
      g_assert_cmpstr (wavry_identity_get_id (identity), ==, TEST1_ID);
    }

  for (guint i = 0; i < G_N_ELEMENTS (secret_forms); i++)
    {
      g_autoptr(WavryIdentity) identity = parse_ok (secret_forms[i]);

      g_assert_true (wavry_identity_has_secret (identity));
      g_assert_cmpstr (wavry_identity_get_id (identity), ==, TEST1_ID);
    }

  /* @length bounds the text: no NUL terminator is needed. */
  {
    const char *text = TEST1_ID "garbage";
    g_autoptr(WavryIdentity) identity = wavry_identity_parse_key_file (text, WAVRY_ID_LEN, NULL);

    g_assert_nonnull (identity);
  }
}

typedef struct
{
  const char *text;
  int         code;
  const char *words;
} BadKeyFile;

static void
test_key_file_malformed (void)
{
  static const BadKeyFile cases[] = {
    { "", WAVRY_RIFT_ERROR_MALFORMED, "it is empty" },
    { "\n \n\t\n", WAVRY_RIFT_ERROR_MALFORMED, "no key" },
    { "# only a comment\n", WAVRY_RIFT_ERROR_MALFORMED, "no key" },
    { "wavry-ed25519-secret-key-v1\n", WAVRY_RIFT_ERROR_MALFORMED, "is not followed by a key" },
    { "wavry-ed25519-public-key-v1   \n", WAVRY_RIFT_ERROR_MALFORMED, "is not followed by a key" },
    { "wavry-ed25519-secret-key-v2 " TEST1_SEED_B64 "\n", WAVRY_RIFT_ERROR_MALFORMED,
      "unknown key kind “wavry-ed25519-secret-key-v2”" },
    { "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host\n",
      WAVRY_RIFT_ERROR_MALFORMED, "unknown key kind “ssh-ed25519”" },
    { "-----BEGIN OPENSSH PRIVATE KEY-----\n", WAVRY_RIFT_ERROR_MALFORMED,
      "unknown key kind “-----BEGIN”" },
    { "WAVRY-ED25519-SECRET-KEY-V1 " TEST1_SEED_B64 "\n", WAVRY_RIFT_ERROR_MALFORMED, "unknown key kind" },
    { "wavry-ed25519-secret-key-v1 " TEST1_SEED_B64 " extra\n", WAVRY_RIFT_ERROR_MALFORMED,
      "unexpected text after the key" },
    { "wavry-ed25519-secret-key-v1 " TEST1_SEED_B64 "\n" TEST1_ID "\n", WAVRY_RIFT_ERROR_MALFORMED,
      "line 2: unexpected text after the key on line 1" },
    { "wavry-ed25519-public-key-v1 " TEST1_ID "\nwavry-ed25519-public-key-v1 " TEST1_ID "\n",
      WAVRY_RIFT_ERROR_MALFORMED, "line 2: unexpected text" },
    { "wavry-ed25519-public-key-v1 " TEST1_ID "\ngarbage\n", WAVRY_RIFT_ERROR_MALFORMED, "line 2" },
    { "wavry-ed25519-secret-key-v1 nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2\n",
      WAVRY_RIFT_ERROR_INVALID_KEY, "42 characters instead of the 43 that encode a 32-byte Ed25519 seed" },
    { "wavry-ed25519-secret-key-v1 nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
      WAVRY_RIFT_ERROR_INVALID_KEY, "85 characters instead of the 43" },
    { "wavry-ed25519-secret-key-v1 nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=\n",
      WAVRY_RIFT_ERROR_INVALID_KEY, "“=” padding" },
    { "wavry-ed25519-secret-key-v1 nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\n",
      WAVRY_RIFT_ERROR_INVALID_KEY, "standard base64" },
    { "wavry-ed25519-secret-key-v1 nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2B\n",
      WAVRY_RIFT_ERROR_INVALID_KEY, "last character is impossible there" },
    { "wavry-ed25519-secret-key-v1 nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2!\n",
      WAVRY_RIFT_ERROR_INVALID_KEY, "a character that is not allowed" },
    { "wavry-ed25519-secret-key-v1 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n",
      WAVRY_RIFT_ERROR_INVALID_KEY, "64 characters instead of the 43" },
    { "wavry-ed25519-public-key-v1 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n",
      WAVRY_RIFT_ERROR_INVALID_KEY, "“=” padding" },
    { "wavry-ed25519-public-key-v1 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR\n",
      WAVRY_RIFT_ERROR_INVALID_KEY, "42 characters" },
    { "wavry-ed25519-public-key-v1 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURp\n",
      WAVRY_RIFT_ERROR_INVALID_KEY, "“p”, is impossible there" },
    /* The identity point: well formed, unusable. */
    { "wavry-ed25519-public-key-v1 AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
      WAVRY_RIFT_ERROR_INVALID_KEY, "not a usable Ed25519 public key" },
    { "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR\n", WAVRY_RIFT_ERROR_MALFORMED,
      "line 1 is neither" },
    { "# comment\nhello\n", WAVRY_RIFT_ERROR_MALFORMED, "line 2 is neither" },
    { "wavry-ed25519-public-key-v1 " TEST1_ID "\n\x01\n", WAVRY_RIFT_ERROR_MALFORMED, "line 2" },
  };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WavryIdentity) identity = NULL;

      identity = wavry_identity_parse_key_file (cases[i].text, strlen (cases[i].text), &error);
      if (identity != NULL)
        g_error ("case %u parsed: %s", i, cases[i].text);
      g_assert_error (error, WAVRY_RIFT_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].words) == NULL)
        g_error ("case %u: error lacks “%s”: %s", i, cases[i].words, error->message);
      /* No message repeats secret material. */
      g_assert_null (strstr (error->message, "nWGxne"));
      g_assert_null (strstr (error->message, "9d61b19d"));
      g_assert_null (strstr (error->message, "AAAAC3Nza"));
      n++;
    }

  /* NUL bytes inside the length, and absurd sizes. */
  {
    static const char with_nul[] = TEST1_ID "\0\n";
    g_autoptr(GError) error = NULL;
    g_autofree char *huge = g_strnfill (100000, '#');

    g_assert_null (wavry_identity_parse_key_file (with_nul, sizeof with_nul - 1, &error));
    g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED);
    g_assert_nonnull (strstr (error->message, "NUL"));
    g_clear_error (&error);

    g_assert_null (wavry_identity_parse_key_file (huge, 100000, &error));
    g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED);
    g_assert_nonnull (strstr (error->message, "too long"));
    n += 2;
  }

  /* Cut short at every length: only cuts inside the comments parse. */
  {
    g_autoptr(GBytes) seed = wavry_test_hex_decode (TEST1_SEED_HEX);
    g_autoptr(WavryIdentity) identity = wavry_identity_new_from_seed (g_bytes_get_data (seed, NULL));
    g_auto(WavryIdentitySecretString) text = wavry_identity_to_secret_key_file (identity);
    gsize len = strlen (text);
    const char *kind_line = strstr (text, "wavry-ed25519-secret-key-v1");

    for (gsize cut = 0; cut < len - 1; cut++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(WavryIdentity) parsed = wavry_identity_parse_key_file (text, cut, &error);

        g_assert_null (parsed);
        g_assert_nonnull (error);
        g_assert_true (error->code == WAVRY_RIFT_ERROR_MALFORMED ||
                       error->code == WAVRY_RIFT_ERROR_INVALID_KEY);
        if (cut > (gsize) (kind_line - text) + strlen ("wavry-ed25519-secret-key-v1 "))
          g_assert_cmpint (error->code, ==, WAVRY_RIFT_ERROR_INVALID_KEY);
        n++;
      }
  }

  g_test_message ("%u malformed key files rejected", n);
}

static void
test_free_secret_string (void)
{
  g_autoptr(WavryIdentity) identity = wavry_identity_generate ();
  char *text = wavry_identity_to_secret_key_file (identity);

  wavry_identity_free_secret_string (text);
  wavry_identity_free_secret_string (NULL);

  {
    g_auto(WavryIdentitySecretString) scoped = wavry_identity_to_secret_key_file (identity);

    g_assert_nonnull (strstr (scoped, wavry_identity_get_id (identity)));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/core/identity/new-destroy", test_new_destroy);
  g_test_add_func ("/wavry/core/identity/init-crypto", test_init_crypto);
  g_test_add_func ("/wavry/core/identity/rfc8032", test_rfc8032);
  g_test_add_func ("/wavry/core/identity/sign-public-only", test_sign_public_only);
  g_test_add_func ("/wavry/core/identity/equal", test_equal);
  g_test_add_func ("/wavry/core/identity/id-examples", test_id_examples);
  g_test_add_func ("/wavry/core/identity/id-rejects", test_id_rejects);
  g_test_add_func ("/wavry/core/identity/id-error-message", test_id_error_message);
  g_test_add_func ("/wavry/core/identity/invalid-points", test_invalid_points);
  g_test_add_func ("/wavry/core/identity/random-round-trip", test_random_round_trip);
  g_test_add_func ("/wavry/core/identity/x25519", test_x25519);
  g_test_add_func ("/wavry/core/identity/key-file/format", test_secret_key_file_format);
  g_test_add_func ("/wavry/core/identity/key-file/round-trip", test_key_file_round_trip);
  g_test_add_func ("/wavry/core/identity/key-file/lenient", test_key_file_lenient);
  g_test_add_func ("/wavry/core/identity/key-file/malformed", test_key_file_malformed);
  g_test_add_func ("/wavry/core/identity/key-file/free-secret-string", test_free_secret_string);

  return g_test_run ();
}
