/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "wavry-stream-window.h"

struct _WavryStreamWindow
{
  AdwWindow parent_instance;

  AdwHeaderBar     *header_bar;
  WavryGlPresenter *presenter;
  GtkLabel         *stats_label;
  GtkLabel         *grab_label;
  GtkWidget        *status_box;
  GtkLabel         *status_label;

  WavryInputCapture *capture;
  WavryClientMedia  *stats_source;
  guint              stats_timeout_id;
  gint64             stats_last_us;
  guint64            stats_last_frames;
  guint64            stats_last_bytes;
  char              *stats_text;
};

G_DEFINE_FINAL_TYPE (WavryStreamWindow, wavry_stream_window, ADW_TYPE_WINDOW)

/* latency_ms.<kind>.p50 of a stats summary; NAN when absent or null */
static double
summary_p50 (JsonObject *latency,
             const char *kind)
{
  JsonObject *entry;
  JsonNode *node;

  if (latency == NULL || (entry = json_object_get_object_member (latency, kind)) == NULL)
    return NAN;
  node = json_object_get_member (entry, "p50");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NAN;
  return json_node_get_double (node);
}

static double
summary_double (JsonObject *root,
                const char *name)
{
  JsonNode *node = root != NULL ? json_object_get_member (root, name) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;
  return json_node_get_double (node);
}

static void
append_ms (GString    *text,
           const char *name,
           double      ms)
{
  if (isnan (ms))
    g_string_append_printf (text, "\n  %-8s –", name);
  else
    g_string_append_printf (text, "\n  %-8s %.1f ms", name, ms);
}

static gboolean
update_stats (gpointer user_data)
{
  WavryStreamWindow *self = user_data;
  WavryClientMediaStats stats = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *summary = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonObject *root = NULL;
  JsonObject *latency = NULL;
  gint64 now = g_get_monotonic_time ();
  double seconds, fps, mbps, present_ms;
  gint64 present_us;

  if (self->stats_source == NULL)
    return G_SOURCE_CONTINUE;

  wavry_client_media_get_stats (self->stats_source, &stats);
  summary = wavry_client_media_get_summary (self->stats_source);
  if (summary != NULL && json_parser_load_from_data (parser, summary, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      root = json_node_get_object (json_parser_get_root (parser));
      if (json_object_has_member (root, "latency_ms"))
        latency = json_object_get_object_member (root, "latency_ms");
    }

  seconds = (now - self->stats_last_us) / (double) G_USEC_PER_SEC;
  fps = seconds > 0 ? (stats.frames_decoded - self->stats_last_frames) / seconds : 0;
  mbps = seconds > 0 ? (stats.bytes_received - self->stats_last_bytes) * 8.0 / seconds / 1e6 : 0;
  self->stats_last_us = now;
  self->stats_last_frames = stats.frames_decoded;
  self->stats_last_bytes = stats.bytes_received;
  present_us = wavry_gl_presenter_get_last_latency (self->presenter);
  present_ms = present_us >= 0 ? present_us / 1000.0 : NAN;

  g_string_append_printf (text, _("%u×%u · %.1f fps · %.2f Mb/s"),
                          stats.width, stats.height, fps, mbps);
  if (wavry_gl_presenter_get_path (self->presenter) != WAVRY_GL_PRESENTER_PATH_NONE)
    {
      g_string_append (text, " · ");
      g_string_append (text, wavry_gl_presenter_path_to_string (wavry_gl_presenter_get_path (self->presenter)));
    }
  g_string_append_c (text, '\n');
  if (isnan (summary_double (root, "rtt_ms")))
    g_string_append (text, _("RTT –"));
  else
    g_string_append_printf (text, _("RTT %.1f ms"), summary_double (root, "rtt_ms"));
  g_string_append (text, " · ");
  g_string_append_printf (text, _("loss %.1f %%"),
                          isnan (summary_double (root, "loss_pct")) ? 0.0
                                                                    : summary_double (root, "loss_pct"));
  g_string_append (text, " · ");
  g_string_append_printf (text, _("dropped %" G_GUINT64_FORMAT), stats.frames_dropped);
  g_string_append_c (text, '\n');
  g_string_append (text, _("Latency (median)"));
  append_ms (text, _("capture"), summary_p50 (latency, "capture"));
  append_ms (text, _("encode"), summary_p50 (latency, "encode"));
  append_ms (text, _("network"), summary_p50 (latency, "network"));
  append_ms (text, _("decode"), summary_p50 (latency, "decode"));
  append_ms (text, _("present"), present_ms);

  g_free (self->stats_text);
  self->stats_text = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_label_set_text (self->stats_label, self->stats_text);
  return G_SOURCE_CONTINUE;
}

void
wavry_stream_window_set_stats_source (WavryStreamWindow *self,
                                      WavryClientMedia  *media)
{
  g_return_if_fail (WAVRY_IS_STREAM_WINDOW (self));
  g_return_if_fail (media == NULL || WAVRY_IS_CLIENT_MEDIA (media));

  g_clear_handle_id (&self->stats_timeout_id, g_source_remove);
  g_set_object (&self->stats_source, media);
  if (media == NULL)
    return;
  self->stats_last_us = g_get_monotonic_time ();
  self->stats_last_frames = 0;
  self->stats_last_bytes = 0;
  self->stats_timeout_id = g_timeout_add_seconds (1, update_stats, self);
  update_stats (self);
}

const char *
wavry_stream_window_get_stats_text (WavryStreamWindow *self)
{
  g_return_val_if_fail (WAVRY_IS_STREAM_WINDOW (self), NULL);
  return self->stats_text != NULL ? self->stats_text : "";
}

gboolean
wavry_stream_window_get_stats_visible (WavryStreamWindow *self)
{
  g_return_val_if_fail (WAVRY_IS_STREAM_WINDOW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->stats_label));
}

static void
toggle_stats (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WavryStreamWindow *self = WAVRY_STREAM_WINDOW (widget);

  gtk_widget_set_visible (GTK_WIDGET (self->stats_label),
                          !gtk_widget_get_visible (GTK_WIDGET (self->stats_label)));
}

static void
toggle_fullscreen (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

static void
on_fullscreened (WavryStreamWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->header_bar),
                          !gtk_window_is_fullscreen (GTK_WINDOW (self)));
}

static void
on_grabbed (WavryStreamWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->grab_label),
                          wavry_input_capture_get_grabbed (self->capture));
}

WavryGlPresenter *
wavry_stream_window_get_presenter (WavryStreamWindow *self)
{
  g_return_val_if_fail (WAVRY_IS_STREAM_WINDOW (self), NULL);
  return self->presenter;
}

WavryInputCapture *
wavry_stream_window_get_input_capture (WavryStreamWindow *self)
{
  g_return_val_if_fail (WAVRY_IS_STREAM_WINDOW (self), NULL);
  return self->capture;
}

void
wavry_stream_window_set_input_sink (WavryStreamWindow *self,
                                    WavryInputSink    *sink)
{
  g_return_if_fail (WAVRY_IS_STREAM_WINDOW (self));
  wavry_input_capture_set_sink (self->capture, sink);
}

static void
wavry_stream_window_dispose (GObject *object)
{
  WavryStreamWindow *self = WAVRY_STREAM_WINDOW (object);

  g_clear_handle_id (&self->stats_timeout_id, g_source_remove);
  g_clear_object (&self->stats_source);
  g_clear_object (&self->capture);
  gtk_widget_dispose_template (GTK_WIDGET (self), WAVRY_TYPE_STREAM_WINDOW);
  G_OBJECT_CLASS (wavry_stream_window_parent_class)->dispose (object);
}

static void
wavry_stream_window_finalize (GObject *object)
{
  WavryStreamWindow *self = WAVRY_STREAM_WINDOW (object);

  g_free (self->stats_text);
  G_OBJECT_CLASS (wavry_stream_window_parent_class)->finalize (object);
}

static void
wavry_stream_window_class_init (WavryStreamWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wavry_stream_window_dispose;
  object_class->finalize = wavry_stream_window_finalize;

  g_type_ensure (WAVRY_TYPE_GL_PRESENTER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/dev/wavry/Wavry/wavry-stream-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WavryStreamWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, WavryStreamWindow, presenter);
  gtk_widget_class_bind_template_child (widget_class, WavryStreamWindow, stats_label);
  gtk_widget_class_bind_template_child (widget_class, WavryStreamWindow, grab_label);
  gtk_widget_class_bind_template_child (widget_class, WavryStreamWindow, status_box);
  gtk_widget_class_bind_template_child (widget_class, WavryStreamWindow, status_label);

  gtk_widget_class_install_action (widget_class, "win.toggle-stats", NULL, toggle_stats);
  gtk_widget_class_install_action (widget_class, "win.fullscreen", NULL, toggle_fullscreen);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.toggle-stats", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.fullscreen", NULL);
}

static void
wavry_stream_window_init (WavryStreamWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->capture = wavry_input_capture_new (GTK_WINDOW (self), self->presenter);
  g_signal_connect_object (self->capture, "notify::grabbed", G_CALLBACK (on_grabbed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (on_fullscreened), NULL);
  on_grabbed (self);
}

WavryStreamWindow *
wavry_stream_window_new (GtkApplication *app,
                         const char     *title)
{
  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);

  return g_object_new (WAVRY_TYPE_STREAM_WINDOW,
                       "application", app,
                       "title", title != NULL ? title : _("Stream"),
                       NULL);
}

void
wavry_stream_window_set_status (WavryStreamWindow *self,
                                const char        *text)
{
  g_return_if_fail (WAVRY_IS_STREAM_WINDOW (self));

  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (self->status_box, text != NULL);
}

const char *
wavry_stream_window_get_status (WavryStreamWindow *self)
{
  g_return_val_if_fail (WAVRY_IS_STREAM_WINDOW (self), NULL);

  return gtk_widget_get_visible (self->status_box) ? gtk_label_get_text (self->status_label) : NULL;
}
