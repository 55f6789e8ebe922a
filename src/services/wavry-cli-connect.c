/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <unistd.h>

#include "wavry-cli.h"
#include "wavry-cli-private.h"
#include "wavry-client-media.h"
#include "wavry-connection.h"
#include "wavry-net-address.h"

/* `wavry connect HOST:PORT --headless`: receive a stream and write it out.
 * Standard output may carry the video (--sink y4m:-), so every message goes
 * to standard error. */

typedef struct
{
  GMainLoop        *loop;
  WavryConnection  *connection;
  WavryClientMedia *media;
  const char       *server;
  guint             duration_ms;
  gboolean          quiet;
  int               exit_code;
} ConnectRun;

static gboolean
on_quit_signal (gpointer user_data)
{
  ConnectRun *run = user_data;

  g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_duration (gpointer user_data)
{
  ConnectRun *run = user_data;

  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

static void
on_pending_approval (WavryConnection *connection,
                     gpointer         user_data)
{
  g_printerr (_("Waiting for the host’s owner to approve this device…\n"));
}

static void
on_closed (WavryConnection *connection,
           const GError    *error,
           gpointer         user_data)
{
  ConnectRun *run = user_data;

  g_printerr (_("wavry connect: the session with %s ended: %s\n"), run->server,
              error != NULL ? error->message : _("closed by the host"));
  run->exit_code = WAVRY_EXIT_FAILURE;
  g_main_loop_quit (run->loop);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ConnectRun *run = user_data;
  g_autoptr(GError) error = NULL;
  const Rift__HelloAck *ack;

  if (!wavry_connection_connect_finish (WAVRY_CONNECTION (source), result, &error))
    {
      g_printerr (_("wavry connect: cannot connect to %s: %s\n"), run->server, error->message);
      run->exit_code = WAVRY_EXIT_FAILURE;
      g_main_loop_quit (run->loop);
      return;
    }

  ack = wavry_connection_get_hello_ack (run->connection);
  if (!run->quiet)
    {
      g_printerr (_("Connected to %s in %.1f ms (host Wavry ID %s)\n"), run->server,
                  wavry_connection_get_handshake_us (run->connection) / 1000.0,
                  wavry_connection_get_host_id (run->connection));
      g_printerr (_("Stream: %s, %u×%u at up to %u fps, %u kb/s\n"),
                  ack->selected_codec == RIFT__CODEC__CODEC_H264 ? "H.264" :
                  ack->selected_codec == RIFT__CODEC__CODEC_HEVC ? "HEVC" : "AV1",
                  ack->stream_resolution ? ack->stream_resolution->width : 0,
                  ack->stream_resolution ? ack->stream_resolution->height : 0,
                  ack->fps, ack->initial_bitrate_kbps);
    }

  if (!wavry_client_media_attach (run->media, run->connection, &error))
    {
      g_printerr (_("wavry connect: cannot receive the stream: %s\n"), error->message);
      run->exit_code = WAVRY_EXIT_FAILURE;
      g_main_loop_quit (run->loop);
      return;
    }
  if (run->duration_ms > 0)
    g_timeout_add (run->duration_ms, on_duration, run);
}

int
wavry_cli_connect (int    argc,
                   char **argv)
{
  g_autofree char *key = NULL;
  g_autofree char *expect_id = NULL;
  g_autofree char *sink = NULL;
  g_autofree char *record = NULL;
  g_autofree char *stats = NULL;
  g_auto(GStrv) rest = NULL;
  gboolean headless = FALSE;
  gboolean no_hw = FALSE;
  gboolean quiet = FALSE;
  double duration = 0;
  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &headless,
      N_("Receive without a window (write the video with --sink or --record)"), NULL },
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key,
      N_("Connect as the identity in this secret key file (default: your own)"), N_("PATH") },
    { "expect-id", 'e', 0, G_OPTION_ARG_STRING, &expect_id,
      N_("Refuse the host unless it proves this Wavry ID"), N_("ID") },
    { "sink", 0, 0, G_OPTION_ARG_STRING, &sink,
      N_("Write every decoded frame as YUV4MPEG2 to PATH, or to standard output with “-”"),
      N_("y4m:PATH") },
    { "record", 'r', 0, G_OPTION_ARG_FILENAME, &record,
      N_("Record the stream as received (no re-encoding) into FILE (.mkv, .mp4, .mov, .ts)"),
      N_("FILE") },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &duration,
      N_("Stop after S seconds of streaming (default: until interrupted)"), N_("S") },
    { "stats", 0, 0, G_OPTION_ARG_FILENAME, &stats,
      N_("Write statistics as one JSON object per second to FILE"), N_("FILE") },
    { "no-hwaccel", 0, 0, G_OPTION_ARG_NONE, &no_hw,
      N_("Decode in software even where VA-API works"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("Print only errors and the final summary"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, N_("HOST:PORT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("HOST:PORT"));
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(WavryIdentity) identity = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  WavryClientMediaConfig media_config = { 0 };
  Rift__Codec codecs[3];
  gsize n_codecs;
  ConnectRun run = { 0 };
  guint sigint, sigterm;

  g_option_context_set_summary (context, _("Connect to a Wavry host and receive its screen."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("wavry connect: %s\n", error->message);
      g_printerr (_("Run “wavry connect --help” for usage.\n"));
      return WAVRY_EXIT_USAGE;
    }

  if (rest == NULL || rest[0] == NULL || rest[1] != NULL)
    {
      g_printerr (_("wavry connect: give exactly one host address, for example "
                    "“wavry connect 192.0.2.10:7878 --headless --sink y4m:out.y4m”\n"));
      return WAVRY_EXIT_USAGE;
    }
  if (!headless)
    {
      g_printerr (_("wavry connect: without --headless the stream opens in the Wavry app; "
                    "this command receives headless only. Add --headless.\n"));
      return WAVRY_EXIT_USAGE;
    }
  if (duration < 0 || duration > 365.0 * 24 * 3600)
    {
      g_printerr (_("wavry connect: --duration must be a positive number of seconds\n"));
      return WAVRY_EXIT_USAGE;
    }
  if (expect_id != NULL && !wavry_id_is_valid (expect_id))
    {
      g_autoptr(GError) id_error = NULL;

      wavry_id_decode (expect_id, (guint8[32]) { 0 }, &id_error);
      g_printerr ("wavry connect: --expect-id: %s\n", id_error->message);
      return WAVRY_EXIT_USAGE;
    }

  address = wavry_net_address_resolve (rest[0], 0, NULL, &error);
  if (address == NULL)
    {
      g_printerr ("wavry connect: %s\n", error->message);
      return WAVRY_EXIT_USAGE;
    }
  if (g_inet_socket_address_get_port (address) == 0)
    {
      g_printerr (_("wavry connect: “%s” has no port; use HOST:PORT\n"), rest[0]);
      return WAVRY_EXIT_USAGE;
    }

  media_config.sink = sink;
  media_config.record = record;
  media_config.stats_path = stats;
  media_config.hw_decode = !no_hw;
  media_config.live_status = !quiet && isatty (STDERR_FILENO);
  run.media = wavry_client_media_new (&media_config, &error);
  if (run.media == NULL)
    {
      g_printerr ("wavry connect: %s\n", error->message);
      return WAVRY_EXIT_USAGE;
    }

  identity = wavry_cli_load_identity (key, &error);
  if (identity == NULL)
    {
      g_printerr ("wavry connect: %s\n", error->message);
      g_clear_object (&run.media);
      return WAVRY_EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.server = rest[0];
  run.duration_ms = (guint) (duration * 1000 + 0.5);
  run.quiet = quiet;
  run.connection = wavry_connection_new (identity, NULL);
  n_codecs = wavry_client_media_get_codecs (run.media, codecs);
  wavry_connection_set_codecs (run.connection, codecs, n_codecs);
  g_signal_connect (run.connection, "pending-approval", G_CALLBACK (on_pending_approval), &run);
  g_signal_connect (run.connection, "closed", G_CALLBACK (on_closed), &run);

  if (expect_id == NULL && !quiet)
    g_printerr (_("Note: no --expect-id given, so the host’s identity is reported but not "
                  "verified.\n"));

  sigint = g_unix_signal_add (SIGINT, on_quit_signal, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_quit_signal, &run);

  wavry_connection_connect_async (run.connection, address, expect_id, NULL, connect_cb, &run);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (!wavry_client_media_detach (run.media, &error))
    {
      g_printerr (_("wavry connect: %s\n"), error->message);
      run.exit_code = WAVRY_EXIT_FAILURE;
    }
  {
    WavryClientMediaStats st;

    wavry_client_media_get_stats (run.media, &st);
    if (!quiet || run.exit_code != 0)
      g_printerr (_("Received %" G_GUINT64_FORMAT " frames (%" G_GUINT64_FORMAT " decoded, %"
                    G_GUINT64_FORMAT " output, %" G_GUINT64_FORMAT " lost, %" G_GUINT64_FORMAT
                    " dropped), %" G_GUINT64_FORMAT " packets recovered by FEC, %"
                    G_GUINT64_FORMAT " asked for again (NACK)\n"),
                  st.frames_complete, st.frames_decoded, st.frames_output, st.frames_lost,
                  st.frames_dropped, st.fec_recovered, st.nacks_sent);
  }

  wavry_connection_close (run.connection);
  g_clear_object (&run.connection);
  g_clear_object (&run.media);

  return run.exit_code;
}
