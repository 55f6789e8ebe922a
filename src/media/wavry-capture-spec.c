/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wavry-capture.h"
#include "wavry-capture-mutter.h"
#include "wavry-capture-pipewire.h"
#include "wavry-capture-test-pattern.h"
#include "wavry-capture-x11.h"
#include "wavry-capture-y4m.h"
#include "wavry-media-error.h"
#include "wavry-mutter-session.h"

/* The --capture forms this build understands; each source's constructor is
 * added here as it lands. */
#define WAVRY_CAPTURE_FORMS "test-pattern, y4m:PATH, y4m:-, x11[:DISPLAY], pipewire, pipewire:NODE_ID, mutter[:CONNECTOR]"

WavryCapture *
wavry_capture_new_for_spec (const char                *spec,
                            const WavryCaptureOptions *options,
                            GError                   **error)
{
  static const WavryCaptureOptions defaults = { 0 };
  const char *arg;

  g_return_val_if_fail (spec != NULL, NULL);

  if (options == NULL)
    options = &defaults;

  if (g_str_equal (spec, "test-pattern"))
    return wavry_capture_test_pattern_new (options->width, options->height, options->fps, error);

  if (g_str_has_prefix (spec, "y4m:"))
    {
      arg = spec + strlen ("y4m:");
      if (*arg == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The capture source “y4m:” needs a file name, or “-” for standard input. "
                         "Use one of: %s."), WAVRY_CAPTURE_FORMS);
          return NULL;
        }
      return wavry_capture_y4m_new (arg, options->fps, error);
    }

  if (g_str_equal (spec, "x11"))
    return wavry_capture_x11_new (NULL, options->fps, error);
  if (g_str_has_prefix (spec, "x11:"))
    {
      arg = spec + strlen ("x11:");
      /* An X display name: [host]:display[.screen] */
      if (*arg == '\0' || strchr (arg, ':') == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Malformed X display “%s” in the capture source (expected e.g. x11::0). "
                         "Use one of: %s."), arg, WAVRY_CAPTURE_FORMS);
          return NULL;
        }
      return wavry_capture_x11_new (arg, options->fps, error);
    }

  if (g_str_equal (spec, "mutter") || g_str_has_prefix (spec, "mutter:"))
    {
      g_autofree char *connector = NULL;

      if (!wavry_mutter_parse_capture_spec (spec, &connector, error))
        return NULL;
      return wavry_capture_mutter_new (connector, options->fps);
    }

  /* "pipewire": the desktop's ScreenCast portal picks the screen. */
  if (g_str_equal (spec, "pipewire"))
    return wavry_capture_pipewire_new_portal ();
  if (g_str_has_prefix (spec, "pipewire:"))
    return wavry_capture_pipewire_new (spec + strlen ("pipewire:"), error);

  g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
               _("Unknown capture source “%s”. Use one of: %s."), spec, WAVRY_CAPTURE_FORMS);
  return NULL;
}
