/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include <string.h>

#include "wavry-y4m.h"

/* Frames bigger than this are not read (the input could never fill them, and
 * allocating 100 MB per input would only slow the fuzzer down). */
#define MAX_FRAME_BYTES (1024 * 1024)

/* YUV4MPEG2 header and FRAME parser, and the reader over the whole input:
 * never crashes; whatever header it accepts re-parses identically from the
 * canonical form the writer emits; every frame read has the header's size. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const guint8 *newline = memchr (data, '\n', size);
  gsize line_len = newline != NULL ? (gsize) (newline - data) : size;
  WavryY4mHeader header, again;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(WavryY4mReader) reader = NULL;
  g_autofree char *canonical = NULL;

  wavry_y4m_parse_frame_header ((const char *) data, line_len, NULL);

  if (!wavry_y4m_parse_header ((const char *) data, line_len, &header, NULL))
    return 0;

  g_assert (header.width >= 2 && header.width <= WAVRY_VIDEO_FRAME_MAX_DIMENSION && header.width % 2 == 0);
  g_assert (header.height >= 2 && header.height <= WAVRY_VIDEO_FRAME_MAX_DIMENSION && header.height % 2 == 0);
  canonical = wavry_y4m_header_to_string (&header);
  g_assert (wavry_y4m_parse_header (canonical, strlen (canonical) - 1, &again, NULL));
  g_assert (again.width == header.width && again.height == header.height);
  g_assert (again.fps_num == header.fps_num && again.fps_den == header.fps_den);
  g_assert (again.par_num == header.par_num && again.par_den == header.par_den);

  if (wavry_y4m_header_frame_size (&header) > MAX_FRAME_BYTES || newline == NULL)
    return 0;

  in = g_memory_input_stream_new_from_data (data, size, NULL);
  reader = wavry_y4m_reader_new (in, NULL, NULL);
  g_assert (reader != NULL);
  for (;;)
    {
      g_autoptr(WavryVideoFrame) frame = wavry_y4m_reader_read_frame (reader, NULL, NULL, NULL);

      if (frame == NULL)
        break;
      g_assert (wavry_video_frame_get_width (frame) == header.width);
      g_assert (wavry_video_frame_get_height (frame) == header.height);
    }
  return 0;
}
