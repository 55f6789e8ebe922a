/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include <string.h>

#include "wavry-identity.h"
#include "wavry-peer.h"

#define MAX_ENTRIES 64

/* The `_wavry._udp` TXT parser (wavry_peer_parse_txt), fed as on the wire:
 * the input is a DNS TXT RDATA, a sequence of <length byte><that many
 * bytes>; entries holding a NUL byte are dropped, as the browser does. It
 * never crashes; whatever it accepts has a valid Wavry ID, a printable
 * UTF-8 device name and a clean codec list, and re-parses identically from
 * the canonical record a publisher would send. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = NULL, *name = NULL, *codecs = NULL;
  g_autofree char *id2 = NULL, *name2 = NULL, *codecs2 = NULL;
  g_autoptr(GPtrArray) canonical = NULL;
  g_autoptr(GError) error = NULL;
  gsize pos = 0;

  while (pos < size && entries->len < MAX_ENTRIES)
    {
      gsize len = data[pos++];

      if (len > size - pos)
        len = size - pos;   /* a truncated last entry: what is there */
      if (memchr (data + pos, '\0', len) == NULL)
        g_ptr_array_add (entries, g_strndup ((const char *) data + pos, len));
      pos += len;
    }

  if (!wavry_peer_parse_txt ((const char * const *) entries->pdata, entries->len,
                             &id, &name, &codecs, &error))
    {
      g_assert_error (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_INVALID_TXT);
      g_assert_null (id);
      return 0;
    }
  g_assert_no_error (error);

  g_assert_true (wavry_id_is_valid (id));
  if (name != NULL)
    {
      g_assert_true (g_utf8_validate (name, -1, NULL));
      g_assert_cmpuint (strlen (name), >, 0);
      for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
        g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
      g_assert_false (g_ascii_isspace (name[0]));
    }
  g_assert_nonnull (codecs);
  g_assert_true (codecs[0] == '\0' || (codecs[0] != ',' && codecs[strlen (codecs) - 1] != ','));
  g_assert_null (strstr (codecs, ",,"));
  for (const char *p = codecs; *p != '\0'; p++)
    g_assert_true ((*p >= 'a' && *p <= 'z') || g_ascii_isdigit (*p) || *p == ',');

  /* The canonical record re-parses to the same fields. */
  canonical = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (canonical, g_strdup ("v=1"));
  g_ptr_array_add (canonical, g_strconcat ("id=", id, NULL));
  if (name != NULL)
    g_ptr_array_add (canonical, g_strconcat ("name=", name, NULL));
  g_ptr_array_add (canonical, g_strconcat ("codecs=", codecs, NULL));
  g_assert_true (wavry_peer_parse_txt ((const char * const *) canonical->pdata, canonical->len,
                                       &id2, &name2, &codecs2, NULL));
  g_assert_cmpstr (id2, ==, id);
  g_assert_cmpstr (name2, ==, name);
  g_assert_cmpstr (codecs2, ==, codecs);

  /* And a peer built from it describes the same host. */
  {
    g_autoptr(WavryPeer) peer = wavry_peer_new ("fuzz", NULL, "192.0.2.1", 1, id, name, codecs);

    g_assert_cmpuint (strlen (wavry_peer_get_short_id (peer)), ==, 8);
    g_assert_true (g_str_has_prefix (id, wavry_peer_get_short_id (peer)));
  }
  return 0;
}
