/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * Pinning hosts to the Wavry ID they proved first, in a real file. */
#include "config.h"

#include <glib/gstdio.h>

#include "wavry-identity.h"
#include "wavry-known-hosts.h"

static char *
temp_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wavry-known-hosts-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, "sub", "known-hosts", NULL);
}

static void
remove_path (const char *path)
{
  g_autofree char *sub = g_path_get_dirname (path);
  g_autofree char *dir = g_path_get_dirname (sub);

  g_unlink (path);
  g_rmdir (sub);
  g_rmdir (dir);
}

static void
test_pin_and_mismatch (void)
{
  g_autofree char *path = temp_path ();
  g_autoptr(WavryIdentity) host = wavry_identity_generate ();
  g_autoptr(WavryIdentity) impostor = wavry_identity_generate ();
  const char *id = wavry_identity_get_id (host);
  g_autoptr(WavryKnownHosts) hosts = NULL;
  g_autoptr(WavryKnownHosts) again = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  hosts = wavry_known_hosts_new (path, &error);
  g_assert_no_error (error);
  {
    g_autofree char *pin = wavry_known_hosts_lookup (hosts, "192.0.2.10:7878");

    g_assert_null (pin);
  }
  /* no pin yet: anything passes, and the first connection pins it */
  g_assert_true (wavry_known_hosts_check (hosts, "192.0.2.10:7878", wavry_identity_get_id (impostor), &error));
  g_assert_true (wavry_known_hosts_remember (hosts, "192.0.2.10:7878", id, "office", &error));
  g_assert_no_error (error);
  {
    g_autofree char *pin = wavry_known_hosts_lookup (hosts, "192.0.2.10:7878");

    g_assert_cmpstr (pin, ==, id);
  }
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* it survives a restart; a different ID is refused with words to act on */
  again = wavry_known_hosts_new (path, &error);
  g_assert_no_error (error);
  {
    g_autofree char *pin = wavry_known_hosts_lookup (again, "192.0.2.10:7878");

    g_assert_cmpstr (pin, ==, id);
  }
  g_assert_true (wavry_known_hosts_check (again, "192.0.2.10:7878", id, &error));
  g_assert_false (wavry_known_hosts_check (again, "192.0.2.10:7878",
                                           wavry_identity_get_id (impostor), &error));
  g_assert_error (error, WAVRY_KNOWN_HOSTS_ERROR, WAVRY_KNOWN_HOSTS_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, id));
  g_assert_nonnull (strstr (error->message, wavry_identity_get_id (impostor)));
  g_clear_error (&error);
  g_assert_false (wavry_known_hosts_remember (again, "192.0.2.10:7878",
                                              wavry_identity_get_id (impostor), NULL, &error));
  g_assert_error (error, WAVRY_KNOWN_HOSTS_ERROR, WAVRY_KNOWN_HOSTS_ERROR_MISMATCH);
  g_clear_error (&error);
  {
    g_autofree char *pin = wavry_known_hosts_lookup (again, "192.0.2.10:7878");

    g_assert_cmpstr (pin, ==, id);
  }

  /* forgetting is explicit */
  g_assert_true (wavry_known_hosts_forget (again, "192.0.2.10:7878", &error));
  {
    g_autofree char *pin = wavry_known_hosts_lookup (again, "192.0.2.10:7878");

    g_assert_null (pin);
  }
  g_assert_true (wavry_known_hosts_remember (again, "192.0.2.10:7878",
                                             wavry_identity_get_id (impostor), NULL, &error));
  g_assert_no_error (error);
  remove_path (path);
}

static void
test_recent_and_ipv6 (void)
{
  g_autofree char *path = temp_path ();
  g_autoptr(WavryIdentity) a = wavry_identity_generate ();
  g_autoptr(WavryIdentity) b = wavry_identity_generate ();
  g_autoptr(WavryKnownHosts) hosts = wavry_known_hosts_new (path, NULL);
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GError) error = NULL;
  WavryKnownHost *first;

  g_assert_true (wavry_known_hosts_remember (hosts, "[2001:db8::1]:7878", wavry_identity_get_id (a),
                                             "laptop", &error));
  g_assert_no_error (error);
  g_usleep (1100 * 1000);   /* last-used has a resolution of one second */
  g_assert_true (wavry_known_hosts_remember (hosts, "desk.local:7878", wavry_identity_get_id (b),
                                             "desk", &error));
  recent = wavry_known_hosts_list_recent (hosts, 10);
  g_assert_cmpuint (recent->len, ==, 2);
  first = g_ptr_array_index (recent, 0);
  g_assert_cmpstr (first->address, ==, "desk.local:7878");
  g_assert_cmpstr (first->name, ==, "desk");
  g_assert_cmpstr (((WavryKnownHost *) g_ptr_array_index (recent, 1))->address, ==, "[2001:db8::1]:7878");
  {
    g_autofree char *pin = wavry_known_hosts_lookup (hosts, "[2001:db8::1]:7878");

    g_assert_cmpstr (pin, ==, wavry_identity_get_id (a));
  }
  g_clear_pointer (&recent, g_ptr_array_unref);
  recent = wavry_known_hosts_list_recent (hosts, 1);
  g_assert_cmpuint (recent->len, ==, 1);

  /* bad input refused */
  g_assert_false (wavry_known_hosts_remember (hosts, "x:1", "not-an-id", NULL, &error));
  g_assert_error (error, WAVRY_KNOWN_HOSTS_ERROR, WAVRY_KNOWN_HOSTS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (wavry_known_hosts_remember (hosts, "", wavry_identity_get_id (a), NULL, &error));
  g_assert_error (error, WAVRY_KNOWN_HOSTS_ERROR, WAVRY_KNOWN_HOSTS_ERROR_INVALID);
  remove_path (path);
}

/* A damaged file is an error naming it; it is never read as "no pins". */
static void
test_damaged_file (void)
{
  g_autofree char *path = temp_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryKnownHosts) hosts = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "[192.0.2.1:7878]\nid=not-an-id\n", -1, NULL));
  hosts = wavry_known_hosts_new (path, &error);
  g_assert_null (hosts);
  g_assert_error (error, WAVRY_KNOWN_HOSTS_ERROR, WAVRY_KNOWN_HOSTS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, "this is not a key file", -1, NULL));
  hosts = wavry_known_hosts_new (path, &error);
  g_assert_null (hosts);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, path));
  remove_path (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (wavry_identity_init_crypto (NULL));

  g_test_add_func ("/wavry/net/known-hosts/pin-and-mismatch", test_pin_and_mismatch);
  g_test_add_func ("/wavry/net/known-hosts/recent-and-ipv6", test_recent_and_ipv6);
  g_test_add_func ("/wavry/net/known-hosts/damaged-file", test_damaged_file);
  return g_test_run ();
}
