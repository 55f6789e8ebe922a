/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wavry-identity.h"
#include "wavry-service-error.h"
#include "wavry-trusted-clients.h"
#include "wavry-test-udp-proxy.h"

static void
test_parse (void)
{
  g_autoptr(WavryIdentity) a = wavry_identity_generate ();
  g_autoptr(WavryIdentity) b = wavry_identity_generate ();
  g_autofree char *text = g_strdup_printf ("# trusted devices\n\n  %s laptop\n%s\t# desk\n",
                                           wavry_identity_get_id (a), wavry_identity_get_id (b));
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = wavry_trusted_clients_parse (text, strlen (text), "clients.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, wavry_identity_get_id (a));
  g_assert_cmpstr (g_ptr_array_index (ids, 1), ==, wavry_identity_get_id (b));
}

static void
test_parse_errors (void)
{
  static const char *bad[] = {
    "not-an-id\n",
    "AAAA\n",
    "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n",
    "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("# ok\n%s", bad[i]);
      g_autoptr(GPtrArray) ids = wavry_trusted_clients_parse (text, strlen (text), "t.txt", &error);

      g_assert_null (ids);
      g_assert_error (error, WAVRY_SERVICE_ERROR, WAVRY_SERVICE_ERROR_INVALID_CONFIG);
      /* The message points at the file and line. */
      g_assert_true (g_str_has_prefix (error->message, "t.txt:2: "));
    }
}

typedef struct
{
  WavryTrustedClients *trusted;
  const char          *id;
} WaitData;

static gboolean
contains (gpointer data)
{
  WaitData *w = data;

  return wavry_trusted_clients_contains (w->trusted, w->id);
}

static guint n_keep_warnings;

/* Counts the "keeping the previous list" warnings, then logs as usual. */
static GLogWriterOutput
count_writer (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        strstr (fields[i].value, "Keeping the previous") != NULL)
      n_keep_warnings++;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static gboolean
saw_keep_warning (gpointer data)
{
  return n_keep_warnings > 0;
}

static void
test_file_reload (void)
{
  g_autoptr(WavryTrustedClients) trusted = wavry_trusted_clients_new ();
  g_autoptr(WavryIdentity) a = wavry_identity_generate ();
  g_autoptr(WavryIdentity) b = wavry_identity_generate ();
  g_autoptr(WavryIdentity) c = wavry_identity_generate ();
  g_autofree char *dir = g_dir_make_tmp ("wavry-trust-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trusted", NULL);
  g_autoptr(GError) error = NULL;
  WaitData wait = { trusted, NULL };
  GLogLevelFlags old_fatal;

  wavry_trusted_clients_add (trusted, wavry_identity_get_id (c));
  g_assert_true (g_file_set_contents (path, wavry_identity_get_id (a), -1, NULL));
  g_assert_true (wavry_trusted_clients_load_file (trusted, path, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (wavry_trusted_clients_contains (trusted, wavry_identity_get_id (a)));
  g_assert_false (wavry_trusted_clients_contains (trusted, wavry_identity_get_id (b)));
  g_assert_true (wavry_trusted_clients_contains (trusted, wavry_identity_get_id (c)));
  g_assert_cmpuint (wavry_trusted_clients_get_size (trusted), ==, 2);

  /* The owner adds a device while the host runs: picked up without restart. */
  g_assert_true (g_file_set_contents (path, wavry_identity_get_id (b), -1, NULL));
  wait.id = wavry_identity_get_id (b);
  g_assert_true (wavry_test_wait_for (contains, &wait, 10000));
  g_assert_false (wavry_trusted_clients_contains (trusted, wavry_identity_get_id (a)));

  /* A broken edit keeps the previous list, and says so (once per change
   * notification, so possibly more than once). */
  old_fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  n_keep_warnings = 0;
  g_assert_true (g_file_set_contents (path, "garbage\n", -1, NULL));
  g_assert_true (wavry_test_wait_for (saw_keep_warning, NULL, 10000));
  g_log_set_always_fatal (old_fatal);
  g_assert_true (wavry_trusted_clients_contains (trusted, wavry_identity_get_id (b)));

  /* Taking back an added ID leaves the file's alone, even the same one. */
  wavry_trusted_clients_add (trusted, wavry_identity_get_id (b));
  wavry_trusted_clients_remove (trusted, wavry_identity_get_id (c));
  wavry_trusted_clients_remove (trusted, wavry_identity_get_id (b));
  g_assert_false (wavry_trusted_clients_contains (trusted, wavry_identity_get_id (c)));
  g_assert_true (wavry_trusted_clients_contains (trusted, wavry_identity_get_id (b)));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_missing_file (void)
{
  g_autoptr(WavryTrustedClients) trusted = wavry_trusted_clients_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (wavry_trusted_clients_load_file (trusted, "/nonexistent/wavry-trusted", FALSE, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "/nonexistent/wavry-trusted"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (wavry_identity_init_crypto (NULL));
  g_log_set_writer_func (count_writer, NULL, NULL);

  g_test_add_func ("/wavry/services/trusted-clients/parse", test_parse);
  g_test_add_func ("/wavry/services/trusted-clients/parse-errors", test_parse_errors);
  g_test_add_func ("/wavry/services/trusted-clients/file-reload", test_file_reload);
  g_test_add_func ("/wavry/services/trusted-clients/missing-file", test_missing_file);

  return g_test_run ();
}
