/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "wavry-input-injector.h"
#include "wavry-input-injector-mutter.h"
#include "wavry-input-injector-portal.h"
#include "wavry-input-injector-uinput.h"
#include "wavry-input-injector-xtest.h"
#include "wavry-media-error.h"

typedef struct
{
  char *description;
} WavryInputInjectorPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (WavryInputInjector, wavry_input_injector, G_TYPE_OBJECT)

static void
wavry_input_injector_finalize (GObject *object)
{
  WavryInputInjectorPrivate *priv =
    wavry_input_injector_get_instance_private (WAVRY_INPUT_INJECTOR (object));

  g_free (priv->description);

  G_OBJECT_CLASS (wavry_input_injector_parent_class)->finalize (object);
}

static void
wavry_input_injector_class_init (WavryInputInjectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wavry_input_injector_finalize;
}

static void
wavry_input_injector_init (WavryInputInjector *self)
{
}

gboolean
wavry_input_key_is_valid (guint32 evdev_code)
{
  /* 0 is KEY_RESERVED; 0x100..0x15f are the BTN_* codes. */
  return (evdev_code >= 1 && evdev_code <= 0xff) ||
         (evdev_code >= 0x160 && evdev_code <= WAVRY_INPUT_KEY_MAX);
}

gboolean
wavry_input_button_is_valid (guint32 evdev_button)
{
  return evdev_button >= WAVRY_INPUT_BTN_LEFT && evdev_button <= WAVRY_INPUT_BTN_EXTRA;
}

gboolean
wavry_input_position_is_valid (double x,
                               double y)
{
  /* NaN fails both comparisons. */
  return x >= 0.0 && x <= 1.0 && y >= 0.0 && y <= 1.0;
}

gboolean
wavry_input_scroll_is_valid (double dx,
                             double dy)
{
  return isfinite (dx) && isfinite (dy) &&
         fabs (dx) <= WAVRY_INPUT_SCROLL_MAX && fabs (dy) <= WAVRY_INPUT_SCROLL_MAX;
}

static gboolean
refuse (GError    **error,
        const char *what)
{
  g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
               _("Input refused: %s"), what);
  return FALSE;
}

gboolean
wavry_input_injector_key (WavryInputInjector *self,
                          guint32             evdev_code,
                          gboolean            pressed,
                          GError            **error)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR (self), FALSE);

  if (!wavry_input_key_is_valid (evdev_code))
    return refuse (error, _("not a keyboard key code"));
  return WAVRY_INPUT_INJECTOR_GET_CLASS (self)->key (self, evdev_code, pressed, error);
}

gboolean
wavry_input_injector_pointer_move (WavryInputInjector *self,
                                   double              x,
                                   double              y,
                                   GError            **error)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR (self), FALSE);

  if (!wavry_input_position_is_valid (x, y))
    return refuse (error, _("pointer position outside the screen"));
  return WAVRY_INPUT_INJECTOR_GET_CLASS (self)->pointer_move (self, x, y, error);
}

gboolean
wavry_input_injector_button (WavryInputInjector *self,
                             guint32             evdev_button,
                             gboolean            pressed,
                             GError            **error)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR (self), FALSE);

  if (!wavry_input_button_is_valid (evdev_button))
    return refuse (error, _("not a mouse button code"));
  return WAVRY_INPUT_INJECTOR_GET_CLASS (self)->button (self, evdev_button, pressed, error);
}

gboolean
wavry_input_injector_scroll (WavryInputInjector *self,
                             double              dx,
                             double              dy,
                             GError            **error)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR (self), FALSE);

  if (!wavry_input_scroll_is_valid (dx, dy))
    return refuse (error, _("scroll amount out of range"));
  return WAVRY_INPUT_INJECTOR_GET_CLASS (self)->scroll (self, dx, dy, error);
}

const char *
wavry_input_injector_get_description (WavryInputInjector *self)
{
  WavryInputInjectorPrivate *priv;

  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR (self), NULL);
  priv = wavry_input_injector_get_instance_private (self);
  return priv->description != NULL ? priv->description : "";
}

void
wavry_input_injector_set_description (WavryInputInjector *self,
                                      const char         *description)
{
  WavryInputInjectorPrivate *priv;

  g_return_if_fail (WAVRY_IS_INPUT_INJECTOR (self));
  priv = wavry_input_injector_get_instance_private (self);
  g_free (priv->description);
  priv->description = g_strdup (description);
}

gboolean
wavry_input_backend_parse (const char         *name,
                           WavryInputBackend  *backend,
                           GError            **error)
{
  static const struct { const char *name; WavryInputBackend backend; } names[] = {
    { "auto", WAVRY_INPUT_BACKEND_AUTO },
    { "none", WAVRY_INPUT_BACKEND_NONE },
    { "xtest", WAVRY_INPUT_BACKEND_XTEST },
    { "mutter", WAVRY_INPUT_BACKEND_MUTTER },
    { "uinput", WAVRY_INPUT_BACKEND_UINPUT },
    { "portal", WAVRY_INPUT_BACKEND_PORTAL },
  };

  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i].name) == 0)
      {
        *backend = names[i].backend;
        return TRUE;
      }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("Unknown input method “%s”. Use auto, xtest, mutter, portal, uinput or none."),
               name != NULL ? name : "");
  return FALSE;
}

/* The ScreenCast portal ("pipewire" alone), whose dialog also picks the
 * screen. */
static gboolean
capture_is_portal (const char *spec)
{
  return g_strcmp0 (spec, "pipewire") == 0;
}

static gboolean
capture_is_mutter (const char *spec)
{
  return spec != NULL && (g_str_equal (spec, "mutter") || g_str_has_prefix (spec, "mutter:"));
}

/* The X display of an x11[:DISPLAY] capture: NULL for another capture, ""
 * for this display ($DISPLAY). */
static const char *
capture_x11_display (const char *spec)
{
  if (spec == NULL)
    return NULL;
  if (g_str_equal (spec, "x11"))
    return "";
  if (g_str_has_prefix (spec, "x11:"))
    return spec + strlen ("x11:");
  return NULL;
}

WavryInputInjector *
wavry_input_injector_new_for_backend (WavryInputBackend   backend,
                                      const char         *capture_spec,
                                      GCancellable       *cancellable,
                                      GError            **error)
{
  return wavry_input_injector_new_for_backend_full (backend, capture_spec, NULL, cancellable,
                                                    error);
}

WavryInputInjector *
wavry_input_injector_new_for_backend_full (WavryInputBackend   backend,
                                           const char         *capture_spec,
                                           const char         *restore_token,
                                           GCancellable       *cancellable,
                                           GError            **error)
{
  const char *display = capture_x11_display (capture_spec);

  switch (backend)
    {
    case WAVRY_INPUT_BACKEND_NONE:
      return NULL;

    case WAVRY_INPUT_BACKEND_MUTTER:
      if (!capture_is_mutter (capture_spec))
        {
          g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                               _("Input through GNOME (--input mutter) needs the GNOME "
                                 "screen capture (--capture mutter)."));
          return NULL;
        }
      return wavry_input_injector_mutter_new (NULL);

    case WAVRY_INPUT_BACKEND_XTEST:
      return wavry_input_injector_xtest_new (display != NULL && *display != '\0' ? display : NULL,
                                             error);

    case WAVRY_INPUT_BACKEND_UINPUT:
      return wavry_input_injector_uinput_new (NULL, error);

    case WAVRY_INPUT_BACKEND_PORTAL:
      return wavry_input_injector_portal_new_full (NULL, restore_token, cancellable, error);

    case WAVRY_INPUT_BACKEND_AUTO:
    default:
      {
        g_autoptr(GError) portal_error = NULL;
        g_autoptr(GError) xtest_error = NULL;
        g_autoptr(GError) uinput_error = NULL;
        WavryInputInjector *injector;

        if (capture_is_mutter (capture_spec))
          return wavry_input_injector_mutter_new (NULL);
        if (capture_is_portal (capture_spec))
          {
            /* One dialog: the RemoteDesktop session selects the screen too. */
            injector = wavry_input_injector_portal_new_full (NULL, restore_token, cancellable,
                                                             &portal_error);
            if (injector != NULL)
              return injector;
            if (wavry_input_injector_error_is_refusal (portal_error))
              {
                g_propagate_error (error, g_steal_pointer (&portal_error));
                return NULL;
              }
            /* A desktop without the RemoteDesktop portal: the capture asks
             * for the screen alone, and input goes another way if any. */
            g_debug ("No RemoteDesktop portal: %s", portal_error->message);
          }
        if (display != NULL)
          {
            injector = wavry_input_injector_xtest_new (*display != '\0' ? display : NULL,
                                                       &xtest_error);
            if (injector != NULL)
              return injector;
          }
        injector = wavry_input_injector_uinput_new (NULL, &uinput_error);
        if (injector != NULL)
          return injector;
        if (portal_error != NULL)
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                       _("No way to inject input. %s %s"), portal_error->message,
                       uinput_error->message);
        else if (xtest_error != NULL)
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                       _("No way to inject input. %s %s"), xtest_error->message,
                       uinput_error->message);
        else
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                       _("No way to inject input: the capture is neither GNOME (mutter) nor an "
                         "X display. %s"), uinput_error->message);
        return NULL;
      }
    }
}

gboolean
wavry_input_injector_error_is_refusal (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

char *
wavry_input_injector_describe_auto (const char *capture_spec)
{
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;

  /* Opening a portal session would show its dialog now. */
  if (capture_is_portal (capture_spec))
    return g_strdup (_("The desktop's remote desktop portal, asked together with the screen "
                       "when you start sharing"));
  injector = wavry_input_injector_new_for_backend (WAVRY_INPUT_BACKEND_AUTO, capture_spec, NULL,
                                                   &error);
  if (injector != NULL)
    return g_strdup (wavry_input_injector_get_description (injector));
  if (error != NULL)
    return g_strdup (error->message);
  return g_strdup (_("None: devices can only watch this screen."));
}
