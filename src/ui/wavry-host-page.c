/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-host-page.h"

/* The Host page of the main window. For now the empty state: this device's
 * Wavry ID with a copy button. Sharing the screen comes with issue 4. */
struct _WavryHostPage
{
  GtkWidget      parent_instance;

  AdwStatusPage *status;
  GtkLabel      *id_label;
  GtkButton     *copy_button;

  char          *shown_id;
};

G_DEFINE_FINAL_TYPE (WavryHostPage, wavry_host_page, GTK_TYPE_WIDGET)

static void
on_copy_button_clicked (GtkButton     *button,
                        WavryHostPage *self)
{
  GtkWidget *overlay;

  if (self->shown_id == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->shown_id);

  /* The page does not know its window: any toast overlay above it will do. */
  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay),
                                 adw_toast_new (_("Wavry ID copied")));
}

static void
wavry_host_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), WAVRY_TYPE_HOST_PAGE);

  G_OBJECT_CLASS (wavry_host_page_parent_class)->dispose (object);
}

static void
wavry_host_page_finalize (GObject *object)
{
  WavryHostPage *self = WAVRY_HOST_PAGE (object);

  g_free (self->shown_id);

  G_OBJECT_CLASS (wavry_host_page_parent_class)->finalize (object);
}

static void
wavry_host_page_class_init (WavryHostPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wavry_host_page_dispose;
  object_class->finalize = wavry_host_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/dev/wavry/Wavry/wavry-host-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WavryHostPage, status);
  gtk_widget_class_bind_template_child (widget_class, WavryHostPage, id_label);
  gtk_widget_class_bind_template_child (widget_class, WavryHostPage, copy_button);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_button_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
wavry_host_page_init (WavryHostPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  adw_status_page_set_icon_name (self->status, APP_ID);
}

GtkWidget *
wavry_host_page_new (void)
{
  return g_object_new (WAVRY_TYPE_HOST_PAGE, NULL);
}

void
wavry_host_page_show_identity (WavryHostPage *self,
                               WavryIdentity *identity,
                               const GError  *error)
{
  g_return_if_fail (WAVRY_IS_HOST_PAGE (self));
  g_return_if_fail (identity == NULL || WAVRY_IS_IDENTITY (identity));

  g_clear_pointer (&self->shown_id, g_free);

  if (identity == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("This device has no identity yet: %s"),
                                               error ? error->message : _("unknown error"));

      adw_status_page_set_description (self->status, text);
      gtk_label_set_text (self->id_label, "");
      gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), FALSE);
      return;
    }

  self->shown_id = g_strdup (wavry_identity_get_id (identity));
  adw_status_page_set_description (self->status,
                                   _("Other devices recognise this one by its Wavry ID. "
                                     "Give it to a host’s owner so they can allow you."));
  gtk_label_set_text (self->id_label, self->shown_id);
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), TRUE);
  /* Focus the button, not the selectable label (it would show a caret). */
  gtk_widget_grab_focus (GTK_WIDGET (self->copy_button));
}

const char *
wavry_host_page_get_shown_id (WavryHostPage *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_PAGE (self), NULL);

  return self->shown_id;
}
