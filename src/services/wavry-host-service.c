/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <sodium.h>

#include "wavry-cli.h"
#include "wavry-host-daemon.h"
#include "wavry-keystore.h"
#include "wavry-mdns-publisher.h"
#include "wavry-net-address.h"

#define DEFAULT_LISTEN "127.0.0.1:0"

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_mdns_failed (WavryMdnsPublisher *publisher,
                GError             *error,
                gpointer            user_data)
{
  g_printerr ("wavry --service=host: %s\n", error->message);
}

/* The TXT codecs= token of what this host streams (PROTOCOL.md §12). */
static const char *
mdns_codec (Rift__Codec codec)
{
  if (codec == RIFT__CODEC__CODEC_HEVC)
    return "hevc";
  if (codec == RIFT__CODEC__CODEC_AV1)
    return "av1";
  return "h264";
}

/* `wavry --service=host`: the headless host daemon. */
int
wavry_host_service_run (int    argc,
                        char **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *key = NULL;
  g_autofree char *trusted_file = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) allow = NULL;
  int max_clients = 0;
  char *service = NULL;
  g_autofree char *capture = NULL;
  g_autofree char *encoder = NULL;
  g_autofree char *codec = NULL;
  int bitrate_kbps = 0, fps = 0, width = 0, height = 0, keyframe_ms = 0, threads = 0;
  gboolean exit_on_eof = FALSE;
  g_autofree char *input = NULL;
  gboolean view_only = FALSE;
  gboolean mdns = FALSE, no_mdns = FALSE;
  const GOptionEntry entries[] = {
    { "service", 0, 0, G_OPTION_ARG_STRING, &service, N_("Role (host)"), N_("ROLE") },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Address to listen on (default " DEFAULT_LISTEN "; port 0 picks a free port)"),
      N_("HOST:PORT") },
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key,
      N_("Host identity (secret key file); default: created in the state directory"),
      N_("PATH") },
    { "allow-client", 'a', 0, G_OPTION_ARG_STRING_ARRAY, &allow,
      N_("Admit this client Wavry ID (repeatable)"), N_("ID") },
    { "trusted-clients", 't', 0, G_OPTION_ARG_FILENAME, &trusted_file,
      N_("Admit the Wavry IDs listed in FILE, one per line (re-read when it changes)"),
      N_("FILE") },
    { "max-clients", 0, 0, G_OPTION_ARG_INT, &max_clients,
      N_("Serve at most N clients at once (default: no limit)"), N_("N") },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      N_("Name shown to clients (default: the host name)"), N_("NAME") },
    { "capture", 'c', 0, G_OPTION_ARG_STRING, &capture,
      N_("What to stream: x11[:DISPLAY], pipewire:NODE_ID, mutter[:CONNECTOR], y4m:PATH, "
         "y4m:- or test-pattern (default: this X display, else a test pattern)"), N_("SOURCE") },
    { "encoder", 0, 0, G_OPTION_ARG_STRING, &encoder,
      N_("Video encoder: auto, vaapi, nvenc, x264 (default auto)"), N_("NAME") },
    { "codec", 0, 0, G_OPTION_ARG_STRING, &codec,
      N_("Video codec: h264, hevc or av1 (default: the lowest-latency one the encoder has)"),
      N_("CODEC") },
    { "bitrate-kbps", 'b', 0, G_OPTION_ARG_INT, &bitrate_kbps,
      N_("Highest video bitrate in kb/s; congestion control stays below it (default 20000)"),
      N_("KBPS") },
    { "fps", 0, 0, G_OPTION_ARG_INT, &fps, N_("Frames per second (default 60)"), N_("N") },
    { "width", 0, 0, G_OPTION_ARG_INT, &width,
      N_("Scale the stream to this width (with --height; default: the source's size)"),
      N_("PIXELS") },
    { "height", 0, 0, G_OPTION_ARG_INT, &height,
      N_("Scale the stream to this height (with --width)"), N_("PIXELS") },
    { "keyframe-interval-ms", 0, 0, G_OPTION_ARG_INT, &keyframe_ms,
      N_("Intra refresh period in milliseconds (default 1000)"), N_("MS") },
    { "encoder-threads", 0, 0, G_OPTION_ARG_INT, &threads,
      N_("Encoder threads (default 1: lowest latency)"), N_("N") },
    { "input", 0, 0, G_OPTION_ARG_STRING, &input,
      N_("How clients' keyboard and mouse reach this machine: auto, xtest, mutter, portal, "
         "uinput or none (default auto: GNOME with --capture mutter, the desktop portal with "
         "--capture pipewire (one dialog for both), XTest on an X display, else uinput)"),
      N_("METHOD") },
    { "view-only", 0, 0, G_OPTION_ARG_NONE, &view_only,
      N_("Clients may watch but not control this machine"), NULL },
    { "exit-on-eof", 0, 0, G_OPTION_ARG_NONE, &exit_on_eof,
      N_("Stop the host when the capture source ends (a y4m file or pipe)"), NULL },
    { "mdns", 0, 0, G_OPTION_ARG_NONE, &mdns,
      N_("Announce this host on the local network (mDNS, through avahi-daemon); the default "
         "unless it listens on a loopback address"), NULL },
    { "no-mdns", 0, 0, G_OPTION_ARG_NONE, &no_mdns,
      N_("Do not announce this host on the local network"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(WavryTrustedClients) trusted = NULL;
  g_autoptr(WavryHostDaemon) daemon = NULL;
  g_autoptr(WavryHostMedia) media = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(WavryMdnsPublisher) publisher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bound = NULL;
  guint sigint_id;
  guint sigterm_id;

  g_option_context_set_summary (context, _("Run the Wavry host daemon: share this machine "
                                           "with trusted Wavry clients over RIFT."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("wavry --service=host: %s\n", error->message);
      return WAVRY_EXIT_USAGE;
    }
  g_free (service);

  if (argc > 1)
    {
      g_printerr (_("wavry --service=host: unexpected argument “%s”\n"), argv[1]);
      return WAVRY_EXIT_USAGE;
    }
  if (mdns && no_mdns)
    {
      g_printerr (_("wavry --service=host: --mdns and --no-mdns contradict each other\n"));
      return WAVRY_EXIT_USAGE;
    }
  if (max_clients < 0)
    {
      g_printerr (_("wavry --service=host: --max-clients must be 0 (no limit) or more\n"));
      return WAVRY_EXIT_USAGE;
    }
  if (bitrate_kbps < 0 || (bitrate_kbps > 0 && (bitrate_kbps < 100 || bitrate_kbps > 500000)) ||
      fps < 0 || fps > 240 || width < 0 || height < 0 || width > 8192 || height > 8192 ||
      (width > 0 && width < 16) || (height > 0 && height < 16) ||
      keyframe_ms < 0 || threads < 0 || threads > 64)
    {
      g_printerr (_("wavry --service=host: out-of-range value: --bitrate-kbps must be "
                    "100…500000, --fps 1…240, --width/--height 16…8192, --encoder-threads "
                    "1…64\n"));
      return WAVRY_EXIT_USAGE;
    }
  if (sodium_init () < 0)
    {
      g_printerr (_("wavry: the cryptography library (libsodium) failed to start\n"));
      return WAVRY_EXIT_FAILURE;
    }

  {
    WavryHostMediaConfig media_config = { 0 };

    if (capture == NULL)
      capture = g_strdup (g_getenv ("DISPLAY") != NULL ? "x11" : "test-pattern");
    media_config.capture_spec = capture;
    media_config.encoder = encoder;
    media_config.codec = codec;
    media_config.width = width;
    media_config.height = height;
    media_config.fps = fps;
    media_config.bitrate_kbps = bitrate_kbps;
    media_config.keyframe_interval_ms = keyframe_ms;
    media_config.encoder_threads = threads;
    media = wavry_host_media_new (&media_config, &error);
    if (media == NULL)
      {
        g_printerr ("wavry --service=host: %s\n", error->message);
        return WAVRY_EXIT_USAGE;
      }
  }

  {
    WavryInputBackend backend;
    g_autoptr(WavryInputInjector) injector = NULL;

    if (!wavry_input_backend_parse (input ? input : "auto", &backend, &error))
      {
        g_printerr ("wavry --service=host: --input: %s\n", error->message);
        return WAVRY_EXIT_USAGE;
      }
    if (!view_only)
      injector = wavry_input_injector_new_for_backend (backend, capture, NULL, &error);
    if (injector == NULL && wavry_input_injector_error_is_refusal (error))
      {
        g_printerr ("wavry --service=host: the screen was not shared: %s\n", error->message);
        return WAVRY_EXIT_FAILURE;
      }
    if (injector == NULL && error != NULL)
      {
        if (backend != WAVRY_INPUT_BACKEND_AUTO)
          {
            g_printerr ("wavry --service=host: --input: %s\n", error->message);
            return WAVRY_EXIT_USAGE;
          }
        g_message ("Clients cannot control this machine: %s", error->message);
        g_clear_error (&error);
      }
    else if (injector != NULL)
      g_message ("Input from clients through %s", wavry_input_injector_get_description (injector));
    else
      g_message ("Clients cannot control this machine: %s",
                 view_only ? "--view-only" : "--input none");
    wavry_host_media_set_injector (media, injector);
    wavry_host_media_set_default_view_only (media, view_only);
  }

  trusted = wavry_trusted_clients_new ();
  for (guint i = 0; allow != NULL && allow[i] != NULL; i++)
    {
      g_autoptr(GError) id_error = NULL;

      if (!wavry_id_decode (allow[i], (guint8[32]) { 0 }, &id_error))
        {
          g_printerr ("wavry --service=host: --allow-client: %s\n", id_error->message);
          return WAVRY_EXIT_USAGE;
        }
      wavry_trusted_clients_add (trusted, allow[i]);
    }
  if (trusted_file != NULL &&
      !wavry_trusted_clients_load_file (trusted, trusted_file, TRUE, &error))
    {
      g_printerr ("wavry --service=host: --trusted-clients: %s\n", error->message);
      return WAVRY_EXIT_USAGE;
    }

  address = wavry_net_address_resolve (listen ? listen : DEFAULT_LISTEN, 0, NULL, &error);
  if (address == NULL)
    {
      g_printerr ("wavry --service=host: --listen: %s\n", error->message);
      return WAVRY_EXIT_USAGE;
    }

  if (key != NULL)
    identity = wavry_keystore_read_key_file (key, &error);
  else
    {
      g_autofree char *path = wavry_host_daemon_default_key_path ();
      gboolean created = FALSE;

      identity = wavry_keystore_load_or_create_file (path, &created, &error);
      if (identity != NULL && created)
        g_print (_("Created a new host identity in %s\n"), path);
    }
  if (identity == NULL)
    {
      g_printerr ("wavry --service=host: %s\n", error->message);
      return WAVRY_EXIT_FAILURE;
    }
  if (!wavry_identity_has_secret (identity))
    {
      g_printerr (_("wavry --service=host: %s is a public key; the host needs its secret "
                    "key file (.key)\n"), key);
      return WAVRY_EXIT_USAGE;
    }

  /* Handle SIGINT/SIGTERM before announcing the address: whoever starts us
   * may stop us as soon as it has read it. */
  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, loop);

  daemon = wavry_host_daemon_new (identity, trusted, name);
  wavry_host_daemon_set_max_clients (daemon, max_clients);
  wavry_host_daemon_set_media (daemon, media);
  if (exit_on_eof)
    g_signal_connect_swapped (media, "capture-ended", G_CALLBACK (g_main_loop_quit), loop);
  if (!wavry_host_daemon_start (daemon, address, &error))
    {
      g_printerr ("wavry --service=host: %s\n", error->message);
      g_source_remove (sigint_id);
      g_source_remove (sigterm_id);
      return WAVRY_EXIT_FAILURE;
    }

  bound = wavry_net_address_to_string (G_SOCKET_ADDRESS (wavry_host_daemon_get_local_address (daemon)));
  g_print (_("Wavry host listening on %s\n"), bound);
  g_print (_("Wavry ID: %s\n"), wavry_identity_get_id (identity));
  g_print (_("Sharing %s once a client connects\n"), capture);
  if (wavry_trusted_clients_get_size (trusted) == 0)
    g_print (_("No trusted clients yet: every client will be refused. Allow one with "
               "--allow-client ID or --trusted-clients FILE.\n"));

  /* mDNS (PROTOCOL.md §12): on by default unless only this machine can
   * reach us; a missing avahi-daemon does not stop the host. */
  if (mdns || (!no_mdns && !g_inet_address_get_is_loopback (
                 g_inet_socket_address_get_address (address))))
    {
      g_autoptr(GError) mdns_error = NULL;
      const char *display_name = name != NULL ? name : g_get_host_name ();
      const char *codecs[] = { mdns_codec (wavry_host_media_get_codec (media)), NULL };
      GInetSocketAddress *local = wavry_host_daemon_get_local_address (daemon);

      publisher = wavry_mdns_publisher_new (display_name,
                                            g_inet_socket_address_get_port (local),
                                            wavry_identity_get_id (identity), display_name,
                                            codecs);
      g_signal_connect (publisher, "failed", G_CALLBACK (on_mdns_failed), NULL);
      if (wavry_mdns_publisher_start (publisher, &mdns_error))
        g_print (_("Announcing this host on the local network (mDNS) as “%s”\n"),
                 wavry_mdns_publisher_get_name (publisher));
      else
        g_printerr (_("wavry --service=host: %s; not announced on the local network\n"),
                    mdns_error->message);
    }

  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  if (publisher != NULL)
    wavry_mdns_publisher_stop (publisher);
  wavry_host_daemon_stop (daemon);
  g_print (_("Wavry host stopped\n"));

  return WAVRY_EXIT_OK;
}
