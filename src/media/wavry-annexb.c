/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-annexb.h"

#include "wavry-media-error.h"

gsize
wavry_annexb_find_start_code (const guint8 *data,
                              gsize         len,
                              gsize         from,
                              guint        *start_code_len)
{
  gsize i;

  if (len < 3 || from > len - 3)
    return len;

  for (i = from; i + 2 < len; )
    {
      /* Skip ahead by what the third byte rules out (a byte > 1 cannot be
       * any of the three bytes of a start code that ends within reach). */
      if (data[i + 2] > 1)
        i += 3;
      else if (data[i + 2] == 1 && data[i + 1] == 0 && data[i] == 0)
        {
          if (start_code_len != NULL)
            *start_code_len = (i > from && data[i - 1] == 0) ? 4 : 3;
          return (i > from && data[i - 1] == 0) ? i - 1 : i;
        }
      else
        i++;
    }

  return len;
}

void
wavry_annexb_iter_init (WavryAnnexbIter *iter,
                        Rift__Codec      codec,
                        const guint8    *data,
                        gsize            len)
{
  g_return_if_fail (iter != NULL);
  g_return_if_fail (data != NULL || len == 0);

  iter->data = data;
  iter->len = len;
  iter->pos = 0;
  iter->codec = codec;
}

gboolean
wavry_annexb_iter_next (WavryAnnexbIter *iter,
                        WavryNalUnit    *nal,
                        GError         **error)
{
  const guint8 *data = iter->data;
  gsize start, end, next;
  guint sc_len = 0;
  gsize header_len = iter->codec == RIFT__CODEC__CODEC_HEVC ? 2 : 1;

  if (iter->pos >= iter->len)
    return FALSE;

  /* Leading zero bytes (zero_byte / leading_zero_8bits) are allowed before
   * a start code; anything else before the first start code is not. */
  start = wavry_annexb_find_start_code (data, iter->len, iter->pos, &sc_len);
  for (gsize i = iter->pos; i < start; i++)
    if (data[i] != 0)
      {
        g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                     _("Annex-B stream: %lu bytes before a start code"),
                     (gulong) (start - iter->pos));
        iter->pos = iter->len;
        return FALSE;
      }
  if (start == iter->len)
    {
      /* Only zero bytes (trailing_zero_8bits) remain. */
      iter->pos = iter->len;
      return FALSE;
    }

  start += sc_len;
  next = wavry_annexb_find_start_code (data, iter->len, start, NULL);
  end = next;
  /* trailing_zero_8bits belong to the byte stream, not to the NAL. */
  while (end > start && data[end - 1] == 0)
    end--;

  if (end - start < header_len)
    {
      if (end == start)
        g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                     _("Annex-B stream: empty NAL unit at byte %lu"), (gulong) start);
      else
        g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                     _("Annex-B stream: NAL unit at byte %lu is shorter than its header"), (gulong) start);
      iter->pos = iter->len;
      return FALSE;
    }
  if (data[start] & 0x80)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("Annex-B stream: NAL unit at byte %lu has forbidden_zero_bit set"),
                   (gulong) start);
      iter->pos = iter->len;
      return FALSE;
    }

  nal->offset = start;
  nal->size = end - start;
  if (iter->codec == RIFT__CODEC__CODEC_HEVC)
    nal->type = (data[start] >> 1) & 0x3f;
  else
    nal->type = data[start] & 0x1f;
  iter->pos = next;
  return TRUE;
}

static WavryAnnexbFlags
nal_flags (Rift__Codec codec,
           guint8      type)
{
  if (codec == RIFT__CODEC__CODEC_HEVC)
    {
      if (type == WAVRY_HEVC_NAL_VPS)
        return WAVRY_ANNEXB_HAS_VPS;
      if (type == WAVRY_HEVC_NAL_SPS)
        return WAVRY_ANNEXB_HAS_SPS;
      if (type == WAVRY_HEVC_NAL_PPS)
        return WAVRY_ANNEXB_HAS_PPS;
      if (type == WAVRY_HEVC_NAL_IDR_W_RADL || type == WAVRY_HEVC_NAL_IDR_N_LP)
        return WAVRY_ANNEXB_HAS_IDR | WAVRY_ANNEXB_HAS_IRAP | WAVRY_ANNEXB_HAS_SLICE;
      /* 16..23 are IRAP (22, 23 reserved IRAP); 0..31 are VCL. */
      if (type >= WAVRY_HEVC_NAL_BLA_W_LP && type <= 23)
        return WAVRY_ANNEXB_HAS_IRAP | WAVRY_ANNEXB_HAS_SLICE;
      if (type <= 31)
        return WAVRY_ANNEXB_HAS_SLICE;
      return 0;
    }

  switch (type)
    {
    case WAVRY_H264_NAL_SPS:
      return WAVRY_ANNEXB_HAS_SPS;
    case WAVRY_H264_NAL_PPS:
      return WAVRY_ANNEXB_HAS_PPS;
    case WAVRY_H264_NAL_IDR:
      return WAVRY_ANNEXB_HAS_IDR | WAVRY_ANNEXB_HAS_IRAP | WAVRY_ANNEXB_HAS_SLICE;
    default:
      /* 1..5 are coded slices (2..4: data partitions). */
      return type >= WAVRY_H264_NAL_SLICE && type <= WAVRY_H264_NAL_IDR ? WAVRY_ANNEXB_HAS_SLICE : 0;
    }
}

gboolean
wavry_annexb_scan (Rift__Codec       codec,
                   const guint8     *data,
                   gsize             len,
                   WavryAnnexbFlags *flags,
                   guint            *n_nals,
                   GError          **error)
{
  WavryAnnexbIter iter;
  WavryNalUnit nal;
  GError *local_error = NULL;
  WavryAnnexbFlags found = 0;
  guint count = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (codec != RIFT__CODEC__CODEC_H264 && codec != RIFT__CODEC__CODEC_HEVC)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Annex-B scanning is for H.264 and HEVC only (codec %d)"), (int) codec);
      return FALSE;
    }

  wavry_annexb_iter_init (&iter, codec, data, len);
  while (wavry_annexb_iter_next (&iter, &nal, &local_error))
    {
      found |= nal_flags (codec, nal.type);
      count++;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (count == 0)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                           _("Annex-B stream: no NAL unit"));
      return FALSE;
    }

  if (flags != NULL)
    *flags = found;
  if (n_nals != NULL)
    *n_nals = count;
  return TRUE;
}

gboolean
wavry_annexb_is_keyframe (Rift__Codec   codec,
                          const guint8 *data,
                          gsize         len)
{
  WavryAnnexbFlags flags = 0;
  WavryAnnexbFlags need = WAVRY_ANNEXB_HAS_SPS | WAVRY_ANNEXB_HAS_PPS | WAVRY_ANNEXB_HAS_IRAP;

  if (codec == RIFT__CODEC__CODEC_HEVC)
    need |= WAVRY_ANNEXB_HAS_VPS;
  if (!wavry_annexb_scan (codec, data, len, &flags, NULL, NULL))
    return FALSE;
  return (flags & need) == need;
}
