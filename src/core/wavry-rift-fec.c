/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <isa-l/erasure_code.h>

#include "wavry-rift-fec.h"
#include "wavry-rift-proto.h"

/* Largest m a receiver accepts: m ≤ k (the host sends at most k/2). */
#define MAX_M WAVRY_RIFT_FEC_MAX_K
/* Data packets the decoder keeps for groups whose parity has not arrived:
 * enough for WAVRY_RIFT_FEC_MAX_GROUPS full groups of the largest k. */
#define MAX_STORED_DATA (WAVRY_RIFT_FEC_MAX_GROUPS * WAVRY_RIFT_FEC_MAX_K)
/* Ids remembered as "seen as data", so that they are never reported as
 * recovered even after their bytes left the store. */
#define SEEN_WINDOW 8192

guint8
wavry_rift_fec_coefficient (guint k,
                            guint j,
                            guint c)
{
  g_assert (k >= 1 && k <= WAVRY_RIFT_FEC_MAX_K && j < MAX_M && c < k);

  /* Cauchy x_j = k + j, y_c = c: disjoint sets in GF(2^8), so every minor
   * is non-zero. Multiplying column c by 1/C[0][c] = (k ⊕ c) keeps every
   * minor non-zero and turns row 0 into ones (XOR parity). */
  return gf_mul (gf_inv ((k + j) ^ c), k ^ c);
}

static void
fill_parity_matrix (guint   k,
                    guint   m,
                    guint8 *matrix)
{
  for (guint j = 0; j < m; j++)
    for (guint c = 0; c < k; c++)
      matrix[j * k + c] = wavry_rift_fec_coefficient (k, j, c);
}

/* ---- Encoder ---------------------------------------------------------- */

struct _WavryRiftFecEncoder
{
  guint    k;
  guint    m;            /* for the next group */

  /* The open group. */
  guint    n;            /* packets in it; 0 = none open */
  guint    group_m;      /* m latched when it opened */
  guint64  first_id;
  guint64  next_group_id;
  guint32  lengths[WAVRY_RIFT_FEC_MAX_K];
  guint8  *data;         /* k rows of WAVRY_RIFT_FEC_MAX_PACKET */
  guint8  *parity;       /* k/2 rows of WAVRY_RIFT_FEC_MAX_PACKET */

  /* ec_init_tables() output for (tables_k, tables_m). */
  guint    tables_k;
  guint    tables_m;
  guint8  *tables;

  GQueue   out;          /* GBytes */
};

WavryRiftFecEncoder *
wavry_rift_fec_encoder_new (guint k)
{
  WavryRiftFecEncoder *self;
  guint max_m;

  g_return_val_if_fail (k >= 1 && k <= WAVRY_RIFT_FEC_MAX_K, NULL);

  max_m = MAX (1, k / 2);
  self = g_new0 (WavryRiftFecEncoder, 1);
  self->k = k;
  self->data = g_malloc0 ((gsize) k * WAVRY_RIFT_FEC_MAX_PACKET);
  self->parity = g_malloc0 ((gsize) max_m * WAVRY_RIFT_FEC_MAX_PACKET);
  self->tables = g_malloc0 ((gsize) 32 * k * max_m);
  g_queue_init (&self->out);

  return self;
}

void
wavry_rift_fec_encoder_free (WavryRiftFecEncoder *self)
{
  if (self == NULL)
    return;

  g_queue_clear_full (&self->out, (GDestroyNotify) g_bytes_unref);
  g_free (self->tables);
  g_free (self->parity);
  g_free (self->data);
  g_free (self);
}

void
wavry_rift_fec_encoder_set_parity (WavryRiftFecEncoder *self,
                                   guint                m)
{
  g_return_if_fail (self != NULL);

  if (m > 0)
    m = CLAMP (m, 1, MAX (1, self->k / 2));
  self->m = m;
}

void
wavry_rift_fec_encoder_set_overhead (WavryRiftFecEncoder *self,
                                     double               fraction)
{
  double wanted;
  guint m;

  g_return_if_fail (self != NULL);

  /* !(x > 0) also catches NaN. The small slack keeps 16 × 0.25 at 4 even
   * when the fraction was computed with rounding error. */
  if (!(fraction > 0))
    {
      wavry_rift_fec_encoder_set_parity (self, 0);
      return;
    }
  wanted = self->k * MIN (fraction, 0.5);
  m = (guint) wanted;
  if (m < wanted - 1e-9)
    m++;  /* ceil */
  wavry_rift_fec_encoder_set_parity (self, MAX (m, 1));
}

guint
wavry_rift_fec_encoder_get_parity (WavryRiftFecEncoder *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->m;
}

guint
wavry_rift_fec_encoder_get_k (WavryRiftFecEncoder *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->k;
}

static void
encoder_prepare_tables (WavryRiftFecEncoder *self,
                        guint                k,
                        guint                m)
{
  guint8 matrix[MAX_M * WAVRY_RIFT_FEC_MAX_K];

  if (self->tables_k == k && self->tables_m == m)
    return;

  fill_parity_matrix (k, m, matrix);
  ec_init_tables ((int) k, (int) m, matrix, self->tables);
  self->tables_k = k;
  self->tables_m = m;
}

static void
encoder_close_group (WavryRiftFecEncoder *self)
{
  guint k = self->n;
  guint m;
  guint32 len = 0;
  guint8 *sources[WAVRY_RIFT_FEC_MAX_K];
  guint8 *outputs[WAVRY_RIFT_FEC_MAX_K];

  if (k == 0)
    return;
  self->n = 0;

  /* A partial group keeps the configured overhead: ceil(n × m / k). */
  m = (k * self->group_m + self->k - 1) / self->k;
  g_assert (m >= 1 && m <= MAX (1, self->k / 2));

  for (guint i = 0; i < k; i++)
    len = MAX (len, self->lengths[i]);

  for (guint i = 0; i < k; i++)
    {
      sources[i] = self->data + (gsize) i * WAVRY_RIFT_FEC_MAX_PACKET;
      memset (sources[i] + self->lengths[i], 0, len - self->lengths[i]);
    }
  for (guint j = 0; j < m; j++)
    outputs[j] = self->parity + (gsize) j * WAVRY_RIFT_FEC_MAX_PACKET;

  if (len > 0)
    {
      encoder_prepare_tables (self, k, m);
      ec_encode_data ((int) len, (int) k, (int) m, self->tables, sources, outputs);
    }

  for (guint j = 0; j < m; j++)
    {
      Rift__Message message = RIFT__MESSAGE__INIT;
      Rift__MediaMessage media = RIFT__MEDIA_MESSAGE__INIT;
      Rift__FecPacket fec = RIFT__FEC_PACKET__INIT;

      fec.group_id = self->next_group_id;
      fec.first_packet_id = self->first_id;
      fec.shard_count = k + m;
      fec.parity_index = k + j;
      fec.payload.data = outputs[j];
      fec.payload.len = len;
      fec.n_shard_lengths = k;
      fec.shard_lengths = self->lengths;

      media.content_case = RIFT__MEDIA_MESSAGE__CONTENT_FEC;
      media.fec = &fec;
      message.content_case = RIFT__MESSAGE__CONTENT_MEDIA;
      message.media = &media;

      g_queue_push_tail (&self->out, wavry_rift_message_pack (&message));
    }

  self->next_group_id++;
}

void
wavry_rift_fec_encoder_add (WavryRiftFecEncoder *self,
                            guint64              packet_id,
                            const guint8        *data,
                            gsize                len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  if (self->n > 0 && packet_id != self->first_id + self->n)
    encoder_close_group (self);

  if (len > WAVRY_RIFT_FEC_MAX_PACKET)
    {
      encoder_close_group (self);
      return;
    }

  if (self->n == 0)
    {
      if (self->m == 0)
        return;
      self->group_m = self->m;
      self->first_id = packet_id;
    }

  if (len > 0)
    memcpy (self->data + (gsize) self->n * WAVRY_RIFT_FEC_MAX_PACKET, data, len);
  self->lengths[self->n] = (guint32) len;
  self->n++;

  if (self->n == self->k)
    encoder_close_group (self);
}

void
wavry_rift_fec_encoder_flush (WavryRiftFecEncoder *self)
{
  g_return_if_fail (self != NULL);

  encoder_close_group (self);
}

GBytes *
wavry_rift_fec_encoder_pop (WavryRiftFecEncoder *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_queue_pop_head (&self->out);
}

/* ---- Decoder ---------------------------------------------------------- */

typedef struct
{
  guint64    id;
  WavryTime  arrival;
  GBytes    *bytes;
} StoredData;

typedef struct
{
  guint64    group_id;
  guint64    first_id;
  guint      k;
  guint      m;
  guint32    lengths[WAVRY_RIFT_FEC_MAX_K];
  gsize      len;          /* padded length = longest data packet */
  guint8    *parity;       /* m rows of len bytes */
  guint64    have_parity;  /* bit j: parity j received */
  guint64    have_data;    /* bit i: data i received or recovered */
  WavryTime  created;
  gboolean   done;         /* all data present; parity freed */
  gboolean   broken;       /* a data packet contradicts shard_lengths */
} Group;

typedef struct
{
  guint64  id;
  GBytes  *bytes;
} Recovered;

struct _WavryRiftFecDecoder
{
  GHashTable        *data;        /* guint64 id → StoredData (owned by data_order) */
  GQueue             data_order;  /* StoredData, oldest first */
  GPtrArray         *groups;      /* Group, at most WAVRY_RIFT_FEC_MAX_GROUPS */
  GQueue             recovered;   /* Recovered */
  /* Groups below this id were dropped: their late parity is ignored. */
  guint64            group_floor;

  guint64            seen[SEEN_WINDOW / 64];  /* bit id % SEEN_WINDOW */
  guint64            seen_highest;
  gboolean           seen_any;

  WavryRiftFecStats  stats;
};

static void
stored_data_free (StoredData *stored)
{
  g_bytes_unref (stored->bytes);
  g_free (stored);
}

static void
recovered_free (Recovered *recovered)
{
  g_bytes_unref (recovered->bytes);
  g_free (recovered);
}

static void
group_free (Group *group)
{
  g_free (group->parity);
  g_free (group);
}

WavryRiftFecDecoder *
wavry_rift_fec_decoder_new (void)
{
  WavryRiftFecDecoder *self = g_new0 (WavryRiftFecDecoder, 1);

  self->data = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_queue_init (&self->data_order);
  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  g_queue_init (&self->recovered);

  return self;
}

void
wavry_rift_fec_decoder_free (WavryRiftFecDecoder *self)
{
  if (self == NULL)
    return;

  g_hash_table_destroy (self->data);
  g_queue_clear_full (&self->data_order, (GDestroyNotify) stored_data_free);
  g_ptr_array_unref (self->groups);
  g_queue_clear_full (&self->recovered, (GDestroyNotify) recovered_free);
  g_free (self);
}

/* "Seen as data" window. TRUE also for ids too old to know: those are never
 * reported as recovered. */
static gboolean
seen_check (WavryRiftFecDecoder *self,
            guint64              id)
{
  if (!self->seen_any || id > self->seen_highest)
    return FALSE;
  if (self->seen_highest - id >= SEEN_WINDOW)
    return TRUE;
  return (self->seen[(id % SEEN_WINDOW) / 64] >> (id % 64)) & 1;
}

static void
seen_mark (WavryRiftFecDecoder *self,
           guint64              id)
{
  if (!self->seen_any)
    {
      memset (self->seen, 0, sizeof self->seen);
      self->seen_highest = id;
      self->seen_any = TRUE;
    }
  else if (id > self->seen_highest)
    {
      if (id - self->seen_highest >= SEEN_WINDOW)
        memset (self->seen, 0, sizeof self->seen);
      else
        for (guint64 x = self->seen_highest + 1; x != id + 1; x++)
          self->seen[(x % SEEN_WINDOW) / 64] &= ~(G_GUINT64_CONSTANT (1) << (x % 64));
      self->seen_highest = id;
    }
  else if (self->seen_highest - id >= SEEN_WINDOW)
    {
      return;
    }

  self->seen[(id % SEEN_WINDOW) / 64] |= G_GUINT64_CONSTANT (1) << (id % 64);
}

static void
drop_oldest_data (WavryRiftFecDecoder *self)
{
  StoredData *stored = g_queue_pop_head (&self->data_order);

  g_hash_table_remove (self->data, &stored->id);
  stored_data_free (stored);
}

static gboolean
group_contains (const Group *group,
                guint64      id)
{
  return id >= group->first_id && id - group->first_id < group->k;
}

static void
drop_group (WavryRiftFecDecoder *self,
            guint                index)
{
  Group *group = g_ptr_array_index (self->groups, index);

  if (!group->done)
    self->stats.unrecoverable_groups++;
  if (group->group_id >= self->group_floor)
    self->group_floor = group->group_id + 1;
  g_ptr_array_remove_index_fast (self->groups, index);
}

static void
group_finish (Group *group)
{
  group->done = TRUE;
  g_clear_pointer (&group->parity, g_free);
}

/* Data packet @i of @group is present as @bytes. */
static void
group_set_data (WavryRiftFecDecoder *self,
                Group               *group,
                guint                i,
                GBytes              *bytes)
{
  if ((group->have_data >> i) & 1)
    return;
  if (g_bytes_get_size (bytes) != group->lengths[i])
    {
      /* The data and its group's parity disagree: recovering anything from
       * this group would produce garbage. */
      if (!group->broken)
        self->stats.malformed++;
      group->broken = TRUE;
      return;
    }
  group->have_data |= G_GUINT64_CONSTANT (1) << i;
}

static void
group_try_recover (WavryRiftFecDecoder *self,
                   Group               *group)
{
  guint k = group->k;
  guint missing[WAVRY_RIFT_FEC_MAX_K];
  guint present[WAVRY_RIFT_FEC_MAX_K];
  guint rows[WAVRY_RIFT_FEC_MAX_K];
  guint n_missing = 0;
  guint n_present = 0;
  guint8 sub[WAVRY_RIFT_FEC_MAX_K * WAVRY_RIFT_FEC_MAX_K];
  guint8 inverse[WAVRY_RIFT_FEC_MAX_K * WAVRY_RIFT_FEC_MAX_K];
  guint8 decode[WAVRY_RIFT_FEC_MAX_K * WAVRY_RIFT_FEC_MAX_K];
  guint8 *sources[WAVRY_RIFT_FEC_MAX_K];
  guint8 *outputs[WAVRY_RIFT_FEC_MAX_K];
  g_autofree guint8 *padded = NULL;
  g_autofree guint8 *tables = NULL;
  g_autofree guint8 *out = NULL;
  guint e;

  if (group->done || group->broken)
    return;

  for (guint i = 0; i < k; i++)
    {
      if ((group->have_data >> i) & 1)
        present[n_present++] = i;
      else
        missing[n_missing++] = i;
    }

  if (n_missing == 0)
    {
      group_finish (group);
      return;
    }
  if ((guint) __builtin_popcountll (group->have_parity) < n_missing)
    return;
  e = n_missing;

  /* Sources: the present data packets, then the first e parity packets
   * received (rows[]). */
  for (guint i = 0; i < n_present; i++)
    {
      StoredData *stored = g_hash_table_lookup (self->data, &(guint64) { group->first_id + present[i] });
      gsize size;
      const guint8 *bytes;

      if (stored == NULL)
        {
          /* Present once but evicted from the store since: it cannot serve
           * as a source. Treat it as missing (it is never reported). */
          group->have_data &= ~(G_GUINT64_CONSTANT (1) << present[i]);
          group_try_recover (self, group);
          return;
        }
      bytes = g_bytes_get_data (stored->bytes, &size);
      if (size == group->len)
        {
          /* ec_encode_data() only reads its sources. */
          sources[i] = (guint8 *) bytes;
          continue;
        }
      if (padded == NULL)
        padded = g_malloc0 ((gsize) n_present * group->len);
      sources[i] = padded + (gsize) i * group->len;
      memcpy (sources[i], bytes, size);
    }
  for (guint j = 0, t = 0; t < e; j++)
    {
      if (!((group->have_parity >> j) & 1))
        continue;
      rows[t] = j;
      sources[n_present + t] = group->parity + (gsize) j * group->len;
      t++;
    }

  /* With parity rows R and data d = (d_P, d_M): R_M d_M = p + R_P d_P, so
   * d_M = R_M⁻¹ p + R_M⁻¹ R_P d_P. Only the e × e matrix R_M is inverted. */
  for (guint t = 0; t < e; t++)
    for (guint c = 0; c < e; c++)
      sub[t * e + c] = wavry_rift_fec_coefficient (k, rows[t], missing[c]);
  if (gf_invert_matrix (sub, inverse, (int) e) != 0)
    {
      /* Cannot happen with the Cauchy rows; refuse rather than guess. */
      group->broken = TRUE;
      return;
    }
  for (guint r = 0; r < e; r++)
    {
      guint8 *row = decode + (gsize) r * k;

      for (guint i = 0; i < n_present; i++)
        {
          guint8 sum = 0;

          for (guint t = 0; t < e; t++)
            sum ^= gf_mul (inverse[r * e + t], wavry_rift_fec_coefficient (k, rows[t], present[i]));
          row[i] = sum;
        }
      for (guint t = 0; t < e; t++)
        row[n_present + t] = inverse[r * e + t];
    }

  out = g_malloc0 ((gsize) e * MAX (group->len, 1));
  for (guint r = 0; r < e; r++)
    outputs[r] = out + (gsize) r * group->len;
  if (group->len > 0)
    {
      tables = g_malloc ((gsize) 32 * k * e);
      ec_init_tables ((int) k, (int) e, decode, tables);
      ec_encode_data ((int) group->len, (int) k, (int) e, tables, sources, outputs);
    }

  /* Padding must decode to zeros; anything else means the sources were not
   * one consistent group. */
  for (guint r = 0; r < e; r++)
    for (gsize b = group->lengths[missing[r]]; b < group->len; b++)
      if (outputs[r][b] != 0)
        {
          self->stats.malformed++;
          group->broken = TRUE;
          return;
        }

  for (guint r = 0; r < e; r++)
    {
      guint64 id = group->first_id + missing[r];

      group->have_data |= G_GUINT64_CONSTANT (1) << missing[r];
      if (!seen_check (self, id))
        {
          Recovered *recovered = g_new (Recovered, 1);

          recovered->id = id;
          recovered->bytes = g_bytes_new (outputs[r], group->lengths[missing[r]]);
          g_queue_push_tail (&self->recovered, recovered);
          seen_mark (self, id);
          self->stats.recovered++;
        }
    }
  group_finish (group);
}

void
wavry_rift_fec_decoder_add_data (WavryRiftFecDecoder *self,
                                 guint64              packet_id,
                                 const guint8        *data,
                                 gsize                len,
                                 WavryTime            now)
{
  StoredData *stored;

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  if (seen_check (self, packet_id))
    return;
  seen_mark (self, packet_id);
  if (len > WAVRY_RIFT_FEC_MAX_PACKET || g_hash_table_contains (self->data, &packet_id))
    return;

  if (g_queue_get_length (&self->data_order) >= MAX_STORED_DATA)
    drop_oldest_data (self);
  stored = g_new (StoredData, 1);
  stored->id = packet_id;
  stored->arrival = now;
  stored->bytes = g_bytes_new (data, len);
  g_queue_push_tail (&self->data_order, stored);
  g_hash_table_insert (self->data, &stored->id, stored);

  for (guint g = 0; g < self->groups->len; g++)
    {
      Group *group = g_ptr_array_index (self->groups, g);

      if (!group->done && group_contains (group, packet_id))
        {
          group_set_data (self, group, packet_id - group->first_id, stored->bytes);
          group_try_recover (self, group);
          break;
        }
    }
}

/* Checks a FecPacket on its own; on success fills @k, @m, @j, @len. */
static gboolean
parity_valid (const Rift__FecPacket *fec,
              guint                 *k,
              guint                 *m,
              guint                 *j,
              gsize                 *len)
{
  gsize longest = 0;

  if (fec->n_shard_lengths < 1 || fec->n_shard_lengths > WAVRY_RIFT_FEC_MAX_K)
    return FALSE;
  *k = (guint) fec->n_shard_lengths;
  /* shard_count = k + m with 1 ≤ m ≤ k (m = 1: k + 1, as the public code). */
  if (fec->shard_count <= *k || fec->shard_count - *k > *k)
    return FALSE;
  *m = fec->shard_count - *k;
  if (fec->parity_index < *k || fec->parity_index >= fec->shard_count)
    return FALSE;
  *j = fec->parity_index - *k;
  if (fec->first_packet_id > G_MAXUINT64 - (*k - 1))
    return FALSE;
  for (guint i = 0; i < *k; i++)
    {
      if (fec->shard_lengths[i] > WAVRY_RIFT_FEC_MAX_PACKET)
        return FALSE;
      longest = MAX (longest, fec->shard_lengths[i]);
    }
  if (fec->payload.len != longest || (longest > 0 && fec->payload.data == NULL))
    return FALSE;
  *len = longest;
  return TRUE;
}

gboolean
wavry_rift_fec_decoder_add_parity (WavryRiftFecDecoder   *self,
                                   const Rift__FecPacket *fec,
                                   WavryTime              now)
{
  guint k, m, j;
  gsize len;
  Group *group = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (fec != NULL, FALSE);

  if (!parity_valid (fec, &k, &m, &j, &len))
    goto malformed;

  for (guint g = 0; g < self->groups->len; g++)
    {
      Group *other = g_ptr_array_index (self->groups, g);

      if (other->group_id == fec->group_id)
        {
          group = other;
          if (group->first_id != fec->first_packet_id || group->k != k || group->m != m ||
              memcmp (group->lengths, fec->shard_lengths, k * sizeof (guint32)) != 0)
            goto malformed;
        }
      else if (fec->first_packet_id <= other->first_id + (other->k - 1) &&
               other->first_id <= fec->first_packet_id + (k - 1))
        {
          /* Two groups cannot share a data packet. */
          goto malformed;
        }
    }

  if (group == NULL)
    {
      /* Late parity of a group already dropped. A group id far below the
       * floor means the host's encoder restarted: start over. */
      if (fec->group_id < self->group_floor &&
          self->group_floor - fec->group_id <= 4 * WAVRY_RIFT_FEC_MAX_GROUPS)
        return TRUE;

      if (self->groups->len >= WAVRY_RIFT_FEC_MAX_GROUPS)
        {
          guint oldest = 0;

          for (guint g = 1; g < self->groups->len; g++)
            {
              Group *a = g_ptr_array_index (self->groups, g);
              Group *b = g_ptr_array_index (self->groups, oldest);

              if (a->group_id < b->group_id)
                oldest = g;
            }
          drop_group (self, oldest);
        }

      group = g_new0 (Group, 1);
      group->group_id = fec->group_id;
      group->first_id = fec->first_packet_id;
      group->k = k;
      group->m = m;
      memcpy (group->lengths, fec->shard_lengths, k * sizeof (guint32));
      group->len = len;
      group->parity = g_malloc0 ((gsize) m * MAX (len, 1));
      group->created = now;
      g_ptr_array_add (self->groups, group);

      for (guint i = 0; i < k; i++)
        {
          StoredData *stored = g_hash_table_lookup (self->data, &(guint64) { group->first_id + i });

          if (stored != NULL)
            group_set_data (self, group, i, stored->bytes);
        }
    }

  if (group->done || ((group->have_parity >> j) & 1))
    return TRUE;

  if (len > 0)
    memcpy (group->parity + (gsize) j * len, fec->payload.data, len);
  group->have_parity |= G_GUINT64_CONSTANT (1) << j;
  group_try_recover (self, group);
  return TRUE;

malformed:
  self->stats.malformed++;
  return FALSE;
}

gboolean
wavry_rift_fec_decoder_pop_recovered (WavryRiftFecDecoder  *self,
                                      guint64              *packet_id,
                                      GBytes              **data)
{
  Recovered *recovered;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (packet_id != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  recovered = g_queue_pop_head (&self->recovered);
  if (recovered == NULL)
    return FALSE;

  *packet_id = recovered->id;
  *data = g_steal_pointer (&recovered->bytes);
  g_free (recovered);
  return TRUE;
}

void
wavry_rift_fec_decoder_expire (WavryRiftFecDecoder *self,
                               WavryTime            now)
{
  StoredData *stored;

  g_return_if_fail (self != NULL);

  while ((stored = g_queue_peek_head (&self->data_order)) != NULL &&
         now - stored->arrival > WAVRY_RIFT_FEC_GROUP_TIMEOUT_US)
    drop_oldest_data (self);

  for (guint g = self->groups->len; g > 0; g--)
    {
      Group *group = g_ptr_array_index (self->groups, g - 1);

      if (now - group->created > WAVRY_RIFT_FEC_GROUP_TIMEOUT_US)
        drop_group (self, g - 1);
    }
}

const WavryRiftFecStats *
wavry_rift_fec_decoder_get_stats (WavryRiftFecDecoder *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->stats;
}
