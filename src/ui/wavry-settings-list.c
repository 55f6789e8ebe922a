/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-settings-list.h"

gboolean
wavry_settings_list_contains (GSettings  *settings,
                              const char *key,
                              const char *id)
{
  g_auto(GStrv) ids = g_settings_get_strv (settings, key);

  return g_strv_contains ((const char * const *) ids, id);
}

void
wavry_settings_list_set (GSettings  *settings,
                         const char *key,
                         const char *id,
                         gboolean    listed)
{
  g_auto(GStrv) ids = g_settings_get_strv (settings, key);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;

  g_return_if_fail (id != NULL);

  if (g_strv_contains ((const char * const *) ids, id) == !!listed)
    return;
  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_str_equal (ids[i], id))
      g_strv_builder_add (builder, ids[i]);
  if (listed)
    g_strv_builder_add (builder, id);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (settings, key, (const char * const *) updated);
}
