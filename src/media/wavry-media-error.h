/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WAVRY_MEDIA_ERROR (wavry_media_error_quark ())

typedef enum /*< prefix=WAVRY_MEDIA_ERROR >*/
{
  WAVRY_MEDIA_ERROR_FAILED,
  WAVRY_MEDIA_ERROR_MALFORMED,    /* input that does not parse (a y4m header, a bitstream) */
  WAVRY_MEDIA_ERROR_UNSUPPORTED,  /* a format, codec, source or encoder this build cannot use */
  WAVRY_MEDIA_ERROR_IO,           /* reading or writing a file, pipe or device failed */
  WAVRY_MEDIA_ERROR_CODEC,        /* the encoder or decoder reported an error */
} WavryMediaError;

GQuark wavry_media_error_quark (void);

G_END_DECLS
