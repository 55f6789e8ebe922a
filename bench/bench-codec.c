/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <stdlib.h>

#include <libavcodec/avcodec.h>

#include "wavry-bench-util.h"
#include "wavry-stream-stats.h"
#include "wavry-video-decoder.h"
#include "wavry-video-encoder.h"

/* Per-frame encode and decode latency of the host/client video path:
 * libx264 (ultrafast, zerolatency, intra refresh, no B-frames) at 10 Mbit/s,
 * 60 fps, one and two (slice) threads, then the libavcodec H.264 decoder on
 * one thread. Encode time is wavry_video_encoder_encode() as a whole (input
 * copy + encode); decode time is wavry_video_decoder_decode() as a whole
 * (Annex-B check + decode + copy out to I420). Input is I420 with moving
 * screen-like content (smooth background, a scrolling band of fine detail
 * and a moving box), rendered before timing starts. */

#define N_SOURCES 16
#define FPS 60
#define KBPS 10000

static const struct { guint width, height; } sizes[] = { { 1280, 720 }, { 1920, 1080 } };
static const guint thread_counts[] = { 1, 2 };

static WavryVideoFrame *
render (guint width,
        guint height,
        guint t)
{
  WavryVideoFrame *frame = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, width, height);
  guint bx = (t * 23) % (width - 200), by = (t * 11) % (height - 150);

  for (guint y = 0; y < height; y++)
    {
      guint8 *row = wavry_video_frame_get_data (frame, 0) + y * wavry_video_frame_get_stride (frame, 0);
      gboolean band = ((y + t * 4) % height) < height / 6;

      for (guint x = 0; x < width; x++)
        {
          guint v = 60 + (x * 100 / width) + (y * 60 / height);

          if (band)   /* text-like fine detail, scrolling */
            v = (((x / 2) * 7 + (y / 2) * 13 + t) % 11) < 4 ? 230 : 30;
          if (x >= bx && x < bx + 200 && y >= by && y < by + 150)
            v = 200;
          row[x] = (guint8) v;
        }
    }
  for (guint p = 1; p < 3; p++)
    for (guint y = 0; y < height / 2; y++)
      {
        guint8 *row = wavry_video_frame_get_data (frame, p) + y * wavry_video_frame_get_stride (frame, p);

        for (guint x = 0; x < width / 2; x++)
          row[x] = (guint8) (128 + (p == 1 ? 1 : -1) * (int) ((x + y + t) % 40));
      }
  return frame;
}

int
main (int   argc,
      char *argv[])
{
  int frames = 300;
  gboolean quick = FALSE;
  const GOptionEntry entries[] = {
    { "frames", 'n', 0, G_OPTION_ARG_INT, &frames, "Frames per case (default 300)", "N" },
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick, "20 frames per case (smoke test)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *command = wavry_bench_command_line (argc, argv);
  g_autofree char *cpu = wavry_bench_cpu_model ();

  wavry_bench_parse (&argc, &argv, "bench-codec",
                     "Per-frame libx264 encode and H.264 decode latency (p50/p95) "
                     "at 720p and 1080p, 10 Mbit/s, 60 fps.",
                     entries);
  if (quick)
    frames = 20;
  if (frames < 1 || frames > 100000)
    wavry_bench_die ("bench-codec: --frames must be in 1..100000");

  g_print ("# command: %s\n", command);
  g_print ("# cpu: %s (%u logical)\n", cpu, g_get_num_processors ());
  g_print ("# libavcodec %s; libx264 ultrafast/zerolatency, intra refresh, no B-frames, %u kbit/s,\n"
           "#   %u fps, VBV one frame; decoder: libavcodec h264, 1 thread, low delay\n",
           av_version_info (), KBPS, FPS);
  g_print ("# %d frames per case (the first, the IDR, is left out of the figures); times in ms\n", frames);
  g_print ("#\n");
  g_print ("# %-9s  %7s  %8s  %8s  %8s  %8s  %9s\n",
           "size", "threads", "enc p50", "enc p95", "dec p50", "dec p95", "avg bytes");

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      guint width = sizes[s].width, height = sizes[s].height;
      WavryVideoFrame *sources[N_SOURCES];

      for (guint i = 0; i < N_SOURCES; i++)
        sources[i] = render (width, height, i);

      for (guint c = 0; c < G_N_ELEMENTS (thread_counts); c++)
        {
          WavryVideoEncoderConfig config = {
            .codec = RIFT__CODEC__CODEC_H264, .width = width, .height = height, .fps = FPS,
            .bitrate_kbps = KBPS, .threads = thread_counts[c],
          };
          g_autoptr(WavryVideoEncoder) encoder = NULL;
          g_autoptr(WavryVideoDecoder) decoder = NULL;
          g_autofree gint64 *enc_us = g_new (gint64, frames);
          g_autofree gint64 *dec_us = g_new (gint64, frames);
          guint64 bytes = 0;
          guint n = 0;

          encoder = wavry_video_encoder_new ("x264", &config, &error);
          if (encoder == NULL)
            wavry_bench_die ("bench-codec: %s", error->message);
          decoder = wavry_video_decoder_new (RIFT__CODEC__CODEC_H264, FALSE, &error);
          if (decoder == NULL)
            wavry_bench_die ("bench-codec: %s", error->message);

          for (int t = 0; t < frames; t++)
            {
              WavryVideoFrame *source = sources[t % N_SOURCES];
              g_autoptr(WavryEncodedFrame) encoded = NULL;
              g_autoptr(WavryVideoFrame) decoded = NULL;
              gint64 start;

              wavry_video_frame_set_pts (source, (gint64) t * G_USEC_PER_SEC / FPS);
              encoded = wavry_video_encoder_encode (encoder, source, FALSE, &error);
              if (encoded == NULL)
                wavry_bench_die ("bench-codec: encode: %s", error->message);
              start = g_get_monotonic_time ();
              decoded = wavry_video_decoder_decode (decoder, g_bytes_get_data (encoded->data, NULL),
                                                    g_bytes_get_size (encoded->data), encoded->pts_us, &error);
              if (decoded == NULL)
                wavry_bench_die ("bench-codec: decode: %s", error->message);
              if (t == 0)
                continue;
              dec_us[n] = g_get_monotonic_time () - start;
              enc_us[n] = encoded->encode_us;
              bytes += g_bytes_get_size (encoded->data);
              n++;
            }

          if (n == 0)
            {
              g_print ("  %4ux%-4u  %7u  (one frame only: nothing to report)\n", width, height, thread_counts[c]);
              continue;
            }
          g_print ("  %4ux%-4u  %7u  %8.2f  %8.2f  %8.2f  %8.2f  %9" G_GUINT64_FORMAT "\n",
                   width, height, thread_counts[c],
                   wavry_percentile (enc_us, n, 50) / 1000.0,
                   wavry_percentile (enc_us, n, 95) / 1000.0,
                   wavry_percentile (dec_us, n, 50) / 1000.0,
                   wavry_percentile (dec_us, n, 95) / 1000.0,
                   bytes / n);
        }

      for (guint i = 0; i < N_SOURCES; i++)
        wavry_video_frame_unref (sources[i]);
    }

  return EXIT_SUCCESS;
}
