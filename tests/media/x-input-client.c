/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */

/* Test-only X client for the input tests: an override-redirect window
 * covering the whole screen, with the keyboard focus, that prints the input
 * it receives, one event a line, on stdout:
 *   mapped WIDTH HEIGHT   the window is on screen and has the focus
 *   key-press KEYCODE     X keycode (evdev + 8)
 *   key-release KEYCODE
 *   button-press N X Y    X button number, window (= root) coordinates
 *   button-release N X Y
 *   motion X Y
 * Runs until killed. */
#include "config.h"

#include <X11/Xlib.h>
#include <stdio.h>

int
main (int   argc,
      char *argv[])
{
  XSetWindowAttributes attributes = { 0 };
  Display *display;
  Window window;
  int screen, width, height;

  setvbuf (stdout, NULL, _IOLBF, 0);
  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      fprintf (stderr, "x-input-client: cannot open the X display\n");
      return 1;
    }
  screen = DefaultScreen (display);
  width = DisplayWidth (display, screen);
  height = DisplayHeight (display, screen);

  attributes.override_redirect = True;
  attributes.background_pixel = BlackPixel (display, screen);
  attributes.event_mask = KeyPressMask | KeyReleaseMask | ButtonPressMask | ButtonReleaseMask |
                          PointerMotionMask | StructureNotifyMask | FocusChangeMask;
  window = XCreateWindow (display, RootWindow (display, screen), 0, 0, width, height, 0,
                          CopyFromParent, InputOutput, CopyFromParent,
                          CWOverrideRedirect | CWBackPixel | CWEventMask, &attributes);
  XMapRaised (display, window);

  for (;;)
    {
      XEvent event;

      XNextEvent (display, &event);
      switch (event.type)
        {
        case MapNotify:
          XSetInputFocus (display, window, RevertToParent, CurrentTime);
          XSync (display, False);
          printf ("mapped %d %d\n", width, height);
          break;
        case KeyPress:
        case KeyRelease:
          printf ("%s %u\n", event.type == KeyPress ? "key-press" : "key-release",
                  event.xkey.keycode);
          break;
        case ButtonPress:
        case ButtonRelease:
          printf ("%s %u %d %d\n", event.type == ButtonPress ? "button-press" : "button-release",
                  event.xbutton.button, event.xbutton.x, event.xbutton.y);
          break;
        case MotionNotify:
          printf ("motion %d %d\n", event.xmotion.x, event.xmotion.y);
          break;
        default:
          break;
        }
    }
}
