/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-crc.h"

/* Table for the reflected polynomial 0x8408, built at compile time would need
 * a generator; 256 entries computed once on first use are cheap and
 * thread-safe through g_once. */
static guint16 crc_table[256];

static gpointer
build_table (gpointer data)
{
  for (guint i = 0; i < 256; i++)
    {
      guint16 crc = i;

      for (guint bit = 0; bit < 8; bit++)
        crc = (crc & 1) ? (crc >> 1) ^ 0x8408 : crc >> 1;
      crc_table[i] = crc;
    }
  return NULL;
}

guint16
wavry_rift_crc16_kermit (const guint8 *data,
                         gsize         len)
{
  static GOnce once = G_ONCE_INIT;
  guint16 crc = 0;

  g_once (&once, build_table, NULL);

  for (gsize i = 0; i < len; i++)
    crc = (crc >> 8) ^ crc_table[(crc ^ data[i]) & 0xff];

  return crc;
}
