/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>

#include "wavry-input-injector-xtest.h"
#include "wavry-media-error.h"

#define EVDEV_TO_X_KEYCODE 8

struct _WavryInputInjectorXtest
{
  WavryInputInjector  parent_instance;

  Display            *display;
  int                 screen;
  double              scroll_x;   /* fractions of a detent not sent yet */
  double              scroll_y;
};

G_DEFINE_FINAL_TYPE (WavryInputInjectorXtest, wavry_input_injector_xtest,
                     WAVRY_TYPE_INPUT_INJECTOR)

static gboolean
flush (WavryInputInjectorXtest  *self,
       Bool                      sent,
       GError                  **error)
{
  if (!sent)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                           _("The X server refused the input event."));
      return FALSE;
    }
  XFlush (self->display);
  return TRUE;
}

static gboolean
xtest_key (WavryInputInjector *injector,
           guint32             evdev_code,
           gboolean            pressed,
           GError            **error)
{
  WavryInputInjectorXtest *self = WAVRY_INPUT_INJECTOR_XTEST (injector);

  if (evdev_code + EVDEV_TO_X_KEYCODE > 255)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Key code %u has no X keycode (X keycodes end at 255)."), evdev_code);
      return FALSE;
    }
  return flush (self, XTestFakeKeyEvent (self->display, evdev_code + EVDEV_TO_X_KEYCODE,
                                         pressed ? True : False, CurrentTime), error);
}

static gboolean
xtest_pointer_move (WavryInputInjector *injector,
                    double              x,
                    double              y,
                    GError            **error)
{
  WavryInputInjectorXtest *self = WAVRY_INPUT_INJECTOR_XTEST (injector);
  int width = DisplayWidth (self->display, self->screen);
  int height = DisplayHeight (self->display, self->screen);
  int px = (int) lround (x * (width - 1));
  int py = (int) lround (y * (height - 1));

  return flush (self, XTestFakeMotionEvent (self->display, self->screen, px, py, CurrentTime),
                error);
}

static gboolean
xtest_button (WavryInputInjector *injector,
              guint32             evdev_button,
              gboolean            pressed,
              GError            **error)
{
  WavryInputInjectorXtest *self = WAVRY_INPUT_INJECTOR_XTEST (injector);
  static const unsigned int x_buttons[] = { 1, 3, 2, 8, 9 };  /* from BTN_LEFT */

  return flush (self, XTestFakeButtonEvent (self->display,
                                            x_buttons[evdev_button - WAVRY_INPUT_BTN_LEFT],
                                            pressed ? True : False, CurrentTime), error);
}

/* Sends the whole detents in *@pending as clicks of @negative or @positive. */
static gboolean
scroll_clicks (WavryInputInjectorXtest *self,
               double                  *pending,
               unsigned int             negative,
               unsigned int             positive)
{
  double whole = trunc (*pending);
  unsigned int button = whole < 0 ? negative : positive;
  Bool ok = True;

  for (int i = 0; i < (int) fabs (whole); i++)
    {
      ok &= XTestFakeButtonEvent (self->display, button, True, CurrentTime);
      ok &= XTestFakeButtonEvent (self->display, button, False, CurrentTime);
    }
  *pending -= whole;
  return ok;
}

static gboolean
xtest_scroll (WavryInputInjector *injector,
              double              dx,
              double              dy,
              GError            **error)
{
  WavryInputInjectorXtest *self = WAVRY_INPUT_INJECTOR_XTEST (injector);
  Bool ok = True;

  self->scroll_x += dx;
  self->scroll_y += dy;
  ok &= scroll_clicks (self, &self->scroll_y, 4, 5);
  ok &= scroll_clicks (self, &self->scroll_x, 6, 7);
  return flush (self, ok, error);
}

static void
wavry_input_injector_xtest_finalize (GObject *object)
{
  WavryInputInjectorXtest *self = WAVRY_INPUT_INJECTOR_XTEST (object);

  g_clear_pointer (&self->display, XCloseDisplay);

  G_OBJECT_CLASS (wavry_input_injector_xtest_parent_class)->finalize (object);
}

static void
wavry_input_injector_xtest_class_init (WavryInputInjectorXtestClass *klass)
{
  WavryInputInjectorClass *injector_class = WAVRY_INPUT_INJECTOR_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = wavry_input_injector_xtest_finalize;
  injector_class->key = xtest_key;
  injector_class->pointer_move = xtest_pointer_move;
  injector_class->button = xtest_button;
  injector_class->scroll = xtest_scroll;
}

static void
wavry_input_injector_xtest_init (WavryInputInjectorXtest *self)
{
}

WavryInputInjector *
wavry_input_injector_xtest_new (const char  *display,
                                GError     **error)
{
  g_autoptr(WavryInputInjectorXtest) self = NULL;
  g_autofree char *description = NULL;
  const char *name = display != NULL ? display : g_getenv ("DISPLAY");
  int event_base, error_base, major, minor;

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                           _("Cannot use XTest: there is no X display (DISPLAY is not set)."));
      return NULL;
    }

  self = g_object_new (WAVRY_TYPE_INPUT_INJECTOR_XTEST, NULL);
  self->display = XOpenDisplay (name);
  if (self->display == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Cannot use XTest: the X display “%s” cannot be opened."), name);
      return NULL;
    }
  if (!XTestQueryExtension (self->display, &event_base, &error_base, &major, &minor))
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Cannot use XTest: the X display “%s” does not have the XTEST extension."),
                   name);
      return NULL;
    }
  self->screen = DefaultScreen (self->display);

  description = g_strdup_printf (_("XTest on X display %s"), name);
  wavry_input_injector_set_description (WAVRY_INPUT_INJECTOR (self), description);
  return WAVRY_INPUT_INJECTOR (g_steal_pointer (&self));
}
