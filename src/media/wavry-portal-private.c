/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-portal-private.h"

typedef struct
{
  gboolean  done;
  guint32   response;
  GVariant *results;
} PortalResponse;

static void
on_response (GDBusConnection *bus,
             const char      *sender_name,
             const char      *object_path,
             const char      *interface_name,
             const char      *signal_name,
             GVariant        *parameters,
             gpointer         user_data)
{
  PortalResponse *response = user_data;

  if (response->done || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;
  g_variant_get (parameters, "(u@a{sv})", &response->response, &response->results);
  response->done = TRUE;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  g_main_context_wakeup (user_data);
}

WavryPortalOutcome
wavry_portal_request (GDBusConnection  *bus,
                      guint            *counter,
                      const char       *iface,
                      const char       *method,
                      const char       *session,
                      GVariantBuilder  *options,
                      int               call_timeout_ms,
                      GCancellable     *cancellable,
                      GVariant        **results,
                      GError          **call_error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autofree char *sender = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GVariant) reply = NULL;
  PortalResponse response = { 0 };
  GVariant *args;
  guint subscription;
  gulong cancel_id = 0;
  gint64 deadline = g_get_monotonic_time () + WAVRY_PORTAL_TIMEOUT_US;

  *results = NULL;
  sender = g_strdup (g_dbus_connection_get_unique_name (bus) + 1);
  g_strdelimit (sender, ".", '_');
  token = g_strdup_printf ("wavry_%u_%u", g_random_int (), ++*counter);
  path = g_strdup_printf (WAVRY_PORTAL_OBJECT_PATH "/request/%s/%s", sender, token);
  g_variant_builder_add (options, "{sv}", "handle_token", g_variant_new_string (token));

  if (g_str_equal (method, "CreateSession"))
    args = g_variant_new ("(a{sv})", options);
  else if (g_str_equal (method, "Start"))
    args = g_variant_new ("(osa{sv})", session, "", options);
  else
    args = g_variant_new ("(oa{sv})", session, options);

  /* Subscribe before calling: the Response may come right after the reply. */
  g_main_context_push_thread_default (context);
  subscription = g_dbus_connection_signal_subscribe (bus, WAVRY_PORTAL_BUS_NAME,
                                                     "org.freedesktop.portal.Request", "Response",
                                                     path, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                     on_response, &response, NULL);
  reply = g_dbus_connection_call_sync (bus, WAVRY_PORTAL_BUS_NAME, WAVRY_PORTAL_OBJECT_PATH,
                                       iface, method, args, G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, call_timeout_ms, cancellable,
                                       call_error);
  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                       g_main_context_ref (context),
                                       (GDestroyNotify) g_main_context_unref);
  while (reply != NULL && !response.done && g_get_monotonic_time () < deadline &&
         !g_cancellable_is_cancelled (cancellable))
    {
      /* Wake up now and then to honour the deadline. */
      g_autoptr(GSource) tick = g_timeout_source_new (250);

      g_source_set_dummy_callback (tick);
      g_source_attach (tick, context);
      g_main_context_iteration (context, TRUE);
      g_source_destroy (tick);
    }
  g_cancellable_disconnect (cancellable, cancel_id);
  g_dbus_connection_signal_unsubscribe (bus, subscription);
  g_main_context_pop_thread_default (context);

  if (reply == NULL)
    return WAVRY_PORTAL_CALL_FAILED;
  if (!response.done)
    {
      /* Withdraw the dialog. */
      g_dbus_connection_call (bus, WAVRY_PORTAL_BUS_NAME, path, "org.freedesktop.portal.Request",
                              "Close", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
      return g_cancellable_is_cancelled (cancellable) ? WAVRY_PORTAL_CANCELLED
                                                      : WAVRY_PORTAL_NO_ANSWER;
    }
  if (response.response != 0)
    {
      g_clear_pointer (&response.results, g_variant_unref);
      return response.response == 1 ? WAVRY_PORTAL_DENIED : WAVRY_PORTAL_REFUSED;
    }
  *results = response.results;
  return WAVRY_PORTAL_ANSWERED;
}

guint32
wavry_portal_get_uint_property (GDBusConnection *bus,
                                const char      *iface,
                                const char      *name,
                                guint32          fallback)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = g_dbus_connection_call_sync (bus, WAVRY_PORTAL_BUS_NAME, WAVRY_PORTAL_OBJECT_PATH,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", iface, name),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                                       NULL, NULL);
  if (reply == NULL)
    return fallback;
  g_variant_get (reply, "(v)", &value);
  return g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32) ? g_variant_get_uint32 (value)
                                                             : fallback;
}
