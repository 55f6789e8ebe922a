/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "rift.pb-c.h"

G_BEGIN_DECLS

/* Annex-B byte-stream scanning for H.264 and HEVC (RIFT §6.1: access-unit
 * aligned, SPS/PPS(/VPS) before every IDR). Pure functions over caller-owned
 * bytes: no allocation, never reads outside [data, data + len). */

/* H.264 nal_unit_type values (ITU-T H.264 table 7-1). */
#define WAVRY_H264_NAL_SLICE     1
#define WAVRY_H264_NAL_IDR       5
#define WAVRY_H264_NAL_SEI       6
#define WAVRY_H264_NAL_SPS       7
#define WAVRY_H264_NAL_PPS       8
#define WAVRY_H264_NAL_AUD       9

/* HEVC nal_unit_type values (ITU-T H.265 table 7-1). */
#define WAVRY_HEVC_NAL_BLA_W_LP    16
#define WAVRY_HEVC_NAL_IDR_W_RADL  19
#define WAVRY_HEVC_NAL_IDR_N_LP    20
#define WAVRY_HEVC_NAL_CRA         21
#define WAVRY_HEVC_NAL_VPS         32
#define WAVRY_HEVC_NAL_SPS         33
#define WAVRY_HEVC_NAL_PPS         34
#define WAVRY_HEVC_NAL_AUD         35

typedef struct
{
  gsize  offset;      /* of the NAL header byte, just after the start code */
  gsize  size;        /* header + payload, trailing zero bytes excluded */
  guint8 type;        /* nal_unit_type */
} WavryNalUnit;

typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
  Rift__Codec   codec;
} WavryAnnexbIter;

typedef enum /*< flags,prefix=WAVRY_ANNEXB >*/
{
  WAVRY_ANNEXB_HAS_VPS   = 1 << 0,   /* HEVC only */
  WAVRY_ANNEXB_HAS_SPS   = 1 << 1,
  WAVRY_ANNEXB_HAS_PPS   = 1 << 2,
  WAVRY_ANNEXB_HAS_IDR   = 1 << 3,   /* H.264 IDR slice; HEVC IDR_W_RADL / IDR_N_LP */
  WAVRY_ANNEXB_HAS_IRAP  = 1 << 4,   /* any random access point: IDR, or HEVC BLA/CRA */
  WAVRY_ANNEXB_HAS_SLICE = 1 << 5,   /* any coded slice (VCL NAL) */
} WavryAnnexbFlags;

/* Offset of the next 00 00 01 at or after @from, or @len when there is none.
 * @start_code_len (may be NULL) gets 3, or 4 when a zero byte precedes it. */
gsize    wavry_annexb_find_start_code (const guint8  *data,
                                       gsize          len,
                                       gsize          from,
                                       guint         *start_code_len);

void     wavry_annexb_iter_init       (WavryAnnexbIter *iter,
                                       Rift__Codec      codec,
                                       const guint8    *data,
                                       gsize            len);
/* Next NAL unit; FALSE at the end or when the stream is malformed (@error
 * says which, WAVRY_MEDIA_ERROR_MALFORMED). Malformed: data before the first
 * start code, an empty NAL, a NAL shorter than its header, forbidden_zero_bit set. */
gboolean wavry_annexb_iter_next       (WavryAnnexbIter *iter,
                                       WavryNalUnit    *nal,
                                       GError         **error);

/* Scans a whole access unit. FALSE with WAVRY_MEDIA_ERROR_MALFORMED when it
 * does not parse or holds no NAL at all; @flags and @n_nals may be NULL. */
gboolean wavry_annexb_scan            (Rift__Codec       codec,
                                       const guint8     *data,
                                       gsize             len,
                                       WavryAnnexbFlags *flags,
                                       guint            *n_nals,
                                       GError          **error);

/* TRUE when @data parses and is a self-contained keyframe: an IDR (H.264) or
 * IRAP (HEVC) picture preceded by its parameter sets (SPS+PPS, plus VPS for HEVC). */
gboolean wavry_annexb_is_keyframe     (Rift__Codec       codec,
                                       const guint8     *data,
                                       gsize             len);

G_END_DECLS
