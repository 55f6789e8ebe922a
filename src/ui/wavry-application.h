/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <adwaita.h>

#include "wavry-identity.h"

G_BEGIN_DECLS

#define WAVRY_TYPE_APPLICATION (wavry_application_get_type ())
G_DECLARE_FINAL_TYPE (WavryApplication, wavry_application, WAVRY, APPLICATION, AdwApplication)

WavryApplication *wavry_application_new          (void);
/* The device identity, once loaded from (or created in) the keyring. */
WavryIdentity    *wavry_application_get_identity (WavryApplication *self);

G_END_DECLS
