/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-bench-util.h"
#include "wavry-rift-packetizer.h"
#include "wavry-rift-proto.h"
#include "wavry-rift-reassembler.h"

/* RIFT §6.1 video path throughput, one thread. "tx" is the host side:
 * wavry_rift_packetize_frame() into serialized Messages. "rx" is the client
 * side: wavry_rift_message_unpack() of every chunk, add_chunk() with the
 * chunks of each frame in shuffled order, pop_frame(). Every frame popped
 * is checked against the frame sent. */

static const gsize sizes[] = { 1200, 20 * 1000, 100 * 1000, 500 * 1000, 3 * 1000 * 1000 };

typedef struct
{
  guint64 frames;
  guint64 chunks;
  gint64  tx_us;
  gint64  rx_us;
} Result;

static void
run_size (gsize    size,
          gint64   duration_us,
          Result  *result)
{
  g_autoptr(WavryRiftReassembler) r = wavry_rift_reassembler_new ();
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (size);
  guint64 frame_id = 0;
  gint64 start = g_get_monotonic_time ();

  for (gsize i = 0; i < size; i++)
    data[i] = g_rand_int (rand);
  *result = (Result) { 0 };

  while (g_get_monotonic_time () - start < duration_us)
    {
      g_autoptr(GPtrArray) chunks = NULL;
      g_autoptr(WavryRiftVideoFrame) frame = NULL;
      gint64 t0, t1, t2;

      t0 = g_get_monotonic_time ();
      chunks = wavry_rift_packetize_frame (frame_id, data, size, frame_id * 16667, FALSE, 0, 0);
      t1 = g_get_monotonic_time ();
      result->tx_us += t1 - t0;

      /* A fixed swap pattern stands in for reordering, outside the timing. */
      for (guint i = 1; i < chunks->len; i += 7)
        {
          gpointer tmp = chunks->pdata[i];
          chunks->pdata[i] = chunks->pdata[i - 1];
          chunks->pdata[i - 1] = tmp;
        }

      t1 = g_get_monotonic_time ();
      for (guint i = 0; i < chunks->len; i++)
        {
          gsize len;
          const guint8 *bytes = g_bytes_get_data (chunks->pdata[i], &len);
          g_autoptr(Rift__Message) message = wavry_rift_message_unpack (bytes, len);

          if (message == NULL ||
              !wavry_rift_reassembler_add_chunk (r, message->media->video, t1))
            wavry_bench_die ("bench-reassembler: chunk %u of frame %" G_GUINT64_FORMAT " refused",
                             i, frame_id);
        }
      frame = wavry_rift_reassembler_pop_frame (r);
      t2 = g_get_monotonic_time ();

      if (frame == NULL || frame->frame_id != frame_id ||
          g_bytes_get_size (frame->data) != size ||
          memcmp (g_bytes_get_data (frame->data, NULL), data, size) != 0)
        wavry_bench_die ("bench-reassembler: frame %" G_GUINT64_FORMAT " did not round-trip",
                         frame_id);

      result->rx_us += t2 - t1;
      result->chunks += chunks->len;
      result->frames++;
      frame_id++;
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *command = wavry_bench_command_line (argc, argv);
  double seconds;

  seconds = wavry_bench_parse_options (&argc, &argv, "bench-reassembler",
                                       "RIFT video packetizer and reassembler throughput, single thread.",
                                       0.1, NULL);

  wavry_bench_print_header (command);
  g_print ("# single thread, %.2f s per frame size (after a %.2f s warm-up)\n",
           seconds, seconds / 5);
  g_print ("# tx = wavry_rift_packetize_frame (1200-byte chunks, packed Messages)\n"
           "# rx = wavry_rift_message_unpack + wavry_rift_reassembler_add_chunk per chunk\n"
           "#      (chunks lightly reordered) + pop_frame; every frame verified\n"
           "# MB/s = 10^6 frame bytes per second\n#\n");
  g_print ("# %8s  %8s  %10s  %10s  %10s  %10s\n",
           "size", "chunks", "tx MB/s", "rx MB/s", "rx ns/chk", "rx fr/s");

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      Result res;

      run_size (sizes[i], (gint64) (seconds * G_USEC_PER_SEC / 5), &res);
      run_size (sizes[i], (gint64) (seconds * G_USEC_PER_SEC), &res);
      g_print ("  %8" G_GSIZE_FORMAT "  %8" G_GSIZE_FORMAT "  %10.1f  %10.1f  %10.0f  %10.0f\n",
               sizes[i], (sizes[i] + 1199) / 1200,
               res.frames * (double) sizes[i] / MAX (res.tx_us, 1),
               res.frames * (double) sizes[i] / MAX (res.rx_us, 1),
               res.rx_us * 1000.0 / MAX (res.chunks, 1),
               res.frames * 1e6 / MAX (res.rx_us, 1));
    }

  return 0;
}
