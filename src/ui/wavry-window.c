/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-window.h"

/* The main window. For now a status page with this device's Wavry ID; the
 * Host and Connect pages come with the GNOME app issue. */
struct _WavryWindow
{
  AdwApplicationWindow  parent_instance;

  AdwStatusPage        *status;
  GtkLabel             *id_label;
  GtkButton            *copy_button;
  char                 *shown_id;
};

G_DEFINE_FINAL_TYPE (WavryWindow, wavry_window, ADW_TYPE_APPLICATION_WINDOW)

static void
on_copy_clicked (GtkButton   *button,
                 WavryWindow *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  if (self->shown_id != NULL)
    gdk_clipboard_set_text (clipboard, self->shown_id);
}

static void
wavry_window_finalize (GObject *object)
{
  WavryWindow *self = WAVRY_WINDOW (object);

  g_free (self->shown_id);

  G_OBJECT_CLASS (wavry_window_parent_class)->finalize (object);
}

static void
wavry_window_class_init (WavryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wavry_window_finalize;
}

static void
wavry_window_init (WavryWindow *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_window_set_title (GTK_WINDOW (self), _("Wavry"));
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 520);

  self->id_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_selectable (self->id_label, TRUE);
  gtk_label_set_wrap (self->id_label, TRUE);
  gtk_label_set_wrap_mode (self->id_label, PANGO_WRAP_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->id_label), "monospace");

  self->copy_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Copy Wavry ID")));
  gtk_widget_set_halign (GTK_WIDGET (self->copy_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->copy_button), "pill");
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), FALSE);
  g_signal_connect (self->copy_button, "clicked", G_CALLBACK (on_copy_clicked), self);

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->id_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->copy_button));

  self->status = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->status, APP_ID);
  adw_status_page_set_title (self->status, _("Wavry"));
  adw_status_page_set_description (self->status, _("Loading this device’s identity…"));
  adw_status_page_set_child (self->status, box);
  gtk_widget_set_vexpand (GTK_WIDGET (self->status), TRUE);

  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_box_append (GTK_BOX (toolbar), GTK_WIDGET (self->status));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), toolbar);
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
wavry_window_get_shown_id (WavryWindow *self)
{
  g_return_val_if_fail (WAVRY_IS_WINDOW (self), NULL);

  return self->shown_id;
}
