/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include <string.h>

#include "wavry-capture-pipewire.h"

/* The PipeWire capture's buffer copy with chunk offsets, strides and sizes
 * as another process may describe them. Input: format (1 byte), width and
 * height (1 byte each, ×2), number of datas (1 byte), then per data offset
 * (2 bytes), stride (2 bytes, signed) and maxsize (2 bytes, clamped to the
 * memory that follows); the rest of the input is the memory all datas
 * share. Never reads outside that memory (ASan), and an accepted frame's
 * first row is the bytes at the first plane's offset. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  WavryPipewirePlane planes[WAVRY_VIDEO_FRAME_MAX_PLANES];
  WavryPixelFormat format;
  guint width, height, n_datas;
  const guint8 *memory;
  gsize memory_size, header;
  g_autoptr(WavryVideoFrame) frame = NULL;

  if (size < 4)
    return 0;
  format = data[0] % 4;
  width = (guint) data[1] * 2;
  height = (guint) data[2] * 2;
  n_datas = data[3] % (WAVRY_VIDEO_FRAME_MAX_PLANES + 1);
  header = 4 + 6 * (gsize) n_datas;
  if (size < header)
    return 0;
  memory = data + header;
  memory_size = size - header;

  for (guint i = 0; i < n_datas; i++)
    {
      const guint8 *p = data + 4 + 6 * i;
      gsize maxsize = p[4] | (p[5] << 8);

      planes[i].data = memory_size > 0 ? memory : NULL;
      planes[i].maxsize = MIN (maxsize, memory_size);
      planes[i].offset = p[0] | (p[1] << 8);
      planes[i].stride = (gint16) (p[2] | (p[3] << 8));
      planes[i].size = (guint32) planes[i].maxsize;
    }

  frame = wavry_capture_pipewire_copy_frame (format, width, height, planes, n_datas, NULL);
  if (frame != NULL)
    {
      gsize row = wavry_video_frame_get_row_bytes (frame, 0);

      g_assert (planes[0].offset + row <= planes[0].maxsize);
      g_assert (memcmp (wavry_video_frame_get_data (frame, 0), memory + planes[0].offset, row) == 0);
    }
  return 0;
}
