/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */

/* Replays fuzz corpora without libFuzzer, so that ordinary (gcc) builds run every target
 * over its seeds and past crashers (test suite 'fuzz-corpus').
 *
 *   fuzz-NAME [DIR|FILE]...
 *
 * Every regular file in each DIR (sorted, not recursive) and every FILE is passed to
 * LLVMFuzzerTestOneInput() once. The output is TAP, one test point per input, so a crash
 * names the input that caused it. Each input is copied into a buffer of exactly its size,
 * so sanitizers catch reads past the end. */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "wavry-fuzz.h"

/* Optional, as with libFuzzer: a weak reference stays NULL when the target has none. */
#pragma weak LLVMFuzzerInitialize

static gboolean
run_one (const char *path,
         guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *copy = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_print ("not ok %u - %s # %s\n", n, path, error->message);
      return FALSE;
    }

  /* malloc (0) may return NULL; libFuzzer passes a valid pointer even for empty input */
  copy = g_malloc (MAX (length, 1));
  memcpy (copy, contents, length);
  g_clear_pointer (&contents, g_free);

  LLVMFuzzerTestOneInput (copy, length);
  g_print ("ok %u - %s\n", n, path);
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  gboolean all_ok = TRUE;

  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GPtrArray) entries = NULL;
      const char *name;

      if (!g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_ptr_array_add (inputs, g_strdup (argv[i]));
          continue;
        }

      dir = g_dir_open (argv[i], 0, &error);
      if (dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          g_print ("Bail out! %s\n", error->message);
          return 1;
        }

      entries = g_ptr_array_new_with_free_func (g_free);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);

          if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
            g_ptr_array_add (entries, g_steal_pointer (&path));
        }
      g_ptr_array_sort (entries, compare_strings);
      g_ptr_array_extend_and_steal (inputs, g_steal_pointer (&entries));
    }

  if (inputs->len == 0)
    {
      g_print ("1..0 # SKIP no corpus files given\n");
      return 0;
    }

  g_print ("1..%u\n", inputs->len);
  for (guint i = 0; i < inputs->len; i++)
    all_ok &= run_one (g_ptr_array_index (inputs, i), i + 1);

  return all_ok ? 0 : 1;
}
