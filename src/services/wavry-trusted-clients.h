/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WAVRY_TYPE_TRUSTED_CLIENTS (wavry_trusted_clients_get_type ())
G_DECLARE_FINAL_TYPE (WavryTrustedClients, wavry_trusted_clients, WAVRY, TRUSTED_CLIENTS, GObject)

/* The Wavry IDs a host admits without asking: given on the command line
 * (--allow-client) and/or read from a file that is re-read when it changes.
 *
 * File format: one Wavry ID per line; anything after the ID (a name) and
 * lines starting with '#' are comments; blank lines are ignored. */
WavryTrustedClients *wavry_trusted_clients_new        (void);
void                 wavry_trusted_clients_add        (WavryTrustedClients *self,
                                                       const char          *wavry_id);
/* Takes back an ID given with wavry_trusted_clients_add() (the GUI's list
 * changed); the file's IDs stay. */
void                 wavry_trusted_clients_remove     (WavryTrustedClients *self,
                                                       const char          *wavry_id);
gboolean             wavry_trusted_clients_load_file  (WavryTrustedClients *self,
                                                       const char          *path,
                                                       gboolean             watch,
                                                       GError             **error);
gboolean             wavry_trusted_clients_contains   (WavryTrustedClients *self,
                                                       const char          *wavry_id);
guint                wavry_trusted_clients_get_size   (WavryTrustedClients *self);
const char          *wavry_trusted_clients_get_path   (WavryTrustedClients *self);

/* Parses the file format; errors say "PATH:LINE: …". */
GPtrArray           *wavry_trusted_clients_parse      (const char          *contents,
                                                       gsize                length,
                                                       const char          *path,
                                                       GError             **error);

G_END_DECLS
