/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-identity.h"

G_BEGIN_DECLS

/* Where device identities are kept: key files for the CLI and headless
 * services, the Secret Service (libsecret) for the desktop user. It lives in
 * src/net, the lowest I/O layer, because both src/ui and src/services need it
 * and ARCHITECTURE.md allows ui → net but not ui → services. */

#define WAVRY_KEYSTORE_ERROR (wavry_keystore_error_quark ())

typedef enum /*< prefix=WAVRY_KEYSTORE_ERROR >*/
{
  WAVRY_KEYSTORE_ERROR_FAILED,
  WAVRY_KEYSTORE_ERROR_EXISTS,        /* would overwrite without --force */
  WAVRY_KEYSTORE_ERROR_NOT_FOUND,     /* no such key file / no keyring item */
  WAVRY_KEYSTORE_ERROR_MALFORMED,     /* the file is not a Wavry key file */
  WAVRY_KEYSTORE_ERROR_PERMISSIONS,   /* a secret key readable by others */
  WAVRY_KEYSTORE_ERROR_NO_SECRET,     /* a public key where a secret one is needed */
  WAVRY_KEYSTORE_ERROR_UNAVAILABLE,   /* no Secret Service on this session */
} WavryKeystoreError;

GQuark         wavry_keystore_error_quark            (void);

/* keygen: writes PREFIX.key (mode 0600, atomically) and PREFIX.pub. Refuses
 * to overwrite either unless @force. */
gboolean       wavry_keystore_write_key_pair         (WavryIdentity  *identity,
                                                      const char     *prefix,
                                                      gboolean        force,
                                                      GError        **error);

/* Reads a secret or public key file. Errors name the file and say what is
 * wrong with it. A secret key file readable by group or others is refused. */
WavryIdentity *wavry_keystore_read_key_file          (const char     *path,
                                                      GError        **error);

/* Loads the secret key at @path, or creates it (and its directory, 0700)
 * when it does not exist. @created tells which happened. */
WavryIdentity *wavry_keystore_load_or_create_file    (const char     *path,
                                                      gboolean       *created,
                                                      GError        **error);

/* The desktop user's identity in the Secret Service (schema
 * "io.wavry.Identity", attribute purpose = "device-identity"), created on
 * first use when @create. Fails with WAVRY_KEYSTORE_ERROR_UNAVAILABLE when
 * there is no session bus or nothing on it provides org.freedesktop.secrets
 * (callers then fall back to wavry_keystore_get_user_key_file_path ()),
 * NOT_FOUND when there is no item and !@create, MALFORMED or NO_SECRET for
 * a damaged item, which is never replaced silently. The async callback runs
 * in the thread-default main context of the caller of _async (); the sync
 * variant blocks on D-Bus, so keep it off the main thread of a GUI. */
void           wavry_keystore_load_user_identity_async  (gboolean             create,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
WavryIdentity *wavry_keystore_load_user_identity_finish (GAsyncResult        *result,
                                                         gboolean            *created,
                                                         GError             **error);
WavryIdentity *wavry_keystore_load_user_identity        (gboolean             create,
                                                         gboolean            *created,
                                                         GCancellable        *cancellable,
                                                         GError             **error);

/* Where the CLI keeps the user's identity when no Secret Service runs:
 * $XDG_CONFIG_HOME/wavry/identity.key. */
char          *wavry_keystore_get_user_key_file_path    (void);

G_END_DECLS
