/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wavry-test-portal.h"

/* --------------------------------------------------------------------------
 * The private bus
 * -------------------------------------------------------------------------- */

static void
child_setup (gpointer user_data)
{
  /* Don't outlive a test that aborts. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

GPid
wavry_test_portal_bus_start (char   **dir,
                             GError **error)
{
  g_autofree char *socket = NULL;
  g_autofree char *address = NULL;
  g_autofree char *address_arg = NULL;
  g_autofree char *program = g_find_program_in_path ("dbus-daemon");
  GPid pid = 0;

  if (program == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "dbus-daemon is not installed");
      return 0;
    }
  *dir = g_dir_make_tmp ("wavry-test-portal-XXXXXX", error);
  if (*dir == NULL)
    return 0;
  socket = g_build_filename (*dir, "bus", NULL);
  address = g_strdup_printf ("unix:path=%s", socket);
  address_arg = g_strdup_printf ("--address=%s", address);
  {
    const char *argv[] = { program, "--session", "--nofork", "--nopidfile", address_arg, NULL };

    if (!g_spawn_async (NULL, (char **) argv, NULL,
                        G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                        child_setup, NULL, &pid, error))
      return 0;
  }
  for (guint i = 0; i < 200 && !g_file_test (socket, G_FILE_TEST_EXISTS); i++)
    g_usleep (25 * 1000);
  if (!g_file_test (socket, G_FILE_TEST_EXISTS))
    {
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "dbus-daemon did not create %s", socket);
      return 0;
    }
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  return pid;
}

GPid
wavry_test_portal_bus_start_or_missing (char **dir,
                                        char **missing)
{
  g_autoptr(GError) error = NULL;
  GPid pid = wavry_test_portal_bus_start (dir, &error);

  *missing = NULL;
  if (pid == 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_error ("cannot start a private session bus: %s", error->message);
      *missing = g_strdup_printf ("needs a private session bus: %s", error->message);
    }
  return pid;
}

void
wavry_test_portal_bus_stop (GPid  pid,
                            char *dir)
{
  if (pid > 0)
    {
      kill (pid, SIGTERM);
      waitpid (pid, NULL, 0);
      g_spawn_close_pid (pid);
    }
  if (dir != NULL)
    {
      g_autofree char *socket = g_build_filename (dir, "bus", NULL);

      g_unlink (socket);
      g_rmdir (dir);
    }
}

static GDBusConnection *
bus_connect (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus =
    g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);

  g_assert_no_error (error);
  return bus;
}

/* --------------------------------------------------------------------------
 * The fake portal
 * -------------------------------------------------------------------------- */

static const char fake_portal_xml[] =
  "<node>"
  " <interface name='org.freedesktop.portal.RemoteDesktop'>"
  "  <method name='CreateSession'>"
  "   <arg type='a{sv}' name='options' direction='in'/>"
  "   <arg type='o' name='handle' direction='out'/>"
  "  </method>"
  "  <method name='SelectDevices'>"
  "   <arg type='o' name='session_handle' direction='in'/>"
  "   <arg type='a{sv}' name='options' direction='in'/>"
  "   <arg type='o' name='handle' direction='out'/>"
  "  </method>"
  "  <method name='Start'>"
  "   <arg type='o' name='session_handle' direction='in'/>"
  "   <arg type='s' name='parent_window' direction='in'/>"
  "   <arg type='a{sv}' name='options' direction='in'/>"
  "   <arg type='o' name='handle' direction='out'/>"
  "  </method>"
  "  <method name='NotifyKeyboardKeycode'>"
  "   <arg type='o' name='session_handle' direction='in'/>"
  "   <arg type='a{sv}' name='options' direction='in'/>"
  "   <arg type='i' name='keycode' direction='in'/>"
  "   <arg type='u' name='state' direction='in'/>"
  "  </method>"
  "  <method name='NotifyPointerMotionAbsolute'>"
  "   <arg type='o' name='session_handle' direction='in'/>"
  "   <arg type='a{sv}' name='options' direction='in'/>"
  "   <arg type='u' name='stream' direction='in'/>"
  "   <arg type='d' name='x' direction='in'/>"
  "   <arg type='d' name='y' direction='in'/>"
  "  </method>"
  "  <method name='NotifyPointerButton'>"
  "   <arg type='o' name='session_handle' direction='in'/>"
  "   <arg type='a{sv}' name='options' direction='in'/>"
  "   <arg type='i' name='button' direction='in'/>"
  "   <arg type='u' name='state' direction='in'/>"
  "  </method>"
  "  <method name='NotifyPointerAxisDiscrete'>"
  "   <arg type='o' name='session_handle' direction='in'/>"
  "   <arg type='a{sv}' name='options' direction='in'/>"
  "   <arg type='u' name='axis' direction='in'/>"
  "   <arg type='i' name='steps' direction='in'/>"
  "  </method>"
  "  <property name='AvailableDeviceTypes' type='u' access='read'/>"
  "  <property name='version' type='u' access='read'/>"
  " </interface>"
  " <interface name='org.freedesktop.portal.ScreenCast'>"
  "  <method name='CreateSession'>"
  "   <arg type='a{sv}' name='options' direction='in'/>"
  "   <arg type='o' name='handle' direction='out'/>"
  "  </method>"
  "  <method name='Start'>"
  "   <arg type='o' name='session_handle' direction='in'/>"
  "   <arg type='s' name='parent_window' direction='in'/>"
  "   <arg type='a{sv}' name='options' direction='in'/>"
  "   <arg type='o' name='handle' direction='out'/>"
  "  </method>"
  "  <method name='SelectSources'>"
  "   <arg type='o' name='session_handle' direction='in'/>"
  "   <arg type='a{sv}' name='options' direction='in'/>"
  "   <arg type='o' name='handle' direction='out'/>"
  "  </method>"
  "  <method name='OpenPipeWireRemote'>"
  "   <arg type='o' name='session_handle' direction='in'/>"
  "   <arg type='a{sv}' name='options' direction='in'/>"
  "   <arg type='h' name='fd' direction='out'/>"
  "  </method>"
  "  <property name='AvailableCursorModes' type='u' access='read'/>"
  "  <property name='AvailableSourceTypes' type='u' access='read'/>"
  "  <property name='version' type='u' access='read'/>"
  " </interface>"
  " <interface name='org.freedesktop.portal.Session'>"
  "  <method name='Close'/>"
  "  <signal name='Closed'>"
  "   <arg type='a{sv}' name='details'/>"
  "  </signal>"
  " </interface>"
  "</node>";


static void
record (WavryTestPortal *fake,
        const char      *interface_name,
        const char      *method_name,
        GVariant        *parameters)
{
  g_autofree char *args = g_variant_print (parameters, TRUE);
  const char *iface = strrchr (interface_name, '.') + 1;

  g_mutex_lock (&fake->lock);
  g_ptr_array_add (fake->calls, g_strdup_printf ("%s.%s %s", iface, method_name, args));
  g_cond_broadcast (&fake->cond);
  g_mutex_unlock (&fake->lock);
}

static void
fake_session_call (GDBusConnection       *bus,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  WavryTestPortal *fake = user_data;
  g_autoptr(GVariant) path = g_variant_ref_sink (g_variant_new_string (object_path));

  record (fake, interface_name, method_name, path);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable fake_session_vtable = { fake_session_call, NULL, NULL, { 0 } };

static void
fake_portal_call (GDBusConnection       *bus,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  WavryTestPortal *fake = user_data;
  g_autofree char *sender_part = g_strdup (sender + 1);
  g_autoptr(GVariant) options = NULL;
  const char *token = "t";
  g_autofree char *request = NULL;
  GVariantBuilder results;
  guint32 response = 0;

  g_variant_ref_sink (parameters);
  if (g_str_has_prefix (method_name, "Notify"))
    {
      record (fake, interface_name, method_name, parameters);
      g_dbus_method_invocation_return_value (invocation, NULL);
      g_variant_unref (parameters);
      return;
    }
  if (g_str_equal (method_name, "OpenPipeWireRemote"))
    {
      g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
      g_autofree char *path = NULL;

      if (g_getenv ("PIPEWIRE_RUNTIME_DIR") != NULL)
        path = g_build_filename (g_getenv ("PIPEWIRE_RUNTIME_DIR"), "pipewire-0", NULL);
      if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
        {
          /* What the real portal hands out: a connection to the daemon. */
          g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);
          g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                                                    G_SOCKET_PROTOCOL_DEFAULT, NULL);

          g_assert_nonnull (socket);
          g_assert_true (g_socket_connect (socket, address, NULL, NULL));
          g_assert_cmpint (g_unix_fd_list_append (fds, g_socket_get_fd (socket), NULL), ==, 0);
        }
      else
        {
          int pipe_fds[2];

          g_assert_cmpint (pipe (pipe_fds), ==, 0);
          g_assert_cmpint (write (pipe_fds[1], "pw", 2), ==, 2);
          g_assert_cmpint (g_unix_fd_list_append (fds, pipe_fds[0], NULL), ==, 0);
          close (pipe_fds[0]);
          close (pipe_fds[1]);
        }
      record (fake, interface_name, method_name, parameters);
      g_dbus_method_invocation_return_value_with_unix_fd_list (invocation, g_variant_new ("(h)", 0), fds);
      g_variant_unref (parameters);
      return;
    }

  g_strdelimit (sender_part, ".", '_');
  options = g_variant_get_child_value (parameters, g_variant_n_children (parameters) - 1);
  g_variant_lookup (options, "handle_token", "&s", &token);
  request = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender_part, token);
  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);

  if (g_str_equal (method_name, "CreateSession"))
    {
      const char *session_token = "s";
      char *session_path;
      guint id;

      g_variant_lookup (options, "session_handle_token", "&s", &session_token);
      session_path = g_strdup_printf ("/org/freedesktop/portal/desktop/session/%s/%s",
                                      sender_part, session_token);
      id = g_dbus_connection_register_object (bus, session_path, fake->info->interfaces[2],
                                              &fake_session_vtable, fake, NULL, NULL);
      g_array_append_val (fake->session_registrations, id);
      g_variant_builder_add (&results, "{sv}", "session_handle", g_variant_new_string (session_path));
      g_mutex_lock (&fake->lock);
      g_free (fake->session_path);
      fake->session_path = session_path;
      g_mutex_unlock (&fake->lock);
    }
  else if (g_str_equal (method_name, "SelectDevices"))
    {
      guint32 persist_mode = 0;

      g_variant_lookup (options, "persist_mode", "u", &persist_mode);
      g_mutex_lock (&fake->lock);
      fake->persist_mode = persist_mode;
      g_mutex_unlock (&fake->lock);
    }
  else if (g_str_equal (method_name, "Start"))
    {
      GVariantBuilder streams, props;
      guint32 node_id;
      g_autofree char *restore = NULL;

      response = fake->start_response;
      g_variant_builder_init (&props, G_VARIANT_TYPE_VARDICT);
      if (!fake->no_size)
        g_variant_builder_add (&props, "{sv}", "size", g_variant_new ("(ii)", WAVRY_TEST_PORTAL_WIDTH, WAVRY_TEST_PORTAL_HEIGHT));
      g_variant_builder_add (&props, "{sv}", "source_type", g_variant_new_uint32 (1));
      g_variant_builder_init (&streams, G_VARIANT_TYPE ("a(ua{sv})"));
      g_mutex_lock (&fake->lock);
      node_id = fake->node_id;
      g_mutex_unlock (&fake->lock);
      g_variant_builder_add (&streams, "(u@a{sv})", node_id, g_variant_builder_end (&props));
      /* A desktop that remembers the answer gives a token for next time. */
      g_mutex_lock (&fake->lock);
      if (g_str_has_suffix (interface_name, ".RemoteDesktop") && fake->persist_mode == 2 &&
          fake->remote_desktop_version >= 2)
        restore = g_strdup_printf ("wavry-test-restore-%u", ++fake->n_tokens);
      g_mutex_unlock (&fake->lock);
      if (restore != NULL)
        g_variant_builder_add (&results, "{sv}", "restore_token", g_variant_new_string (restore));
      if (fake->devices != 0 && g_str_has_suffix (interface_name, ".RemoteDesktop"))
        g_variant_builder_add (&results, "{sv}", "devices", g_variant_new_uint32 (fake->devices));
      g_variant_builder_add (&results, "{sv}", "streams", g_variant_builder_end (&streams));
    }
  record (fake, interface_name, method_name, parameters);
  g_variant_unref (parameters);

  /* The reply first, then the Response, as the real portal does. */
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", request));
  if (response == WAVRY_TEST_PORTAL_NO_RESPONSE)
    {
      /* The dialog stays open. */
      g_variant_builder_clear (&results);
      return;
    }
  g_dbus_connection_emit_signal (bus, sender, request, "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(ua{sv})", response, &results), NULL);
}

static GVariant *
fake_portal_get_property (GDBusConnection *bus,
                          const char      *sender,
                          const char      *object_path,
                          const char      *interface_name,
                          const char      *property_name,
                          GError         **error,
                          gpointer         user_data)
{
  WavryTestPortal *fake = user_data;

  if (g_str_equal (interface_name, "org.freedesktop.portal.RemoteDesktop"))
    {
      if (g_str_equal (property_name, "version"))
        {
          guint32 version;

          g_mutex_lock (&fake->lock);
          version = fake->remote_desktop_version;
          g_mutex_unlock (&fake->lock);
          return g_variant_new_uint32 (version);
        }
      return g_variant_new_uint32 (1 | 2);  /* keyboard, pointer */
    }
  if (g_str_equal (property_name, "AvailableCursorModes"))
    return g_variant_new_uint32 (1 | 2 | 4);  /* hidden, embedded, metadata */
  if (g_str_equal (property_name, "AvailableSourceTypes"))
    return g_variant_new_uint32 (1 | 2);      /* monitor, window */
  return g_variant_new_uint32 (4);
}

static const GDBusInterfaceVTable fake_portal_vtable = {
  fake_portal_call, fake_portal_get_property, NULL, { 0 }
};

static void
fake_portal_name_acquired (GDBusConnection *bus,
                           const char      *name,
                           gpointer         user_data)
{
  WavryTestPortal *fake = user_data;

  g_mutex_lock (&fake->lock);
  fake->ready = TRUE;
  g_cond_broadcast (&fake->cond);
  g_mutex_unlock (&fake->lock);
}

static gpointer
fake_portal_thread (gpointer data)
{
  WavryTestPortal *fake = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (fake->context);
  fake->bus = bus_connect ();
  for (guint i = 0; i < 2; i++)
    {
      fake->registrations[i] =
        g_dbus_connection_register_object (fake->bus, "/org/freedesktop/portal/desktop",
                                           fake->info->interfaces[i], &fake_portal_vtable,
                                           fake, NULL, &error);
      g_assert_no_error (error);
    }
  fake->owner_id = g_bus_own_name_on_connection (fake->bus, "org.freedesktop.portal.Desktop",
                                                 G_BUS_NAME_OWNER_FLAGS_NONE,
                                                 fake_portal_name_acquired, NULL, fake, NULL);
  g_main_loop_run (fake->loop);

  g_bus_unown_name (fake->owner_id);
  for (guint i = 0; i < fake->session_registrations->len; i++)
    g_dbus_connection_unregister_object (fake->bus, g_array_index (fake->session_registrations, guint, i));
  for (guint i = 0; i < 2; i++)
    g_dbus_connection_unregister_object (fake->bus, fake->registrations[i]);
  g_dbus_connection_close_sync (fake->bus, NULL, NULL);
  g_clear_object (&fake->bus);
  while (g_main_context_iteration (fake->context, FALSE))
    ;
  g_main_context_pop_thread_default (fake->context);
  return NULL;
}

WavryTestPortal *
wavry_test_portal_new (guint32  start_response,
                       guint32  devices,
                       gboolean with_size)
{
  WavryTestPortal *fake = g_new0 (WavryTestPortal, 1);
  g_autoptr(GError) error = NULL;

  g_mutex_init (&fake->lock);
  g_cond_init (&fake->cond);
  fake->start_response = start_response;
  fake->devices = devices;
  fake->no_size = !with_size;
  fake->node_id = WAVRY_TEST_PORTAL_NODE_ID;
  fake->remote_desktop_version = 2;
  fake->calls = g_ptr_array_new_with_free_func (g_free);
  fake->session_registrations = g_array_new (FALSE, FALSE, sizeof (guint));
  fake->info = g_dbus_node_info_new_for_xml (fake_portal_xml, &error);
  g_assert_no_error (error);
  fake->context = g_main_context_new ();
  fake->loop = g_main_loop_new (fake->context, FALSE);
  fake->thread = g_thread_new ("fake-portal", fake_portal_thread, fake);

  g_mutex_lock (&fake->lock);
  while (!fake->ready)
    g_cond_wait (&fake->cond, &fake->lock);
  g_mutex_unlock (&fake->lock);
  return fake;
}

void
wavry_test_portal_free (WavryTestPortal *fake)
{
  g_main_loop_quit (fake->loop);
  g_thread_join (fake->thread);
  g_main_loop_unref (fake->loop);
  g_main_context_unref (fake->context);
  g_dbus_node_info_unref (fake->info);
  g_array_unref (fake->session_registrations);
  g_ptr_array_unref (fake->calls);
  g_free (fake->session_path);
  g_mutex_clear (&fake->lock);
  g_cond_clear (&fake->cond);
  g_free (fake);
}

/* Waits until @n calls are recorded; returns call @i (a copy). */
char *
wavry_test_portal_call_at (WavryTestPortal *fake,
                           guint            i)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  char *call = NULL;

  g_mutex_lock (&fake->lock);
  while (fake->calls->len <= i && g_cond_wait_until (&fake->cond, &fake->lock, deadline))
    ;
  if (fake->calls->len > i)
    call = g_strdup (g_ptr_array_index (fake->calls, i));
  g_mutex_unlock (&fake->lock);
  if (call == NULL)
    g_error ("the fake portal got no call #%u within 5 s", i);
  return call;
}

void
wavry_test_portal_set_node_id (WavryTestPortal *fake,
                               guint32          node_id)
{
  g_mutex_lock (&fake->lock);
  fake->node_id = node_id;
  g_mutex_unlock (&fake->lock);
}

guint
wavry_test_portal_count_calls (WavryTestPortal *fake,
                               const char      *prefix)
{
  guint n = 0;

  g_mutex_lock (&fake->lock);
  for (guint i = 0; i < fake->calls->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (fake->calls, i), prefix);
  g_mutex_unlock (&fake->lock);
  return n;
}

char *
wavry_test_portal_find_call (WavryTestPortal *fake,
                             const char      *prefix)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  char *call = NULL;

  g_mutex_lock (&fake->lock);
  for (guint seen = 0; call == NULL;)
    {
      for (; seen < fake->calls->len && call == NULL; seen++)
        if (g_str_has_prefix (g_ptr_array_index (fake->calls, seen), prefix))
          call = g_strdup (g_ptr_array_index (fake->calls, seen));
      if (call == NULL && !g_cond_wait_until (&fake->cond, &fake->lock, deadline))
        break;
    }
  g_mutex_unlock (&fake->lock);
  return call;
}

guint
wavry_test_portal_n_calls (WavryTestPortal *fake)
{
  guint n;

  g_mutex_lock (&fake->lock);
  n = fake->calls->len;
  g_mutex_unlock (&fake->lock);
  return n;
}

static gboolean
emit_closed_cb (gpointer data)
{
  WavryTestPortal *fake = data;
  GVariantBuilder details;

  g_variant_builder_init (&details, G_VARIANT_TYPE_VARDICT);
  g_dbus_connection_emit_signal (fake->bus, NULL, fake->session_path,
                                 "org.freedesktop.portal.Session", "Closed",
                                 g_variant_new ("(a{sv})", &details), NULL);
  return G_SOURCE_REMOVE;
}

/* Lets the replies to sent calls arrive (they hold references). */
void
wavry_test_portal_drain (void)
{
  gint64 end = g_get_monotonic_time () + 100 * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GSource) tick = g_timeout_source_new (10);
      g_source_set_dummy_callback (tick);
      g_source_attach (tick, NULL);
      g_main_context_iteration (NULL, TRUE);
      g_source_destroy (tick);
    }
}

void
wavry_test_portal_emit_closed (WavryTestPortal *fake)
{
  g_main_context_invoke (fake->context, emit_closed_cb, fake);
}
