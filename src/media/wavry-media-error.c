/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-media-error.h"

G_DEFINE_QUARK (wavry-media-error-quark, wavry_media_error)
