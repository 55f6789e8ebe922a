/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <math.h>

#include "wavry-input-injector-portal.h"
#include "wavry-media-error.h"
#include "wavry-portal-private.h"

/* How long the portal may take, its dialog included. */
#define PORTAL_BUS_NAME WAVRY_PORTAL_BUS_NAME
#define PORTAL_OBJECT_PATH WAVRY_PORTAL_OBJECT_PATH
#define PORTAL_REMOTE_DESKTOP "org.freedesktop.portal.RemoteDesktop"
#define PORTAL_SCREENCAST "org.freedesktop.portal.ScreenCast"
#define PORTAL_SESSION "org.freedesktop.portal.Session"
#define CALL_TIMEOUT_MS 5000

/* Shared with the replies of calls in flight, which may outlive the injector. */
typedef struct
{
  gint failed;
  gint closed;
} PortalInputState;

struct _WavryInputInjectorPortal
{
  WavryInputInjector  parent_instance;

  GDBusConnection    *bus;
  char               *session;
  guint32             devices;
  guint32             node_id;
  guint               width;
  guint               height;
  guint               closed_subscription;
  PortalInputState   *state;        /* atomic rc box */
  guint               requests;
  char               *restore_token;  /* given, then the one Start returned */
  /* Fractions of a detent not sent yet, per axis. */
  double              scroll_rest_x;
  double              scroll_rest_y;
};

G_DEFINE_FINAL_TYPE (WavryInputInjectorPortal, wavry_input_injector_portal,
                     WAVRY_TYPE_INPUT_INJECTOR)

/* -------------------------------------------------------------------------
 * Parsing the portal's answers
 * ------------------------------------------------------------------------- */

gboolean
wavry_input_portal_parse_start_results (GVariant  *results,
                                        guint32   *devices,
                                        guint32   *node_id,
                                        guint     *width,
                                        guint     *height,
                                        GError   **error)
{
  g_autoptr(GVariant) devices_v = NULL;
  g_autoptr(GVariant) streams = NULL;
  g_autoptr(GVariant) props = NULL;
  gint32 w = 0, h = 0;

  g_return_val_if_fail (results != NULL, FALSE);

  /* Older portals leave "devices" out: the request counts as granted. */
  *devices = WAVRY_PORTAL_DEVICE_KEYBOARD | WAVRY_PORTAL_DEVICE_POINTER;
  *node_id = 0;
  *width = *height = 0;
  if (!g_variant_is_of_type (results, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                           _("The RemoteDesktop portal answered with results of the wrong type."));
      return FALSE;
    }
  devices_v = g_variant_lookup_value (results, "devices", NULL);
  if (devices_v != NULL)
    {
      if (!g_variant_is_of_type (devices_v, G_VARIANT_TYPE_UINT32))
        {
          g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                               _("The RemoteDesktop portal gave the allowed devices in the "
                                 "wrong type."));
          return FALSE;
        }
      *devices = g_variant_get_uint32 (devices_v);
    }
  streams = g_variant_lookup_value (results, "streams", NULL);
  if (streams == NULL || !g_variant_is_of_type (streams, G_VARIANT_TYPE ("a(ua{sv})")) ||
      g_variant_n_children (streams) == 0)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                           _("The RemoteDesktop portal gave no shared screen, so pointer "
                             "positions cannot be placed."));
      return FALSE;
    }
  g_variant_get_child (streams, 0, "(u@a{sv})", node_id, &props);
  /* A size of another type or not positive reads as unknown. */
  if (g_variant_lookup (props, "size", "(ii)", &w, &h) && w > 0 && h > 0)
    {
      *width = (guint) w;
      *height = (guint) h;
    }
  return TRUE;
}

/* -------------------------------------------------------------------------
 * The Request / Response pattern
 * ------------------------------------------------------------------------- */

/* The error for a failed call to the portal itself. */
static void
portal_call_error (GError    **error,
                   GError     *call_error,
                   const char *method)
{
  if (g_error_matches (call_error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (call_error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
    g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                         _("No desktop portal (xdg-desktop-portal) runs in this session, so "
                           "remote control through it is not possible."));
  else if (g_error_matches (call_error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
           g_error_matches (call_error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
           g_error_matches (call_error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT))
    g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                         _("The desktop portal of this session does not offer remote control "
                           "(RemoteDesktop with ScreenCast)."));
  else if (g_error_matches (call_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (call_error));
  else
    {
      g_dbus_error_strip_remote_error (call_error);
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("The RemoteDesktop portal failed (%s): %s"), method, call_error->message);
    }
}

/* Calls @method of @iface, which answers through a Request object, and
 * waits for its Response (wavry_portal_request). Returns the results, or
 * NULL with an error worded for remote control. */
static GVariant *
portal_request (WavryInputInjectorPortal  *self,
                const char                *iface,
                const char                *method,
                GVariantBuilder           *options,
                GCancellable              *cancellable,
                GError                   **error)
{
  g_autoptr(GError) call_error = NULL;
  GVariant *results = NULL;

  switch (wavry_portal_request (self->bus, &self->requests, iface, method, self->session,
                                options, CALL_TIMEOUT_MS, cancellable, &results, &call_error))
    {
    case WAVRY_PORTAL_ANSWERED:
      return results;
    case WAVRY_PORTAL_CALL_FAILED:
      portal_call_error (error, call_error, method);
      return NULL;
    case WAVRY_PORTAL_CANCELLED:
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    case WAVRY_PORTAL_DENIED:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The user did not allow remote control."));
      return NULL;
    case WAVRY_PORTAL_REFUSED:
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("The RemoteDesktop portal refused remote control (%s)."), method);
      return NULL;
    case WAVRY_PORTAL_NO_ANSWER:
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   _("The RemoteDesktop portal did not answer (%s)."), method);
      return NULL;
    }
}

static void
on_session_closed (GDBusConnection *bus,
                   const char      *sender_name,
                   const char      *object_path,
                   const char      *interface_name,
                   const char      *signal_name,
                   GVariant        *parameters,
                   gpointer         user_data)
{
  PortalInputState *state = user_data;

  g_atomic_int_set (&state->closed, TRUE);
}

static void
state_unref (gpointer state)
{
  g_atomic_rc_box_release (state);
}

static gboolean
portal_open (WavryInputInjectorPortal  *self,
             GCancellable              *cancellable,
             GError                   **error)
{
  GVariantBuilder options;
  g_autoptr(GVariant) results = NULL;
  g_autofree char *session_token = NULL;
  const char *session = NULL;
  gboolean persist;

  session_token = g_strdup_printf ("wavry_%u", g_random_int ());
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "session_handle_token",
                         g_variant_new_string (session_token));
  results = portal_request (self, PORTAL_REMOTE_DESKTOP, "CreateSession", &options, cancellable,
                            error);
  if (results == NULL)
    return FALSE;
  if ((!g_variant_lookup (results, "session_handle", "&s", &session) &&
       !g_variant_lookup (results, "session_handle", "&o", &session)) ||
      !g_variant_is_object_path (session))
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                           _("The RemoteDesktop portal gave no session."));
      return FALSE;
    }
  self->session = g_strdup (session);
  g_clear_pointer (&results, g_variant_unref);
  self->closed_subscription =
    g_dbus_connection_signal_subscribe (self->bus, PORTAL_BUS_NAME, PORTAL_SESSION, "Closed",
                                        self->session, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_session_closed, g_atomic_rc_box_acquire (self->state),
                                        state_unref);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "types",
                         g_variant_new_uint32 (WAVRY_PORTAL_DEVICE_KEYBOARD |
                                               WAVRY_PORTAL_DEVICE_POINTER));
  /* Version 2: the desktop may remember the answer (until the user revokes
   * it) and skip the dialog when the token of the last session comes back. */
  persist = wavry_portal_get_uint_property (self->bus, PORTAL_REMOTE_DESKTOP, "version", 1) >= 2;
  if (persist)
    {
      g_variant_builder_add (&options, "{sv}", "persist_mode", g_variant_new_uint32 (2));
      if (self->restore_token != NULL && *self->restore_token != '\0')
        g_variant_builder_add (&options, "{sv}", "restore_token",
                               g_variant_new_string (self->restore_token));
    }
  results = portal_request (self, PORTAL_REMOTE_DESKTOP, "SelectDevices", &options, cancellable,
                            error);
  if (results == NULL)
    return FALSE;
  g_clear_pointer (&results, g_variant_unref);

  /* On the same session: Start then returns the stream that absolute
   * pointer positions refer to. */
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "types", g_variant_new_uint32 (1));  /* MONITOR */
  g_variant_builder_add (&options, "{sv}", "multiple", g_variant_new_boolean (FALSE));
  results = portal_request (self, PORTAL_SCREENCAST, "SelectSources", &options, cancellable,
                            error);
  if (results == NULL)
    return FALSE;
  g_clear_pointer (&results, g_variant_unref);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  results = portal_request (self, PORTAL_REMOTE_DESKTOP, "Start", &options, cancellable, error);
  if (results == NULL)
    return FALSE;
  if (!wavry_input_portal_parse_start_results (results, &self->devices, &self->node_id,
                                               &self->width, &self->height, error))
    return FALSE;
  {
    const char *token = NULL;

    g_clear_pointer (&self->restore_token, g_free);
    if (persist && g_variant_lookup (results, "restore_token", "&s", &token) && *token != '\0')
      self->restore_token = g_strdup (token);
  }
  /* The user shared the screen but switched remote interaction off. */
  if (self->devices == 0)
    wavry_input_injector_set_description (WAVRY_INPUT_INJECTOR (self),
                                          _("Desktop portal (remote control not allowed)"));
  return TRUE;
}

/* -------------------------------------------------------------------------
 * Sending input
 * ------------------------------------------------------------------------- */

static void
on_notify_reply (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PortalInputState *state = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    g_atomic_int_inc (&state->failed);
  g_atomic_rc_box_release (state);
}

static gboolean
check_device (WavryInputInjectorPortal  *self,
              guint32                    device,
              GError                   **error)
{
  if (g_atomic_int_get (&self->state->closed))
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                           _("The desktop portal closed the remote control session."));
      return FALSE;
    }
  if ((self->devices & device) == 0)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                           device == WAVRY_PORTAL_DEVICE_KEYBOARD
                           ? _("The user did not allow keyboard control.")
                           : _("The user did not allow pointer control."));
      return FALSE;
    }
  return TRUE;
}

/* @args: floating, (session, options, ...). */
static void
send_notify (WavryInputInjectorPortal *self,
             const char               *method,
             GVariant                 *args)
{
  g_dbus_connection_call (self->bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, PORTAL_REMOTE_DESKTOP,
                          method, args, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MS,
                          NULL, on_notify_reply, g_atomic_rc_box_acquire (self->state));
}

/* No options are defined for the Notify* methods. */
static GVariant *
no_options (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);
}

static gboolean
portal_key (WavryInputInjector *injector,
            guint32             evdev_code,
            gboolean            pressed,
            GError            **error)
{
  WavryInputInjectorPortal *self = WAVRY_INPUT_INJECTOR_PORTAL (injector);

  if (!check_device (self, WAVRY_PORTAL_DEVICE_KEYBOARD, error))
    return FALSE;
  send_notify (self, "NotifyKeyboardKeycode",
               g_variant_new ("(o@a{sv}iu)", self->session, no_options (), (gint32) evdev_code,
                              pressed ? 1u : 0u));
  return TRUE;
}

static gboolean
portal_pointer_move (WavryInputInjector *injector,
                     double              x,
                     double              y,
                     GError            **error)
{
  WavryInputInjectorPortal *self = WAVRY_INPUT_INJECTOR_PORTAL (injector);

  if (!check_device (self, WAVRY_PORTAL_DEVICE_POINTER, error))
    return FALSE;
  if (self->width == 0 || self->height == 0)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                           _("The desktop portal did not say the size of the shared screen, so "
                             "a pointer position cannot be placed on it."));
      return FALSE;
    }
  /* Stream pixels: the last pixel is width - 1 (as the mutter backend). */
  send_notify (self, "NotifyPointerMotionAbsolute",
               g_variant_new ("(o@a{sv}udd)", self->session, no_options (), self->node_id,
                              x * (self->width - 1), y * (self->height - 1)));
  return TRUE;
}

static gboolean
portal_button (WavryInputInjector *injector,
               guint32             evdev_button,
               gboolean            pressed,
               GError            **error)
{
  WavryInputInjectorPortal *self = WAVRY_INPUT_INJECTOR_PORTAL (injector);

  if (!check_device (self, WAVRY_PORTAL_DEVICE_POINTER, error))
    return FALSE;
  send_notify (self, "NotifyPointerButton",
               g_variant_new ("(o@a{sv}iu)", self->session, no_options (), (gint32) evdev_button,
                              pressed ? 1u : 0u));
  return TRUE;
}

/* Whole steps out of @rest + @amount; the fraction stays in @rest. */
static gint32
take_steps (double *rest,
            double  amount)
{
  double total = *rest + amount;
  double steps = trunc (total);

  *rest = total - steps;
  return (gint32) steps;
}

static gboolean
portal_scroll (WavryInputInjector *injector,
               double              dx,
               double              dy,
               GError            **error)
{
  WavryInputInjectorPortal *self = WAVRY_INPUT_INJECTOR_PORTAL (injector);
  gint32 steps_x, steps_y;

  if (!check_device (self, WAVRY_PORTAL_DEVICE_POINTER, error))
    return FALSE;
  steps_y = take_steps (&self->scroll_rest_y, dy);
  steps_x = take_steps (&self->scroll_rest_x, dx);
  if (steps_y != 0)
    send_notify (self, "NotifyPointerAxisDiscrete",
                 g_variant_new ("(o@a{sv}ui)", self->session, no_options (), 0u, steps_y));
  if (steps_x != 0)
    send_notify (self, "NotifyPointerAxisDiscrete",
                 g_variant_new ("(o@a{sv}ui)", self->session, no_options (), 1u, steps_x));
  return TRUE;
}

/* -------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------- */

static void
wavry_input_injector_portal_dispose (GObject *object)
{
  WavryInputInjectorPortal *self = WAVRY_INPUT_INJECTOR_PORTAL (object);

  if (self->bus != NULL && self->closed_subscription != 0)
    {
      g_dbus_connection_signal_unsubscribe (self->bus, self->closed_subscription);
      self->closed_subscription = 0;
    }
  if (self->bus != NULL && self->session != NULL)
    {
      /* Ends the remote control; no need to wait for the answer. */
      g_dbus_connection_call (self->bus, PORTAL_BUS_NAME, self->session, PORTAL_SESSION, "Close",
                              NULL, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
      g_dbus_connection_flush_sync (self->bus, NULL, NULL);
    }
  g_clear_pointer (&self->session, g_free);
  g_clear_object (&self->bus);

  G_OBJECT_CLASS (wavry_input_injector_portal_parent_class)->dispose (object);
}

static void
wavry_input_injector_portal_finalize (GObject *object)
{
  WavryInputInjectorPortal *self = WAVRY_INPUT_INJECTOR_PORTAL (object);

  g_atomic_rc_box_release (self->state);
  g_free (self->restore_token);

  G_OBJECT_CLASS (wavry_input_injector_portal_parent_class)->finalize (object);
}

static void
wavry_input_injector_portal_class_init (WavryInputInjectorPortalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  WavryInputInjectorClass *injector_class = WAVRY_INPUT_INJECTOR_CLASS (klass);

  object_class->dispose = wavry_input_injector_portal_dispose;
  object_class->finalize = wavry_input_injector_portal_finalize;
  injector_class->key = portal_key;
  injector_class->pointer_move = portal_pointer_move;
  injector_class->button = portal_button;
  injector_class->scroll = portal_scroll;
}

static void
wavry_input_injector_portal_init (WavryInputInjectorPortal *self)
{
  self->state = g_atomic_rc_box_new0 (PortalInputState);
  wavry_input_injector_set_description (WAVRY_INPUT_INJECTOR (self),
                                        _("Desktop portal remote control"));
}

WavryInputInjector *
wavry_input_injector_portal_new (GDBusConnection  *bus,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  return wavry_input_injector_portal_new_full (bus, NULL, cancellable, error);
}

WavryInputInjector *
wavry_input_injector_portal_new_full (GDBusConnection  *bus,
                                      const char       *restore_token,
                                      GCancellable     *cancellable,
                                      GError          **error)
{
  g_autoptr(WavryInputInjectorPortal) self = NULL;

  g_return_val_if_fail (bus == NULL || G_IS_DBUS_CONNECTION (bus), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (WAVRY_TYPE_INPUT_INJECTOR_PORTAL, NULL);
  self->restore_token = g_strdup (restore_token);
  if (bus != NULL)
    self->bus = g_object_ref (bus);
  else
    {
      g_autoptr(GError) bus_error = NULL;

      self->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, &bus_error);
      if (self->bus == NULL)
        {
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                       _("No desktop portal: there is no session bus (%s)."), bus_error->message);
          return NULL;
        }
    }
  if (!portal_open (self, cancellable, error))
    return NULL;
  return WAVRY_INPUT_INJECTOR (g_steal_pointer (&self));
}

guint32
wavry_input_injector_portal_get_node_id (WavryInputInjectorPortal *self)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR_PORTAL (self), 0);
  return self->node_id;
}

void
wavry_input_injector_portal_get_size (WavryInputInjectorPortal *self,
                                      guint                    *width,
                                      guint                    *height)
{
  g_return_if_fail (WAVRY_IS_INPUT_INJECTOR_PORTAL (self));
  if (width != NULL)
    *width = self->width;
  if (height != NULL)
    *height = self->height;
}

const char *
wavry_input_injector_portal_get_session_handle (WavryInputInjectorPortal *self)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR_PORTAL (self), NULL);
  return self->session;
}

guint32
wavry_input_injector_portal_get_devices (WavryInputInjectorPortal *self)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR_PORTAL (self), 0);
  return self->devices;
}

const char *
wavry_input_injector_portal_get_restore_token (WavryInputInjectorPortal *self)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR_PORTAL (self), NULL);
  return self->restore_token;
}

gboolean
wavry_input_injector_portal_is_closed (WavryInputInjectorPortal *self)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR_PORTAL (self), FALSE);
  return g_atomic_int_get (&self->state->closed);
}

guint
wavry_input_injector_portal_get_failed (WavryInputInjectorPortal *self)
{
  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR_PORTAL (self), 0);
  return (guint) g_atomic_int_get (&self->state->failed);
}

int
wavry_input_injector_portal_open_pipewire_remote (WavryInputInjectorPortal  *self,
                                                  GError                   **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GError) call_error = NULL;
  GVariantBuilder options;
  gint32 handle;
  int fd;

  g_return_val_if_fail (WAVRY_IS_INPUT_INJECTOR_PORTAL (self), -1);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  reply = g_dbus_connection_call_with_unix_fd_list_sync (self->bus, PORTAL_BUS_NAME,
                                                         PORTAL_OBJECT_PATH, PORTAL_SCREENCAST,
                                                         "OpenPipeWireRemote",
                                                         g_variant_new ("(oa{sv})", self->session,
                                                                        &options),
                                                         G_VARIANT_TYPE ("(h)"),
                                                         G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                                         CALL_TIMEOUT_MS, NULL, &fds, NULL,
                                                         &call_error);
  if (reply == NULL)
    {
      portal_call_error (error, call_error, "OpenPipeWireRemote");
      return -1;
    }
  g_variant_get (reply, "(h)", &handle);
  if (fds == NULL || handle < 0 || handle >= g_unix_fd_list_get_length (fds))
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                           _("The desktop portal gave no PipeWire connection."));
      return -1;
    }
  fd = g_unix_fd_list_get (fds, handle, error);
  return fd;
}
