/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-connect-page.h"

/* The Connect page of the main window. For now the empty state that says what
 * to do when no host is found; discovery comes with issue 4. */
struct _WavryConnectPage
{
  GtkWidget      parent_instance;

  AdwStatusPage *empty_status;
};

G_DEFINE_FINAL_TYPE (WavryConnectPage, wavry_connect_page, GTK_TYPE_WIDGET)

static void
wavry_connect_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), WAVRY_TYPE_CONNECT_PAGE);

  G_OBJECT_CLASS (wavry_connect_page_parent_class)->dispose (object);
}

static void
wavry_connect_page_class_init (WavryConnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wavry_connect_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/dev/wavry/Wavry/wavry-connect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WavryConnectPage, empty_status);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
wavry_connect_page_init (WavryConnectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
wavry_connect_page_new (void)
{
  return g_object_new (WAVRY_TYPE_CONNECT_PAGE, NULL);
}
