/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-input-injector-mutter.h"
#include "wavry-media-error.h"

struct _WavryInputInjectorMutter
{
  WavryInputInjector  parent_instance;

  WavryMutterSession *session;   /* not owned */
};

G_DEFINE_FINAL_TYPE (WavryInputInjectorMutter, wavry_input_injector_mutter,
                     WAVRY_TYPE_INPUT_INJECTOR)

static gboolean
have_session (WavryInputInjectorMutter  *self,
              GError                   **error)
{
  if (self->session == NULL)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                           _("The GNOME remote desktop session is not running."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
mutter_key (WavryInputInjector *injector,
            guint32             evdev_code,
            gboolean            pressed,
            GError            **error)
{
  WavryInputInjectorMutter *self = WAVRY_INPUT_INJECTOR_MUTTER (injector);

  return have_session (self, error) &&
         wavry_mutter_session_key (self->session, evdev_code, pressed, error);
}

static gboolean
mutter_pointer_move (WavryInputInjector *injector,
                     double              x,
                     double              y,
                     GError            **error)
{
  WavryInputInjectorMutter *self = WAVRY_INPUT_INJECTOR_MUTTER (injector);
  guint width = 0, height = 0;

  if (!have_session (self, error))
    return FALSE;
  wavry_mutter_session_get_size (self->session, &width, &height);
  if (width == 0 || height == 0)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                           _("GNOME did not say the size of the shared screen, so a pointer "
                             "position cannot be placed on it."));
      return FALSE;
    }
  /* Stream pixels: the last pixel is width - 1. */
  return wavry_mutter_session_pointer_move (self->session, x * (width - 1), y * (height - 1),
                                            error);
}

static gboolean
mutter_button (WavryInputInjector *injector,
               guint32             evdev_button,
               gboolean            pressed,
               GError            **error)
{
  WavryInputInjectorMutter *self = WAVRY_INPUT_INJECTOR_MUTTER (injector);

  return have_session (self, error) &&
         wavry_mutter_session_button (self->session, evdev_button, pressed, error);
}

static gboolean
mutter_scroll (WavryInputInjector *injector,
               double              dx,
               double              dy,
               GError            **error)
{
  WavryInputInjectorMutter *self = WAVRY_INPUT_INJECTOR_MUTTER (injector);

  return have_session (self, error) &&
         wavry_mutter_session_scroll (self->session, dx, dy, error);
}

static void
wavry_input_injector_mutter_class_init (WavryInputInjectorMutterClass *klass)
{
  WavryInputInjectorClass *injector_class = WAVRY_INPUT_INJECTOR_CLASS (klass);

  injector_class->key = mutter_key;
  injector_class->pointer_move = mutter_pointer_move;
  injector_class->button = mutter_button;
  injector_class->scroll = mutter_scroll;
}

static void
wavry_input_injector_mutter_init (WavryInputInjectorMutter *self)
{
  wavry_input_injector_set_description (WAVRY_INPUT_INJECTOR (self),
                                        _("GNOME remote desktop (mutter)"));
}

WavryInputInjector *
wavry_input_injector_mutter_new (WavryMutterSession *session)
{
  WavryInputInjectorMutter *self = g_object_new (WAVRY_TYPE_INPUT_INJECTOR_MUTTER, NULL);

  self->session = session;
  return WAVRY_INPUT_INJECTOR (self);
}

void
wavry_input_injector_mutter_set_session (WavryInputInjectorMutter *self,
                                         WavryMutterSession       *session)
{
  g_return_if_fail (WAVRY_IS_INPUT_INJECTOR_MUTTER (self));
  self->session = session;
}

WavryMutterSession *
wavry_input_injector_mutter_get_session (WavryInputInjectorMutter *self)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR_MUTTER (self), NULL);
  return self->session;
}
