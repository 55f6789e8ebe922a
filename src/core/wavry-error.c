/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-error.h"

G_DEFINE_QUARK (wavry-rift-error-quark, wavry_rift_error)
