/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include "wavry-input-injector-portal.h"

/* The results of the desktop portal's RemoteDesktop.Start Response, as a
 * serialized a{sv} (untrusted: whatever owns the portal's name sent it).
 * The parser never crashes; when it accepts, the size is either unknown
 * (0×0) or positive on both axes; when it refuses, it says why. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GVariant) v = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT,
                                                                        bytes, FALSE));
  g_autoptr(GError) error = NULL;
  guint32 devices, node_id;
  guint width, height;

  if (wavry_input_portal_parse_start_results (v, &devices, &node_id, &width, &height, &error))
    {
      g_assert (error == NULL);
      g_assert ((width == 0) == (height == 0));
      g_assert (width <= G_MAXINT32 && height <= G_MAXINT32);
    }
  else
    g_assert (error != NULL && error->message[0] != '\0');
  return 0;
}
