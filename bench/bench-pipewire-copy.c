/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-bench-util.h"
#include "wavry-capture-pipewire.h"

/* What the PipeWire capture costs per frame on top of PipeWire itself: the
 * copy of one mapped buffer (padded stride, chunk offset) into a new
 * 64-byte aligned WavryVideoFrame, as wavry_capture_pipewire_copy_frame()
 * does for every frame pushed. Single thread; the source buffer is larger
 * than the last-level cache at 1080p and up, as a real screen buffer is. */

typedef struct
{
  const char      *name;
  WavryPixelFormat format;
  guint            width;
  guint            height;
} Case;

static const Case cases[] = {
  { "1280x720 BGRx", WAVRY_PIXEL_FORMAT_BGRX, 1280, 720 },
  { "1920x1080 BGRx", WAVRY_PIXEL_FORMAT_BGRX, 1920, 1080 },
  { "1920x1080 NV12", WAVRY_PIXEL_FORMAT_NV12, 1920, 1080 },
  { "1920x1080 I420", WAVRY_PIXEL_FORMAT_I420, 1920, 1080 },
  { "3840x2160 BGRx", WAVRY_PIXEL_FORMAT_BGRX, 3840, 2160 },
};

#define CHUNK_OFFSET 256

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *command = wavry_bench_command_line (argc, argv);
  double seconds;

  seconds = wavry_bench_parse_options (&argc, &argv, "bench-pipewire-copy",
                                       "Per-frame copy cost of the PipeWire capture "
                                       "(wavry_capture_pipewire_copy_frame), single thread.",
                                       0.1, NULL);

  wavry_bench_print_header (command);
  g_print ("# one frame = allocate a WavryVideoFrame + copy every plane from a mapped buffer\n"
           "# (stride padded by 64 bytes, chunk offset %d); %.2f s per case after a warm-up\n",
           CHUNK_OFFSET, seconds);
  g_print ("# %-16s  %10s  %10s  %10s\n", "case", "frames", "µs/frame", "GB/s");

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const Case *k = &cases[c];
      gboolean yuv = k->format == WAVRY_PIXEL_FORMAT_NV12 || k->format == WAVRY_PIXEL_FORMAT_I420;
      gsize stride = (yuv ? k->width : k->width * 4) + 64;
      gsize bytes = yuv ? stride * k->height * 3 / 2 : stride * k->height;
      gsize payload = yuv ? (gsize) k->width * k->height * 3 / 2 : (gsize) k->width * 4 * k->height;
      g_autofree guint8 *memory = g_malloc (CHUNK_OFFSET + bytes);
      WavryPipewirePlane plane = { memory, CHUNK_OFFSET + bytes, CHUNK_OFFSET, bytes, stride };
      guint64 frames = 0;
      gint64 start, elapsed, warmup_end;

      for (gsize i = 0; i < CHUNK_OFFSET + bytes; i++)
        memory[i] = (guint8) (i * 7);

      warmup_end = g_get_monotonic_time () + MAX ((gint64) (seconds * G_USEC_PER_SEC) / 5, 20000);
      while (g_get_monotonic_time () < warmup_end)
        {
          WavryVideoFrame *frame = wavry_capture_pipewire_copy_frame (k->format, k->width, k->height,
                                                                      &plane, 1, &error);
          if (frame == NULL)
            wavry_bench_die ("bench-pipewire-copy: %s: %s", k->name, error->message);
          wavry_video_frame_unref (frame);
        }

      start = g_get_monotonic_time ();
      do
        {
          WavryVideoFrame *frame = wavry_capture_pipewire_copy_frame (k->format, k->width, k->height,
                                                                      &plane, 1, NULL);
          if (frame == NULL || memcmp (wavry_video_frame_get_data (frame, 0),
                                       memory + CHUNK_OFFSET, 16) != 0)
            wavry_bench_die ("bench-pipewire-copy: %s: wrong copy", k->name);
          wavry_video_frame_unref (frame);
          frames++;
          elapsed = g_get_monotonic_time () - start;
        }
      while (elapsed < (gint64) (seconds * G_USEC_PER_SEC));

      g_print ("  %-16s  %10" G_GUINT64_FORMAT "  %10.1f  %10.2f\n", k->name, frames,
               (double) elapsed / frames, (double) payload * frames / elapsed / 1000.0);
    }
  return 0;
}
