/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include "wavry-identity.h"

G_BEGIN_DECLS

/* The identity a CLI verb acts as: --key PATH, or the user's own (keyring,
 * else the user key file), created on first use. */
WavryIdentity *wavry_cli_load_identity (const char  *key_path,
                                        GError     **error);

int            wavry_cli_ping          (int          argc,
                                        char       **argv);
int            wavry_cli_connect       (int          argc,
                                        char       **argv);

G_END_DECLS
