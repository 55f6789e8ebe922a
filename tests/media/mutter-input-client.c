/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */

/* Test-only Wayland client for test-mutter-session: a fullscreen GTK window
 * (painted in the CSS colour given as the first argument, if any) that
 * prints the input it receives, one event a line, on stdout:
 *   mapped                the window is on screen
 *   active                the window has keyboard focus
 *   key-press KEYCODE     hardware (evdev + 8) keycode
 *   key-release KEYCODE
 *   button-press N X Y    GDK button number, window coordinates
 *   button-release N X Y
 *   motion X Y            the pointer entered the window or moved in it
 *   scroll DX DY */
#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>

static gboolean
on_key_pressed (GtkEventControllerKey *ctrl,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                gpointer               user_data)
{
  printf ("key-press %u\n", keycode);
  return TRUE;
}

static void
on_key_released (GtkEventControllerKey *ctrl,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 gpointer               user_data)
{
  printf ("key-release %u\n", keycode);
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            gpointer         user_data)
{
  printf ("button-press %u %.0f %.0f\n",
          gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)), x, y);
}

static void
on_released (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             gpointer         user_data)
{
  printf ("button-release %u %.0f %.0f\n",
          gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)), x, y);
}

static void
on_motion (GtkEventControllerMotion *ctrl,
           double                    x,
           double                    y,
           gpointer                  user_data)
{
  printf ("motion %.0f %.0f\n", x, y);
}

static gboolean
on_scroll (GtkEventControllerScroll *ctrl,
           double                    dx,
           double                    dy,
           gpointer                  user_data)
{
  printf ("scroll %g %g\n", dx, dy);
  return TRUE;
}

static void
on_active (GtkWindow  *window,
           GParamSpec *pspec,
           gpointer    user_data)
{
  if (gtk_window_is_active (window))
    printf ("active\n");
}

static void
on_map (GtkWidget *window,
        gpointer   user_data)
{
  printf ("mapped\n");
}

int
main (int   argc,
      char *argv[])
{
  GtkWidget *window;
  GtkEventController *ctrl;
  GtkGesture *click;

  setvbuf (stdout, NULL, _IOLBF, 0);
  gtk_init ();

  if (argc > 1)
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
      g_autofree char *text = g_strdup_printf ("window { background: %s; }", argv[1]);

      gtk_css_provider_load_from_data (css, text, -1);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }

  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "wavry-test-input");

  ctrl = gtk_event_controller_key_new ();
  g_signal_connect (ctrl, "key-pressed", G_CALLBACK (on_key_pressed), NULL);
  g_signal_connect (ctrl, "key-released", G_CALLBACK (on_key_released), NULL);
  gtk_widget_add_controller (window, ctrl);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), NULL);
  g_signal_connect (click, "released", G_CALLBACK (on_released), NULL);
  gtk_widget_add_controller (window, GTK_EVENT_CONTROLLER (click));

  ctrl = gtk_event_controller_motion_new ();
  g_signal_connect (ctrl, "enter", G_CALLBACK (on_motion), NULL);
  g_signal_connect (ctrl, "motion", G_CALLBACK (on_motion), NULL);
  gtk_widget_add_controller (window, ctrl);

  ctrl = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES |
                                          GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (ctrl, "scroll", G_CALLBACK (on_scroll), NULL);
  gtk_widget_add_controller (window, ctrl);

  g_signal_connect (window, "notify::is-active", G_CALLBACK (on_active), NULL);
  g_signal_connect (window, "map", G_CALLBACK (on_map), NULL);
  gtk_window_fullscreen (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));

  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}
