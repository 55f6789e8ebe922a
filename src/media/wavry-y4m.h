/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-video-frame.h"

G_BEGIN_DECLS

/* YUV4MPEG2 (y4m): the raw video container that latclock's `src` writes into
 * the host's y4m:- pipe and that the client writes as a sink. Only 8-bit 4:2:0
 * is accepted (C420jpeg, C420paldv, C420mpeg2, C420, or no C tag); everything
 * it carries is read as I420. */

#define WAVRY_Y4M_MAX_LINE 1024   /* longest stream or FRAME header line accepted */

typedef struct
{
  guint width;            /* W, 1…8192, even */
  guint height;           /* H, 1…8192, even */
  guint fps_num;          /* F num:den; 0:0 when absent */
  guint fps_den;
  guint par_num;          /* A num:den; 0:0 when absent or unknown */
  guint par_den;
  char  interlace;        /* I: 'p', 't', 'b', 'm' or '?' (absent) */
} WavryY4mHeader;

/* Parses the stream header line @line (@len bytes, without the final '\n'),
 * "YUV4MPEG2 W… H… …": tags in any order, unknown ones (and X comments) ignored.
 * WAVRY_MEDIA_ERROR_MALFORMED for a missing magic, W or H, a bad number, a size
 * over 8192; WAVRY_MEDIA_ERROR_UNSUPPORTED, naming the tag, for a chroma other
 * than 4:2:0 8-bit or an odd size. */
gboolean  wavry_y4m_parse_header        (const char      *line,
                                         gsize            len,
                                         WavryY4mHeader  *header,
                                         GError         **error);
/* Parses a frame header line "FRAME[ params…]" (without the '\n'). Frame
 * parameters are accepted and ignored. */
gboolean  wavry_y4m_parse_frame_header  (const char      *line,
                                         gsize            len,
                                         GError         **error);
/* Bytes of picture data after each FRAME line: W×H×3/2. */
gsize     wavry_y4m_header_frame_size   (const WavryY4mHeader *header);
/* The canonical header line this module writes, with the final '\n'. */
char     *wavry_y4m_header_to_string    (const WavryY4mHeader *header);

/* Reader: blocking reads from a stream, on the caller's thread. */
typedef struct _WavryY4mReader WavryY4mReader;

/* Reads and parses the stream header. */
WavryY4mReader   *wavry_y4m_reader_new         (GInputStream    *stream,
                                                GCancellable    *cancellable,
                                                GError         **error);
/* The same over a file descriptor (a file or a pipe); @close_fd: closed with the reader. */
WavryY4mReader   *wavry_y4m_reader_new_for_fd  (int              fd,
                                                gboolean         close_fd,
                                                GCancellable    *cancellable,
                                                GError         **error);
const WavryY4mHeader *wavry_y4m_reader_get_header (WavryY4mReader *reader);
/* Frames read so far. */
guint64           wavry_y4m_reader_get_n_frames (WavryY4mReader *reader);
/* Reads the next frame into a new I420 frame, or into @reuse when not NULL
 * (an I420 frame of the stream's size nobody else holds: no allocation).
 * pts = index × F den / F num (µs), 0 when F is absent. Returns the frame (a
 * new reference), or NULL with G_IO_ERROR_CLOSED at a clean end of stream,
 * WAVRY_MEDIA_ERROR_MALFORMED for a bad FRAME line or a truncated frame. */
WavryVideoFrame  *wavry_y4m_reader_read_frame  (WavryY4mReader  *reader,
                                                WavryVideoFrame *reuse,
                                                GCancellable    *cancellable,
                                                GError         **error);
void              wavry_y4m_reader_free        (WavryY4mReader  *reader);

/* Writer: the header is written with the first frame. @width/@height 0 = the
 * first frame's size; every frame must have the header's size. */
typedef struct _WavryY4mWriter WavryY4mWriter;

WavryY4mWriter   *wavry_y4m_writer_new         (GOutputStream   *stream,
                                                guint            width,
                                                guint            height,
                                                guint            fps_num,
                                                guint            fps_den);
/* Writes @frame (I420, or NV12 converted to I420) as one FRAME. */
gboolean          wavry_y4m_writer_write       (WavryY4mWriter  *writer,
                                                WavryVideoFrame *frame,
                                                GError         **error);
guint64           wavry_y4m_writer_get_n_frames (WavryY4mWriter *writer);
void              wavry_y4m_writer_free        (WavryY4mWriter  *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryY4mReader, wavry_y4m_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryY4mWriter, wavry_y4m_writer_free)

G_END_DECLS
