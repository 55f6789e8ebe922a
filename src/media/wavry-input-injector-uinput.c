/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <linux/uinput.h>
#include <math.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wavry-input-injector-uinput.h"
#include "wavry-media-error.h"

#define DEFAULT_PATH "/dev/uinput"
#define ABS_RANGE    65535
#define HI_RES_STEPS 120    /* REL_WHEEL_HI_RES units per detent */

struct _WavryInputInjectorUinput
{
  WavryInputInjector  parent_instance;

  int                 fd;
  double              scroll_x;   /* fractions of a detent not sent as REL_WHEEL yet */
  double              scroll_y;
};

G_DEFINE_FINAL_TYPE (WavryInputInjectorUinput, wavry_input_injector_uinput,
                     WAVRY_TYPE_INPUT_INJECTOR)

static gboolean
emit (WavryInputInjectorUinput  *self,
      const struct input_event  *events,
      gsize                      n_events,
      GError                   **error)
{
  gsize len = n_events * sizeof (struct input_event);
  ssize_t written;

  do
    written = write (self->fd, events, len);
  while (written < 0 && errno == EINTR);
  if (written != (ssize_t) len)
    {
      int saved = errno;

      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("Writing an input event to the virtual device failed: %s"),
                   written < 0 ? g_strerror (saved) : _("short write"));
      return FALSE;
    }
  return TRUE;
}

#define EV(t, c, v) { .type = (t), .code = (c), .value = (v) }
#define SYN EV (EV_SYN, SYN_REPORT, 0)

static gboolean
uinput_key (WavryInputInjector *injector,
            guint32             evdev_code,
            gboolean            pressed,
            GError            **error)
{
  struct input_event events[] = { EV (EV_KEY, evdev_code, pressed ? 1 : 0), SYN };

  return emit (WAVRY_INPUT_INJECTOR_UINPUT (injector), events, G_N_ELEMENTS (events), error);
}

static gboolean
uinput_pointer_move (WavryInputInjector *injector,
                     double              x,
                     double              y,
                     GError            **error)
{
  struct input_event events[] = {
    EV (EV_ABS, ABS_X, (int) lround (x * ABS_RANGE)),
    EV (EV_ABS, ABS_Y, (int) lround (y * ABS_RANGE)),
    SYN,
  };

  return emit (WAVRY_INPUT_INJECTOR_UINPUT (injector), events, G_N_ELEMENTS (events), error);
}

static gboolean
uinput_button (WavryInputInjector *injector,
               guint32             evdev_button,
               gboolean            pressed,
               GError            **error)
{
  return uinput_key (injector, evdev_button, pressed, error);
}

static gboolean
uinput_scroll (WavryInputInjector *injector,
               double              dx,
               double              dy,
               GError            **error)
{
  WavryInputInjectorUinput *self = WAVRY_INPUT_INJECTOR_UINPUT (injector);
  struct input_event events[5];
  gsize n = 0;
  double whole_x, whole_y;

  /* evdev wheels count up = positive; §5 scroll is positive = down. */
  self->scroll_x += dx;
  self->scroll_y += dy;
  whole_x = trunc (self->scroll_x);
  whole_y = trunc (self->scroll_y);
  self->scroll_x -= whole_x;
  self->scroll_y -= whole_y;
  if (dy != 0)
    events[n++] = (struct input_event) EV (EV_REL, REL_WHEEL_HI_RES, (int) lround (-dy * HI_RES_STEPS));
  if (whole_y != 0)
    events[n++] = (struct input_event) EV (EV_REL, REL_WHEEL, (int) -whole_y);
  if (dx != 0)
    events[n++] = (struct input_event) EV (EV_REL, REL_HWHEEL_HI_RES, (int) lround (dx * HI_RES_STEPS));
  if (whole_x != 0)
    events[n++] = (struct input_event) EV (EV_REL, REL_HWHEEL, (int) whole_x);
  if (n == 0)
    return TRUE;
  events[n++] = (struct input_event) SYN;
  return emit (self, events, n, error);
}

static void
wavry_input_injector_uinput_finalize (GObject *object)
{
  WavryInputInjectorUinput *self = WAVRY_INPUT_INJECTOR_UINPUT (object);

  if (self->fd >= 0)
    {
      ioctl (self->fd, UI_DEV_DESTROY);
      g_close (self->fd, NULL);
    }

  G_OBJECT_CLASS (wavry_input_injector_uinput_parent_class)->finalize (object);
}

static void
wavry_input_injector_uinput_class_init (WavryInputInjectorUinputClass *klass)
{
  WavryInputInjectorClass *injector_class = WAVRY_INPUT_INJECTOR_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = wavry_input_injector_uinput_finalize;
  injector_class->key = uinput_key;
  injector_class->pointer_move = uinput_pointer_move;
  injector_class->button = uinput_button;
  injector_class->scroll = uinput_scroll;
}

static void
wavry_input_injector_uinput_init (WavryInputInjectorUinput *self)
{
  self->fd = -1;
}

static gboolean
setup_device (int fd)
{
  struct uinput_setup setup = { 0 };
  gboolean ok = TRUE;

  ok &= ioctl (fd, UI_SET_EVBIT, EV_KEY) == 0;
  ok &= ioctl (fd, UI_SET_EVBIT, EV_ABS) == 0;
  ok &= ioctl (fd, UI_SET_EVBIT, EV_REL) == 0;
  ok &= ioctl (fd, UI_SET_EVBIT, EV_SYN) == 0;
  for (guint32 code = 1; code <= WAVRY_INPUT_KEY_MAX && ok; code++)
    if (wavry_input_key_is_valid (code) || wavry_input_button_is_valid (code))
      ok &= ioctl (fd, UI_SET_KEYBIT, code) == 0;
  ok &= ioctl (fd, UI_SET_RELBIT, REL_WHEEL) == 0;
  ok &= ioctl (fd, UI_SET_RELBIT, REL_HWHEEL) == 0;
  ok &= ioctl (fd, UI_SET_RELBIT, REL_WHEEL_HI_RES) == 0;
  ok &= ioctl (fd, UI_SET_RELBIT, REL_HWHEEL_HI_RES) == 0;
  ok &= ioctl (fd, UI_SET_PROPBIT, INPUT_PROP_POINTER) == 0;
  for (int axis = ABS_X; axis <= ABS_Y && ok; axis++)
    {
      struct uinput_abs_setup abs = { .code = axis, .absinfo = { .maximum = ABS_RANGE } };

      ok &= ioctl (fd, UI_ABS_SETUP, &abs) == 0;
    }
  if (!ok)
    return FALSE;

  setup.id.bustype = BUS_VIRTUAL;
  setup.id.vendor = 0x1d6b;   /* Linux Foundation, as other virtual devices */
  setup.id.product = 0x5761;
  g_strlcpy (setup.name, "Wavry remote input", sizeof setup.name);
  return ioctl (fd, UI_DEV_SETUP, &setup) == 0 && ioctl (fd, UI_DEV_CREATE) == 0;
}

WavryInputInjector *
wavry_input_injector_uinput_new (const char  *path,
                                 GError     **error)
{
  g_autoptr(WavryInputInjectorUinput) self = NULL;
  g_autofree char *description = NULL;

  if (path == NULL)
    path = DEFAULT_PATH;

  self = g_object_new (WAVRY_TYPE_INPUT_INJECTOR_UINPUT, NULL);
  self->fd = g_open (path, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (self->fd < 0)
    {
      int saved = errno;

      if (saved == ENOENT)
        g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                     _("Cannot use uinput: no %s on this machine (load the uinput kernel "
                       "module)."), path);
      else
        g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                     _("Cannot use uinput: %s cannot be opened for writing: %s"),
                     path, g_strerror (saved));
      return NULL;
    }
  if (!setup_device (self->fd))
    {
      int saved = errno;

      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("Cannot use uinput: the kernel refused the virtual input device: %s"),
                   g_strerror (saved));
      return NULL;
    }

  description = g_strdup_printf (_("uinput virtual device (%s)"), path);
  wavry_input_injector_set_description (WAVRY_INPUT_INJECTOR (self), description);
  return WAVRY_INPUT_INJECTOR (g_steal_pointer (&self));
}
