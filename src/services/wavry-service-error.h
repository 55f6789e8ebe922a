/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WAVRY_SERVICE_ERROR (wavry_service_error_quark ())

typedef enum /*< prefix=WAVRY_SERVICE_ERROR >*/
{
  WAVRY_SERVICE_ERROR_FAILED,
  WAVRY_SERVICE_ERROR_INVALID_CONFIG,   /* a bad option or configuration file */
} WavryServiceError;

GQuark wavry_service_error_quark (void);

G_END_DECLS
