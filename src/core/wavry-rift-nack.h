/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RIFT §6.4: the most ids one jump may NACK. */
#define WAVRY_RIFT_NACK_WINDOW 128

/* RIFT §6.4 NACK tracker (client). */
typedef struct _WavryRiftNackTracker WavryRiftNackTracker;

WavryRiftNackTracker *wavry_rift_nack_tracker_new  (void);
void                  wavry_rift_nack_tracker_free (WavryRiftNackTracker *self);

/* Called with the packet id of every arriving datagram (from its header,
 * before decryption). Returns the ids to list in one Nack (GArray of
 * guint64, ascending; NULL when none): on a jump past highest+1, the ids in
 * [max(highest+1, id−128), id−1] never seen nor NACKed before. */
GArray *wavry_rift_nack_tracker_on_packet     (WavryRiftNackTracker *self,
                                               guint64               packet_id);
/* A packet obtained otherwise (FEC recovery): never NACK it. */
void    wavry_rift_nack_tracker_mark_received (WavryRiftNackTracker *self,
                                               guint64               packet_id);

/* Builds a serialized rift Message {control {nack}} for @ids (n_ids > 0). */
GBytes *wavry_rift_nack_build (const guint64 *ids,
                               gsize          n_ids);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryRiftNackTracker, wavry_rift_nack_tracker_free)

G_END_DECLS
