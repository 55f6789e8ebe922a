/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "rift.pb-c.h"

G_BEGIN_DECLS

/* RIFT §5 messages: thin helpers over the protobuf-c code generated from
 * proto/rift.proto at build time. */

/* Decodes and validates a Message: NULL when the bytes are not a protobuf
 * Message or carry no content. Free with wavry_rift_message_free(). */
Rift__Message *wavry_rift_message_unpack        (const guint8        *data,
                                                 gsize                len);
void           wavry_rift_message_free          (Rift__Message       *message);
/* Packs @message into @out; returns the length, or 0 if @out_cap is too small. */
gsize          wavry_rift_message_pack_to       (const Rift__Message *message,
                                                 guint8              *out,
                                                 gsize                out_cap);
GBytes        *wavry_rift_message_pack          (const Rift__Message *message);
/* "control.ping", "media.video", … for logs and errors. */
const char    *wavry_rift_message_describe      (const Rift__Message *message);

Rift__HandshakeInfo *wavry_rift_handshake_info_unpack (const guint8 *data,
                                                       gsize         len);
void                 wavry_rift_handshake_info_free   (Rift__HandshakeInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rift__Message, wavry_rift_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rift__HandshakeInfo, wavry_rift_handshake_info_free)

G_END_DECLS
