/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <isa-l/erasure_code.h>

#include "wavry-rift-fec.h"
#include "wavry-rift-proto.h"

#define T0 G_GINT64_CONSTANT (1000000)

/* One encoded group: k data packets and the parity the encoder made. */
typedef struct
{
  guint       k;
  guint       m;
  guint64     first_id;
  GPtrArray  *data;    /* GBytes */
  GPtrArray  *parity;  /* GBytes, serialized Message{media{fec}} */
} Group;

static void
group_free (Group *g)
{
  g_ptr_array_unref (g->data);
  g_ptr_array_unref (g->parity);
  g_free (g);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Group, group_free)

static GBytes *
random_bytes (GRand *rand,
              gsize  len)
{
  guint8 *buf = g_malloc (MAX (len, 1));

  for (gsize i = 0; i < len; i++)
    buf[i] = g_rand_int_range (rand, 0, 256);
  return g_bytes_new_take (buf, len);
}

static GPtrArray *
drain (WavryRiftFecEncoder *enc)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GBytes *b;

  while ((b = wavry_rift_fec_encoder_pop (enc)) != NULL)
    g_ptr_array_add (out, b);
  return out;
}

/* Encodes one full group of k packets with lengths in [min_len, max_len]. */
static Group *
encode_group (GRand   *rand,
              guint    k,
              guint    m,
              guint64  first_id,
              gsize    min_len,
              gsize    max_len)
{
  g_autoptr(WavryRiftFecEncoder) enc = wavry_rift_fec_encoder_new (k);
  Group *g = g_new0 (Group, 1);

  g->k = k;
  g->m = m;
  g->first_id = first_id;
  g->data = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  wavry_rift_fec_encoder_set_parity (enc, m);
  g_assert_cmpuint (wavry_rift_fec_encoder_get_parity (enc), ==, m);
  for (guint i = 0; i < k; i++)
    {
      GBytes *b = random_bytes (rand, g_rand_int_range (rand, min_len, max_len + 1));

      g_ptr_array_add (g->data, b);
      if (i + 1 < k)
        g_assert_null (wavry_rift_fec_encoder_pop (enc));
      wavry_rift_fec_encoder_add (enc, first_id + i, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
    }
  g->parity = drain (enc);
  g_assert_cmpuint (g->parity->len, ==, m);
  return g;
}

static Rift__Message *
unpack_fec (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  Rift__Message *msg = wavry_rift_message_unpack (data, len);

  g_assert_nonnull (msg);
  g_assert_cmpint (msg->content_case, ==, RIFT__MESSAGE__CONTENT_MEDIA);
  g_assert_cmpint (msg->media->content_case, ==, RIFT__MEDIA_MESSAGE__CONTENT_FEC);
  return msg;
}

static void
feed_data (WavryRiftFecDecoder *dec,
           Group               *g,
           guint                i)
{
  GBytes *b = g_ptr_array_index (g->data, i);

  wavry_rift_fec_decoder_add_data (dec, g->first_id + i, g_bytes_get_data (b, NULL),
                                   g_bytes_get_size (b), T0);
}

static void
feed_parity (WavryRiftFecDecoder *dec,
             Group               *g,
             guint                j)
{
  g_autoptr(Rift__Message) msg = unpack_fec (g_ptr_array_index (g->parity, j));

  g_assert_true (wavry_rift_fec_decoder_add_parity (dec, msg->media->fec, T0));
}

/* Takes what the decoder recovered so far: each must be a packet not fed
 * as data (it may be one still in flight: recovering it early is fine),
 * reported once, with its original bytes. */
static void
drain_recovered (WavryRiftFecDecoder *dec,
                 Group               *g,
                 guint64              fed,
                 guint64             *recovered)
{
  guint64 id;
  GBytes *bytes;

  while (wavry_rift_fec_decoder_pop_recovered (dec, &id, &bytes))
    {
      guint i;

      g_assert_cmpuint (id, >=, g->first_id);
      g_assert_cmpuint (id, <, g->first_id + g->k);
      i = id - g->first_id;
      g_assert_false ((fed >> i) & 1);
      g_assert_false ((*recovered >> i) & 1);
      *recovered |= G_GUINT64_CONSTANT (1) << i;
      g_assert_true (g_bytes_equal (bytes, g_ptr_array_index (g->data, i)));
      g_bytes_unref (bytes);
    }
}

/* Feeds the k + m packets in @order (indices into data then parity),
 * skipping those in @pattern (lost). Up to m losses: every data packet ends
 * up fed or recovered. More: nothing is recovered. */
static void
run_order (Group       *g,
           const guint *order,
           guint64      pattern)
{
  g_autoptr(WavryRiftFecDecoder) dec = wavry_rift_fec_decoder_new ();
  guint64 data_mask = G_MAXUINT64 >> (64 - g->k);
  guint64 parity_mask = (G_MAXUINT64 >> (64 - g->k - g->m)) & ~data_mask;
  guint64 fed = 0, recovered = 0;

  for (guint n = 0; n < g->k + g->m; n++)
    {
      guint s = order[n];

      if ((pattern >> s) & 1)
        continue;
      if (s < g->k)
        {
          feed_data (dec, g, s);
          fed |= G_GUINT64_CONSTANT (1) << s;
        }
      else
        {
          feed_parity (dec, g, s - g->k);
        }
      drain_recovered (dec, g, fed, &recovered);
    }

  if ((guint) __builtin_popcountll (pattern) <= g->m)
    {
      g_assert_cmphex (fed | recovered, ==, data_mask);
      g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->recovered, ==,
                        __builtin_popcountll (recovered));
    }
  else
    {
      /* A group exists once any of its parity arrived. */
      gboolean counted = (pattern & data_mask) != 0 && (pattern & parity_mask) != parity_mask;

      g_assert_cmphex (recovered, ==, 0);
      wavry_rift_fec_decoder_expire (dec, T0 + WAVRY_RIFT_FEC_GROUP_TIMEOUT_US + 1);
      g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->unrecoverable_groups, ==, counted ? 1 : 0);
    }
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->malformed, ==, 0);
}

/* Data in order then parity, or parity first. */
static void
run_pattern (Group    *g,
             guint64   pattern,
             gboolean  parity_first)
{
  guint order[2 * WAVRY_RIFT_FEC_MAX_K];
  guint n = 0;

  for (guint pass = 0; pass < 2; pass++)
    {
      gboolean parity_pass = (pass == 0) == parity_first;

      for (guint s = 0; s < g->k + g->m; s++)
        if ((s >= g->k) == parity_pass)
          order[n++] = s;
    }
  run_order (g, order, pattern);
}

/* Next integer with the same number of set bits (Gosper's hack). */
static guint64
next_combination (guint64 x)
{
  guint64 c = x & -x;
  guint64 r = x + c;

  return (((r ^ x) >> 2) / c) | r;
}

static void
test_all_loss_patterns (void)
{
  static const struct { guint k, m; } cases[] = {
    { 1, 1 }, { 2, 1 }, { 5, 1 }, { 5, 2 }, { 16, 1 }, { 16, 2 }, { 16, 4 },
  };
  GRand *rand = g_rand_new_with_seed (1);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      guint k = cases[c].k, m = cases[c].m, n = k + m;
      g_autoptr(Group) g = encode_group (rand, k, m, 1000 * c + 7, 1, 1200);
      guint patterns = 0;

      /* Every pattern of up to m losses (exhaustive: 6196 for 16 + 4),
       * parity after data and parity before data. */
      run_pattern (g, 0, FALSE);
      for (guint lost = 1; lost <= m; lost++)
        for (guint64 p = (G_GUINT64_CONSTANT (1) << lost) - 1; p < (G_GUINT64_CONSTANT (1) << n);
             p = next_combination (p))
          {
            run_pattern (g, p, (patterns++ % 2) == 1);
          }
      g_test_message ("k=%u m=%u: %u loss patterns recovered", k, m, patterns);
    }
  g_rand_free (rand);
}

static void
test_too_many_losses (void)
{
  GRand *rand = g_rand_new_with_seed (2);
  g_autoptr(Group) g = encode_group (rand, 16, 4, 50, 100, 1200);

  /* m + 1 data losses: nothing recovered, the group counted unrecoverable. */
  for (guint i = 0; i < 200; i++)
    {
      guint64 pattern = 0;

      while (__builtin_popcountll (pattern) < 5)
        pattern |= G_GUINT64_CONSTANT (1) << g_rand_int_range (rand, 0, 16);
      /* and sometimes a parity loss on top */
      if (i % 2)
        pattern |= G_GUINT64_CONSTANT (1) << g_rand_int_range (rand, 16, 20);
      run_pattern (g, pattern, i % 3 == 0);
    }
  g_rand_free (rand);
}

static void
test_xor_interop (void)
{
  GRand *rand = g_rand_new_with_seed (3);
  g_autoptr(Group) g = encode_group (rand, 5, 1, 1, 1, 1300);
  g_autoptr(Rift__Message) msg = unpack_fec (g_ptr_array_index (g->parity, 0));
  Rift__FecPacket *fec = msg->media->fec;
  guint8 xor[WAVRY_RIFT_FEC_MAX_PACKET] = { 0 };
  gsize longest = 0;

  for (guint i = 0; i < 5; i++)
    {
      gsize len;
      const guint8 *d = g_bytes_get_data (g_ptr_array_index (g->data, i), &len);

      for (gsize b = 0; b < len; b++)
        xor[b] ^= d[b];
      longest = MAX (longest, len);
      g_assert_cmpuint (fec->shard_lengths[i], ==, len);
    }
  g_assert_cmpuint (fec->n_shard_lengths, ==, 5);
  g_assert_cmpuint (fec->group_id, ==, 0);
  g_assert_cmpuint (fec->first_packet_id, ==, 1);
  g_assert_cmpuint (fec->shard_count, ==, 6);
  g_assert_cmpuint (fec->parity_index, ==, 5);
  g_assert_cmpmem (fec->payload.data, fec->payload.len, xor, longest);

  /* The first row of every matrix is ones; the rest never zero. */
  for (guint k = 1; k <= WAVRY_RIFT_FEC_MAX_K; k++)
    for (guint j = 0; j < k; j++)
      for (guint c = 0; c < k; c++)
        {
          if (j == 0)
            g_assert_cmpuint (wavry_rift_fec_coefficient (k, j, c), ==, 1);
          else
            g_assert_cmpuint (wavry_rift_fec_coefficient (k, j, c), !=, 0);
        }
  g_rand_free (rand);
}

/* Random square submatrices of the parity rows are invertible, for k up to
 * 64 and m up to k (beyond what the host sends). */
static void
test_matrix_minors (void)
{
  GRand *rand = g_rand_new_with_seed (4);
  guint8 a[64 * 64], inv[64 * 64];

  for (guint iter = 0; iter < 3000; iter++)
    {
      guint k = g_rand_int_range (rand, 1, 65);
      guint m = g_rand_int_range (rand, 1, k + 1);
      guint size = g_rand_int_range (rand, 1, MIN (k, m) + 1);
      guint rows[64], cols[64];
      guint perm[64];

      for (guint i = 0; i < k; i++)
        perm[i] = i;
      for (guint i = 0; i < k; i++)
        {
          guint r = g_rand_int_range (rand, i, k);
          guint t = perm[i];

          perm[i] = perm[r];
          perm[r] = t;
        }
      memcpy (cols, perm, sizeof cols);
      for (guint i = 0; i < m; i++)
        perm[i] = i;
      for (guint i = 0; i < m; i++)
        {
          guint r = g_rand_int_range (rand, i, m);
          guint t = perm[i];

          perm[i] = perm[r];
          perm[r] = t;
        }
      memcpy (rows, perm, sizeof rows);

      for (guint r = 0; r < size; r++)
        for (guint c = 0; c < size; c++)
          a[r * size + c] = wavry_rift_fec_coefficient (k, rows[r], cols[c]);
      g_assert_cmpint (gf_invert_matrix (a, inv, size), ==, 0);
    }
  g_rand_free (rand);
}

static void
test_partial_and_gaps (void)
{
  GRand *rand = g_rand_new_with_seed (5);
  g_autoptr(WavryRiftFecEncoder) enc = wavry_rift_fec_encoder_new (16);
  g_autoptr(WavryRiftFecDecoder) dec = wavry_rift_fec_decoder_new ();
  g_autoptr(GPtrArray) data = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) parity = NULL;
  static const guint64 ids[] = { 10, 11, 12, 20, 21, 22, 23, 24, 25, 26, 27 };
  guint64 id;
  GBytes *bytes;

  wavry_rift_fec_encoder_set_parity (enc, 4);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      GBytes *b = random_bytes (rand, g_rand_int_range (rand, 10, 1500));

      g_ptr_array_add (data, b);
      wavry_rift_fec_encoder_add (enc, ids[i], g_bytes_get_data (b, NULL), g_bytes_get_size (b));
      if (i == 2)
        g_assert_null (wavry_rift_fec_encoder_pop (enc));
    }
  wavry_rift_fec_encoder_flush (enc);
  wavry_rift_fec_encoder_flush (enc);  /* nothing open: no-op */
  parity = drain (enc);
  /* 3 packets: ceil(3 × 4 / 16) = 1 parity; 8 packets: 2. */
  g_assert_cmpuint (parity->len, ==, 3);

  {
    g_autoptr(Rift__Message) p0 = unpack_fec (g_ptr_array_index (parity, 0));
    g_autoptr(Rift__Message) p1 = unpack_fec (g_ptr_array_index (parity, 1));
    g_autoptr(Rift__Message) p2 = unpack_fec (g_ptr_array_index (parity, 2));

    g_assert_cmpuint (p0->media->fec->group_id, ==, 0);
    g_assert_cmpuint (p0->media->fec->first_packet_id, ==, 10);
    g_assert_cmpuint (p0->media->fec->n_shard_lengths, ==, 3);
    g_assert_cmpuint (p0->media->fec->shard_count, ==, 4);
    g_assert_cmpuint (p1->media->fec->group_id, ==, 1);
    g_assert_cmpuint (p1->media->fec->first_packet_id, ==, 20);
    g_assert_cmpuint (p1->media->fec->n_shard_lengths, ==, 8);
    g_assert_cmpuint (p1->media->fec->shard_count, ==, 10);
    g_assert_cmpuint (p2->media->fec->parity_index, ==, 9);

    /* Lose 11 (group 0) and 21, 27 (group 1); parity arrives first for
     * group 1. */
    g_assert_true (wavry_rift_fec_decoder_add_parity (dec, p1->media->fec, T0));
    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      if (ids[i] != 11 && ids[i] != 21 && ids[i] != 27)
        wavry_rift_fec_decoder_add_data (dec, ids[i], g_bytes_get_data (g_ptr_array_index (data, i), NULL),
                                         g_bytes_get_size (g_ptr_array_index (data, i)), T0);
    g_assert_false (wavry_rift_fec_decoder_pop_recovered (dec, &id, &bytes));
    g_assert_true (wavry_rift_fec_decoder_add_parity (dec, p0->media->fec, T0));
    g_assert_true (wavry_rift_fec_decoder_pop_recovered (dec, &id, &bytes));
    g_assert_cmpuint (id, ==, 11);
    g_assert_true (g_bytes_equal (bytes, g_ptr_array_index (data, 1)));
    g_bytes_unref (bytes);
    g_assert_true (wavry_rift_fec_decoder_add_parity (dec, p2->media->fec, T0));
    /* duplicate parity is harmless */
    g_assert_true (wavry_rift_fec_decoder_add_parity (dec, p2->media->fec, T0));
  }
  for (guint want = 0; want < 2; want++)
    {
      guint i = want == 0 ? 4 : 10;

      g_assert_true (wavry_rift_fec_decoder_pop_recovered (dec, &id, &bytes));
      g_assert_cmpuint (id, ==, ids[i]);
      g_assert_true (g_bytes_equal (bytes, g_ptr_array_index (data, i)));
      g_bytes_unref (bytes);
    }
  g_assert_false (wavry_rift_fec_decoder_pop_recovered (dec, &id, &bytes));
  /* A recovered packet arriving late is not reported again. */
  wavry_rift_fec_decoder_add_data (dec, 21, g_bytes_get_data (g_ptr_array_index (data, 4), NULL),
                                   g_bytes_get_size (g_ptr_array_index (data, 4)), T0);
  g_assert_false (wavry_rift_fec_decoder_pop_recovered (dec, &id, &bytes));
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->recovered, ==, 3);
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->malformed, ==, 0);
  wavry_rift_fec_decoder_expire (dec, T0 + WAVRY_RIFT_FEC_GROUP_TIMEOUT_US + 1);
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->unrecoverable_groups, ==, 0);
  g_rand_free (rand);
}

static void
test_parity_setting (void)
{
  g_autoptr(WavryRiftFecEncoder) enc = wavry_rift_fec_encoder_new (16);
  g_autoptr(WavryRiftFecEncoder) one = wavry_rift_fec_encoder_new (1);
  guint8 byte = 0x42;

  g_assert_cmpuint (wavry_rift_fec_encoder_get_k (enc), ==, 16);
  g_assert_cmpuint (wavry_rift_fec_encoder_get_parity (enc), ==, 0);
  wavry_rift_fec_encoder_set_overhead (enc, 0.25);
  g_assert_cmpuint (wavry_rift_fec_encoder_get_parity (enc), ==, 4);
  wavry_rift_fec_encoder_set_overhead (enc, 0.1);
  g_assert_cmpuint (wavry_rift_fec_encoder_get_parity (enc), ==, 2);
  wavry_rift_fec_encoder_set_overhead (enc, 0.9);
  g_assert_cmpuint (wavry_rift_fec_encoder_get_parity (enc), ==, 8);
  wavry_rift_fec_encoder_set_overhead (enc, 0.001);
  g_assert_cmpuint (wavry_rift_fec_encoder_get_parity (enc), ==, 1);
  wavry_rift_fec_encoder_set_overhead (enc, 0);
  g_assert_cmpuint (wavry_rift_fec_encoder_get_parity (enc), ==, 0);
  wavry_rift_fec_encoder_set_parity (enc, 100);
  g_assert_cmpuint (wavry_rift_fec_encoder_get_parity (enc), ==, 8);
  wavry_rift_fec_encoder_set_parity (one, 3);
  g_assert_cmpuint (wavry_rift_fec_encoder_get_parity (one), ==, 1);

  /* Off: no parity at all. */
  wavry_rift_fec_encoder_set_parity (enc, 0);
  for (guint i = 0; i < 40; i++)
    wavry_rift_fec_encoder_add (enc, i, &byte, 1);
  wavry_rift_fec_encoder_flush (enc);
  g_assert_null (wavry_rift_fec_encoder_pop (enc));

  /* A change applies from the next group; oversize packets break groups. */
  wavry_rift_fec_encoder_set_parity (enc, 2);
  wavry_rift_fec_encoder_add (enc, 100, &byte, 1);
  wavry_rift_fec_encoder_set_parity (enc, 0);
  for (guint64 id = 101; id < 116; id++)
    wavry_rift_fec_encoder_add (enc, id, &byte, 1);
  {
    g_autoptr(GPtrArray) parity = drain (enc);
    g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (WAVRY_RIFT_FEC_MAX_PACKET + 1),
                                              WAVRY_RIFT_FEC_MAX_PACKET + 1);

    g_assert_cmpuint (parity->len, ==, 2);
    wavry_rift_fec_encoder_set_parity (enc, 1);
    wavry_rift_fec_encoder_add (enc, 200, &byte, 1);
    wavry_rift_fec_encoder_add (enc, 201, g_bytes_get_data (big, NULL), g_bytes_get_size (big));
    g_ptr_array_unref (parity);
    parity = drain (enc);
    g_assert_cmpuint (parity->len, ==, 1);
  }
}

static void
refuse (WavryRiftFecDecoder *dec,
        Rift__FecPacket     *fec,
        guint64             *expected)
{
  g_assert_false (wavry_rift_fec_decoder_add_parity (dec, fec, T0));
  (*expected)++;
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->malformed, ==, *expected);
}

static void
test_malformed (void)
{
  g_autoptr(WavryRiftFecDecoder) dec = wavry_rift_fec_decoder_new ();
  guint32 lengths[65];
  guint8 payload[WAVRY_RIFT_FEC_MAX_PACKET + 1] = { 0 };
  Rift__FecPacket good = RIFT__FEC_PACKET__INIT;
  Rift__FecPacket bad;
  guint64 malformed = 0;
  guint64 id;
  GBytes *bytes;

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    lengths[i] = 100;
  good.group_id = 7;
  good.first_packet_id = 1000;
  good.shard_count = 6;
  good.parity_index = 4;
  good.n_shard_lengths = 4;
  good.shard_lengths = lengths;
  good.payload.data = payload;
  good.payload.len = 100;

  bad = good; bad.n_shard_lengths = 0; refuse (dec, &bad, &malformed);
  bad = good; bad.n_shard_lengths = 65; bad.shard_count = 66; refuse (dec, &bad, &malformed);
  bad = good; bad.shard_count = 4; refuse (dec, &bad, &malformed);       /* m = 0 */
  bad = good; bad.shard_count = 9; refuse (dec, &bad, &malformed);       /* m > k */
  bad = good; bad.parity_index = 3; refuse (dec, &bad, &malformed);      /* a data index */
  bad = good; bad.parity_index = 6; refuse (dec, &bad, &malformed);      /* ≥ shard_count */
  bad = good; bad.payload.len = 99; refuse (dec, &bad, &malformed);      /* ≠ longest */
  bad = good; bad.payload.len = 0; refuse (dec, &bad, &malformed);
  bad = good; bad.first_packet_id = G_MAXUINT64 - 2; refuse (dec, &bad, &malformed);
  lengths[64] = WAVRY_RIFT_FEC_MAX_PACKET + 1;
  bad = good; bad.shard_lengths = lengths + 61; bad.payload.len = WAVRY_RIFT_FEC_MAX_PACKET + 1;
  refuse (dec, &bad, &malformed);                                          /* size > 1500 */

  g_assert_true (wavry_rift_fec_decoder_add_parity (dec, &good, T0));
  /* Same group id, other geometry; and a group overlapping its ids. */
  bad = good; bad.parity_index = 5; bad.first_packet_id = 1001; refuse (dec, &bad, &malformed);
  bad = good; bad.parity_index = 5; bad.shard_count = 7; bad.n_shard_lengths = 5; bad.parity_index = 6;
  refuse (dec, &bad, &malformed);
  bad = good; bad.group_id = 8; bad.first_packet_id = 1003; refuse (dec, &bad, &malformed);
  bad = good; bad.group_id = 9; bad.first_packet_id = 1004;
  g_assert_true (wavry_rift_fec_decoder_add_parity (dec, &bad, T0));

  /* A data packet whose length contradicts shard_lengths poisons the group:
   * nothing is recovered from it, and it is counted once. */
  for (guint64 i = 1000; i < 1003; i++)
    wavry_rift_fec_decoder_add_data (dec, i, payload, i == 1001 ? 99 : 100, T0);
  malformed++;
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->malformed, ==, malformed);
  bad = good; bad.parity_index = 5;
  g_assert_true (wavry_rift_fec_decoder_add_parity (dec, &bad, T0));
  g_assert_false (wavry_rift_fec_decoder_pop_recovered (dec, &id, &bytes));
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->malformed, ==, malformed);

  /* Parity that does not match the data (padding decodes to non-zero). */
  {
    Rift__FecPacket odd = good;
    guint32 short_lengths[2] = { 10, 20 };
    guint8 junk[20], other[20];

    memset (junk, 0xa5, sizeof junk);
    memset (other, 0x5a, sizeof other);
    odd.group_id = 20;
    odd.first_packet_id = 5000;
    odd.n_shard_lengths = 2;
    odd.shard_count = 3;
    odd.parity_index = 2;
    odd.shard_lengths = short_lengths;
    odd.payload.data = junk;
    odd.payload.len = 20;
    g_assert_true (wavry_rift_fec_decoder_add_parity (dec, &odd, T0));
    wavry_rift_fec_decoder_add_data (dec, 5001, other, 20, T0);
    g_assert_false (wavry_rift_fec_decoder_pop_recovered (dec, &id, &bytes));
    malformed++;
    g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->malformed, ==, malformed);
  }
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->recovered, ==, 0);
}

static void
test_refused_parity_no_state (void)
{
  GRand *rand = g_rand_new_with_seed (6);
  g_autoptr(WavryRiftFecDecoder) dec = wavry_rift_fec_decoder_new ();
  g_autoptr(WavryRiftFecEncoder) enc = wavry_rift_fec_encoder_new (4);
  guint64 id;
  GBytes *bytes;

  /* 100 groups with one data packet lost each: odd ones recover it, even
   * ones (parity refused) leave no state to count as unrecoverable. */
  wavry_rift_fec_encoder_set_parity (enc, 2);
  for (guint g = 0; g < 100; g++)
    {
      g_autoptr(GPtrArray) parity = NULL;

      for (guint i = 0; i < 4; i++)
        {
          g_autoptr(GBytes) b = random_bytes (rand, 50);

          wavry_rift_fec_encoder_add (enc, g * 10 + i, g_bytes_get_data (b, NULL), 50);
          if (i != 0)
            wavry_rift_fec_decoder_add_data (dec, g * 10 + i, g_bytes_get_data (b, NULL), 50, T0 + g);
        }
      parity = drain (enc);
      g_assert_cmpuint (parity->len, ==, 2);
      {
        g_autoptr(Rift__Message) msg = unpack_fec (g_ptr_array_index (parity, 1));
        Rift__FecPacket held = *msg->media->fec;

        /* Odd groups get their parity; even groups a corrupted copy,
         * which must be refused without creating any group state. */
        if (g % 2 == 1)
          g_assert_true (wavry_rift_fec_decoder_add_parity (dec, &held, T0 + g));
        else
          {
            held.parity_index = 4;
            held.shard_count = 9;  /* m = 5 > k: refused */
            g_assert_false (wavry_rift_fec_decoder_add_parity (dec, &held, T0 + g));
          }
      }
    }
  /* The odd groups recovered their packet. */
  for (guint g = 1; g < 100; g += 2)
    {
      g_assert_true (wavry_rift_fec_decoder_pop_recovered (dec, &id, &bytes));
      g_assert_cmpuint (id, ==, g * 10);
      g_bytes_unref (bytes);
    }
  g_assert_false (wavry_rift_fec_decoder_pop_recovered (dec, &id, &bytes));
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->malformed, ==, 50);
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->unrecoverable_groups, ==, 0);
  wavry_rift_fec_decoder_expire (dec, T0 + WAVRY_RIFT_FEC_GROUP_TIMEOUT_US + 1000);
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->unrecoverable_groups, ==, 0);
  g_rand_free (rand);
}

static void
test_group_bound (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  g_autoptr(WavryRiftFecDecoder) dec = wavry_rift_fec_decoder_new ();
  g_autoptr(WavryRiftFecEncoder) enc = wavry_rift_fec_encoder_new (4);

  /* 100 groups, each missing 2 data packets with only 1 parity received:
   * the 64-group bound drops the oldest 36 as unrecoverable, expiry the
   * rest. */
  wavry_rift_fec_encoder_set_parity (enc, 2);
  for (guint g = 0; g < 100; g++)
    {
      g_autoptr(GPtrArray) parity = NULL;
      g_autoptr(Rift__Message) msg = NULL;

      for (guint i = 0; i < 4; i++)
        {
          g_autoptr(GBytes) b = random_bytes (rand, 60);

          wavry_rift_fec_encoder_add (enc, g * 4 + i, g_bytes_get_data (b, NULL), 60);
          if (i >= 2)
            wavry_rift_fec_decoder_add_data (dec, g * 4 + i, g_bytes_get_data (b, NULL), 60, T0);
        }
      parity = drain (enc);
      msg = unpack_fec (g_ptr_array_index (parity, 0));
      g_assert_true (wavry_rift_fec_decoder_add_parity (dec, msg->media->fec, T0 + g * 1000));
    }
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->unrecoverable_groups, ==, 36);
  wavry_rift_fec_decoder_expire (dec, T0 + 99 * 1000 + WAVRY_RIFT_FEC_GROUP_TIMEOUT_US);
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->unrecoverable_groups, ==, 99);
  wavry_rift_fec_decoder_expire (dec, T0 + 99 * 1000 + WAVRY_RIFT_FEC_GROUP_TIMEOUT_US + 1);
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->unrecoverable_groups, ==, 100);
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->recovered, ==, 0);
  g_rand_free (rand);
}

/* Random orders and losses over a stream of groups, k = 16, m = 4. */
static void
test_random_stream (void)
{
  GRand *rand = g_rand_new_with_seed (8);

  for (guint iter = 0; iter < 300; iter++)
    {
      g_autoptr(Group) g = encode_group (rand, 16, 4, g_rand_int (rand), 1, 1200);
      guint order[20];
      guint64 pattern = 0;
      guint lost = g_rand_int_range (rand, 0, 5);

      while ((guint) __builtin_popcountll (pattern) < lost)
        pattern |= G_GUINT64_CONSTANT (1) << g_rand_int_range (rand, 0, 20);
      for (guint i = 0; i < 20; i++)
        order[i] = i;
      for (guint i = 0; i < 20; i++)
        {
          guint r = g_rand_int_range (rand, i, 20);
          guint t = order[i];

          order[i] = order[r];
          order[r] = t;
        }
      run_order (g, order, pattern);
    }
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fec/all-loss-patterns", test_all_loss_patterns);
  g_test_add_func ("/fec/too-many-losses", test_too_many_losses);
  g_test_add_func ("/fec/xor-interop", test_xor_interop);
  g_test_add_func ("/fec/matrix-minors", test_matrix_minors);
  g_test_add_func ("/fec/partial-and-gaps", test_partial_and_gaps);
  g_test_add_func ("/fec/parity-setting", test_parity_setting);
  g_test_add_func ("/fec/malformed", test_malformed);
  g_test_add_func ("/fec/refused-parity-no-state", test_refused_parity_no_state);
  g_test_add_func ("/fec/group-bound", test_group_bound);
  g_test_add_func ("/fec/random-stream", test_random_stream);

  return g_test_run ();
}
