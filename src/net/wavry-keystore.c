/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <sodium.h>

#include "wavry-keystore.h"

/* The same bound as the key file parser's: read no more than that. */
#define KEY_FILE_MAX_LEN 16384

#define SECRET_LABEL     "Wavry device identity"
#define SECRET_PURPOSE   "device-identity"

G_DEFINE_QUARK (wavry-keystore-error-quark, wavry_keystore_error)

/* doc/key-files.md: the Secret Service item. */
static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.wavry.Identity", SECRET_SCHEMA_NONE,
    {
      { "purpose", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/* Key files */

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += n;
      len -= n;
    }

  return TRUE;
}

/* Creates @path, failing if anything (even a dangling symlink) is there:
 * O_EXCL makes "refuse to overwrite" free of races. A failed write removes
 * the half-written file. */
static gboolean
create_file (const char  *path,
             const char  *contents,
             gsize        len,
             int          mode,
             GError     **error)
{
  int fd;
  int saved_errno;

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, mode);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == EEXIST)
        g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_EXISTS,
                     "“%s” already exists; use --force to replace it", path);
      else
        g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_FAILED,
                     "Could not create “%s”: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  if (!write_all (fd, contents, len) || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (path);
      g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_FAILED,
                   "Could not write “%s”: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  if (close (fd) != 0)
    {
      saved_errno = errno;
      g_unlink (path);
      g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_FAILED,
                   "Could not write “%s”: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Replaces @path atomically: a crash leaves the old file or the new one,
 * never a mix, and the new one is created with @mode from the start. */
static gboolean
replace_file (const char  *path,
              const char  *contents,
              gsize        len,
              int          mode,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, contents, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, mode,
                                 &local_error))
    {
      g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_FAILED,
                   "Could not write “%s”: %s", path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
path_exists (const char *path)
{
  GStatBuf st;

  /* lstat: a dangling symlink counts, since creating through it would
   * fail (or write somewhere else). */
  return g_lstat (path, &st) == 0;
}

gboolean
wavry_keystore_write_key_pair (WavryIdentity  *identity,
                               const char     *prefix,
                               gboolean        force,
                               GError        **error)
{
  g_autofree char *key_path = NULL;
  g_autofree char *pub_path = NULL;
  g_auto(WavryIdentitySecretString) secret_text = NULL;
  g_autofree char *public_text = NULL;

  g_return_val_if_fail (WAVRY_IS_IDENTITY (identity), FALSE);
  g_return_val_if_fail (prefix != NULL && *prefix != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  key_path = g_strconcat (prefix, ".key", NULL);
  pub_path = g_strconcat (prefix, ".pub", NULL);

  if (!wavry_identity_has_secret (identity))
    {
      g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NO_SECRET,
                   "Cannot write “%s”: identity %s has only a public key",
                   key_path, wavry_identity_get_id (identity));
      return FALSE;
    }

  /* Check both before writing either, so that a refusal leaves nothing
   * behind; create_file () still refuses if one appears in between. */
  if (!force)
    {
      const char *paths[] = { key_path, pub_path };

      for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
        {
          if (path_exists (paths[i]))
            {
              g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_EXISTS,
                           "“%s” already exists; use --force to replace it", paths[i]);
              return FALSE;
            }
        }
    }

  secret_text = wavry_identity_to_secret_key_file (identity);
  public_text = wavry_identity_to_public_key_file (identity);

  if (force)
    {
      return replace_file (key_path, secret_text, strlen (secret_text), 0600, error) &&
             replace_file (pub_path, public_text, strlen (public_text), 0644, error);
    }

  if (!create_file (key_path, secret_text, strlen (secret_text), 0600, error))
    return FALSE;

  if (!create_file (pub_path, public_text, strlen (public_text), 0644, error))
    {
      /* We made the secret file a moment ago; leave no half pair. */
      g_unlink (key_path);
      return FALSE;
    }

  return TRUE;
}

WavryIdentity *
wavry_keystore_read_key_file (const char  *path,
                              GError     **error)
{
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(GError) parse_error = NULL;
  char *buffer = NULL;
  gsize len = 0;
  GStatBuf st;
  int fd;
  int saved_errno = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == ENOENT)
        g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NOT_FOUND,
                     "“%s” does not exist", path);
      else
        g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_FAILED,
                     "Could not open “%s”: %s", path, g_strerror (saved_errno));
      return NULL;
    }

  /* fstat on the open file: the mode checked below is that of the file we
   * read, whatever happens to the path meanwhile. */
  if (fstat (fd, &st) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_FAILED,
                   "Could not read “%s”: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_MALFORMED,
                   "“%s” is not a Wavry key file: it is not a regular file", path);
      return NULL;
    }

  /* One fixed buffer, never grown by realloc (), so that the secret it
   * may hold has no stray copies to wipe. One byte more than allowed tells
   * an over-long file. */
  buffer = g_malloc (KEY_FILE_MAX_LEN + 1);
  while (len < KEY_FILE_MAX_LEN + 1)
    {
      gssize n = read (fd, buffer + len, KEY_FILE_MAX_LEN + 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          break;
        }
      if (n == 0)
        break;
      len += n;
    }
  close (fd);

  if (saved_errno != 0)
    g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_FAILED,
                 "Could not read “%s”: %s", path, g_strerror (saved_errno));
  else if (len > KEY_FILE_MAX_LEN)
    g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_MALFORMED,
                 "“%s” is not a Wavry key file: it is far too long for one", path);
  else
    identity = wavry_identity_parse_key_file (buffer, len, &parse_error);

  sodium_memzero (buffer, len);
  g_free (buffer);

  if (saved_errno != 0 || len > KEY_FILE_MAX_LEN)
    return NULL;

  if (identity == NULL)
    {
      g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_MALFORMED,
                   "“%s” is not a valid Wavry key file: %s", path, parse_error->message);
      return NULL;
    }

  /* Like OpenSSH: a secret key that other users could read (or replace)
   * is refused rather than used, so the mistake gets fixed. */
  if (wavry_identity_has_secret (identity) && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_PERMISSIONS,
                   "“%s” holds a secret key but other users can access it "
                   "(mode %04o); run “chmod 600 %s”",
                   path, (guint) (st.st_mode & 07777), path);
      return NULL;
    }

  return g_steal_pointer (&identity);
}

WavryIdentity *
wavry_keystore_load_or_create_file (const char  *path,
                                    gboolean    *created,
                                    GError     **error)
{
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(WavryIdentitySecretString) secret_text = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (created != NULL)
    *created = FALSE;

  identity = wavry_keystore_read_key_file (path, &local_error);
  if (identity == NULL &&
      !g_error_matches (local_error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (identity != NULL)
    {
      if (!wavry_identity_has_secret (identity))
        {
          g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NO_SECRET,
                       "“%s” holds only a public key; a secret key is needed here", path);
          return NULL;
        }
      return g_steal_pointer (&identity);
    }
  g_clear_error (&local_error);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_FAILED,
                   "Could not create the folder “%s” for “%s”: %s",
                   dir, path, g_strerror (saved_errno));
      return NULL;
    }

  identity = wavry_identity_generate ();
  secret_text = wavry_identity_to_secret_key_file (identity);
  if (!create_file (path, secret_text, strlen (secret_text), 0600, &local_error))
    {
      /* Another process created it first: use theirs. */
      if (g_error_matches (local_error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_EXISTS))
        {
          g_clear_error (&local_error);
          g_clear_object (&identity);
          identity = wavry_keystore_read_key_file (path, &local_error);
          if (identity == NULL &&
              g_error_matches (local_error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NOT_FOUND))
            {
              /* Not there to read, yet there to refuse creation. */
              g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_FAILED,
                           "Could not create “%s”: something is in the way "
                           "(a broken symbolic link?)", path);
              return NULL;
            }
          if (identity == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          if (!wavry_identity_has_secret (identity))
            {
              g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NO_SECRET,
                           "“%s” holds only a public key; a secret key is needed here", path);
              return NULL;
            }
          return g_steal_pointer (&identity);
        }

      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_debug ("Created device identity %s in %s", wavry_identity_get_id (identity), path);
  if (created != NULL)
    *created = TRUE;

  return g_steal_pointer (&identity);
}

char *
wavry_keystore_get_user_key_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "wavry", "identity.key", NULL);
}

/* The Secret Service */

/* GDBus, finding no bus address, would try to autolaunch a bus through X11:
 * on a server or in a test that leaves a stray dbus-daemon behind. Without
 * an address or the standard socket there is no session bus to use. */
static gboolean
check_session_bus_configured (GError **error)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  g_autofree char *socket_path = NULL;

  if (address != NULL && *address != '\0')
    return TRUE;

  socket_path = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  if (g_file_test (socket_path, G_FILE_TEST_EXISTS))
    return TRUE;

  g_set_error_literal (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_UNAVAILABLE,
                       "The keyring (Secret Service) is not available: there is no "
                       "D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)");
  return FALSE;
}

static void
set_bus_error (GError **error,
               GError  *bus_error)
{
  if (g_error_matches (bus_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (bus_error));
      return;
    }

  g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_UNAVAILABLE,
               "The keyring (Secret Service) is not available: cannot connect "
               "to the D-Bus session bus: %s", bus_error->message);
}

/* Turns an error from libsecret into ours; @doing is "read … from" or
 * "store … in". */
static void
set_secret_error (GError     **error,
                  GError      *secret_error,
                  const char  *doing)
{
  g_autoptr(GError) stripped = NULL;
  const char *message;

  if (g_error_matches (secret_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (secret_error));
      return;
    }

  /* "GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: …" reads
   * better without its prefix. */
  stripped = g_error_copy (secret_error);
  g_dbus_error_strip_remote_error (stripped);
  message = stripped->message;

  /* Nobody owns org.freedesktop.secrets and nothing can be activated for it
   * (or the activation failed). */
  if (g_error_matches (secret_error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (secret_error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
      g_error_matches (secret_error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_EXEC_FAILED) ||
      g_error_matches (secret_error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_CHILD_EXITED) ||
      g_error_matches (secret_error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND) ||
      g_error_matches (secret_error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_FAILED))
    {
      g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_UNAVAILABLE,
                   "The keyring (Secret Service) is not available: nothing on the "
                   "session bus provides org.freedesktop.secrets (%s)", message);
      return;
    }

  g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_FAILED,
               "Could not %s the keyring: %s", doing, message);
}

/* What was found in the keyring, or the error; takes @text. */
static WavryIdentity *
identity_from_secret (char    *text,
                      GError **error)
{
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(GError) parse_error = NULL;

  identity = wavry_identity_parse_key_file (text, strlen (text), &parse_error);
  /* Wipes it: libsecret hands it over in non-pageable memory. */
  secret_password_free (text);

  if (identity == NULL)
    {
      g_set_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_MALFORMED,
                   "The Wavry identity in the keyring is damaged: %s",
                   parse_error->message);
      return NULL;
    }
  if (!wavry_identity_has_secret (identity))
    {
      g_set_error_literal (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NO_SECRET,
                           "The Wavry identity in the keyring holds only a public key");
      return NULL;
    }

  return g_steal_pointer (&identity);
}

static void
set_not_found (GError **error)
{
  g_set_error_literal (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NOT_FOUND,
                       "There is no Wavry identity in the keyring");
}

WavryIdentity *
wavry_keystore_load_user_identity (gboolean       create,
                                   gboolean      *created,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(WavryIdentity) identity = NULL;
  g_auto(WavryIdentitySecretString) secret_text = NULL;
  char *found;

  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (created != NULL)
    *created = FALSE;

  if (!check_session_bus_configured (error))
    return NULL;

  /* libsecret shares this connection; connecting first tells "no bus"
   * apart from "no Secret Service on it". */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, &local_error);
  if (bus == NULL)
    {
      set_bus_error (error, local_error);
      return NULL;
    }

  found = secret_password_lookup_nonpageable_sync (get_schema (), cancellable, &local_error,
                                                   "purpose", SECRET_PURPOSE,
                                                   NULL);
  if (local_error != NULL)
    {
      set_secret_error (error, local_error, "read the Wavry identity from");
      return NULL;
    }
  if (found != NULL)
    return identity_from_secret (found, error);

  if (!create)
    {
      set_not_found (error);
      return NULL;
    }

  /* Two processes creating at once would both store, and the later store
   * replaces the earlier item (same attributes): one of them would run with
   * an identity the keyring no longer has. GApplication's single instance
   * keeps that to the first run of a second tool at the same moment. */
  identity = wavry_identity_generate ();
  secret_text = wavry_identity_to_secret_key_file (identity);
  if (!secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, SECRET_LABEL,
                                   secret_text, cancellable, &local_error,
                                   "purpose", SECRET_PURPOSE,
                                   NULL))
    {
      set_secret_error (error, local_error, "store the Wavry identity in");
      return NULL;
    }

  g_debug ("Created device identity %s in the keyring", wavry_identity_get_id (identity));
  if (created != NULL)
    *created = TRUE;

  return g_steal_pointer (&identity);
}

/* The async variant: connect to the bus, look the item up, store a new one
 * if asked to. Callbacks run in the thread-default main context of the
 * caller of _async (). */

typedef struct
{
  gboolean       create;
  gboolean       created;
  WavryIdentity *identity;  /* the one being stored */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->identity);
  g_free (data);
}

static void
load_store_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) local_error = NULL;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &local_error))
    {
      set_secret_error (&error, local_error, "store the Wavry identity in");
      g_task_return_error (task, error);
      return;
    }

  g_debug ("Created device identity %s in the keyring", wavry_identity_get_id (data->identity));
  data->created = TRUE;
  g_task_return_pointer (task, g_steal_pointer (&data->identity), g_object_unref);
}

static void
load_lookup_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) local_error = NULL;
  g_auto(WavryIdentitySecretString) secret_text = NULL;
  GError *error = NULL;
  GCancellable *cancellable;
  WavryIdentity *identity;
  char *found;

  found = secret_password_lookup_nonpageable_finish (result, &local_error);
  if (local_error != NULL)
    {
      set_secret_error (&error, local_error, "read the Wavry identity from");
      g_task_return_error (task, error);
      return;
    }

  if (found != NULL)
    {
      identity = identity_from_secret (found, &error);
      if (identity == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, identity, g_object_unref);
      return;
    }

  if (!data->create)
    {
      set_not_found (&error);
      g_task_return_error (task, error);
      return;
    }

  /* See wavry_keystore_load_user_identity () about concurrent creation.
   * libsecret copies the text into its own secure memory at once, so ours
   * is wiped as soon as the call returns. */
  data->identity = wavry_identity_generate ();
  secret_text = wavry_identity_to_secret_key_file (data->identity);
  /* Not g_task_get_cancellable (task) in the call: arguments are evaluated
   * in no set order, and one of them steals the task. */
  cancellable = g_task_get_cancellable (task);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, SECRET_LABEL,
                         secret_text, cancellable,
                         load_store_cb, g_steal_pointer (&task),
                         "purpose", SECRET_PURPOSE,
                         NULL);
}

static void
load_bus_get_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) local_error = NULL;
  GError *error = NULL;
  GCancellable *cancellable;

  bus = g_bus_get_finish (result, &local_error);
  if (bus == NULL)
    {
      set_bus_error (&error, local_error);
      g_task_return_error (task, error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  secret_password_lookup (get_schema (), cancellable,
                          load_lookup_cb, g_steal_pointer (&task),
                          "purpose", SECRET_PURPOSE,
                          NULL);
}

void
wavry_keystore_load_user_identity_async (gboolean             create,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;
  GError *error = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wavry_keystore_load_user_identity_async);
  data = g_new0 (LoadData, 1);
  data->create = create;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  if (!check_session_bus_configured (&error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_bus_get (G_BUS_TYPE_SESSION, cancellable, load_bus_get_cb, g_steal_pointer (&task));
}

WavryIdentity *
wavry_keystore_load_user_identity_finish (GAsyncResult  *result,
                                          gboolean      *created,
                                          GError       **error)
{
  WavryIdentity *identity;
  LoadData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        wavry_keystore_load_user_identity_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_task_get_task_data (G_TASK (result));
  identity = g_task_propagate_pointer (G_TASK (result), error);
  if (created != NULL)
    *created = identity != NULL && data->created;

  return identity;
}
