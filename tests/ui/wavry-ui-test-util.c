/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-ui-test-util.h"

gboolean
wavry_ui_test_wait_until (gboolean (*condition) (gpointer user_data),
                          gpointer   user_data,
                          guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () >= deadline)
        return condition (user_data);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }

  return TRUE;
}

void
wavry_ui_test_run_for (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

GtkWidget *
wavry_ui_test_find_widget (GtkWidget  *root,
                           GType       type,
                           const char *id)
{
  if ((type == G_TYPE_NONE || G_TYPE_CHECK_INSTANCE_TYPE (root, type)) &&
      (id == NULL || g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (root)), id) == 0))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = wavry_ui_test_find_widget (child, type, id);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWindow *
wavry_ui_test_find_toplevel (GType type)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

gboolean
wavry_ui_test_has_label (GtkWidget  *root,
                         const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (wavry_ui_test_has_label (child, text))
      return TRUE;

  return FALSE;
}
