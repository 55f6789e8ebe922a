/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gprintf.h>
#include <sodium.h>

#include "wavry-rift-frame.h"
#include "wavry-rift-noise.h"
#include "wavry-bench-util.h"
#include "wavry-rift-packet.h"
#include "wavry-rift-replay-window.h"

/* RIFT transport seal+open throughput against bare libsodium, one thread.
 *
 * One "packet" is the whole round trip a datagram takes: the sender's
 * wavry_rift_packet_seal() and the receiver's wavry_rift_header_decode()
 * plus wavry_rift_packet_open() (replay check, decrypt, mark). The raw case
 * does only crypto_aead_chacha20poly1305_ietf_encrypt() and _decrypt() with
 * the same 18-byte associated data and nonce layout, so the ratio shows what
 * the RIFT framing (header encode, CRC, decode, replay window) costs on top
 * of the AEAD itself. Every open is checked; a failure stops the run. */

#define BATCH 64
/* Each case's time is split into this many alternating RIFT / raw slices. */
#define ROUNDS 10

static const gsize sizes[] = { 64, 256, 1200, 1452 };

typedef struct
{
  WavryNoiseCipher send;
  WavryNoiseCipher recv;
  guint64          next_id;
  guint8           payload[1452];
  guint8           datagram[1452 + WAVRY_RIFT_PACKET_OVERHEAD];
  guint8           plain[1452 + WAVRY_RIFT_PACKET_OVERHEAD];
} Bench;

typedef struct
{
  guint64 packets;
  gint64  elapsed_us;
} Result;

/* Keys from the Split() of a real RIFT handshake (RIFT §3.1, §3.2). */
static void
handshake (Bench *b)
{
  guint8 client_secret[WAVRY_NOISE_KEY_LEN];
  guint8 host_secret[WAVRY_NOISE_KEY_LEN];
  guint8 msg[512];
  guint8 payload[64];
  gsize len, payload_len;
  g_autoptr(WavryNoiseHandshake) client = NULL;
  g_autoptr(WavryNoiseHandshake) host = NULL;
  g_autoptr(GError) error = NULL;
  WavryNoiseCipher host_send, client_recv;

  randombytes_buf (client_secret, sizeof client_secret);
  randombytes_buf (host_secret, sizeof host_secret);
  client = wavry_noise_handshake_new (WAVRY_NOISE_HASH_BLAKE2S, TRUE, WAVRY_RIFT_NOISE_PROLOGUE,
                                      WAVRY_RIFT_NOISE_PROLOGUE_LEN, client_secret);
  host = wavry_noise_handshake_new (WAVRY_NOISE_HASH_BLAKE2S, FALSE, WAVRY_RIFT_NOISE_PROLOGUE,
                                    WAVRY_RIFT_NOISE_PROLOGUE_LEN, host_secret);
  sodium_memzero (client_secret, sizeof client_secret);
  sodium_memzero (host_secret, sizeof host_secret);
  if (client == NULL || host == NULL)
    wavry_bench_die ("bench-seal-open: cannot create Noise handshakes");

  if (!wavry_noise_handshake_write_message (client, NULL, 0, msg, sizeof msg, &len, &error) ||
      !wavry_noise_handshake_read_message (host, msg, len, payload, sizeof payload, &payload_len, &error) ||
      !wavry_noise_handshake_write_message (host, NULL, 0, msg, sizeof msg, &len, &error) ||
      !wavry_noise_handshake_read_message (client, msg, len, payload, sizeof payload, &payload_len, &error) ||
      !wavry_noise_handshake_write_message (client, NULL, 0, msg, sizeof msg, &len, &error) ||
      !wavry_noise_handshake_read_message (host, msg, len, payload, sizeof payload, &payload_len, &error))
    wavry_bench_die ("bench-seal-open: handshake failed: %s", error->message);

  /* Client → host: the direction video does not take, but the keys and the
   * code path are the same either way. */
  if (!wavry_noise_handshake_split (client, &b->send, &client_recv) ||
      !wavry_noise_handshake_split (host, &host_send, &b->recv))
    wavry_bench_die ("bench-seal-open: Split() failed");
  wavry_noise_cipher_clear (&client_recv);
  wavry_noise_cipher_clear (&host_send);
}

static void
rift_packet (Bench                 *b,
             WavryRiftReplayWindow *window,
             gsize                  size)
{
  WavryRiftHeader header;
  WavryRiftDrop drop;
  gsize len;
  gsize plain_len = 0;
  guint64 id = b->next_id++;

  len = wavry_rift_packet_seal (&b->send, WAVRY_RIFT_BOOTSTRAP_ALIAS, id,
                                b->payload, size, b->datagram, sizeof b->datagram);
  if (len != size + WAVRY_RIFT_PACKET_OVERHEAD)
    wavry_bench_die ("bench-seal-open: seal of packet %" G_GUINT64_FORMAT " returned %" G_GSIZE_FORMAT,
         id, len);

  drop = wavry_rift_header_decode (b->datagram, len, &header);
  if (drop != WAVRY_RIFT_DROP_NONE)
    wavry_bench_die ("bench-seal-open: header of packet %" G_GUINT64_FORMAT " dropped: %s",
         id, wavry_rift_drop_to_string (drop));

  drop = wavry_rift_packet_open (&b->recv, window, &header, b->datagram, len,
                                 b->plain, &plain_len);
  if (drop != WAVRY_RIFT_DROP_NONE || plain_len != size)
    wavry_bench_die ("bench-seal-open: open of packet %" G_GUINT64_FORMAT " failed: %s",
         id, wavry_rift_drop_to_string (drop));
}

static void
raw_packet (Bench        *b,
            const guint8  header[WAVRY_RIFT_TRANSPORT_HEADER_LEN],
            gsize         size)
{
  guint8 npub[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = { 0 };
  unsigned long long clen, mlen;
  guint64 id = b->next_id++;

  for (guint i = 0; i < 8; i++)
    npub[4 + i] = (id >> (8 * i)) & 0xff;

  if (crypto_aead_chacha20poly1305_ietf_encrypt (b->datagram + WAVRY_RIFT_TRANSPORT_HEADER_LEN,
                                                 &clen, b->payload, size,
                                                 header, WAVRY_RIFT_TRANSPORT_HEADER_LEN,
                                                 NULL, npub, b->send.key) != 0)
    wavry_bench_die ("bench-seal-open: raw encrypt of packet %" G_GUINT64_FORMAT " failed", id);

  if (crypto_aead_chacha20poly1305_ietf_decrypt (b->plain, &mlen, NULL,
                                                 b->datagram + WAVRY_RIFT_TRANSPORT_HEADER_LEN,
                                                 clen, header, WAVRY_RIFT_TRANSPORT_HEADER_LEN,
                                                 npub, b->recv.key) != 0 ||
      mlen != size)
    wavry_bench_die ("bench-seal-open: raw decrypt of packet %" G_GUINT64_FORMAT " failed", id);
}

static void
check_plaintext (Bench      *b,
                 gsize       size,
                 const char *what)
{
  if (memcmp (b->plain, b->payload, size) != 0)
    wavry_bench_die ("bench-seal-open: %s: %" G_GSIZE_FORMAT "-byte plaintext differs after the round trip",
         what, size);
}

/* Runs whole batches until @duration_us has passed. */
static Result
run_case (Bench    *b,
          gboolean  rift,
          gsize     size,
          gint64    duration_us)
{
  WavryRiftReplayWindow window;
  guint8 header[WAVRY_RIFT_TRANSPORT_HEADER_LEN];
  Result r = { 0, 0 };
  gint64 start, now;

  /* A fresh window per case; ids keep counting up, in order. */
  wavry_rift_replay_window_init (&window);
  wavry_rift_header_encode_transport (header, WAVRY_RIFT_BOOTSTRAP_ALIAS, 0);

  start = g_get_monotonic_time ();
  do
    {
      for (guint i = 0; i < BATCH; i++)
        {
          if (rift)
            rift_packet (b, &window, size);
          else
            raw_packet (b, header, size);
        }
      r.packets += BATCH;
      now = g_get_monotonic_time ();
    }
  while (now - start < duration_us);
  r.elapsed_us = now - start;

  check_plaintext (b, size, rift ? "RIFT" : "raw");
  return r;
}

static void
result_add (Result *sum,
            Result  r)
{
  sum->packets += r.packets;
  sum->elapsed_us += r.elapsed_us;
}

static double
packets_per_second (const Result *r)
{
  return (double) r->packets * G_USEC_PER_SEC / (double) r->elapsed_us;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *command = wavry_bench_command_line (argc, argv);
  double seconds;
  Bench *b;
  gint64 duration_us, warmup_us;

  seconds = wavry_bench_parse_options (&argc, &argv, "bench-seal-open",
                                       "RIFT packet seal+open throughput against raw libsodium "
                                       "ChaCha20-Poly1305-IETF, single thread.",
                                       0.1, NULL);
  if (sodium_init () < 0)
    wavry_bench_die ("bench-seal-open: sodium_init() failed");

  duration_us = (gint64) (seconds * G_USEC_PER_SEC);
  warmup_us = MAX (duration_us / 5, 20000);

  /* Keys and buffers in locked memory, like a real session would want. */
  b = sodium_malloc (sizeof *b);
  if (b == NULL)
    wavry_bench_die ("bench-seal-open: sodium_malloc() failed");
  memset (b, 0, sizeof *b);
  randombytes_buf (b->payload, sizeof b->payload);
  handshake (b);

  wavry_bench_print_header (command);
  g_print ("# libsodium %s, single thread; per size %.2f s warm-up, then %.2f s for each\n"
           "#   of RIFT and raw, in %u alternating slices\n",
           sodium_version_string (), warmup_us / (double) G_USEC_PER_SEC, seconds, ROUNDS);
  g_print ("# packet = seal + open; RIFT: wavry_rift_packet_seal, wavry_rift_header_decode,\n"
           "#   wavry_rift_packet_open (128-packet replay window, in-order ids);\n"
           "#   raw: crypto_aead_chacha20poly1305_ietf_encrypt + _decrypt, same 18-byte AD\n"
           "# MB/s = 10^6 payload bytes per second through seal+open\n");
  g_print ("#\n");
  g_print ("# %5s  %10s  %12s  %10s  %12s  %8s\n",
           "size", "RIFT MB/s", "RIFT pkt/s", "raw MB/s", "raw pkt/s", "RIFT/raw");

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gsize size = sizes[i];
      Result rift = { 0, 0 };
      Result raw = { 0, 0 };
      double rift_pps, raw_pps;

      run_case (b, TRUE, size, warmup_us);
      run_case (b, FALSE, size, warmup_us);
      /* Alternate short slices of both, so that clock changes and noisy
       * neighbours on a shared machine hit the two sides alike. */
      for (guint round = 0; round < ROUNDS; round++)
        {
          result_add (&rift, run_case (b, TRUE, size, duration_us / ROUNDS));
          result_add (&raw, run_case (b, FALSE, size, duration_us / ROUNDS));
        }

      rift_pps = packets_per_second (&rift);
      raw_pps = packets_per_second (&raw);
      g_print ("  %5" G_GSIZE_FORMAT "  %10.1f  %12.0f  %10.1f  %12.0f  %8.3f\n",
               size,
               rift_pps * size / 1e6, rift_pps,
               raw_pps * size / 1e6, raw_pps,
               rift_pps / raw_pps);
    }

  g_print ("# every open verified (%" G_GUINT64_FORMAT " packets)\n", b->next_id);

  wavry_noise_cipher_clear (&b->send);
  wavry_noise_cipher_clear (&b->recv);
  sodium_free (b);

  return EXIT_SUCCESS;
}
