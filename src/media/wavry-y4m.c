/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-y4m.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>

#include "wavry-media-error.h"

#define Y4M_MAGIC "YUV4MPEG2"
#define Y4M_FRAME "FRAME"
/* F and A terms above this are refused: keeps the pts arithmetic in 64 bits
 * (real rates are at most 60000:1001 or 240:1). */
#define Y4M_MAX_RATE_TERM 1000000u
#define Y4M_READ_BUFFER (256 * 1024)

struct _WavryY4mReader
{
  GInputStream   *stream;   /* a GBufferedInputStream over the caller's */
  WavryY4mHeader  header;
  guint64         n_frames;
  char            line[WAVRY_Y4M_MAX_LINE + 1];
};

struct _WavryY4mWriter
{
  GOutputStream  *stream;
  WavryY4mHeader  header;
  gboolean        header_written;
  guint64         n_frames;
  guint8         *buffer;    /* "FRAME\n" + the picture, written with one write */
  gsize           buffer_len;
};

/* Parses a decimal number of 1…10 digits; FALSE on anything else. */
static gboolean
parse_uint (const char *text,
            const char *end,
            guint64     max,
            guint      *out)
{
  guint64 value = 0;

  if (text == end || end - text > 10)
    return FALSE;
  for (const char *p = text; p < end; p++)
    {
      if (*p < '0' || *p > '9')
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
    }
  if (value > max)
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

/* "num:den" */
static gboolean
parse_ratio (const char *text,
             const char *end,
             guint      *num,
             guint      *den)
{
  const char *colon = memchr (text, ':', end - text);

  return colon != NULL &&
         parse_uint (text, colon, Y4M_MAX_RATE_TERM, num) &&
         parse_uint (colon + 1, end, Y4M_MAX_RATE_TERM, den);
}

gboolean
wavry_y4m_parse_header (const char      *line,
                        gsize            len,
                        WavryY4mHeader  *header,
                        GError         **error)
{
  WavryY4mHeader h = { 0, 0, 0, 0, 0, 0, '?' };
  const char *end = line + len;
  const char *p;
  gboolean have_w = FALSE, have_h = FALSE;

  g_return_val_if_fail (line != NULL || len == 0, FALSE);
  g_return_val_if_fail (header != NULL, FALSE);

  /* The same limit as the reader's, so that both agree on what is valid. */
  if (len > WAVRY_Y4M_MAX_LINE)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("Malformed YUV4MPEG2 stream: a header line is longer than %u bytes."),
                   WAVRY_Y4M_MAX_LINE);
      return FALSE;
    }
  if (len < strlen (Y4M_MAGIC) || memcmp (line, Y4M_MAGIC, strlen (Y4M_MAGIC)) != 0 ||
      (len > strlen (Y4M_MAGIC) && line[strlen (Y4M_MAGIC)] != ' '))
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                           _("Not a YUV4MPEG2 stream: the header does not start with “YUV4MPEG2 ”."));
      return FALSE;
    }

  p = line + strlen (Y4M_MAGIC);
  while (p < end)
    {
      const char *tag_end;
      const char *value;
      char tag;
      gboolean ok = TRUE;

      if (*p == ' ')
        {
          p++;
          continue;
        }
      tag_end = memchr (p, ' ', end - p);
      if (tag_end == NULL)
        tag_end = end;
      tag = *p;
      value = p + 1;

      switch (tag)
        {
        case 'W':
          ok = parse_uint (value, tag_end, WAVRY_VIDEO_FRAME_MAX_DIMENSION, &h.width) && h.width > 0;
          have_w = TRUE;
          break;
        case 'H':
          ok = parse_uint (value, tag_end, WAVRY_VIDEO_FRAME_MAX_DIMENSION, &h.height) && h.height > 0;
          have_h = TRUE;
          break;
        case 'F':
          ok = parse_ratio (value, tag_end, &h.fps_num, &h.fps_den) &&
               h.fps_num > 0 && h.fps_den > 0;
          break;
        case 'A':
          /* 0:0 is the spec's "unknown". */
          ok = parse_ratio (value, tag_end, &h.par_num, &h.par_den) &&
               (h.par_num == 0) == (h.par_den == 0);
          break;
        case 'I':
          ok = tag_end - value == 1 && strchr ("ptbm?", *value) != NULL;
          if (ok)
            h.interlace = *value;
          break;
        case 'C':
          {
            static const char * const accepted[] = { "420jpeg", "420paldv", "420mpeg2", "420" };
            gsize value_len = tag_end - value;
            gboolean known = FALSE;

            for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
              if (value_len == strlen (accepted[i]) && memcmp (value, accepted[i], value_len) == 0)
                known = TRUE;
            if (!known)
              {
                g_autofree char *printable = g_strndup (p, MIN (tag_end - p, 32));

                g_strcanon (printable, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS ":._-", '?');
                g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                             _("Unsupported YUV4MPEG2 colour space “%s”: only 8-bit 4:2:0 "
                               "(C420jpeg, C420paldv, C420mpeg2, C420) can be read."), printable);
                return FALSE;
              }
          }
          break;
        default:
          /* X (comments and extensions) and unknown tags are ignored. */
          break;
        }

      if (!ok)
        {
          g_autofree char *printable = g_strndup (p, MIN (tag_end - p, 32));

          g_strcanon (printable, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS ":._-", '?');
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                       _("Malformed YUV4MPEG2 header tag “%s” (sizes are 1–%u, rates num:den)."),
                       printable, WAVRY_VIDEO_FRAME_MAX_DIMENSION);
          return FALSE;
        }
      p = tag_end;
    }

  if (!have_w || !have_h)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                           _("Malformed YUV4MPEG2 header: the W (width) and H (height) tags are required."));
      return FALSE;
    }
  if (h.width % 2 != 0 || h.height % 2 != 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Unsupported YUV4MPEG2 size W%u H%u: 4:2:0 video must have an even width and height."),
                   h.width, h.height);
      return FALSE;
    }

  *header = h;
  return TRUE;
}

gboolean
wavry_y4m_parse_frame_header (const char  *line,
                              gsize        len,
                              GError     **error)
{
  g_return_val_if_fail (line != NULL || len == 0, FALSE);

  /* Frame parameters ("FRAME Ixyz X…") may follow; none changes how 4:2:0
   * progressive data is read. */
  if (len > WAVRY_Y4M_MAX_LINE ||
      len < strlen (Y4M_FRAME) || memcmp (line, Y4M_FRAME, strlen (Y4M_FRAME)) != 0 ||
      (len > strlen (Y4M_FRAME) && line[strlen (Y4M_FRAME)] != ' '))
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                           _("Malformed YUV4MPEG2 stream: expected a “FRAME” line."));
      return FALSE;
    }
  return TRUE;
}

gsize
wavry_y4m_header_frame_size (const WavryY4mHeader *header)
{
  gsize luma = (gsize) header->width * header->height;

  return luma + 2 * (luma / 4);
}

char *
wavry_y4m_header_to_string (const WavryY4mHeader *header)
{
  GString *s = g_string_new (Y4M_MAGIC);

  g_string_append_printf (s, " W%u H%u", header->width, header->height);
  if (header->fps_num != 0 && header->fps_den != 0)
    g_string_append_printf (s, " F%u:%u", header->fps_num, header->fps_den);
  g_string_append_printf (s, " I%c", header->interlace != 0 ? header->interlace : 'p');
  g_string_append_printf (s, " A%u:%u", header->par_num, header->par_den);
  g_string_append (s, " C420jpeg\n");
  return g_string_free (s, FALSE);
}

/* ---- Reader ---- */

/* Reads one '\n'-terminated line into reader->line (without the '\n').
 * Returns its length, or -1: with @error set, or without it at an end of
 * stream before the first byte. */
static gssize
read_line (WavryY4mReader  *reader,
           GCancellable    *cancellable,
           GError         **error)
{
  GBufferedInputStream *in = G_BUFFERED_INPUT_STREAM (reader->stream);
  gsize len = 0;

  for (;;)
    {
      GError *local_error = NULL;
      int c = g_buffered_input_stream_read_byte (in, cancellable, &local_error);

      if (c < 0)
        {
          if (local_error != NULL)
            g_propagate_error (error, local_error);
          else if (len > 0)
            g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                                 _("Truncated YUV4MPEG2 stream: it ends inside a header line."));
          return -1;
        }
      if (c == '\n')
        break;
      if (len == WAVRY_Y4M_MAX_LINE)
        {
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                       _("Malformed YUV4MPEG2 stream: a header line is longer than %u bytes."),
                       WAVRY_Y4M_MAX_LINE);
          return -1;
        }
      reader->line[len++] = (char) c;
    }
  reader->line[len] = '\0';
  return (gssize) len;
}

WavryY4mReader *
wavry_y4m_reader_new (GInputStream  *stream,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(WavryY4mReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  gssize len;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  reader = g_new0 (WavryY4mReader, 1);
  reader->stream = g_buffered_input_stream_new_sized (stream, Y4M_READ_BUFFER);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (reader->stream), FALSE);

  len = read_line (reader, cancellable, &local_error);
  if (len < 0)
    {
      if (local_error == NULL)
        g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                             _("Empty YUV4MPEG2 stream: no header."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!wavry_y4m_parse_header (reader->line, len, &reader->header, error))
    return NULL;

  return g_steal_pointer (&reader);
}

WavryY4mReader *
wavry_y4m_reader_new_for_fd (int            fd,
                             gboolean       close_fd,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GInputStream) stream = NULL;
  WavryY4mReader *reader;

  g_return_val_if_fail (fd >= 0, NULL);

  stream = g_unix_input_stream_new (fd, close_fd);
  reader = wavry_y4m_reader_new (stream, cancellable, error);
  if (reader != NULL)
    g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (reader->stream), TRUE);
  return reader;
}

const WavryY4mHeader *
wavry_y4m_reader_get_header (WavryY4mReader *reader)
{
  g_return_val_if_fail (reader != NULL, NULL);

  return &reader->header;
}

guint64
wavry_y4m_reader_get_n_frames (WavryY4mReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->n_frames;
}

static gboolean
read_exact (WavryY4mReader  *reader,
            guint8          *dest,
            gsize            count,
            gsize           *total,
            GCancellable    *cancellable,
            GError         **error)
{
  gsize got = 0;

  if (!g_input_stream_read_all (reader->stream, dest, count, &got, cancellable, error))
    return FALSE;
  *total += got;
  if (got < count)
    {
      const WavryY4mHeader *h = &reader->header;

      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("Truncated YUV4MPEG2 stream: frame %" G_GUINT64_FORMAT " has %" G_GSIZE_FORMAT
                     " of its %" G_GSIZE_FORMAT " bytes."),
                   reader->n_frames, *total, wavry_y4m_header_frame_size (h));
      return FALSE;
    }
  return TRUE;
}

WavryVideoFrame *
wavry_y4m_reader_read_frame (WavryY4mReader   *reader,
                             WavryVideoFrame  *reuse,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_autoptr(WavryVideoFrame) frame = NULL;
  g_autoptr(GError) local_error = NULL;
  const WavryY4mHeader *h;
  gsize total = 0;
  gssize len;

  g_return_val_if_fail (reader != NULL, NULL);
  h = &reader->header;
  g_return_val_if_fail (reuse == NULL ||
                        (wavry_video_frame_get_format (reuse) == WAVRY_PIXEL_FORMAT_I420 &&
                         wavry_video_frame_get_width (reuse) == h->width &&
                         wavry_video_frame_get_height (reuse) == h->height), NULL);

  len = read_line (reader, cancellable, &local_error);
  if (len < 0)
    {
      if (local_error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "end of stream");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!wavry_y4m_parse_frame_header (reader->line, len, error))
    return NULL;

  if (reuse != NULL)
    frame = wavry_video_frame_ref (reuse);
  else
    frame = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_I420, h->width, h->height);
  g_assert (frame != NULL);   /* the header was validated against the frame limits */

  /* Straight into the frame's planes: whole planes when the rows are
   * contiguous (widths that are multiples of 64), row by row otherwise. */
  for (guint p = 0; p < 3; p++)
    {
      guint8 *data = wavry_video_frame_get_data (frame, p);
      gsize stride = wavry_video_frame_get_stride (frame, p);
      gsize row_bytes = wavry_video_frame_get_row_bytes (frame, p);
      guint rows = wavry_video_frame_get_rows (frame, p);

      if (stride == row_bytes)
        {
          if (!read_exact (reader, data, row_bytes * rows, &total, cancellable, error))
            return NULL;
        }
      else
        {
          for (guint r = 0; r < rows; r++)
            if (!read_exact (reader, data + r * stride, row_bytes, &total, cancellable, error))
              return NULL;
        }
    }

  if (h->fps_num != 0)
    {
      guint64 q = reader->n_frames / h->fps_num;
      guint64 r = reader->n_frames % h->fps_num;

      wavry_video_frame_set_pts (frame, (gint64) (q * h->fps_den * G_USEC_PER_SEC +
                                                  r * h->fps_den * G_USEC_PER_SEC / h->fps_num));
    }
  else
    wavry_video_frame_set_pts (frame, 0);
  reader->n_frames++;

  return g_steal_pointer (&frame);
}

void
wavry_y4m_reader_free (WavryY4mReader *reader)
{
  if (reader == NULL)
    return;
  g_clear_object (&reader->stream);
  g_free (reader);
}

/* ---- Writer ---- */

WavryY4mWriter *
wavry_y4m_writer_new (GOutputStream *stream,
                      guint          width,
                      guint          height,
                      guint          fps_num,
                      guint          fps_den)
{
  WavryY4mWriter *writer;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);
  g_return_val_if_fail (width <= WAVRY_VIDEO_FRAME_MAX_DIMENSION && width % 2 == 0, NULL);
  g_return_val_if_fail (height <= WAVRY_VIDEO_FRAME_MAX_DIMENSION && height % 2 == 0, NULL);
  g_return_val_if_fail ((fps_num == 0) == (fps_den == 0), NULL);

  writer = g_new0 (WavryY4mWriter, 1);
  writer->stream = g_object_ref (stream);
  writer->header.width = width;
  writer->header.height = height;
  writer->header.fps_num = fps_num;
  writer->header.fps_den = fps_den;
  writer->header.par_num = 1;
  writer->header.par_den = 1;
  writer->header.interlace = 'p';
  return writer;
}

static void
copy_plane (guint8       *dest,
            gsize         dest_stride,
            const guint8 *src,
            gsize         src_stride,
            gsize         row_bytes,
            guint         rows)
{
  for (guint r = 0; r < rows; r++)
    memcpy (dest + r * dest_stride, src + r * src_stride, row_bytes);
}

gboolean
wavry_y4m_writer_write (WavryY4mWriter   *writer,
                        WavryVideoFrame  *frame,
                        GError          **error)
{
  WavryPixelFormat format;
  guint width, height;
  gsize luma, chroma;
  guint8 *out;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  format = wavry_video_frame_get_format (frame);
  width = wavry_video_frame_get_width (frame);
  height = wavry_video_frame_get_height (frame);

  if (format != WAVRY_PIXEL_FORMAT_I420 && format != WAVRY_PIXEL_FORMAT_NV12)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Cannot write %s frames as YUV4MPEG2: only I420 and NV12 are supported."),
                   wavry_pixel_format_to_string (format));
      return FALSE;
    }
  if (writer->header.width == 0 && writer->header.height == 0)
    {
      writer->header.width = width;
      writer->header.height = height;
    }
  if (width != writer->header.width || height != writer->header.height)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Cannot write a %u×%u frame into a %u×%u YUV4MPEG2 stream."),
                   width, height, writer->header.width, writer->header.height);
      return FALSE;
    }

  if (!writer->header_written)
    {
      g_autofree char *line = wavry_y4m_header_to_string (&writer->header);

      if (!g_output_stream_write_all (writer->stream, line, strlen (line), NULL, NULL, error))
        return FALSE;
      writer->header_written = TRUE;
      writer->buffer_len = strlen (Y4M_FRAME "\n") + wavry_y4m_header_frame_size (&writer->header);
      writer->buffer = g_malloc (writer->buffer_len);
      memcpy (writer->buffer, Y4M_FRAME "\n", strlen (Y4M_FRAME "\n"));
    }

  luma = (gsize) width * height;
  chroma = luma / 4;
  out = writer->buffer + strlen (Y4M_FRAME "\n");
  copy_plane (out, width, wavry_video_frame_get_data (frame, 0),
              wavry_video_frame_get_stride (frame, 0), width, height);
  if (format == WAVRY_PIXEL_FORMAT_I420)
    {
      copy_plane (out + luma, width / 2, wavry_video_frame_get_data (frame, 1),
                  wavry_video_frame_get_stride (frame, 1), width / 2, height / 2);
      copy_plane (out + luma + chroma, width / 2, wavry_video_frame_get_data (frame, 2),
                  wavry_video_frame_get_stride (frame, 2), width / 2, height / 2);
    }
  else
    {
      const guint8 *uv = wavry_video_frame_get_data (frame, 1);
      gsize uv_stride = wavry_video_frame_get_stride (frame, 1);
      guint8 *u = out + luma;
      guint8 *v = out + luma + chroma;

      for (guint r = 0; r < height / 2; r++)
        for (guint x = 0; x < width / 2; x++)
          {
            u[r * (width / 2) + x] = uv[r * uv_stride + 2 * x];
            v[r * (width / 2) + x] = uv[r * uv_stride + 2 * x + 1];
          }
    }

  if (!g_output_stream_write_all (writer->stream, writer->buffer, writer->buffer_len,
                                  NULL, NULL, error))
    return FALSE;
  writer->n_frames++;
  return TRUE;
}

guint64
wavry_y4m_writer_get_n_frames (WavryY4mWriter *writer)
{
  g_return_val_if_fail (writer != NULL, 0);

  return writer->n_frames;
}

void
wavry_y4m_writer_free (WavryY4mWriter *writer)
{
  if (writer == NULL)
    return;
  g_clear_object (&writer->stream);
  g_free (writer->buffer);
  g_free (writer);
}
