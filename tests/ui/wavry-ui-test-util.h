/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Runs the default main context until condition (user_data) is TRUE or
 * timeout_ms has passed; returns the last answer. */
gboolean   wavry_ui_test_wait_until     (gboolean (*condition) (gpointer user_data),
                                         gpointer   user_data,
                                         guint      timeout_ms);
/* Runs the default main context for ms milliseconds. */
void       wavry_ui_test_run_for        (guint      ms);
/* The first widget under root (root included) of type (G_TYPE_NONE: any)
 * whose GtkBuilder id is id (NULL: any), depth first. */
GtkWidget *wavry_ui_test_find_widget    (GtkWidget  *root,
                                         GType       type,
                                         const char *id);
/* The first toplevel window of type, or NULL. */
GtkWindow *wavry_ui_test_find_toplevel  (GType       type);
/* Whether a GtkLabel under root shows text. */
gboolean   wavry_ui_test_has_label      (GtkWidget  *root,
                                         const char *text);

G_END_DECLS
