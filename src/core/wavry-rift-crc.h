/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RIFT §1: CRC-16/KERMIT (poly 0x1021 reflected, init 0, xorout 0). */
guint16 wavry_rift_crc16_kermit (const guint8 *data,
                                 gsize         len);

G_END_DECLS
