/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-test-util.h"

char *
wavry_test_shared_path (const char *relative)
{
  const char *dir = g_getenv ("WAVRY_TEST_SHARED_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    {
      g_test_skip ("shared/ folder not configured (WAVRY_TEST_SHARED_DIR unset; "
                   "run through meson test)");
      return NULL;
    }

  path = g_build_filename (dir, relative, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *msg = g_strdup_printf ("conformance data %s is missing "
                                              "(the shared/ folder beside the checkout; "
                                              "meson option shared_dir)", path);
      g_test_skip (msg);
      return NULL;
    }

  return g_steal_pointer (&path);
}

JsonNode *
wavry_test_load_shared_json (const char *relative)
{
  g_autofree char *path = wavry_test_shared_path (relative);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return NULL;

  parser = json_parser_new ();
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

GBytes *
wavry_test_hex_decode (const char *hex)
{
  gsize len;
  guint8 *out;

  g_assert_nonnull (hex);
  len = strlen (hex);
  g_assert_cmpuint (len % 2, ==, 0);

  out = g_malloc (len / 2 + 1);
  for (gsize i = 0; i < len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      g_assert_cmpint (hi, >=, 0);
      g_assert_cmpint (lo, >=, 0);
      out[i] = (hi << 4) | lo;
    }

  return g_bytes_new_take (out, len / 2);
}

char *
wavry_test_hex_encode (const guint8 *data,
                       gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[data[i] >> 4];
      out[2 * i + 1] = digits[data[i] & 0xf];
    }
  out[len * 2] = '\0';

  return out;
}
