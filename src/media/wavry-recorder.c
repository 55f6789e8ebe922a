/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libavformat/avformat.h>
#include <libavutil/mathematics.h>

#include "wavry-media-error.h"
#include "wavry-recorder.h"

/* Extension → libavformat muxer. The mp4/mov and Matroska muxers of FFmpeg
 * 5.1 convert Annex-B extradata to avcC/hvcC and Annex-B packets to length
 * prefixed NAL units themselves; MPEG-TS carries Annex-B as it is. */
static const struct {
  const char *extension;
  const char *muxer;
} containers[] = {
  { "mkv", "matroska" },
  { "mp4", "mp4" },
  { "mov", "mov" },
  { "ts",  "mpegts" },
};

static const AVRational microseconds = { 1, 1000000 };

/* The duration given to a file's first frame: one 60 Hz frame. */
#define DEFAULT_FRAME_US 16667

struct _WavryRecorder
{
  char            *path;
  Rift__Codec      codec;
  AVFormatContext *fmt;
  AVStream        *stream;
  AVPacket        *pkt;
  gboolean         header_written;
  gboolean         closed;
  gboolean         broken;         /* the header could not be written */
  gint64           first_pts_us;
  gint64           last_pts_us;
  gint64           last_ts;        /* in the stream's time base */
  guint64          n_written;
  guint64          n_skipped;
};

static char *
av_error_string (int err)
{
  char buf[AV_ERROR_MAX_STRING_SIZE] = "";

  av_strerror (err, buf, sizeof buf);
  return g_strdup (buf);
}

/* Offset of the next "00 00 01" at or after @pos, or @len. */
static gsize
find_start_code (const guint8 *data,
                 gsize         len,
                 gsize         pos)
{
  for (gsize i = pos; i + 3 <= len; i++)
    {
      if (data[i + 2] > 1)
        {
          i += 2;   /* none of the next 3 windows can end here */
          continue;
        }
      if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1)
        return i;
    }
  return len;
}

static gboolean
is_parameter_set (Rift__Codec   codec,
                  const guint8 *nal,
                  gsize         len)
{
  if (codec == RIFT__CODEC__CODEC_H264)
    {
      guint type = nal[0] & 0x1f;

      return type == 7 || type == 8;
    }
  else
    {
      guint type;

      if (len < 2)   /* HEVC NAL headers are 2 bytes */
        return FALSE;
      type = (nal[0] >> 1) & 0x3f;
      return type == 32 || type == 33 || type == 34;
    }
}

GBytes *
wavry_recorder_extract_parameter_sets (Rift__Codec   codec,
                                       const guint8 *data,
                                       gsize         len)
{
  static const guint8 start_code[] = { 0, 0, 0, 1 };
  g_autoptr(GByteArray) out = NULL;
  gsize pos;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (codec != RIFT__CODEC__CODEC_H264 && codec != RIFT__CODEC__CODEC_HEVC)
    return NULL;

  out = g_byte_array_new ();
  pos = find_start_code (data, len, 0);
  while (pos < len)
    {
      gsize start = pos + 3;
      gsize next = find_start_code (data, len, start);
      gsize end = next;

      /* Zero bytes before a start code belong to it (trailing_zero_8bits
       * or the 4-byte form), not to the NAL unit. */
      while (end > start && data[end - 1] == 0)
        end--;
      if (end > start && is_parameter_set (codec, data + start, end - start))
        {
          g_byte_array_append (out, start_code, sizeof start_code);
          g_byte_array_append (out, data + start, end - start);
        }
      pos = next;
    }

  if (out->len == 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static const char *
muxer_for_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  g_autofree char *ext = NULL;

  if (dot == NULL)
    return NULL;
  ext = g_ascii_strdown (dot + 1, -1);
  for (guint i = 0; i < G_N_ELEMENTS (containers); i++)
    if (g_str_equal (ext, containers[i].extension))
      return containers[i].muxer;
  return NULL;
}

WavryRecorder *
wavry_recorder_new (const char   *path,
                    Rift__Codec   codec,
                    guint         width,
                    guint         height,
                    GError      **error)
{
  g_autoptr(WavryRecorder) self = NULL;
  const char *muxer;
  int err;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  muxer = muxer_for_path (path);
  if (muxer == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Cannot record to “%s”: the file name must end in one of %s."),
                   path, WAVRY_RECORDER_EXTENSIONS);
      return NULL;
    }
  if (codec != RIFT__CODEC__CODEC_H264 && codec != RIFT__CODEC__CODEC_HEVC)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Cannot record this stream: only H.264 and HEVC streams can be recorded."));
      return NULL;
    }
  if (width == 0 || height == 0 || width > G_MAXINT || height > G_MAXINT)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Cannot record a stream of %u×%u pixels."), width, height);
      return NULL;
    }

  self = g_new0 (WavryRecorder, 1);
  self->path = g_strdup (path);
  self->codec = codec;
  self->closed = TRUE;   /* until the file is open: nothing to finish */

  err = avformat_alloc_output_context2 (&self->fmt, NULL, muxer, path);
  if (err < 0 || self->fmt == NULL)
    {
      g_autofree char *reason = av_error_string (err);

      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Cannot record to “%s”: %s."), path, reason);
      return NULL;
    }

  self->stream = avformat_new_stream (self->fmt, NULL);
  self->pkt = av_packet_alloc ();
  if (self->stream == NULL || self->pkt == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                   _("Cannot record to “%s”: out of memory."), path);
      return NULL;
    }
  self->stream->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
  self->stream->codecpar->codec_id =
    codec == RIFT__CODEC__CODEC_H264 ? AV_CODEC_ID_H264 : AV_CODEC_ID_HEVC;
  self->stream->codecpar->width = (int) width;
  self->stream->codecpar->height = (int) height;
  /* A hint; the muxer may choose another (Matroska uses 1/1000). */
  self->stream->time_base = (AVRational) { 1, 90000 };

  err = avio_open (&self->fmt->pb, path, AVIO_FLAG_WRITE);
  if (err < 0)
    {
      g_autofree char *reason = av_error_string (err);

      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("Cannot create the recording “%s”: %s."), path, reason);
      return NULL;
    }
  self->closed = FALSE;

  return g_steal_pointer (&self);
}

/* At the first keyframe: its parameter sets become the extradata, and the
 * header is written. FALSE (nothing written) when it carries none. */
static gboolean
start_recording (WavryRecorder  *self,
                 const guint8   *data,
                 gsize           len,
                 gint64          pts_us,
                 GError        **error)
{
  g_autoptr(GBytes) ps = wavry_recorder_extract_parameter_sets (self->codec, data, len);
  AVCodecParameters *par = self->stream->codecpar;
  gsize ps_len;
  const guint8 *ps_data;
  int err;

  if (ps == NULL)
    return FALSE;

  ps_data = g_bytes_get_data (ps, &ps_len);
  av_freep (&par->extradata);
  par->extradata_size = 0;
  par->extradata = av_mallocz (ps_len + AV_INPUT_BUFFER_PADDING_SIZE);
  if (par->extradata == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                   _("Cannot record to “%s”: out of memory."), self->path);
      return FALSE;
    }
  memcpy (par->extradata, ps_data, ps_len);
  par->extradata_size = (int) ps_len;

  err = avformat_write_header (self->fmt, NULL);
  if (err < 0)
    {
      g_autofree char *reason = av_error_string (err);

      self->broken = TRUE;
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("Cannot write the header of the recording “%s”: %s."),
                   self->path, reason);
      return FALSE;
    }

  self->header_written = TRUE;
  self->first_pts_us = pts_us;
  self->last_pts_us = G_MININT64;
  self->last_ts = G_MININT64;
  return TRUE;
}

gboolean
wavry_recorder_write (WavryRecorder  *self,
                      const guint8   *data,
                      gsize           len,
                      gint64          pts_us,
                      gboolean        keyframe,
                      GError        **error)
{
  gint64 ts;
  int err;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->closed || self->broken)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   self->closed ? _("The recording “%s” is already closed.")
                                : _("The recording “%s” failed and was stopped."),
                   self->path);
      return FALSE;
    }
  if (len == 0 || len > G_MAXINT - AV_INPUT_BUFFER_PADDING_SIZE)
    {
      self->n_skipped++;
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("Cannot record a frame of %" G_GSIZE_FORMAT " bytes."), len);
      return FALSE;
    }

  if (!self->header_written)
    {
      GError *local_error = NULL;

      /* Nothing decodes before a keyframe with its parameter sets. */
      if (!keyframe || !start_recording (self, data, len, pts_us, &local_error))
        {
          self->n_skipped++;
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          return TRUE;
        }
    }

  ts = av_rescale_q (pts_us - self->first_pts_us, microseconds, self->stream->time_base);
  if (pts_us <= self->last_pts_us || ts <= self->last_ts)
    {
      self->n_skipped++;
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("Frame time %" G_GINT64_FORMAT " µs does not follow the previous "
                     "frame’s; the frame was not recorded."), pts_us);
      return FALSE;
    }

  err = av_new_packet (self->pkt, (int) len);
  if (err < 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                   _("Cannot record to “%s”: out of memory."), self->path);
      return FALSE;
    }
  memcpy (self->pkt->data, data, len);
  self->pkt->stream_index = self->stream->index;
  self->pkt->pts = self->pkt->dts = ts;   /* RIFT §6.1: no B-frames */
  /* The muxers take every sample's duration from the next timestamp except
   * the last one's, which mp4/mov would otherwise cut with the edit list:
   * give each frame the previous interval (1/60 s for the first). */
  if (self->last_ts != G_MININT64)
    self->pkt->duration = ts - self->last_ts;
  else
    self->pkt->duration = MAX (av_rescale_q (DEFAULT_FRAME_US, microseconds,
                                             self->stream->time_base), 1);
  if (keyframe)
    self->pkt->flags |= AV_PKT_FLAG_KEY;

  err = av_write_frame (self->fmt, self->pkt);
  av_packet_unref (self->pkt);
  if (err < 0)
    {
      g_autofree char *reason = av_error_string (err);

      self->n_skipped++;
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("Cannot write to the recording “%s”: %s."), self->path, reason);
      return FALSE;
    }

  self->last_pts_us = pts_us;
  self->last_ts = ts;
  self->n_written++;
  return TRUE;
}

gboolean
wavry_recorder_close (WavryRecorder  *self,
                      GError        **error)
{
  int err = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->closed)
    return TRUE;
  self->closed = TRUE;

  if (!self->header_written)
    {
      avio_closep (&self->fmt->pb);
      g_unlink (self->path);
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("Nothing was recorded to “%s”: no keyframe arrived."), self->path);
      return FALSE;
    }

  err = av_write_trailer (self->fmt);
  if (err >= 0)
    err = avio_closep (&self->fmt->pb);
  else
    avio_closep (&self->fmt->pb);
  if (err < 0)
    {
      g_autofree char *reason = av_error_string (err);

      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("Cannot finish the recording “%s”: %s."), self->path, reason);
      return FALSE;
    }
  return TRUE;
}

void
wavry_recorder_free (WavryRecorder *self)
{
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;

  /* Freed without a keyframe (a client that stopped early): nothing to
   * warn about, the empty file is just removed. */
  if (!wavry_recorder_close (self, &error) && self->header_written)
    g_warning ("%s", error->message);
  else if (error != NULL)
    g_debug ("%s", error->message);

  av_packet_free (&self->pkt);
  avformat_free_context (self->fmt);
  g_free (self->path);
  g_free (self);
}

guint64
wavry_recorder_get_n_written (WavryRecorder *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_written;
}

guint64
wavry_recorder_get_n_skipped (WavryRecorder *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_skipped;
}
