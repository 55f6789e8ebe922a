/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WAVRY_KNOWN_HOSTS_ERROR (wavry_known_hosts_error_quark ())

typedef enum /*< prefix=WAVRY_KNOWN_HOSTS_ERROR >*/
{
  WAVRY_KNOWN_HOSTS_ERROR_MISMATCH,   /* the host proved another ID than the one pinned */
  WAVRY_KNOWN_HOSTS_ERROR_INVALID,    /* a bad address or Wavry ID */
} WavryKnownHostsError;

GQuark wavry_known_hosts_error_quark (void);

typedef struct
{
  char   *address;     /* "HOST:PORT" as the user typed it or mDNS resolved it */
  char   *wavry_id;    /* the pinned identity */
  char   *name;        /* the host's device name, for display */
  gint64  last_used;   /* seconds since the epoch */
} WavryKnownHost;

void wavry_known_host_free (WavryKnownHost *host);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryKnownHost, wavry_known_host_free)

/* The hosts this device has connected to, each pinned to the Wavry ID it
 * proved the first time (trust on first use, like SSH's known_hosts): a
 * later connection to the same address that proves another ID is refused
 * with a warning, never silently accepted. Also the "recent connections"
 * of the Connect page. Kept in a key file, written atomically. */
#define WAVRY_TYPE_KNOWN_HOSTS (wavry_known_hosts_get_type ())
G_DECLARE_FINAL_TYPE (WavryKnownHosts, wavry_known_hosts, WAVRY, KNOWN_HOSTS, GObject)

/* @path NULL: $XDG_CONFIG_HOME/wavry/known-hosts. A missing file is empty;
 * a damaged one is an error saying which file (nothing is overwritten). */
WavryKnownHosts *wavry_known_hosts_new          (const char       *path,
                                                 GError          **error);
/* The same from the file's contents, kept in memory (fuzzing, tests). */
WavryKnownHosts *wavry_known_hosts_new_for_data (const char       *data,
                                                 gsize             len,
                                                 GError          **error);
const char      *wavry_known_hosts_get_path     (WavryKnownHosts  *self);
/* The pinned ID of @address (free it), or NULL. */
char            *wavry_known_hosts_lookup       (WavryKnownHosts  *self,
                                                 const char       *address);
/* TRUE when @address has no pin or @proved_id matches it; otherwise
 * WAVRY_KNOWN_HOSTS_ERROR_MISMATCH with a message a person can act on. */
gboolean         wavry_known_hosts_check        (WavryKnownHosts  *self,
                                                 const char       *address,
                                                 const char       *proved_id,
                                                 GError          **error);
/* Pins @wavry_id for @address when it has none (a mismatch is an error, as
 * in check()), updates name and last use, and saves. */
gboolean         wavry_known_hosts_remember     (WavryKnownHosts  *self,
                                                 const char       *address,
                                                 const char       *wavry_id,
                                                 const char       *name,
                                                 GError          **error);
/* Drops the pin (the user confirmed the host's new identity), and saves. */
gboolean         wavry_known_hosts_forget       (WavryKnownHosts  *self,
                                                 const char       *address,
                                                 GError          **error);
/* Up to @max hosts, most recently used first (WavryKnownHost, owned). */
GPtrArray       *wavry_known_hosts_list_recent  (WavryKnownHosts  *self,
                                                 guint             max);

G_END_DECLS
