/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Path of @relative inside the shared/ folder (meson option shared_dir,
 * exported as WAVRY_TEST_SHARED_DIR), or NULL after calling g_test_skip()
 * with a message naming what is missing. */
char       *wavry_test_shared_path (const char *relative);

/* Parses a JSON file from shared/; NULL (test skipped) when the file is
 * absent, a test failure when it is present but unreadable. */
JsonNode   *wavry_test_load_shared_json (const char *relative);

/* Lowercase/uppercase hex to bytes; asserts on malformed input. */
GBytes     *wavry_test_hex_decode (const char *hex);
char       *wavry_test_hex_encode (const guint8 *data,
                                   gsize         len);

#define wavry_test_assert_bytes_hex(data, len, hex) \
  G_STMT_START { \
    g_autofree char *__h = wavry_test_hex_encode ((data), (len)); \
    g_assert_cmpstr (__h, ==, (hex)); \
  } G_STMT_END

G_END_DECLS
