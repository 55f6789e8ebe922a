/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-crc.h"
#include "wavry-test-util.h"

static void
test_check_value (void)
{
  /* PROTOCOL.md §13: KERMIT check value; XMODEM would give 0x31C3. */
  g_assert_cmphex (wavry_rift_crc16_kermit ((const guint8 *) "123456789", 9), ==, 0x2189);
  g_assert_cmphex (wavry_rift_crc16_kermit (NULL, 0), ==, 0x0000);
}

static void
test_vectors (void)
{
  g_autoptr(JsonNode) root = wavry_test_load_shared_json ("testdata/crc16/crc16_kermit.json");
  JsonArray *vectors;
  guint n;

  if (root == NULL)
    return;

  vectors = json_object_get_array_member (json_node_get_object (root), "vectors");
  n = json_array_get_length (vectors);
  g_assert_cmpuint (n, >, 0);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *v = json_array_get_object_element (vectors, i);
      g_autoptr(GBytes) input = wavry_test_hex_decode (json_object_get_string_member (v, "input_hex"));
      const char *expected_text = json_object_get_string_member (v, "crc");
      guint64 expected = g_ascii_strtoull (expected_text, NULL, 16);
      gsize len;
      const guint8 *data = g_bytes_get_data (input, &len);

      g_assert_cmphex (wavry_rift_crc16_kermit (data, len), ==, expected);
    }
  g_test_message ("%u CRC-16/KERMIT vectors passed", n);
}

static void
test_header_vectors (void)
{
  g_autoptr(JsonNode) root = wavry_test_load_shared_json ("testdata/crc16/crc16_kermit.json");
  JsonArray *headers;
  guint n;

  if (root == NULL)
    return;

  headers = json_object_get_array_member (json_node_get_object (root), "rift_headers");
  n = json_array_get_length (headers);
  g_assert_cmpuint (n, >, 0);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *h = json_array_get_object_element (headers, i);
      g_autoptr(GBytes) input = wavry_test_hex_decode (json_object_get_string_member (h, "crc_input_hex"));
      guint64 expected = g_ascii_strtoull (json_object_get_string_member (h, "crc"), NULL, 16);
      gsize len;
      const guint8 *data = g_bytes_get_data (input, &len);

      g_assert_cmphex (wavry_rift_crc16_kermit (data, len), ==, expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/core/crc/check-value", test_check_value);
  g_test_add_func ("/wavry/core/crc/vectors", test_vectors);
  g_test_add_func ("/wavry/core/crc/header-vectors", test_header_vectors);

  return g_test_run ();
}
