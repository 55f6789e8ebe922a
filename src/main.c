/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "wavry-cli.h"

#if WAVRY_HAVE_GUI
# include <adwaita.h>
# include "wavry-application.h"
#endif

/* The one binary: the GNOME app, a headless service (--service=ROLE), or a
 * command-line verb. Picked before anything else starts, so services never
 * initialise GTK (STYLE.md §B). */
int
main (int   argc,
      char *argv[])
{
  g_autofree char *toolkit = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--service="))
        {
          const char *role = argv[i] + strlen ("--service=");

          if (g_str_equal (role, "host"))
            return wavry_host_service_run (argc, argv);
          if (g_str_equal (role, "relay") || g_str_equal (role, "master"))
            {
              g_printerr (_("wavry: the %s service is not part of this version of Wavry "
                            "yet.\n"), role);
              return WAVRY_EXIT_FAILURE;
            }
          g_printerr (_("wavry: unknown service “%s”; use --service=host, "
                        "--service=relay or --service=master\n"), role);
          return WAVRY_EXIT_USAGE;
        }
    }

#if WAVRY_HAVE_GUI
  toolkit = g_strdup_printf ("GTK %u.%u.%u, libadwaita %u.%u.%u",
                             gtk_get_major_version (), gtk_get_minor_version (),
                             gtk_get_micro_version (), adw_get_major_version (),
                             adw_get_minor_version (), adw_get_micro_version ());
#endif

  if (argc >= 2 && argv[1][0] != '-')
    return wavry_cli_run (argc, argv, toolkit);

#if WAVRY_HAVE_GUI
  {
    g_autoptr(WavryApplication) app = wavry_application_new ();

    return g_application_run (G_APPLICATION (app), argc, argv);
  }
#else
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      g_print (_("Usage: wavry COMMAND [OPTIONS]  or  wavry --service=host [OPTIONS]\n"
                 "Commands: keygen, show-id, ping, connect, version. Add --help after one for its options.\n"));
      return WAVRY_EXIT_OK;
    }
  g_printerr (_("wavry: this build has no graphical interface (built with -Dgui=false).\n"
                "Use a command (keygen, show-id, ping, connect, version) or --service=host.\n"));
  return WAVRY_EXIT_USAGE;
#endif
}
