/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <protobuf-c/protobuf-c.h>
#include <sodium.h>

#include "wavry-cli.h"
#include "wavry-cli-private.h"
#include "wavry-connection.h"
#include "wavry-keystore.h"
#include "wavry-media-info.h"
#include "wavry-net-address.h"
#include "wavry-rift-frame.h"

typedef int (*VerbFunc) (int argc, char **argv, const char *extra_versions);

static int verb_keygen  (int argc, char **argv, const char *extra_versions);
static int verb_show_id (int argc, char **argv, const char *extra_versions);
static int verb_version (int argc, char **argv, const char *extra_versions);

static int
verb_ping (int          argc,
           char       **argv,
           const char  *extra_versions)
{
  return wavry_cli_ping (argc, argv);
}

static int
verb_connect (int          argc,
              char       **argv,
              const char  *extra_versions)
{
  return wavry_cli_connect (argc, argv);
}

static const struct {
  const char *name;
  VerbFunc    func;
} verbs[] = {
  { "keygen", verb_keygen },
  { "show-id", verb_show_id },
  { "version", verb_version },
  { "ping", verb_ping },
  { "connect", verb_connect },
};

gboolean
wavry_cli_is_verb (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_strcmp0 (word, verbs[i].name) == 0)
      return TRUE;

  return FALSE;
}

int
wavry_cli_run (int          argc,
               char       **argv,
               const char  *extra_versions)
{
  g_return_val_if_fail (argc >= 2, WAVRY_EXIT_USAGE);

  if (sodium_init () < 0)
    {
      g_printerr (_("wavry: the cryptography library (libsodium) failed to start\n"));
      return WAVRY_EXIT_FAILURE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_str_equal (argv[1], verbs[i].name))
      {
        g_autofree char *prgname = g_strdup_printf ("wavry %s", verbs[i].name);

        /* "Usage: wavry ping [OPTION…]" in --help and option errors */
        g_set_prgname (prgname);
        return verbs[i].func (argc - 1, argv + 1, extra_versions);
      }

  g_printerr (_("wavry: unknown command “%s”. Commands: keygen, show-id, ping, connect, version; "
                "or --service=host\n"), argv[1]);
  return WAVRY_EXIT_USAGE;
}

/* Parses options; prints what is wrong and how to fix it. */
static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("wavry %s: %s\n", (*argv)[0], error->message);
      g_printerr (_("Run “wavry %s --help” for usage.\n"), (*argv)[0]);
      return FALSE;
    }

  if (*argc > 1)
    {
      g_printerr (_("wavry %s: unexpected argument “%s”\n"), (*argv)[0], (*argv)[1]);
      g_printerr (_("Run “wavry %s --help” for usage.\n"), (*argv)[0]);
      return FALSE;
    }

  return TRUE;
}

static int
verb_keygen (int          argc,
             char       **argv,
             const char  *extra_versions)
{
  g_autofree char *output = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write PREFIX.key (secret, mode 0600) and PREFIX.pub"), N_("PREFIX") },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force,
      N_("Replace existing key files"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, _("Create a new Ed25519 device identity."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv))
    return WAVRY_EXIT_USAGE;

  if (output == NULL || *output == '\0')
    {
      g_printerr (_("wavry keygen: --output PREFIX is required, for example "
                    "“wavry keygen --output ~/wavry/laptop”\n"));
      return WAVRY_EXIT_USAGE;
    }

  identity = wavry_identity_generate ();
  if (!wavry_keystore_write_key_pair (identity, output, force, &error))
    {
      g_printerr ("wavry keygen: %s\n", error->message);
      return WAVRY_EXIT_FAILURE;
    }

  g_print (_("Wrote %s.key (secret: keep it private) and %s.pub\n"), output, output);
  g_print (_("Wavry ID: %s\n"), wavry_identity_get_id (identity));

  return WAVRY_EXIT_OK;
}

static int
verb_show_id (int          argc,
              char       **argv,
              const char  *extra_versions)
{
  g_autofree char *key = NULL;
  const GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key,
      N_("A secret (.key) or public (.pub) key file"), N_("PATH") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, _("Print the Wavry ID of a key file, or of your "
                                           "own identity when no --key is given."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv))
    return WAVRY_EXIT_USAGE;

  if (key != NULL)
    identity = wavry_keystore_read_key_file (key, &error);
  else
    {
      identity = wavry_keystore_load_user_identity (FALSE, NULL, NULL, &error);
      if (identity == NULL &&
          g_error_matches (error, WAVRY_KEYSTORE_ERROR, WAVRY_KEYSTORE_ERROR_UNAVAILABLE))
        {
          g_autofree char *path = wavry_keystore_get_user_key_file_path ();

          g_clear_error (&error);
          identity = wavry_keystore_read_key_file (path, &error);
        }
    }

  if (identity == NULL)
    {
      g_printerr ("wavry show-id: %s\n", error->message);
      return WAVRY_EXIT_FAILURE;
    }

  g_print ("%s\n", wavry_identity_get_id (identity));
  return WAVRY_EXIT_OK;
}

static int
verb_version (int          argc,
              char       **argv,
              const char  *extra_versions)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree char *media = NULL;

  g_option_context_set_summary (context, _("Print the version of Wavry and its libraries."));
  if (!parse_options (context, &argc, &argv))
    return WAVRY_EXIT_USAGE;

  media = wavry_media_describe_libraries ();

  g_print ("Wavry %s\n", PACKAGE_VERSION);
  g_print (_("RIFT protocol version %u\n"), WAVRY_RIFT_VERSION);
  g_print (_("Libraries: GLib %u.%u.%u, libsodium %s, protobuf-c %s, libsecret %u.%u.%u, "
             "json-glib %s, %s%s%s\n"),
           glib_major_version, glib_minor_version, glib_micro_version,
           sodium_version_string (), protobuf_c_version (),
           SECRET_MAJOR_VERSION, SECRET_MINOR_VERSION, SECRET_MICRO_VERSION,
           JSON_VERSION_S, media,
           extra_versions ? ", " : "", extra_versions ? extra_versions : "");

  return WAVRY_EXIT_OK;
}
