/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-rift-session.h"

G_BEGIN_DECLS

/* Parses "HOST:PORT", "[IPv6]:PORT" or "HOST" (then @default_port) and
 * resolves HOST synchronously (literal addresses need no lookup). Errors are
 * worded for the person who typed the address. */
GInetSocketAddress *wavry_net_address_resolve    (const char          *host_and_port,
                                                  guint16              default_port,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
char               *wavry_net_address_to_string  (GSocketAddress      *address);
void                wavry_net_address_to_rift    (GSocketAddress      *address,
                                                  WavryRiftAddr       *out);
GSocketAddress     *wavry_net_address_from_rift  (const WavryRiftAddr *addr);
char               *wavry_net_rift_addr_to_string (const WavryRiftAddr *addr);

G_END_DECLS
