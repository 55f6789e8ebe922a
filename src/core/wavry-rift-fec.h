/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "rift.pb-c.h"
#include "wavry-core-types.h"

G_BEGIN_DECLS

/* RIFT §6.3: systematic Reed–Solomon FEC over GF(2^8) (Intel ISA-L).
 *
 * A group is k consecutive data packets (the plaintext rift Message of each
 * datagram, zero-padded to the longest) plus m parity packets, each sent as
 * Message{media{fec}}. The first parity row is all ones, so m = 1 is exactly
 * the XOR parity of the public code. Sans-I/O: time is passed in. */

#define WAVRY_RIFT_FEC_DEFAULT_K        16
#define WAVRY_RIFT_FEC_MAX_K            64
/* Longest data packet a group can protect, and longest parity payload. */
#define WAVRY_RIFT_FEC_MAX_PACKET       1500
/* Decoder bounds. */
#define WAVRY_RIFT_FEC_MAX_GROUPS       64
#define WAVRY_RIFT_FEC_GROUP_TIMEOUT_US (500 * G_TIME_SPAN_MILLISECOND)

/* Host side. */
typedef struct _WavryRiftFecEncoder WavryRiftFecEncoder;

/* @k: data packets per group, 1..64 (WAVRY_RIFT_FEC_DEFAULT_K by default).
 * Parity starts off (m = 0). */
WavryRiftFecEncoder *wavry_rift_fec_encoder_new          (guint                k);
void                 wavry_rift_fec_encoder_free         (WavryRiftFecEncoder *self);
/* 0 = off; clamped to k/2 (at least 1 when > 0); applies from the next group. */
void                 wavry_rift_fec_encoder_set_parity   (WavryRiftFecEncoder *self,
                                                          guint                m);
/* m = ceil(k × @fraction); ≤ 0 turns FEC off; at most 0.5. */
void                 wavry_rift_fec_encoder_set_overhead (WavryRiftFecEncoder *self,
                                                          double               fraction);
guint                wavry_rift_fec_encoder_get_parity   (WavryRiftFecEncoder *self);
guint                wavry_rift_fec_encoder_get_k        (WavryRiftFecEncoder *self);
/* Adds one data packet (its plaintext Message bytes and the packet id it was
 * sealed under). An id not consecutive to the group's last one closes the
 * current group first; a group of k closes at once. A packet longer than
 * WAVRY_RIFT_FEC_MAX_PACKET closes the current group and is not protected. */
void                 wavry_rift_fec_encoder_add          (WavryRiftFecEncoder *self,
                                                          guint64              packet_id,
                                                          const guint8        *data,
                                                          gsize                len);
/* Closes a partial group (the host calls it at the end of each video frame).
 * A partial group of n < k packets gets ceil(n × m / k) parity packets. */
void                 wavry_rift_fec_encoder_flush        (WavryRiftFecEncoder *self);
/* Next parity packet as a serialized Message{media{fec}} ready to be sealed,
 * or NULL when there is none. */
GBytes              *wavry_rift_fec_encoder_pop          (WavryRiftFecEncoder *self);

/* Client side. */
typedef struct _WavryRiftFecDecoder WavryRiftFecDecoder;

typedef struct
{
  guint64 recovered;             /* packets recovered and handed out */
  guint64 unrecoverable_groups;  /* groups dropped with data still missing */
  guint64 malformed;             /* FecPackets refused, data inconsistent with its group */
} WavryRiftFecStats;

WavryRiftFecDecoder     *wavry_rift_fec_decoder_new           (void);
void                     wavry_rift_fec_decoder_free          (WavryRiftFecDecoder   *self);
/* A data packet received (authenticated plaintext Message bytes and its id). */
void                     wavry_rift_fec_decoder_add_data      (WavryRiftFecDecoder   *self,
                                                               guint64                packet_id,
                                                               const guint8          *data,
                                                               gsize                  len,
                                                               WavryTime              now);
/* A received FecPacket. FALSE (and counted as malformed) when its fields are
 * inconsistent: with themselves (shard_count, parity_index, lengths, sizes
 * over WAVRY_RIFT_FEC_MAX_PACKET, k > 64…) or with earlier parity of the
 * same group. Duplicates and parity of groups already dropped are ignored
 * (TRUE). */
gboolean                 wavry_rift_fec_decoder_add_parity    (WavryRiftFecDecoder   *self,
                                                               const Rift__FecPacket *fec,
                                                               WavryTime              now);
/* Each packet recovered so far, once: its id and plaintext (true length).
 * Packets seen as data are never reported. FALSE when there is none. */
gboolean                 wavry_rift_fec_decoder_pop_recovered (WavryRiftFecDecoder   *self,
                                                               guint64               *packet_id,
                                                               GBytes               **data);
/* Drops group and data state older than WAVRY_RIFT_FEC_GROUP_TIMEOUT_US
 * (call periodically). At most WAVRY_RIFT_FEC_MAX_GROUPS groups are kept. */
void                     wavry_rift_fec_decoder_expire        (WavryRiftFecDecoder   *self,
                                                               WavryTime              now);
const WavryRiftFecStats *wavry_rift_fec_decoder_get_stats     (WavryRiftFecDecoder   *self);

/* Coefficient of parity row @j (0-based) for data column @c in a group of
 * @k: a Cauchy matrix 1/((k+j) ⊕ c) with each column scaled so that row 0 is
 * all ones. Every square submatrix is invertible. Exposed for tests. */
guint8                   wavry_rift_fec_coefficient           (guint                  k,
                                                               guint                  j,
                                                               guint                  c);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftFecEncoder, wavry_rift_fec_encoder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftFecDecoder, wavry_rift_fec_decoder_free)

G_END_DECLS
