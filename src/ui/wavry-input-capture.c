/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-input-capture.h"

G_DEFINE_INTERFACE (WavryInputSink, wavry_input_sink, G_TYPE_OBJECT)

static void
wavry_input_sink_default_init (WavryInputSinkInterface *iface)
{
}

void
wavry_input_sink_key (WavryInputSink *self,
                      guint           evdev_code,
                      gboolean        pressed)
{
  WavryInputSinkInterface *iface;

  g_return_if_fail (WAVRY_IS_INPUT_SINK (self));
  iface = WAVRY_INPUT_SINK_GET_IFACE (self);
  if (iface->key != NULL)
    iface->key (self, evdev_code, pressed);
}

void
wavry_input_sink_pointer (WavryInputSink *self,
                          double          x,
                          double          y)
{
  WavryInputSinkInterface *iface;

  g_return_if_fail (WAVRY_IS_INPUT_SINK (self));
  iface = WAVRY_INPUT_SINK_GET_IFACE (self);
  if (iface->pointer != NULL)
    iface->pointer (self, x, y);
}

void
wavry_input_sink_button (WavryInputSink *self,
                         guint           evdev_button,
                         gboolean        pressed)
{
  WavryInputSinkInterface *iface;

  g_return_if_fail (WAVRY_IS_INPUT_SINK (self));
  iface = WAVRY_INPUT_SINK_GET_IFACE (self);
  if (iface->button != NULL)
    iface->button (self, evdev_button, pressed);
}

void
wavry_input_sink_scroll (WavryInputSink *self,
                         int             dx,
                         int             dy)
{
  WavryInputSinkInterface *iface;

  g_return_if_fail (WAVRY_IS_INPUT_SINK (self));
  iface = WAVRY_INPUT_SINK_GET_IFACE (self);
  if (iface->scroll != NULL)
    iface->scroll (self, dx, dy);
}

guint
wavry_input_button_to_evdev (guint gdk_button)
{
  switch (gdk_button)
    {
    case GDK_BUTTON_PRIMARY:   return WAVRY_BTN_LEFT;
    case GDK_BUTTON_MIDDLE:    return WAVRY_BTN_MIDDLE;
    case GDK_BUTTON_SECONDARY: return WAVRY_BTN_RIGHT;
    case 8:                    return WAVRY_BTN_SIDE;
    case 9:                    return WAVRY_BTN_EXTRA;
    default:                   return 0;
    }
}

guint
wavry_input_keycode_to_evdev (guint hardware_keycode)
{
  return hardware_keycode >= 8 ? hardware_keycode - 8 : 0;
}

struct _WavryInputCapture
{
  GObject parent_instance;

  GtkWindow        *window;      /* weak */
  WavryGlPresenter *presenter;   /* weak */
  WavryInputSink   *sink;
  gboolean          released;    /* by Ctrl+Alt+Shift, until a click or refocus */
  gboolean          grabbed;
  GHashTable       *held_keys;   /* evdev codes pressed on the sink */
  guint             held_buttons; /* bit (code - BTN_LEFT) */
};

enum
{
  PROP_0,
  PROP_GRABBED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (WavryInputCapture, wavry_input_capture, G_TYPE_OBJECT)

static void
release_held (WavryInputCapture *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->held_keys);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (self->sink != NULL)
        wavry_input_sink_key (self->sink, GPOINTER_TO_UINT (key), FALSE);
      g_hash_table_iter_remove (&iter);
    }
  for (guint i = 0; i < 5; i++)
    if (self->held_buttons & (1u << i))
      {
        if (self->sink != NULL)
          wavry_input_sink_button (self->sink, WAVRY_BTN_LEFT + i, FALSE);
      }
  self->held_buttons = 0;
}

static void
update_grab (WavryInputCapture *self)
{
  gboolean grabbed = self->window != NULL && gtk_window_is_active (self->window) &&
                     !self->released;

  if (grabbed == self->grabbed)
    return;
  self->grabbed = grabbed;
  if (!grabbed)
    release_held (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRABBED]);
}

static void
on_active_changed (GtkWindow         *window,
                   GParamSpec        *pspec,
                   WavryInputCapture *self)
{
  if (!gtk_window_is_active (window))
    self->released = FALSE;   /* focus back in grabs again */
  update_grab (self);
}

static GdkModifierType
modifier_of (guint keyval)
{
  switch (keyval)
    {
    case GDK_KEY_Control_L: case GDK_KEY_Control_R: return GDK_CONTROL_MASK;
    case GDK_KEY_Shift_L:   case GDK_KEY_Shift_R:   return GDK_SHIFT_MASK;
    case GDK_KEY_Alt_L:     case GDK_KEY_Alt_R:
    case GDK_KEY_Meta_L:    case GDK_KEY_Meta_R:    return GDK_ALT_MASK;
    default:                                        return 0;
    }
}

/* Shortcuts the window keeps for itself even while grabbed. */
static gboolean
is_window_shortcut (guint           keyval,
                    GdkModifierType state)
{
  GdkModifierType mods = state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK);

  if (keyval == GDK_KEY_F11 && mods == 0)
    return TRUE;
  return (keyval == GDK_KEY_s || keyval == GDK_KEY_S) &&
         mods == (GDK_CONTROL_MASK | GDK_SHIFT_MASK);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                WavryInputCapture     *self)
{
  const GdkModifierType release = GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK;
  guint code;

  if (!self->grabbed || is_window_shortcut (keyval, state))
    return FALSE;

  code = wavry_input_keycode_to_evdev (keycode);
  if (code != 0 && self->sink != NULL)
    {
      wavry_input_sink_key (self->sink, code, TRUE);
      g_hash_table_add (self->held_keys, GUINT_TO_POINTER (code));
    }

  if (((state | modifier_of (keyval)) & release) == release)
    {
      self->released = TRUE;
      update_grab (self);
    }
  return TRUE;
}

static void
on_key_released (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 WavryInputCapture     *self)
{
  guint code = wavry_input_keycode_to_evdev (keycode);

  if (!self->grabbed || code == 0)
    return;
  /* only keys whose press went to the sink */
  if (g_hash_table_remove (self->held_keys, GUINT_TO_POINTER (code)) && self->sink != NULL)
    wavry_input_sink_key (self->sink, code, FALSE);
}

static gboolean
normalize (WavryInputCapture *self,
           double             x,
           double             y,
           double            *nx,
           double            *ny)
{
  graphene_rect_t rect;

  if (self->presenter == NULL ||
      !wavry_gl_presenter_get_picture_rect (self->presenter, &rect) ||
      rect.size.width <= 0 || rect.size.height <= 0)
    return FALSE;
  *nx = CLAMP ((x - rect.origin.x) / rect.size.width, 0.0, 1.0);
  *ny = CLAMP ((y - rect.origin.y) / rect.size.height, 0.0, 1.0);
  return TRUE;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           WavryInputCapture        *self)
{
  double nx, ny;

  if (self->grabbed && self->sink != NULL && normalize (self, x, y, &nx, &ny))
    wavry_input_sink_pointer (self->sink, nx, ny);
}

static void
on_pressed (GtkGestureClick   *gesture,
            int                n_press,
            double             x,
            double             y,
            WavryInputCapture *self)
{
  guint code = wavry_input_button_to_evdev (
      gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)));
  double nx, ny;

  if (!self->grabbed)
    {
      /* a click in the picture takes the input back */
      self->released = FALSE;
      update_grab (self);
      if (!self->grabbed)
        return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (self->sink == NULL || code == 0)
    return;
  if (normalize (self, x, y, &nx, &ny))
    wavry_input_sink_pointer (self->sink, nx, ny);
  wavry_input_sink_button (self->sink, code, TRUE);
  self->held_buttons |= 1u << (code - WAVRY_BTN_LEFT);
}

static void
on_released (GtkGestureClick   *gesture,
             int                n_press,
             double             x,
             double             y,
             WavryInputCapture *self)
{
  guint code = wavry_input_button_to_evdev (
      gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)));
  double nx, ny;

  if (code == 0 || !(self->held_buttons & (1u << (code - WAVRY_BTN_LEFT))))
    return;
  self->held_buttons &= ~(1u << (code - WAVRY_BTN_LEFT));
  if (self->sink == NULL)
    return;
  if (normalize (self, x, y, &nx, &ny))
    wavry_input_sink_pointer (self->sink, nx, ny);
  wavry_input_sink_button (self->sink, code, FALSE);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           WavryInputCapture        *self)
{
  if (!self->grabbed)
    return FALSE;
  if (self->sink != NULL && ((int) dx != 0 || (int) dy != 0))
    wavry_input_sink_scroll (self->sink, (int) dx, (int) dy);
  return TRUE;
}

WavryInputCapture *
wavry_input_capture_new (GtkWindow        *window,
                         WavryGlPresenter *presenter)
{
  WavryInputCapture *self;
  GtkEventController *controller;
  GtkGesture *click;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  g_return_val_if_fail (WAVRY_IS_GL_PRESENTER (presenter), NULL);

  self = g_object_new (WAVRY_TYPE_INPUT_CAPTURE, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  self->presenter = presenter;
  g_object_add_weak_pointer (G_OBJECT (presenter), (gpointer *) &self->presenter);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_key_pressed), self, 0);
  g_signal_connect_object (controller, "key-released", G_CALLBACK (on_key_released), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "motion", G_CALLBACK (on_motion), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (presenter), controller);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_pressed), self, 0);
  g_signal_connect_object (click, "released", G_CALLBACK (on_released), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (presenter), GTK_EVENT_CONTROLLER (click));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES |
                                                GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (on_scroll), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (presenter), controller);

  g_signal_connect_object (window, "notify::is-active", G_CALLBACK (on_active_changed), self, 0);
  update_grab (self);
  return self;
}

void
wavry_input_capture_set_sink (WavryInputCapture *self,
                              WavryInputSink    *sink)
{
  g_return_if_fail (WAVRY_IS_INPUT_CAPTURE (self));
  g_return_if_fail (sink == NULL || WAVRY_IS_INPUT_SINK (sink));

  if (sink == self->sink)
    return;
  release_held (self);
  g_set_object (&self->sink, sink);
}

WavryInputSink *
wavry_input_capture_get_sink (WavryInputCapture *self)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_CAPTURE (self), NULL);
  return self->sink;
}

gboolean
wavry_input_capture_get_grabbed (WavryInputCapture *self)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_CAPTURE (self), FALSE);
  return self->grabbed;
}

void
wavry_input_capture_set_grabbed (WavryInputCapture *self,
                                 gboolean           grabbed)
{
  g_return_if_fail (WAVRY_IS_INPUT_CAPTURE (self));
  self->released = !grabbed;
  update_grab (self);
}

static void
wavry_input_capture_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  WavryInputCapture *self = WAVRY_INPUT_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_GRABBED:
      g_value_set_boolean (value, self->grabbed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wavry_input_capture_dispose (GObject *object)
{
  WavryInputCapture *self = WAVRY_INPUT_CAPTURE (object);

  release_held (self);
  g_clear_object (&self->sink);
  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;
  if (self->presenter != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->presenter), (gpointer *) &self->presenter);
  self->presenter = NULL;
  G_OBJECT_CLASS (wavry_input_capture_parent_class)->dispose (object);
}

static void
wavry_input_capture_finalize (GObject *object)
{
  WavryInputCapture *self = WAVRY_INPUT_CAPTURE (object);

  g_hash_table_unref (self->held_keys);
  G_OBJECT_CLASS (wavry_input_capture_parent_class)->finalize (object);
}

static void
wavry_input_capture_class_init (WavryInputCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = wavry_input_capture_get_property;
  object_class->dispose = wavry_input_capture_dispose;
  object_class->finalize = wavry_input_capture_finalize;

  properties[PROP_GRABBED] =
    g_param_spec_boolean ("grabbed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wavry_input_capture_init (WavryInputCapture *self)
{
  self->held_keys = g_hash_table_new (NULL, NULL);
}
