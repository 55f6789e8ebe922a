/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-connect-page.h"
#include "wavry-host-page.h"
#include "wavry-window.h"

/* The main window: a view switcher over the Host and Connect pages, a primary
 * menu and a toast overlay. Its size, maximized state and page are kept in
 * GSettings (window-width, window-height, window-maximized, last-page). */
struct _WavryWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *stack;
  WavryHostPage        *host_page;
  WavryConnectPage     *connect_page;
};

G_DEFINE_FINAL_TYPE (WavryWindow, wavry_window, ADW_TYPE_APPLICATION_WINDOW)

static gboolean
is_page_name (const char *name)
{
  return g_strcmp0 (name, "host") == 0 || g_strcmp0 (name, "connect") == 0;
}

static void
on_stack_visible_child_name_notify (AdwViewStack *stack,
                                    GParamSpec   *pspec,
                                    WavryWindow  *self)
{
  const char *name = adw_view_stack_get_visible_child_name (stack);

  /* While the window is torn down the stack has no visible child: keep the
   * last real page. */
  if (is_page_name (name))
    g_settings_set_string (self->settings, "last-page", name);
}

static void
restore_state (WavryWindow *self)
{
  g_autofree char *page = g_settings_get_string (self->settings, "last-page");
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), MAX (width, 360), MAX (height, 294));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* The schema's choices only allow names of pages that exist. */
  if (is_page_name (page))
    adw_view_stack_set_visible_child_name (self->stack, page);
}

static gboolean
wavry_window_close_request (GtkWindow *window)
{
  WavryWindow *self = WAVRY_WINDOW (window);
  int width = 0;
  int height = 0;

  /* GTK keeps the default size at the unmaximized size. */
  gtk_window_get_default_size (window, &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (wavry_window_parent_class)->close_request (window);
}

static void
wavry_window_dispose (GObject *object)
{
  WavryWindow *self = WAVRY_WINDOW (object);

  if (self->stack != NULL)
    g_signal_handlers_disconnect_by_func (self->stack, on_stack_visible_child_name_notify, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WAVRY_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (wavry_window_parent_class)->dispose (object);
}

static void
wavry_window_class_init (WavryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = wavry_window_dispose;
  window_class->close_request = wavry_window_close_request;

  g_type_ensure (WAVRY_TYPE_HOST_PAGE);
  g_type_ensure (WAVRY_TYPE_CONNECT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/dev/wavry/Wavry/wavry-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WavryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WavryWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, WavryWindow, host_page);
  gtk_widget_class_bind_template_child (widget_class, WavryWindow, connect_page);
}

static void
wavry_window_init (WavryWindow *self)
{
  g_autoptr(GPropertyAction) page_action = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (APP_ID);
  restore_state (self);
  g_signal_connect (self->stack, "notify::visible-child-name",
                    G_CALLBACK (on_stack_visible_child_name_notify), self);

  /* win.page: the visible page by name ("host", "connect"), e.g. for Alt+1/2. */
  page_action = g_property_action_new ("page", self->stack, "visible-child-name");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (page_action));
}

WavryWindow *
wavry_window_new (WavryApplication *application)
{
  return g_object_new (WAVRY_TYPE_WINDOW, "application", application, NULL);
}

void
wavry_window_show_identity (WavryWindow   *self,
                            WavryIdentity *identity,
                            const GError  *error)
{
  g_return_if_fail (WAVRY_IS_WINDOW (self));

  wavry_host_page_show_identity (self->host_page, identity, error);
}

const char *
wavry_window_get_shown_id (WavryWindow *self)
{
  g_return_val_if_fail (WAVRY_IS_WINDOW (self), NULL);

  return wavry_host_page_get_shown_id (self->host_page);
}

void
wavry_window_add_toast (WavryWindow *self,
                        AdwToast    *toast)
{
  g_return_if_fail (WAVRY_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
