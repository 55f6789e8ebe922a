/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include "wavry-identity.h"
#include "wavry-known-hosts.h"

/* The known-hosts file: never crashes; what it accepts holds only valid
 * pins, each found again by lookup() under the address list_recent()
 * reports. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(WavryKnownHosts) hosts = NULL;
  g_autoptr(GPtrArray) recent = NULL;

  hosts = wavry_known_hosts_new_for_data ((const char *) data, size, NULL);
  if (hosts == NULL)
    return 0;

  recent = wavry_known_hosts_list_recent (hosts, G_MAXUINT);
  for (guint i = 0; i < recent->len; i++)
    {
      WavryKnownHost *host = g_ptr_array_index (recent, i);
      g_autofree char *pin = wavry_known_hosts_lookup (hosts, host->address);

      g_assert (wavry_id_is_valid (host->wavry_id));
      g_assert (g_strcmp0 (pin, host->wavry_id) == 0);
    }
  return 0;
}
