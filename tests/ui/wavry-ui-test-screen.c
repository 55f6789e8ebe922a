/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <X11/Xlib.h>

#include "wavry-ui-test-screen.h"

void
wavry_ui_test_screen_pixel (GtkWidget *widget,
                            double     x,
                            double     y,
                            guint8     rgb[3])
{
  GtkNative *native = gtk_widget_get_native (widget);
  Display *dpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (widget));
  graphene_point_t in = GRAPHENE_POINT_INIT (x, y), out;
  double sx, sy;
  int rx, ry;
  Window child;
  XImage *image;
  unsigned long p;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &in, &out));
  gtk_native_get_surface_transform (native, &sx, &sy);
  XTranslateCoordinates (dpy, gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                         DefaultRootWindow (dpy), (int) (out.x + sx), (int) (out.y + sy),
                         &rx, &ry, &child);
  XSync (dpy, False);
  image = XGetImage (dpy, DefaultRootWindow (dpy), rx, ry, 1, 1, AllPlanes, ZPixmap);
  g_assert_nonnull (image);
  p = XGetPixel (image, 0, 0);
  rgb[0] = (p >> 16) & 0xff;
  rgb[1] = (p >> 8) & 0xff;
  rgb[2] = p & 0xff;
  XDestroyImage (image);
}

void
wavry_ui_test_frame_rgb (WavryVideoFrame *frame,
                         guint            x,
                         guint            y,
                         guint8           rgb[3])
{
  double yy = (wavry_video_frame_get_data (frame, 0)[y * wavry_video_frame_get_stride (frame, 0) + x] - 16) / 219.0;
  double u = (wavry_video_frame_get_data (frame, 1)[y / 2 * wavry_video_frame_get_stride (frame, 1) + x / 2] - 128) / 224.0;
  double v = (wavry_video_frame_get_data (frame, 2)[y / 2 * wavry_video_frame_get_stride (frame, 2) + x / 2] - 128) / 224.0;
  double c[3] = { yy + 1.5748 * v, yy - 0.1873 * u - 0.4681 * v, yy + 1.8556 * u };

  for (guint i = 0; i < 3; i++)
    rgb[i] = (guint8) (CLAMP (c[i], 0, 1) * 255 + 0.5);
}
