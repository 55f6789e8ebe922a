/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include <string.h>

#include "wavry-mutter-session.h"

/* What mutter sends over D-Bus, as serialized GVariants, and the host's
 * `--capture mutter[:CONNECTOR]` argument. The first byte modulo 3 picks the
 * input (0: a stream's Parameters a{sv}; 1: a DisplayConfig.GetCurrentState()
 * reply; 2: a capture spec string), the rest is the untrusted data. The
 * parsers never crash and keep their bounds. */
#define STATE_TYPE "(ua((ssss)a(siiddada{sv})a{sv})a(iiduba(ssss)a{sv})a{sv})"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GVariant) v = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const GVariantType *type;

  if (size < 1)
    return 0;
  if (data[0] % 3 == 2)
    {
      g_autofree char *spec = g_strndup ((const char *) data + 1, size - 1);
      g_autoptr(GError) error = NULL;
      g_autofree char *connector = NULL;

      if (wavry_mutter_parse_capture_spec (spec, &connector, &error))
        {
          g_assert (error == NULL && strlen (connector) <= 64);
          for (const char *c = connector; *c; c++)
            g_assert (g_ascii_isgraph (*c));
        }
      else
        g_assert (error != NULL && connector == NULL);
      return 0;
    }
  type = (data[0] % 3 == 1) ? G_VARIANT_TYPE (STATE_TYPE) : G_VARIANT_TYPE_VARDICT;
  bytes = g_bytes_new (data + 1, size - 1);
  v = g_variant_ref_sink (g_variant_new_from_bytes (type, bytes, FALSE));

  if (data[0] % 3 == 1)
    {
      g_auto(GStrv) names = wavry_mutter_parse_connectors (v);

      g_assert (names != NULL);  /* right type: always a list, maybe empty */
      for (guint i = 0; names[i] != NULL; i++)
        g_assert (g_utf8_validate (names[i], -1, NULL));
    }
  else
    {
      guint w = 0, h = 0;

      if (wavry_mutter_parse_stream_size (v, &w, &h))
        g_assert (w >= 1 && w <= 16384 && h >= 1 && h <= 16384);
      else
        g_assert (w == 0 && h == 0);
      g_assert (wavry_mutter_parse_connectors (v) == NULL);
    }
  return 0;
}
