/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "wavry-keystore.h"
#include "wavry-test-util.h"

#define SKIP_NO_SECRET_SERVICE \
  "no Secret Service on the session bus (gnome-keyring-daemon); build-aux/test starts one"

/* The item's contract (doc/key-files.md), written out again rather than
 * taken from the keystore, so that a change to it fails here. */
static const SecretSchema test_schema = {
  "io.wavry.Identity", SECRET_SCHEMA_NONE,
  {
    { "purpose", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* Key files */

typedef struct
{
  char *dir;
  char *prefix;
  char *key_path;
  char *pub_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("wavry-keystore-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->prefix = g_build_filename (fixture->dir, "device", NULL);
  fixture->key_path = g_strconcat (fixture->prefix, ".key", NULL);
  fixture->pub_path = g_strconcat (fixture->prefix, ".pub", NULL);
}

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_assert_cmpint (g_rmdir (path), ==, 0);
    }
  else
    {
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->prefix);
  g_free (fixture->key_path);
  g_free (fixture->pub_path);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);

  return st.st_mode & 07777;
}

static guint
current_umask (void)
{
  mode_t mask = umask (0);

  umask (mask);

  return mask;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static void
write_file (const char *path,
            const char *contents,
            int         mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_NONE, mode, &error);
  g_assert_no_error (error);
  /* Whatever the umask. */
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

static void
assert_error_names (const GError *error,
                    const char   *path,
                    const char   *words)
{
  g_assert_nonnull (error);
  if (strstr (error->message, path) == NULL)
    g_error ("error does not name “%s”: %s", path, error->message);
  if (words != NULL && strstr (error->message, words) == NULL)
    g_error ("error lacks “%s”: %s", words, error->message);
}

static void
test_user_key_file_path (void)
{
  g_autofree char *path = wavry_keystore_get_user_key_file_path ();
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (), "wavry", "identity.key", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_write_key_pair (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(WavryIdentity) identity = wavry_identity_generate ();
  g_autoptr(WavryIdentity) from_key = NULL;
  g_autoptr(WavryIdentity) from_pub = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(WavryIdentitySecretString) expected_secret = wavry_identity_to_secret_key_file (identity);
  g_autofree char *expected_public = wavry_identity_to_public_key_file (identity);
  g_autofree char *key_text = NULL;
  g_autofree char *pub_text = NULL;

  g_assert_true (wavry_keystore_write_key_pair (identity, fixture->prefix, FALSE, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (file_mode (fixture->key_path), ==, 0600);
  g_assert_cmpuint (file_mode (fixture->pub_path), ==, 0644 & ~current_umask ());

  key_text = read_file (fixture->key_path);
  pub_text = read_file (fixture->pub_path);
  g_assert_cmpstr (key_text, ==, expected_secret);
  g_assert_cmpstr (pub_text, ==, expected_public);

  from_key = wavry_keystore_read_key_file (fixture->key_path, &error);
  g_assert_no_error (error);
  g_assert_true (wavry_identity_has_secret (from_key));
  g_assert_true (wavry_identity_equal (from_key, identity));

  from_pub = wavry_keystore_read_key_file (fixture->pub_path, &error);
  g_assert_no_error (error);
  g_assert_false (wavry_identity_has_secret (from_pub));
  g_assert_true (wavry_identity_equal (from_pub, identity));
}

static void
test_write_refuses_overwrite (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(WavryIdentity) first = wavry_identity_generate ();
  g_autoptr(WavryIdentity) second = wavry_identity_generate ();
  g_autoptr(WavryIdentity) read_back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_before = NULL;
  g_autofree char *pub_before = NULL;
  g_autofree char *key_after = NULL;
  g_autofree char *pub_after = NULL;

  g_assert_true (wavry_keystore_write_key_pair (first, fixture->prefix, FALSE, &error));
  g_assert_no_error (error);
  key_before = read_file (fixture->key_path);
  pub_before = read_file (fixture->pub_path);

  g_assert_false (wavry_keystore_write_key_pair (second, fixture->prefix, FALSE, &error));
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_EXISTS);
  assert_error_names (error, fixture->key_path, "use --force to replace it");
  g_clear_error (&error);

  key_after = read_file (fixture->key_path);
  pub_after = read_file (fixture->pub_path);
  g_assert_cmpstr (key_after, ==, key_before);
  g_assert_cmpstr (pub_after, ==, pub_before);

  /* Only the public file left: still refused, and no secret file made. */
  g_assert_cmpint (g_unlink (fixture->key_path), ==, 0);
  g_assert_false (wavry_keystore_write_key_pair (second, fixture->prefix, FALSE, &error));
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_EXISTS);
  assert_error_names (error, fixture->pub_path, "use --force to replace it");
  g_clear_error (&error);
  g_assert_false (g_file_test (fixture->key_path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&pub_after, g_free);
  pub_after = read_file (fixture->pub_path);
  g_assert_cmpstr (pub_after, ==, pub_before);

  /* A dangling symlink in the way counts too. */
  g_assert_cmpint (symlink ("nowhere", fixture->key_path), ==, 0);
  g_assert_false (wavry_keystore_write_key_pair (second, fixture->prefix, FALSE, &error));
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (fixture->key_path), ==, 0);

  /* --force replaces both, atomically and 0600 even over a looser file. */
  write_file (fixture->key_path, key_before, 0644);
  g_assert_true (wavry_keystore_write_key_pair (second, fixture->prefix, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (fixture->key_path), ==, 0600);

  read_back = wavry_keystore_read_key_file (fixture->key_path, &error);
  g_assert_no_error (error);
  g_assert_true (wavry_identity_equal (read_back, second));
  g_clear_object (&read_back);
  read_back = wavry_keystore_read_key_file (fixture->pub_path, &error);
  g_assert_no_error (error);
  g_assert_true (wavry_identity_equal (read_back, second));
}

static void
test_write_public_only (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(WavryIdentity) identity = wavry_identity_generate ();
  g_autoptr(WavryIdentity) public_only = wavry_identity_new_from_id (wavry_identity_get_id (identity), NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (wavry_keystore_write_key_pair (public_only, fixture->prefix, FALSE, &error));
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NO_SECRET);
  assert_error_names (error, fixture->key_path, NULL);
  g_assert_false (g_file_test (fixture->key_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (fixture->pub_path, G_FILE_TEST_EXISTS));
}

static void
test_read_permissions (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(WavryIdentity) identity = wavry_identity_generate ();
  g_autoptr(GError) error = NULL;
  g_autofree char *chmod_hint = NULL;
  static const int bad_modes[] = { 0640, 0604, 0644, 0660, 0620, 0602, 0610 };

  g_assert_true (wavry_keystore_write_key_pair (identity, fixture->prefix, FALSE, &error));
  g_assert_no_error (error);
  chmod_hint = g_strdup_printf ("chmod 600 %s", fixture->key_path);

  for (guint i = 0; i < G_N_ELEMENTS (bad_modes); i++)
    {
      g_autoptr(WavryIdentity) refused = NULL;

      g_assert_cmpint (g_chmod (fixture->key_path, bad_modes[i]), ==, 0);
      refused = wavry_keystore_read_key_file (fixture->key_path, &error);
      g_assert_null (refused);
      g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_PERMISSIONS);
      assert_error_names (error, fixture->key_path, chmod_hint);
      g_clear_error (&error);
    }

  /* 0400 is fine, and so is a world-readable public key. */
  g_assert_cmpint (g_chmod (fixture->key_path, 0400), ==, 0);
  g_clear_object (&identity);
  identity = wavry_keystore_read_key_file (fixture->key_path, &error);
  g_assert_no_error (error);
  g_clear_object (&identity);

  g_assert_cmpint (g_chmod (fixture->pub_path, 0666), ==, 0);
  identity = wavry_keystore_read_key_file (fixture->pub_path, &error);
  g_assert_no_error (error);
}

static void
test_read_errors (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.key", NULL);
  g_autofree char *garbage = g_build_filename (fixture->dir, "garbage.key", NULL);
  g_autofree char *short_seed = g_build_filename (fixture->dir, "short.key", NULL);
  g_autofree char *huge = g_build_filename (fixture->dir, "huge.key", NULL);
  g_autofree char *huge_text = g_strnfill (100000, '#');

  g_assert_null (wavry_keystore_read_key_file (missing, &error));
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NOT_FOUND);
  assert_error_names (error, missing, "does not exist");
  g_clear_error (&error);

  write_file (garbage, "hello world\n", 0600);
  g_assert_null (wavry_keystore_read_key_file (garbage, &error));
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_MALFORMED);
  assert_error_names (error, garbage, "unknown key kind “hello”");
  g_clear_error (&error);

  write_file (short_seed, "wavry-ed25519-secret-key-v1 c2VjcmV0\n", 0600);
  g_assert_null (wavry_keystore_read_key_file (short_seed, &error));
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_MALFORMED);
  assert_error_names (error, short_seed, "32-byte Ed25519 seed");
  g_assert_null (strstr (error->message, "c2VjcmV0"));
  g_clear_error (&error);

  write_file (huge, huge_text, 0600);
  g_assert_null (wavry_keystore_read_key_file (huge, &error));
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_MALFORMED);
  assert_error_names (error, huge, "too long");
  g_clear_error (&error);

  g_assert_null (wavry_keystore_read_key_file (fixture->dir, &error));
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_MALFORMED);
  assert_error_names (error, fixture->dir, "not a regular file");
}

static void
test_load_or_create_file (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *subdir = g_build_filename (fixture->dir, "config", "wavry", NULL);
  g_autofree char *path = g_build_filename (subdir, "identity.key", NULL);
  g_autoptr(WavryIdentity) created_identity = NULL;
  g_autoptr(WavryIdentity) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;

  created_identity = wavry_keystore_load_or_create_file (path, &created, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created_identity);
  g_assert_true (created);
  g_assert_true (wavry_identity_has_secret (created_identity));
  g_assert_cmpuint (file_mode (subdir), ==, 0700);
  g_assert_cmpuint (file_mode (path), ==, 0600);

  loaded = wavry_keystore_load_or_create_file (path, &created, &error);
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpstr (wavry_identity_get_id (loaded), ==, wavry_identity_get_id (created_identity));
  g_clear_object (&loaded);

  /* @created may be NULL. */
  loaded = wavry_keystore_load_or_create_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wavry_identity_equal (loaded, created_identity));
}

static void
test_load_or_create_refuses (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gboolean created = TRUE;

  /* A public key, a bad file and a world-readable secret are errors, and
   * none is replaced by a new key. */
  write_file (fixture->pub_path, "wavry-ed25519-public-key-v1 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\n", 0644);
  identity = wavry_keystore_load_or_create_file (fixture->pub_path, &created, &error);
  g_assert_null (identity);
  g_assert_false (created);
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NO_SECRET);
  assert_error_names (error, fixture->pub_path, NULL);
  g_clear_error (&error);

  write_file (fixture->key_path, "not a key\n", 0600);
  identity = wavry_keystore_load_or_create_file (fixture->key_path, &created, &error);
  g_assert_null (identity);
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_MALFORMED);
  g_clear_error (&error);
  after = read_file (fixture->key_path);
  g_assert_cmpstr (after, ==, "not a key\n");
  g_clear_pointer (&after, g_free);

  g_assert_cmpint (g_unlink (fixture->key_path), ==, 0);
  identity = wavry_keystore_load_or_create_file (fixture->key_path, &created, &error);
  g_assert_no_error (error);
  g_clear_object (&identity);
  before = read_file (fixture->key_path);
  g_assert_cmpint (g_chmod (fixture->key_path, 0644), ==, 0);
  identity = wavry_keystore_load_or_create_file (fixture->key_path, &created, &error);
  g_assert_null (identity);
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_PERMISSIONS);
  g_clear_error (&error);
  after = read_file (fixture->key_path);
  g_assert_cmpstr (after, ==, before);
}

/* The Secret Service */

static gboolean
secret_service_running (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;

  /* Running, not merely activatable: activating gnome-keyring here would
   * start a locked keyring that then waits on a password prompt. */
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

/* Skips unless a Secret Service runs and holds no Wavry identity yet: the
 * test must never delete one it did not make (a developer's own). */
static gboolean
require_empty_keyring (void)
{
  g_autoptr(GError) error = NULL;
  char *existing;

  if (!secret_service_running ())
    {
      g_test_skip (SKIP_NO_SECRET_SERVICE);
      return FALSE;
    }

  existing = secret_password_lookup_sync (&test_schema, NULL, &error,
                                          "purpose", "device-identity", NULL);
  g_assert_no_error (error);
  if (existing != NULL)
    {
      secret_password_free (existing);
      g_test_skip ("the keyring already holds a Wavry device identity; "
                   "this test leaves it alone");
      return FALSE;
    }

  return TRUE;
}

static void
clear_keyring_item (void)
{
  g_autoptr(GError) error = NULL;

  secret_password_clear_sync (&test_schema, NULL, &error,
                              "purpose", "device-identity", NULL);
  g_assert_no_error (error);
}

static void
test_secret_service_sync (void)
{
  g_autoptr(WavryIdentity) first = NULL;
  g_autoptr(WavryIdentity) second = NULL;
  g_autoptr(WavryIdentity) missing = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = TRUE;
  char *stored;

  if (!require_empty_keyring ())
    return;

  missing = wavry_keystore_load_user_identity (FALSE, &created, NULL, &error);
  g_assert_null (missing);
  g_assert_false (created);
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  first = wavry_keystore_load_user_identity (TRUE, &created, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_true (created);
  g_assert_true (wavry_identity_has_secret (first));

  second = wavry_keystore_load_user_identity (TRUE, &created, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpstr (wavry_identity_get_id (second), ==, wavry_identity_get_id (first));
  g_clear_object (&second);

  second = wavry_keystore_load_user_identity (FALSE, &created, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_true (wavry_identity_equal (second, first));

  /* The item holds the secret key file text. */
  stored = secret_password_lookup_nonpageable_sync (&test_schema, NULL, &error,
                                                    "purpose", "device-identity", NULL);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_true (g_str_has_prefix (stored, "# Wavry device identity"));
  g_assert_nonnull (strstr (stored, wavry_identity_get_id (first)));
  secret_password_free (stored);

  clear_keyring_item ();
}

static void
test_secret_service_damaged (void)
{
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = TRUE;

  if (!require_empty_keyring ())
    return;

  /* A damaged item is reported, never silently replaced by a new key. */
  secret_password_store_sync (&test_schema, SECRET_COLLECTION_DEFAULT, "Wavry device identity",
                              "wavry-ed25519-secret-key-v1 broken", NULL, &error,
                              "purpose", "device-identity", NULL);
  g_assert_no_error (error);
  identity = wavry_keystore_load_user_identity (TRUE, &created, NULL, &error);
  g_assert_null (identity);
  g_assert_false (created);
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_MALFORMED);
  g_assert_null (strstr (error->message, "broken"));
  g_clear_error (&error);

  secret_password_store_sync (&test_schema, SECRET_COLLECTION_DEFAULT, "Wavry device identity",
                              "wavry-ed25519-public-key-v1 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\n",
                              NULL, &error,
                              "purpose", "device-identity", NULL);
  g_assert_no_error (error);
  identity = wavry_keystore_load_user_identity (TRUE, &created, NULL, &error);
  g_assert_null (identity);
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NO_SECRET);

  clear_keyring_item ();
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} AsyncWait;

static void
load_ready_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncWait *wait = user_data;

  g_assert_null (source_object);
  g_assert_null (wait->result);
  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static WavryIdentity *
load_async_and_wait (gboolean       create,
                     GCancellable  *cancellable,
                     gboolean      *created,
                     GError       **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncWait wait = { loop, NULL };
  WavryIdentity *identity;

  wavry_keystore_load_user_identity_async (create, cancellable, load_ready_cb, &wait);
  /* Never completes in the caller's stack frame. */
  g_assert_null (wait.result);
  g_main_loop_run (loop);

  identity = wavry_keystore_load_user_identity_finish (wait.result, created, error);
  g_object_unref (wait.result);

  return identity;
}

static void
test_secret_service_async (void)
{
  g_autoptr(WavryIdentity) first = NULL;
  g_autoptr(WavryIdentity) second = NULL;
  g_autoptr(WavryIdentity) missing = NULL;
  g_autoptr(WavryIdentity) from_sync = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gboolean created = TRUE;

  if (!require_empty_keyring ())
    return;

  missing = load_async_and_wait (FALSE, NULL, &created, &error);
  g_assert_null (missing);
  g_assert_false (created);
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  first = load_async_and_wait (TRUE, NULL, &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_true (wavry_identity_has_secret (first));

  second = load_async_and_wait (TRUE, NULL, &created, &error);
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_true (wavry_identity_equal (second, first));

  /* The sync API sees the same item. */
  from_sync = wavry_keystore_load_user_identity (FALSE, &created, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_true (wavry_identity_equal (from_sync, first));

  /* Cancelled before it starts. */
  g_cancellable_cancel (cancellable);
  g_clear_object (&second);
  second = load_async_and_wait (TRUE, cancellable, &created, &error);
  g_assert_null (second);
  g_assert_false (created);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  clear_keyring_item ();
}

/* No Secret Service: each case runs in a child process with its own
 * environment, since GDBus and libsecret keep their connections for the
 * life of the process. */

static void
assert_unavailable (const char *words)
{
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = TRUE;

  identity = wavry_keystore_load_user_identity (TRUE, &created, NULL, &error);
  g_assert_null (identity);
  g_assert_false (created);
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_UNAVAILABLE);
  if (strstr (error->message, words) == NULL)
    g_error ("error lacks “%s”: %s", words, error->message);
  g_test_message ("sync: %s", error->message);
  g_clear_error (&error);

  identity = load_async_and_wait (TRUE, NULL, &created, &error);
  g_assert_null (identity);
  g_assert_false (created);
  g_assert_error (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_UNAVAILABLE);
  if (strstr (error->message, words) == NULL)
    g_error ("error lacks “%s”: %s", words, error->message);
}

static void
test_unavailable_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *runtime_dir = g_dir_make_tmp ("wavry-runtime-XXXXXX", &error);

      g_assert_no_error (error);
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      /* Nor a bus socket in the runtime dir, nor X11 to autolaunch one. */
      g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
      g_unsetenv ("DISPLAY");

      assert_unavailable ("no D-Bus session bus");
      g_rmdir (runtime_dir);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_unavailable_dead_bus (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/wavry-test/bus", TRUE);
      assert_unavailable ("cannot connect to the D-Bus session bus");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_unavailable_no_service (void)
{
  g_autofree char *dbus_daemon = g_find_program_in_path ("dbus-daemon");

  if (dbus_daemon == NULL)
    {
      g_test_skip ("dbus-daemon is not installed");
      return;
    }

  if (g_test_subprocess ())
    {
      /* A private bus with no services to activate. */
      g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);

      g_test_dbus_up (bus);
      assert_unavailable ("org.freedesktop.secrets");
      /* stop, not down: libsecret may still hold the connection. */
      g_test_dbus_stop (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/net/keystore/user-key-file-path", test_user_key_file_path);
  g_test_add ("/wavry/net/keystore/file/write-key-pair", Fixture, NULL,
              fixture_set_up, test_write_key_pair, fixture_tear_down);
  g_test_add ("/wavry/net/keystore/file/refuses-overwrite", Fixture, NULL,
              fixture_set_up, test_write_refuses_overwrite, fixture_tear_down);
  g_test_add ("/wavry/net/keystore/file/write-public-only", Fixture, NULL,
              fixture_set_up, test_write_public_only, fixture_tear_down);
  g_test_add ("/wavry/net/keystore/file/permissions", Fixture, NULL,
              fixture_set_up, test_read_permissions, fixture_tear_down);
  g_test_add ("/wavry/net/keystore/file/read-errors", Fixture, NULL,
              fixture_set_up, test_read_errors, fixture_tear_down);
  g_test_add ("/wavry/net/keystore/file/load-or-create", Fixture, NULL,
              fixture_set_up, test_load_or_create_file, fixture_tear_down);
  g_test_add ("/wavry/net/keystore/file/load-or-create-refuses", Fixture, NULL,
              fixture_set_up, test_load_or_create_refuses, fixture_tear_down);
  g_test_add_func ("/wavry/net/keystore/secret-service/sync", test_secret_service_sync);
  g_test_add_func ("/wavry/net/keystore/secret-service/async", test_secret_service_async);
  g_test_add_func ("/wavry/net/keystore/secret-service/damaged", test_secret_service_damaged);
  g_test_add_func ("/wavry/net/keystore/unavailable/no-bus", test_unavailable_no_bus);
  g_test_add_func ("/wavry/net/keystore/unavailable/dead-bus", test_unavailable_dead_bus);
  g_test_add_func ("/wavry/net/keystore/unavailable/no-service", test_unavailable_no_service);

  /* No secret_service_disconnect () at the end: with libsecret 0.20 it
   * makes D-Bus messages still in flight leak, while the connection it
   * holds is merely still reachable. */
  return g_test_run ();
}
