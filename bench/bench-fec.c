/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gprintf.h>

#include "wavry-bench-util.h"
#include "wavry-rift-fec.h"
#include "wavry-rift-proto.h"

/* RIFT §6.3 FEC throughput, one thread, k = 16 data packets of 1200 B.
 *
 * encode: wavry_rift_fec_encoder_add() × k, then _pop() of the m parity
 *   packets (Reed–Solomon over ISA-L plus the FecPacket serialization).
 * decode: a fresh decoder per batch of groups; each group loses m data
 *   packets: add_data() × (k − m), add_parity() × m (already unpacked), and
 *   pop_recovered() × m. Every recovered packet is compared with the
 *   original once per batch outside the timing; a mismatch stops the run.
 * MB/s = 10^6 data-packet bytes (not parity) per second. */

#define K       16
#define SIZE    1200
#define GROUPS  64   /* per batch: the decoder's group bound */

typedef struct
{
  guint64  packets;
  gint64   elapsed_us;
} Result;

static guint8 payload[GROUPS][K][SIZE];

static Result
run_encode (guint  m,
            gint64 duration_us)
{
  g_autoptr(WavryRiftFecEncoder) enc = wavry_rift_fec_encoder_new (K);
  Result r = { 0, 0 };
  guint64 id = 0;
  gint64 start, now;

  wavry_rift_fec_encoder_set_parity (enc, m);
  start = g_get_monotonic_time ();
  do
    {
      for (guint g = 0; g < GROUPS; g++)
        {
          GBytes *b;
          guint n = 0;

          for (guint i = 0; i < K; i++)
            wavry_rift_fec_encoder_add (enc, id++, payload[g][i], SIZE);
          while ((b = wavry_rift_fec_encoder_pop (enc)) != NULL)
            {
              g_bytes_unref (b);
              n++;
            }
          if (n != m)
            wavry_bench_die ("bench-fec: encoder gave %u parity packets, not %u", n, m);
        }
      r.packets += GROUPS * K;
      now = g_get_monotonic_time ();
    }
  while (now - start < duration_us);
  r.elapsed_us = now - start;
  return r;
}

/* GROUPS groups of parity for payload[], ids from 0. */
static Rift__Message **
make_parity (guint m)
{
  g_autoptr(WavryRiftFecEncoder) enc = wavry_rift_fec_encoder_new (K);
  Rift__Message **parity = g_new0 (Rift__Message *, GROUPS * m);

  wavry_rift_fec_encoder_set_parity (enc, m);
  for (guint g = 0; g < GROUPS; g++)
    {
      for (guint i = 0; i < K; i++)
        wavry_rift_fec_encoder_add (enc, (guint64) g * K + i, payload[g][i], SIZE);
      for (guint j = 0; j < m; j++)
        {
          g_autoptr(GBytes) b = wavry_rift_fec_encoder_pop (enc);

          parity[g * m + j] = wavry_rift_message_unpack (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
          if (parity[g * m + j] == NULL)
            wavry_bench_die ("bench-fec: encoder output does not parse");
        }
    }
  return parity;
}

static Result
run_decode (guint           m,
            Rift__Message **parity,
            gint64          duration_us)
{
  Result r = { 0, 0 };
  gint64 start, now;
  guint64 recovered_ids[GROUPS * K];
  GBytes *recovered[GROUPS * K];
  guint n_recovered;

  start = g_get_monotonic_time ();
  do
    {
      g_autoptr(WavryRiftFecDecoder) dec = wavry_rift_fec_decoder_new ();

      n_recovered = 0;
      for (guint g = 0; g < GROUPS; g++)
        {
          /* Lose data packets (g + 3i) mod K, i < m: the loss positions move. */
          guint32 lost = 0;

          for (guint i = 0; i < m; i++)
            lost |= 1u << ((g + 3 * i) % K);
          for (guint i = 0; i < K; i++)
            if (!((lost >> i) & 1))
              wavry_rift_fec_decoder_add_data (dec, (guint64) g * K + i, payload[g][i], SIZE, 0);
          for (guint j = 0; j < m; j++)
            wavry_rift_fec_decoder_add_parity (dec, parity[g * m + j]->media->fec, 0);
          while (wavry_rift_fec_decoder_pop_recovered (dec, &recovered_ids[n_recovered],
                                                       &recovered[n_recovered]))
            n_recovered++;
        }
      r.packets += GROUPS * K;
      now = g_get_monotonic_time ();

      if (n_recovered != GROUPS * m)
        wavry_bench_die ("bench-fec: recovered %u packets, not %u", n_recovered, GROUPS * m);
      for (guint i = 0; i < n_recovered; i++)
        {
          guint64 id = recovered_ids[i];

          if (g_bytes_get_size (recovered[i]) != SIZE ||
              memcmp (g_bytes_get_data (recovered[i], NULL), payload[id / K][id % K], SIZE) != 0)
            wavry_bench_die ("bench-fec: packet %" G_GUINT64_FORMAT " recovered wrong", id);
          g_bytes_unref (recovered[i]);
        }
    }
  while (now - start < duration_us);
  r.elapsed_us = now - start;
  return r;
}

static double
mb_per_second (Result r)
{
  return (double) r.packets * SIZE / (double) r.elapsed_us;
}

int
main (int   argc,
      char *argv[])
{
  static const guint ms[] = { 1, 2, 4 };
  g_autofree char *command = wavry_bench_command_line (argc, argv);
  double seconds;
  GRand *rand = g_rand_new_with_seed (42);
  gint64 duration_us;

  seconds = wavry_bench_parse_options (&argc, &argv, "bench-fec",
                                       "RIFT Reed–Solomon FEC encode and decode throughput, "
                                       "k = 16, 1200-byte packets, single thread.",
                                       0.1, NULL);
  duration_us = (gint64) (seconds * G_USEC_PER_SEC);

  for (guint g = 0; g < GROUPS; g++)
    for (guint i = 0; i < K; i++)
      for (guint b = 0; b < SIZE; b++)
        payload[g][i][b] = g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);

  wavry_bench_print_header (command);
  g_print ("# single thread, k = %u, %u-byte packets, %.2f s per case after a %.2f s warm-up\n",
           K, SIZE, seconds, seconds / 5);
  g_print ("# encode: add x k + pop x m; decode: m data packets of every group lost and\n"
           "#   recovered (add_data, add_parity, pop_recovered); MB/s of data packets\n");
  g_print ("#\n");
  g_print ("# %2s  %8s  %12s  %12s  %14s\n", "m", "overhead", "encode MB/s", "decode MB/s", "decode pkt/s");

  for (guint c = 0; c < G_N_ELEMENTS (ms); c++)
    {
      guint m = ms[c];
      Rift__Message **parity = make_parity (m);
      Result enc, dec;

      run_encode (m, duration_us / 5);
      enc = run_encode (m, duration_us);
      run_decode (m, parity, duration_us / 5);
      dec = run_decode (m, parity, duration_us);
      g_print ("  %2u  %7.1f%%  %12.1f  %12.1f  %14.0f\n", m, 100.0 * m / K,
               mb_per_second (enc), mb_per_second (dec),
               (double) dec.packets * G_USEC_PER_SEC / dec.elapsed_us);

      for (guint i = 0; i < GROUPS * m; i++)
        wavry_rift_message_free (parity[i]);
      g_free (parity);
    }

  return EXIT_SUCCESS;
}
