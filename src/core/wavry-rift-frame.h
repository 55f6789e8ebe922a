/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-core-types.h"

G_BEGIN_DECLS

/* RIFT §1: physical framing. All integers big-endian. */
#define WAVRY_RIFT_VERSION                1
#define WAVRY_RIFT_HANDSHAKE_HEADER_LEN   30
#define WAVRY_RIFT_TRANSPORT_HEADER_LEN   18
#define WAVRY_RIFT_AEAD_TAG_LEN           16
#define WAVRY_RIFT_MAX_DATAGRAM           65536
/* The alias every client uses until the HelloAck assigns one (RIFT §3.1, §4). */
#define WAVRY_RIFT_BOOTSTRAP_ALIAS        1

typedef enum /*< prefix=WAVRY_RIFT_HEADER >*/
{
  WAVRY_RIFT_HEADER_HANDSHAKE,
  WAVRY_RIFT_HEADER_TRANSPORT,
} WavryRiftHeaderKind;

struct _WavryRiftHeader
{
  WavryRiftHeaderKind kind;
  guint16 version;
  guint32 alias;           /* transport form only; 0 for the handshake form */
  guint8  session_id[16];  /* handshake form only */
  guint64 packet_id;
  gsize   header_len;      /* 30 or 18: the payload starts here */
};

/**
 * WavryRiftDrop:
 *
 * Why a received datagram was dropped. Every layer that drops a datagram
 * counts it under one of these, so malformed input is visible, never silent.
 */
typedef enum /*< prefix=WAVRY_RIFT_DROP >*/
{
  WAVRY_RIFT_DROP_NONE = 0,
  WAVRY_RIFT_DROP_TOO_SHORT,         /* < 18 bytes */
  WAVRY_RIFT_DROP_BAD_MAGIC,         /* not "RI" */
  WAVRY_RIFT_DROP_BAD_VERSION,       /* version != 1 */
  WAVRY_RIFT_DROP_BAD_CRC,           /* header CRC mismatch */
  WAVRY_RIFT_DROP_TOO_LONG,          /* larger than the receive buffer allows */
  WAVRY_RIFT_DROP_UNKNOWN_PEER,      /* transport packet nobody is expecting */
  WAVRY_RIFT_DROP_UNEXPECTED,        /* valid, but not in this state */
  WAVRY_RIFT_DROP_HANDSHAKE_FAILED,  /* Noise message did not verify */
  WAVRY_RIFT_DROP_DECRYPT_FAILED,    /* AEAD tag mismatch */
  WAVRY_RIFT_DROP_REPLAY,            /* packet id outside or already in the replay window */
  WAVRY_RIFT_DROP_BAD_MESSAGE,       /* protobuf did not decode or is not allowed here */
  WAVRY_RIFT_DROP_DUPLICATE,         /* a retransmitted handshake message already handled */
  WAVRY_RIFT_DROP_PROBE,             /* 1-byte 0x00 hole-punch probe (RIFT §12) */
  WAVRY_RIFT_DROP_LAST,
} WavryRiftDrop;

const char   *wavry_rift_drop_to_string            (WavryRiftDrop          reason);

WavryRiftDrop wavry_rift_header_decode             (const guint8          *data,
                                                    gsize                  len,
                                                    WavryRiftHeader       *out);
void          wavry_rift_header_encode_handshake   (guint8                 out[WAVRY_RIFT_HANDSHAKE_HEADER_LEN],
                                                    guint64                packet_id);
void          wavry_rift_header_encode_transport   (guint8                 out[WAVRY_RIFT_TRANSPORT_HEADER_LEN],
                                                    guint32                alias,
                                                    guint64                packet_id);

/* Bounds are the caller's job: these only move bytes. */
static inline guint16
wavry_rift_read_u16be (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static inline guint32
wavry_rift_read_u32be (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static inline guint64
wavry_rift_read_u64be (const guint8 *p)
{
  return ((guint64) wavry_rift_read_u32be (p) << 32) | wavry_rift_read_u32be (p + 4);
}

static inline void
wavry_rift_write_u16be (guint8  *p,
                        guint16  v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static inline void
wavry_rift_write_u32be (guint8  *p,
                        guint32  v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

static inline void
wavry_rift_write_u64be (guint8  *p,
                        guint64  v)
{
  wavry_rift_write_u32be (p, v >> 32);
  wavry_rift_write_u32be (p + 4, v & 0xffffffff);
}

G_END_DECLS
