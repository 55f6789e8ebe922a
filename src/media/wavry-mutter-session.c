/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "wavry-media-error.h"
#include "wavry-mutter-session.h"

/* GNOME's private screen-cast and remote-desktop APIs (mutter 43, ScreenCast
 * version 4, RemoteDesktop version 1). The sessions belong to the D-Bus
 * connection that created them: every call must go through the same one. */
#define SC_NAME          "org.gnome.Mutter.ScreenCast"
#define SC_PATH          "/org/gnome/Mutter/ScreenCast"
#define SC_IFACE         "org.gnome.Mutter.ScreenCast"
#define SC_SESSION_IFACE "org.gnome.Mutter.ScreenCast.Session"
#define SC_STREAM_IFACE  "org.gnome.Mutter.ScreenCast.Stream"
#define RD_NAME          "org.gnome.Mutter.RemoteDesktop"
#define RD_PATH          "/org/gnome/Mutter/RemoteDesktop"
#define RD_IFACE         "org.gnome.Mutter.RemoteDesktop"
#define RD_SESSION_IFACE "org.gnome.Mutter.RemoteDesktop.Session"
#define DC_NAME          "org.gnome.Mutter.DisplayConfig"
#define DC_PATH          "/org/gnome/Mutter/DisplayConfig"
#define DC_IFACE         "org.gnome.Mutter.DisplayConfig"

#define CALL_TIMEOUT_MS  5000
#define STOP_TIMEOUT_MS  2000

/* NotifyPointerAxisDiscrete axes and NotifyPointerAxis flags (mutter's
 * meta-remote-desktop-session.c). */
#define AXIS_VERTICAL    0
#define AXIS_HORIZONTAL  1
#define AXIS_FLAG_FINISH (1u << 0)
#define AXIS_FLAG_WHEEL  (1u << 1)
/* One wheel detent in smooth-scroll units (clutter's discrete step). */
#define SMOOTH_PER_DETENT 10.0

/* Shared with in-flight input calls, which may finish after the session is
 * freed. */
typedef struct
{
  gint pending;
  gint errors;
} InputCounters;

struct _WavryMutterSession
{
  GDBusConnection *bus;
  GMainContext    *context;

  char            *connector;
  char            *sc_owner;        /* unique names of the services */
  char            *rd_owner;
  char            *rd_session_path; /* NULL without input */
  char            *sc_session_path;
  char            *stream_path;

  guint32          node_id;
  gboolean         have_node;
  guint            width;
  guint            height;
  gboolean         virtual_monitor;
  gboolean         started;
  gboolean         closed;
  guint            malformed;

  guint            sc_closed_sub;
  guint            rd_closed_sub;
  guint            stream_added_sub;
  guint            name_watch;

  WavryMutterSessionClosedFunc closed_func;
  gpointer         closed_data;
  GDestroyNotify   closed_destroy;

  InputCounters   *input;
};

static char *
get_name_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  const char *owner = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS, NULL, NULL);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(&s)", &owner);
  return g_strdup (owner);
}

static void
mark_closed (WavryMutterSession *self)
{
  if (self->closed)
    return;
  self->closed = TRUE;
  g_debug ("GNOME screen-cast session %s closed", self->sc_session_path);
  if (self->closed_func != NULL)
    self->closed_func (self, self->closed_data);
}

static void
on_closed (GDBusConnection *bus,
           const char      *sender,
           const char      *path,
           const char      *iface,
           const char      *signal,
           GVariant        *params,
           gpointer         user_data)
{
  mark_closed (user_data);
}

static void
on_name_vanished (GDBusConnection *bus,
                  const char      *name,
                  gpointer         user_data)
{
  mark_closed (user_data);
}

static void
on_stream_added (GDBusConnection *bus,
                 const char      *sender,
                 const char      *path,
                 const char      *iface,
                 const char      *signal,
                 GVariant        *params,
                 gpointer         user_data)
{
  WavryMutterSession *self = user_data;

  if (!g_variant_is_of_type (params, G_VARIANT_TYPE ("(u)")))
    {
      self->malformed++;
      return;
    }
  g_variant_get (params, "(u)", &self->node_id);
  self->have_node = TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static GVariant *
call (WavryMutterSession *self,
      const char         *dest,
      const char         *path,
      const char         *iface,
      const char         *method,
      GVariant           *params,
      const char         *reply_type,
      GError            **error)
{
  return g_dbus_connection_call_sync (self->bus, dest, path, iface, method, params,
                                      reply_type ? G_VARIANT_TYPE (reply_type) : NULL,
                                      G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MS,
                                      NULL, error);
}

#define MAX_STREAM_SIDE 16384
#define MAX_CONNECTOR_LEN 64

gboolean
wavry_mutter_parse_capture_spec (const char  *spec,
                                 char       **connector,
                                 GError     **error)
{
  const char *name;
  gsize len;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (connector != NULL, FALSE);

  if (g_str_equal (spec, "mutter"))
    {
      *connector = g_strdup ("");
      return TRUE;
    }
  if (!g_str_has_prefix (spec, "mutter:"))
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                           _("A GNOME capture source is written “mutter” or “mutter:CONNECTOR”."));
      return FALSE;
    }
  name = spec + strlen ("mutter:");
  len = strlen (name);
  for (gsize i = 0; i < len && len <= MAX_CONNECTOR_LEN; i++)
    if (!g_ascii_isgraph (name[i]))
      len = 0;
  if (len == 0 || len > MAX_CONNECTOR_LEN)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                           _("The monitor in “mutter:CONNECTOR” must be a connector name such as HDMI-1 "
                             "(1 to 64 letters, digits or signs, no spaces)."));
      return FALSE;
    }
  *connector = g_strdup (name);
  return TRUE;
}

gboolean
wavry_mutter_parse_stream_size (GVariant *parameters,
                                guint    *width,
                                guint    *height)
{
  int w, h;

  g_return_val_if_fail (parameters != NULL, FALSE);

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE_VARDICT) ||
      !g_variant_lookup (parameters, "size", "(ii)", &w, &h) ||
      w <= 0 || h <= 0 || w > MAX_STREAM_SIDE || h > MAX_STREAM_SIDE)
    return FALSE;
  *width = w;
  *height = h;
  return TRUE;
}

char **
wavry_mutter_parse_connectors (GVariant *state)
{
  g_autoptr(GVariant) monitors = NULL;
  g_autoptr(GStrvBuilder) names = NULL;
  GVariantIter iter;
  const char *connector;

  g_return_val_if_fail (state != NULL, NULL);

  /* (serial, monitors, logical_monitors, properties) */
  if (!g_variant_is_of_type (state, G_VARIANT_TYPE ("(ua((ssss)a(siiddada{sv})a{sv})a(iiduba(ssss)a{sv})a{sv})")))
    return NULL;
  monitors = g_variant_get_child_value (state, 1);
  names = g_strv_builder_new ();
  g_variant_iter_init (&iter, monitors);
  while (g_variant_iter_loop (&iter, "((&ssss)a(siiddada{sv})a{sv})", &connector, NULL, NULL, NULL, NULL, NULL))
    g_strv_builder_add (names, connector);
  return g_strv_builder_end (names);
}

/* The connectors of the compositor's monitors, or NULL. */
static char **
list_connectors (WavryMutterSession *self)
{
  g_autoptr(GVariant) state = NULL;
  char **names;

  state = call (self, DC_NAME, DC_PATH, DC_IFACE, "GetCurrentState", NULL, NULL, NULL);
  if (state == NULL)
    return NULL;
  names = wavry_mutter_parse_connectors (state);
  if (names == NULL)
    self->malformed++;
  return names;
}

static void
read_stream_size (WavryMutterSession *self)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GError) error = NULL;

  reply = call (self, self->sc_owner, self->stream_path, "org.freedesktop.DBus.Properties", "Get",
                g_variant_new ("(ss)", SC_STREAM_IFACE, "Parameters"), "(v)", &error);
  if (reply == NULL)
    {
      g_debug ("No parameters for the GNOME screen-cast stream: %s", error->message);
      return;
    }
  g_variant_get (reply, "(v)", &params);
  if (!wavry_mutter_parse_stream_size (params, &self->width, &self->height))
    {
      self->malformed++;
      g_debug ("GNOME's screen-cast stream parameters have no usable size");
    }
}

static gboolean
fail_call (GError    **error,
           GError     *cause,
           const char *what)
{
  g_dbus_error_strip_remote_error (cause);
  g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
               _("GNOME's screen-cast service refused to %s: %s"), what, cause->message);
  g_error_free (cause);
  return FALSE;
}

static gboolean
setup (WavryMutterSession    *self,
       gboolean               with_input,
       WavryMutterCursorMode  cursor_mode,
       guint                  timeout_ms,
       GError               **error)
{
  g_autoptr(GVariant) reply = NULL;
  GError *local = NULL;
  GVariantBuilder props;
  g_autoptr(GSource) timeout = NULL;
  gboolean timed_out = FALSE;

  self->sc_owner = get_name_owner (self->bus, SC_NAME);
  if (self->sc_owner == NULL)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                           _("GNOME's screen-cast service is not running (org.gnome.Mutter.ScreenCast not on the session bus)"));
      return FALSE;
    }
  self->name_watch = g_bus_watch_name_on_connection (self->bus, SC_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                     NULL, on_name_vanished, self, NULL);

  g_variant_builder_init (&props, G_VARIANT_TYPE_VARDICT);
  if (with_input)
    {
      g_autoptr(GVariant) id_reply = NULL;
      g_autoptr(GVariant) id = NULL;

      self->rd_owner = get_name_owner (self->bus, RD_NAME);
      if (self->rd_owner == NULL)
        {
          g_variant_builder_clear (&props);
          g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                               _("GNOME's remote-desktop service is not running (org.gnome.Mutter.RemoteDesktop not on the session bus)"));
          return FALSE;
        }
      reply = call (self, self->rd_owner, RD_PATH, RD_IFACE, "CreateSession", NULL, "(o)", &local);
      if (reply == NULL)
        {
          g_variant_builder_clear (&props);
          return fail_call (error, local, _("create a remote-desktop session"));
        }
      g_variant_get (reply, "(o)", &self->rd_session_path);
      g_clear_pointer (&reply, g_variant_unref);

      self->rd_closed_sub =
        g_dbus_connection_signal_subscribe (self->bus, self->rd_owner, RD_SESSION_IFACE, "Closed",
                                            self->rd_session_path, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                            on_closed, self, NULL);

      id_reply = call (self, self->rd_owner, self->rd_session_path, "org.freedesktop.DBus.Properties",
                       "Get", g_variant_new ("(ss)", RD_SESSION_IFACE, "SessionId"), "(v)", &local);
      if (id_reply == NULL)
        {
          g_variant_builder_clear (&props);
          return fail_call (error, local, _("name its remote-desktop session"));
        }
      g_variant_get (id_reply, "(v)", &id);
      if (!g_variant_is_of_type (id, G_VARIANT_TYPE_STRING))
        {
          g_variant_builder_clear (&props);
          g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                               _("GNOME's remote-desktop session has no usable session id"));
          return FALSE;
        }
      g_variant_builder_add (&props, "{sv}", "remote-desktop-session-id", id);
    }

  reply = call (self, self->sc_owner, SC_PATH, SC_IFACE, "CreateSession",
                g_variant_new ("(a{sv})", &props), "(o)", &local);
  if (reply == NULL)
    return fail_call (error, local, _("create a screen-cast session"));
  g_variant_get (reply, "(o)", &self->sc_session_path);
  g_clear_pointer (&reply, g_variant_unref);

  self->sc_closed_sub =
    g_dbus_connection_signal_subscribe (self->bus, self->sc_owner, SC_SESSION_IFACE, "Closed",
                                        self->sc_session_path, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_closed, self, NULL);

  g_variant_builder_init (&props, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&props, "{sv}", "cursor-mode", g_variant_new_uint32 (cursor_mode));
  if (self->virtual_monitor)
    {
      reply = call (self, self->sc_owner, self->sc_session_path, SC_SESSION_IFACE, "RecordVirtual",
                    g_variant_new ("(a{sv})", &props), "(o)", &local);
      if (reply == NULL)
        return fail_call (error, local, _("add a virtual monitor"));
    }
  else
    reply = call (self, self->sc_owner, self->sc_session_path, SC_SESSION_IFACE, "RecordMonitor",
                  g_variant_new ("(sa{sv})", self->connector, &props), "(o)", &local);
  if (reply == NULL)
    {
      g_auto(GStrv) names = self->connector[0] != '\0' ? list_connectors (self) : NULL;

      /* Mutter says "Unknown monitor"; name it, and what there is. */
      if (self->connector[0] != '\0' && (names == NULL || !g_strv_contains ((const char * const *) names, self->connector)))
        {
          g_autofree char *known = names ? g_strjoinv (", ", names) : NULL;

          g_debug ("RecordMonitor(%s): %s", self->connector, local->message);
          g_error_free (local);
          if (known != NULL && known[0] != '\0')
            g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                         _("no monitor named %s (this desktop has: %s)"), self->connector, known);
          else
            g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                         _("no monitor named %s"), self->connector);
          return FALSE;
        }
      return fail_call (error, local, _("record the primary monitor"));
    }
  g_variant_get (reply, "(o)", &self->stream_path);
  g_clear_pointer (&reply, g_variant_unref);

  self->stream_added_sub =
    g_dbus_connection_signal_subscribe (self->bus, self->sc_owner, SC_STREAM_IFACE,
                                        "PipeWireStreamAdded", self->stream_path, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, on_stream_added, self, NULL);

  /* A screen cast bound to a remote-desktop session is started through it. */
  if (with_input)
    reply = call (self, self->rd_owner, self->rd_session_path, RD_SESSION_IFACE, "Start", NULL, NULL, &local);
  else
    reply = call (self, self->sc_owner, self->sc_session_path, SC_SESSION_IFACE, "Start", NULL, NULL, &local);
  if (reply == NULL)
    return fail_call (error, local, _("start the screen cast"));
  self->started = TRUE;

  timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout, on_timeout, &timed_out, NULL);
  g_source_attach (timeout, self->context);
  while (!self->have_node && !self->closed && !timed_out)
    g_main_context_iteration (self->context, TRUE);
  g_source_destroy (timeout);

  if (!self->have_node)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED,
                   self->closed
                   ? _("GNOME closed the screen-cast session before its PipeWire stream appeared")
                   : _("GNOME's screen-cast stream did not appear in PipeWire within %u ms"),
                   timeout_ms);
      return FALSE;
    }

  read_stream_size (self);
  g_debug ("GNOME screen cast of “%s”: PipeWire node %u, %u×%u",
           self->virtual_monitor ? "(virtual)" : self->connector,
           self->node_id, self->width, self->height);
  return TRUE;
}

static WavryMutterSession *
session_new (GDBusConnection       *bus,
             const char            *connector,
             gboolean               virtual_monitor,
             gboolean               with_input,
             WavryMutterCursorMode  cursor_mode,
             guint                  timeout_ms,
             GError               **error)
{
  g_autoptr(WavryMutterSession) self = NULL;

  g_return_val_if_fail (bus == NULL || G_IS_DBUS_CONNECTION (bus), NULL);
  g_return_val_if_fail (cursor_mode <= WAVRY_MUTTER_CURSOR_METADATA, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (WavryMutterSession, 1);
  self->context = g_main_context_ref_thread_default ();
  self->connector = g_strdup (connector ? connector : "");
  self->virtual_monitor = virtual_monitor;
  self->input = g_atomic_rc_box_new0 (InputCounters);

  if (bus != NULL)
    self->bus = g_object_ref (bus);
  else
    {
      GError *local = NULL;

      self->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &local);
      if (self->bus == NULL)
        {
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                       _("GNOME's screen-cast service is not reachable: no session bus (%s)"),
                       local->message);
          g_error_free (local);
          return NULL;
        }
    }

  if (!setup (self, with_input, cursor_mode, timeout_ms ? timeout_ms : CALL_TIMEOUT_MS, error))
    return NULL;
  return g_steal_pointer (&self);
}

WavryMutterSession *
wavry_mutter_session_new_full (GDBusConnection       *bus,
                               const char            *connector,
                               gboolean               with_input,
                               WavryMutterCursorMode  cursor_mode,
                               guint                  timeout_ms,
                               GError               **error)
{
  return session_new (bus, connector, FALSE, with_input, cursor_mode, timeout_ms, error);
}

WavryMutterSession *
wavry_mutter_session_new_virtual (GDBusConnection *bus,
                                  gboolean         with_input,
                                  GError         **error)
{
  return session_new (bus, NULL, TRUE, with_input, WAVRY_MUTTER_CURSOR_EMBEDDED, 5000, error);
}

WavryMutterSession *
wavry_mutter_session_new (GDBusConnection *bus,
                          const char      *connector,
                          gboolean         with_input,
                          GError         **error)
{
  return wavry_mutter_session_new_full (bus, connector, with_input,
                                        WAVRY_MUTTER_CURSOR_EMBEDDED, 5000, error);
}

guint32
wavry_mutter_session_get_node_id (WavryMutterSession *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->node_id;
}

void
wavry_mutter_session_get_size (WavryMutterSession *self,
                               guint              *width,
                               guint              *height)
{
  g_return_if_fail (self != NULL);
  if (width)
    *width = self->width;
  if (height)
    *height = self->height;
}

const char *
wavry_mutter_session_get_connector (WavryMutterSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->connector;
}

gboolean
wavry_mutter_session_has_input (WavryMutterSession *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->rd_session_path != NULL;
}

gboolean
wavry_mutter_session_is_closed (WavryMutterSession *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->closed;
}

guint
wavry_mutter_session_get_malformed (WavryMutterSession *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->malformed;
}

void
wavry_mutter_session_set_closed_func (WavryMutterSession          *self,
                                      WavryMutterSessionClosedFunc func,
                                      gpointer                     user_data,
                                      GDestroyNotify               destroy)
{
  g_return_if_fail (self != NULL);
  if (self->closed_destroy != NULL)
    self->closed_destroy (self->closed_data);
  self->closed_func = func;
  self->closed_data = user_data;
  self->closed_destroy = destroy;
}

/* Input */

static void
input_counters_unref (InputCounters *counters)
{
  g_atomic_rc_box_release (counters);
}

static void
on_input_reply (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  InputCounters *counters = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      g_atomic_int_inc (&counters->errors);
      g_debug ("GNOME refused an input event: %s", error->message);
    }
  g_atomic_int_add (&counters->pending, -1);
  input_counters_unref (counters);
}

static gboolean
check_input (WavryMutterSession *self,
             GError            **error)
{
  if (self->rd_session_path == NULL)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                           _("This GNOME screen-cast session was created without input"));
      return FALSE;
    }
  if (self->closed)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                           _("GNOME closed the remote-desktop session"));
      return FALSE;
    }
  return TRUE;
}

static void
send_input (WavryMutterSession *self,
            const char         *method,
            GVariant           *params)
{
  g_atomic_int_inc (&self->input->pending);
  g_dbus_connection_call (self->bus, self->rd_owner, self->rd_session_path, RD_SESSION_IFACE,
                          method, params, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MS,
                          NULL, on_input_reply, g_atomic_rc_box_acquire (self->input));
}

gboolean
wavry_mutter_session_key (WavryMutterSession *self,
                          guint32             evdev_code,
                          gboolean            pressed,
                          GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (!check_input (self, error))
    return FALSE;
  send_input (self, "NotifyKeyboardKeycode", g_variant_new ("(ub)", evdev_code, !!pressed));
  return TRUE;
}

gboolean
wavry_mutter_session_pointer_move (WavryMutterSession *self,
                                   double              x,
                                   double              y,
                                   GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (!check_input (self, error))
    return FALSE;
  if (!isfinite (x) || !isfinite (y))
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("Pointer position %g, %g is not a number"), x, y);
      return FALSE;
    }
  /* Mutter clamps to the stream; do the same for the 0×0 "unknown" case. */
  x = MAX (x, 0.0);
  y = MAX (y, 0.0);
  if (self->width > 0 && self->height > 0)
    {
      x = MIN (x, self->width - 1);
      y = MIN (y, self->height - 1);
    }
  send_input (self, "NotifyPointerMotionAbsolute",
              g_variant_new ("(sdd)", self->stream_path, x, y));
  return TRUE;
}

gboolean
wavry_mutter_session_button (WavryMutterSession *self,
                             guint32             evdev_button,
                             gboolean            pressed,
                             GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (!check_input (self, error))
    return FALSE;
  if (evdev_button > G_MAXINT32)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("Mouse button code %u is out of range"), evdev_button);
      return FALSE;
    }
  send_input (self, "NotifyPointerButton", g_variant_new ("(ib)", (gint32) evdev_button, !!pressed));
  return TRUE;
}

static void
scroll_axis (WavryMutterSession *self,
             guint32             axis,
             double              detents)
{
  double whole = trunc (detents);
  int steps = (int) fabs (whole);

  /* Mutter takes one discrete step per call. */
  for (int i = 0; i < steps; i++)
    send_input (self, "NotifyPointerAxisDiscrete", g_variant_new ("(ui)", axis, whole > 0 ? 1 : -1));
}

gboolean
wavry_mutter_session_scroll (WavryMutterSession *self,
                             double              dx,
                             double              dy,
                             GError            **error)
{
  double fx, fy;

  g_return_val_if_fail (self != NULL, FALSE);
  if (!check_input (self, error))
    return FALSE;
  /* A larger scroll is a broken or hostile client, not a wheel. */
  if (!isfinite (dx) || !isfinite (dy) || fabs (dx) > 1000 || fabs (dy) > 1000)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("Scroll by %g, %g detents is out of range"), dx, dy);
      return FALSE;
    }

  scroll_axis (self, AXIS_VERTICAL, dy);
  scroll_axis (self, AXIS_HORIZONTAL, dx);

  fx = dx - trunc (dx);
  fy = dy - trunc (dy);
  if (fx != 0.0 || fy != 0.0)
    send_input (self, "NotifyPointerAxis",
                g_variant_new ("(ddu)", fx * SMOOTH_PER_DETENT, fy * SMOOTH_PER_DETENT,
                               AXIS_FLAG_WHEEL | AXIS_FLAG_FINISH));
  return TRUE;
}

gboolean
wavry_mutter_session_flush_input (WavryMutterSession *self,
                                  guint               timeout_ms,
                                  GError            **error)
{
  g_autoptr(GSource) timeout = NULL;
  gboolean timed_out = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout, on_timeout, &timed_out, NULL);
  g_source_attach (timeout, self->context);
  while (g_atomic_int_get (&self->input->pending) > 0 && !timed_out)
    g_main_context_iteration (self->context, TRUE);
  g_source_destroy (timeout);

  if (g_atomic_int_get (&self->input->pending) > 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("GNOME did not take the input events within %u ms"), timeout_ms);
      return FALSE;
    }
  return TRUE;
}

guint
wavry_mutter_session_get_input_errors (WavryMutterSession *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return g_atomic_int_get (&self->input->errors);
}

static void
stop (WavryMutterSession *self,
      const char         *owner,
      const char         *path,
      const char         *iface)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (self->bus, owner, path, iface, "Stop", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START, STOP_TIMEOUT_MS, NULL, &error);
  if (reply == NULL)
    g_debug ("Stopping %s: %s", path, error->message);
}

void
wavry_mutter_session_free (WavryMutterSession *self)
{
  if (self == NULL)
    return;

  if (self->stream_added_sub)
    g_dbus_connection_signal_unsubscribe (self->bus, self->stream_added_sub);
  if (self->sc_closed_sub)
    g_dbus_connection_signal_unsubscribe (self->bus, self->sc_closed_sub);
  if (self->rd_closed_sub)
    g_dbus_connection_signal_unsubscribe (self->bus, self->rd_closed_sub);
  if (self->name_watch)
    g_bus_unwatch_name (self->name_watch);

  /* Stopping the remote-desktop session also stops the screen cast bound
   * to it. Mutter refuses to stop a remote-desktop session that never
   * started (it would linger until the connection closes), so one left
   * over by a failed setup is started first. */
  if (!self->closed)
    {
      if (self->rd_session_path != NULL)
        {
          if (!self->started)
            {
              g_autoptr(GVariant) reply = NULL;

              reply = g_dbus_connection_call_sync (self->bus, self->rd_owner, self->rd_session_path,
                                                   RD_SESSION_IFACE, "Start", NULL, NULL,
                                                   G_DBUS_CALL_FLAGS_NO_AUTO_START, STOP_TIMEOUT_MS,
                                                   NULL, NULL);
            }
          stop (self, self->rd_owner, self->rd_session_path, RD_SESSION_IFACE);
        }
      else if (self->sc_session_path != NULL)
        stop (self, self->sc_owner, self->sc_session_path, SC_SESSION_IFACE);
    }

  if (self->closed_destroy != NULL)
    self->closed_destroy (self->closed_data);

  g_clear_pointer (&self->input, input_counters_unref);
  g_clear_object (&self->bus);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->connector);
  g_free (self->sc_owner);
  g_free (self->rd_owner);
  g_free (self->rd_session_path);
  g_free (self->sc_session_path);
  g_free (self->stream_path);
  g_free (self);
}
