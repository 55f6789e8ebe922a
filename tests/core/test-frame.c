/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-rift-frame.h"
#include "wavry-test-util.h"

static void
test_spec_examples (void)
{
  guint8 hs[WAVRY_RIFT_HANDSHAKE_HEADER_LEN];
  guint8 tr[WAVRY_RIFT_TRANSPORT_HEADER_LEN];

  /* PROTOCOL.md §13 */
  wavry_rift_header_encode_handshake (hs, 0);
  wavry_test_assert_bytes_hex (hs, sizeof hs,
                               "52490001000000000000000000000000000000000000000000000000e696");
  wavry_rift_header_encode_transport (tr, 0x12345678, 999);
  wavry_test_assert_bytes_hex (tr, sizeof tr, "524900011234567800000000000003e73d23");
  wavry_rift_header_encode_transport (tr, 1, 1);
  wavry_test_assert_bytes_hex (tr, sizeof tr, "524900010000000100000000000000" "01f888");
  wavry_rift_header_encode_transport (tr, 1, 0);
  wavry_test_assert_bytes_hex (tr, sizeof tr, "52490001000000010000000000000000e901");
}

static void
test_vector_headers_decode (void)
{
  g_autoptr(JsonNode) root = wavry_test_load_shared_json ("testdata/crc16/crc16_kermit.json");
  JsonArray *headers;

  if (root == NULL)
    return;

  headers = json_object_get_array_member (json_node_get_object (root), "rift_headers");
  for (guint i = 0; i < json_array_get_length (headers); i++)
    {
      JsonObject *h = json_array_get_object_element (headers, i);
      g_autoptr(GBytes) bytes = wavry_test_hex_decode (json_object_get_string_member (h, "header_hex"));
      const char *kind = json_object_get_string_member (h, "kind");
      WavryRiftHeader header;
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      g_assert_cmpint (wavry_rift_header_decode (data, len, &header), ==, WAVRY_RIFT_DROP_NONE);
      g_assert_cmpuint (header.header_len, ==, json_object_get_int_member (h, "header_len"));
      if (json_node_get_value_type (json_object_get_member (h, "packet_id")) == G_TYPE_INT64)
        g_assert_cmpuint (header.packet_id, ==, json_object_get_int_member (h, "packet_id"));
      if (g_str_equal (kind, "handshake"))
        {
          guint8 again[WAVRY_RIFT_HANDSHAKE_HEADER_LEN];

          static const guint8 zero[16] = { 0 };

          g_assert_cmpint (header.kind, ==, WAVRY_RIFT_HEADER_HANDSHAKE);
          /* We only ever send session id 0 (§1); others must still decode. */
          if (memcmp (header.session_id, zero, 16) == 0)
            {
              wavry_rift_header_encode_handshake (again, header.packet_id);
              g_assert_cmpmem (again, sizeof again, data, len);
            }
        }
      else
        {
          guint8 again[WAVRY_RIFT_TRANSPORT_HEADER_LEN];

          g_assert_cmpint (header.kind, ==, WAVRY_RIFT_HEADER_TRANSPORT);
          wavry_rift_header_encode_transport (again, header.alias, header.packet_id);
          g_assert_cmpmem (again, sizeof again, data, len);
        }
    }
}

static void
test_round_trip (void)
{
  static const guint32 aliases[] = { 1, 2, 0x7fffffff, 0xffffffff };
  static const guint64 ids[] = { 0, 1, 255, G_GUINT64_CONSTANT (0x0123456789abcdef), G_MAXUINT64 };

  for (guint a = 0; a < G_N_ELEMENTS (aliases); a++)
    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        guint8 buf[64] = { 0 };
        WavryRiftHeader h;

        wavry_rift_header_encode_transport (buf, aliases[a], ids[i]);
        /* with and without payload */
        g_assert_cmpint (wavry_rift_header_decode (buf, 18, &h), ==, WAVRY_RIFT_DROP_NONE);
        g_assert_cmpint (wavry_rift_header_decode (buf, sizeof buf, &h), ==, WAVRY_RIFT_DROP_NONE);
        g_assert_cmpint (h.kind, ==, WAVRY_RIFT_HEADER_TRANSPORT);
        g_assert_cmpuint (h.alias, ==, aliases[a]);
        g_assert_cmpuint (h.packet_id, ==, ids[i]);
        g_assert_cmpuint (h.header_len, ==, 18);

        wavry_rift_header_encode_handshake (buf, ids[i]);
        g_assert_cmpint (wavry_rift_header_decode (buf, 30, &h), ==, WAVRY_RIFT_DROP_NONE);
        g_assert_cmpint (h.kind, ==, WAVRY_RIFT_HEADER_HANDSHAKE);
        g_assert_cmpuint (h.packet_id, ==, ids[i]);
        g_assert_cmpuint (h.header_len, ==, 30);
      }
}

static void
test_drop_reasons (void)
{
  guint8 buf[64] = { 0 };
  WavryRiftHeader h;

  g_assert_cmpint (wavry_rift_header_decode (NULL, 0, &h), ==, WAVRY_RIFT_DROP_TOO_SHORT);
  g_assert_cmpint (wavry_rift_header_decode (buf, 17, &h), ==, WAVRY_RIFT_DROP_TOO_SHORT);

  wavry_rift_header_encode_transport (buf, 7, 42);
  buf[0] = 'X';
  g_assert_cmpint (wavry_rift_header_decode (buf, 18, &h), ==, WAVRY_RIFT_DROP_BAD_MAGIC);

  wavry_rift_header_encode_transport (buf, 7, 42);
  buf[3] = 2;
  g_assert_cmpint (wavry_rift_header_decode (buf, 18, &h), ==, WAVRY_RIFT_DROP_BAD_VERSION);
  g_assert_cmpuint (h.version, ==, 2);

  /* Every single-bit flip of the CRC-covered bytes after the version is caught. */
  for (guint byte = 4; byte < 18; byte++)
    for (guint bit = 0; bit < 8; bit++)
      {
        WavryRiftDrop r;

        wavry_rift_header_encode_transport (buf, 7, 42);
        buf[byte] ^= 1 << bit;
        r = wavry_rift_header_decode (buf, 18, &h);
        g_assert_cmpint (r, !=, WAVRY_RIFT_DROP_NONE);
      }

  /* Alias 0 but shorter than a handshake header: never valid. */
  memset (buf, 0, sizeof buf);
  wavry_rift_header_encode_handshake (buf, 5);
  g_assert_cmpint (wavry_rift_header_decode (buf, 29, &h), !=, WAVRY_RIFT_DROP_NONE);

  /* Handshake header with a non-zero session id but a stale CRC. */
  wavry_rift_header_encode_handshake (buf, 5);
  buf[10] = 1;
  g_assert_cmpint (wavry_rift_header_decode (buf, 30, &h), ==, WAVRY_RIFT_DROP_BAD_CRC);

  for (int r = 0; r < WAVRY_RIFT_DROP_LAST; r++)
    g_assert_cmpstr (wavry_rift_drop_to_string (r), !=, "unknown");
  g_assert_cmpstr (wavry_rift_drop_to_string (WAVRY_RIFT_DROP_LAST), ==, "unknown");
}

static void
test_garbage (void)
{
  GRand *rand = g_rand_new_with_seed (1234);
  guint8 buf[128];

  /* Random input never crashes and essentially never decodes. */
  for (guint i = 0; i < 200000; i++)
    {
      gsize len = g_rand_int_range (rand, 0, sizeof buf + 1);
      WavryRiftHeader h;

      for (gsize j = 0; j < len; j++)
        buf[j] = g_rand_int (rand);
      if (len >= 2 && (i & 1))
        {
          buf[0] = 'R';
          buf[1] = 'I';
        }
      (void) wavry_rift_header_decode (buf, len, &h);
    }
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/core/frame/spec-examples", test_spec_examples);
  g_test_add_func ("/wavry/core/frame/vector-headers", test_vector_headers_decode);
  g_test_add_func ("/wavry/core/frame/round-trip", test_round_trip);
  g_test_add_func ("/wavry/core/frame/drop-reasons", test_drop_reasons);
  g_test_add_func ("/wavry/core/frame/garbage", test_garbage);

  return g_test_run ();
}
