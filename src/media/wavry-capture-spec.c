/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wavry-capture.h"
#include "wavry-capture-pipewire.h"
#include "wavry-media-error.h"

/* The --capture forms this build understands; each source's constructor is
 * added here as it lands. */
#define WAVRY_CAPTURE_FORMS "test-pattern, y4m:PATH, y4m:-, x11[:DISPLAY], pipewire:NODE_ID"

WavryCapture *
wavry_capture_new_for_spec (const char                *spec,
                            const WavryCaptureOptions *options,
                            GError                   **error)
{
  static const WavryCaptureOptions defaults = { 0 };

  g_return_val_if_fail (spec != NULL, NULL);

  if (options == NULL)
    options = &defaults;

  /* "pipewire": the desktop's ScreenCast portal picks the screen. */
  if (g_str_equal (spec, "pipewire"))
    return wavry_capture_pipewire_new_portal ();
  if (g_str_has_prefix (spec, "pipewire:"))
    return wavry_capture_pipewire_new (spec + strlen ("pipewire:"), error);

  g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
               _("Unknown capture source “%s”. Use one of: %s."), spec, WAVRY_CAPTURE_FORMS);
  return NULL;
}
