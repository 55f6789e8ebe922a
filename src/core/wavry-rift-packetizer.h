/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RIFT §6.1: the payload bytes carried by one VideoChunk. */
#define WAVRY_RIFT_VIDEO_CHUNK_MAX 1200
/* The most chunks one frame may have (a 4.9 MB frame); receivers refuse more. */
#define WAVRY_RIFT_VIDEO_CHUNKS_MAX 4096

/* Splits one encoded frame into ceil(len/1200) VideoChunks (len 0 → none),
 * each returned as a serialized rift Message {media {video}} ready to seal
 * (GPtrArray of GBytes, free func set). @len must not exceed
 * WAVRY_RIFT_VIDEO_CHUNK_MAX × WAVRY_RIFT_VIDEO_CHUNKS_MAX. */
GPtrArray *wavry_rift_packetize_frame (guint64       frame_id,
                                       const guint8 *data,
                                       gsize         len,
                                       guint64       timestamp_us,
                                       gboolean      keyframe,
                                       guint32       capture_us,
                                       guint32       encode_us);

G_END_DECLS
