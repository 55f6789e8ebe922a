/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib.h>

#include "wavry-fuzz.h"

#include "wavry-rift-fec.h"
#include "wavry-rift-proto.h"

/* RIFT §6.3 FEC decoder fed arbitrary sequences of data and FecPackets.
 *
 * Input: records of [op u8][len u16 BE][len bytes]. The bytes are decoded
 * with rift__message__unpack(): a Message{media{fec}} goes to
 * add_parity(), anything else (even undecodable) to add_data() under
 * packet id 1000 + (op & 0x3f). op & 0x40 advances the clock by 100 ms and
 * expires; op & 0x80 drains the recovered packets.
 *
 * Properties: no crash or leak; a packet fed as data is never reported as
 * recovered; nothing is reported twice; the recovered counter matches what
 * was handed out; a recovered packet is at most WAVRY_RIFT_FEC_MAX_PACKET. */

static void
drain (WavryRiftFecDecoder *dec,
       GHashTable          *fed,
       GHashTable          *recovered,
       guint64             *n_recovered)
{
  guint64 id;
  GBytes *bytes;

  while (wavry_rift_fec_decoder_pop_recovered (dec, &id, &bytes))
    {
      g_assert_false (g_hash_table_contains (fed, &id));
      g_assert_false (g_hash_table_contains (recovered, &id));
      g_assert_cmpuint (g_bytes_get_size (bytes), <=, WAVRY_RIFT_FEC_MAX_PACKET);
      g_hash_table_add (recovered, g_memdup2 (&id, sizeof id));
      (*n_recovered)++;
      g_bytes_unref (bytes);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(WavryRiftFecDecoder) dec = wavry_rift_fec_decoder_new ();
  g_autoptr(GHashTable) fed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) recovered = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint64 n_recovered = 0;
  WavryTime now = 1000000;
  gsize pos = 0;

  while (pos + 3 <= size)
    {
      guint8 op = data[pos];
      gsize len = ((gsize) data[pos + 1] << 8) | data[pos + 2];
      Rift__Message *message;

      pos += 3;
      len = MIN (len, size - pos);
      message = rift__message__unpack (NULL, len, data + pos);

      if (message != NULL &&
          message->content_case == RIFT__MESSAGE__CONTENT_MEDIA &&
          message->media->content_case == RIFT__MEDIA_MESSAGE__CONTENT_FEC)
        {
          wavry_rift_fec_decoder_add_parity (dec, message->media->fec, now);
        }
      else
        {
          guint64 id = 1000 + (op & 0x3f);

          /* Ids already recovered (even if not yet handed out) may still
           * arrive as data: they must not be reported again (drain()). */
          drain (dec, fed, recovered, &n_recovered);
          wavry_rift_fec_decoder_add_data (dec, id, data + pos, len, now);
          if (!g_hash_table_contains (recovered, &id))
            g_hash_table_add (fed, g_memdup2 (&id, sizeof id));
        }
      if (message != NULL)
        rift__message__free_unpacked (message, NULL);
      pos += len;

      if (op & 0x40)
        {
          now += 100 * G_TIME_SPAN_MILLISECOND;
          wavry_rift_fec_decoder_expire (dec, now);
        }
      if (op & 0x80)
        drain (dec, fed, recovered, &n_recovered);
    }

  drain (dec, fed, recovered, &n_recovered);
  g_assert_cmpuint (wavry_rift_fec_decoder_get_stats (dec)->recovered, ==, n_recovered);

  return 0;
}
