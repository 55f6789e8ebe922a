/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * WavryInputInjectorPortal against a fake org.freedesktop.portal.Desktop
 * (RemoteDesktop, ScreenCast, Session) on a private session bus: a
 * dbus-daemon started here and stopped by its PID. The fake answers like
 * xdg-desktop-portal (reply, then the Request's Response) and records every
 * call with its arguments, which the tests compare. */
#include "config.h"

#include <glib/gstdio.h>
#include <gio/gunixfdlist.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wavry-input-injector-portal.h"
#include "wavry-media-error.h"

#define KEY_A 30
#define NODE_ID 42
#define WIDTH 1280
#define HEIGHT 720

static char *bus_missing;  /* why the tests skip, or NULL */

/* --------------------------------------------------------------------------
 * The private bus
 * -------------------------------------------------------------------------- */

static void
child_setup (gpointer user_data)
{
  /* Don't outlive a test that aborts. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GPid
bus_start (char   **dir,
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

static void
bus_stop (GPid  pid,
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
  " </interface>"
  " <interface name='org.freedesktop.portal.ScreenCast'>"
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
  " </interface>"
  " <interface name='org.freedesktop.portal.Session'>"
  "  <method name='Close'/>"
  "  <signal name='Closed'>"
  "   <arg type='a{sv}' name='details'/>"
  "  </signal>"
  " </interface>"
  "</node>";

typedef struct
{
  GThread         *thread;
  GMainContext    *context;
  GMainLoop       *loop;
  GDBusConnection *bus;
  GDBusNodeInfo   *info;
  GMutex           lock;
  GCond            cond;
  gboolean         ready;
  guint            owner_id;
  guint            registrations[2];
  GArray          *session_registrations;
  /* Set before start, read by the portal thread. */
  guint32          start_response;   /* 0 allowed, 1 cancelled */
  guint32          devices;          /* Start's "devices"; 0: left out */
  gboolean         no_size;
  /* Written by the portal thread under the lock. */
  char            *session_path;
  GPtrArray       *calls;            /* "Interface.Method (args)" */
} FakePortal;

static void
record (FakePortal *fake,
        const char *interface_name,
        const char *method_name,
        GVariant   *parameters)
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
  FakePortal *fake = user_data;
  g_autofree char *path = g_strdup_printf ("%s", object_path);

  record (fake, interface_name, method_name, g_variant_new_string (path));
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
  FakePortal *fake = user_data;
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
      int pipe_fds[2];

      g_assert_cmpint (pipe (pipe_fds), ==, 0);
      g_assert_cmpint (write (pipe_fds[1], "pw", 2), ==, 2);
      g_assert_cmpint (g_unix_fd_list_append (fds, pipe_fds[0], NULL), ==, 0);
      close (pipe_fds[0]);
      close (pipe_fds[1]);
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
  else if (g_str_equal (method_name, "Start"))
    {
      GVariantBuilder streams, props;

      response = fake->start_response;
      g_variant_builder_init (&props, G_VARIANT_TYPE_VARDICT);
      if (!fake->no_size)
        g_variant_builder_add (&props, "{sv}", "size", g_variant_new ("(ii)", WIDTH, HEIGHT));
      g_variant_builder_add (&props, "{sv}", "source_type", g_variant_new_uint32 (1));
      g_variant_builder_init (&streams, G_VARIANT_TYPE ("a(ua{sv})"));
      g_variant_builder_add (&streams, "(u@a{sv})", NODE_ID, g_variant_builder_end (&props));
      if (fake->devices != 0)
        g_variant_builder_add (&results, "{sv}", "devices", g_variant_new_uint32 (fake->devices));
      g_variant_builder_add (&results, "{sv}", "streams", g_variant_builder_end (&streams));
    }
  record (fake, interface_name, method_name, parameters);
  g_variant_unref (parameters);

  /* The reply first, then the Response, as the real portal does. */
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", request));
  g_dbus_connection_emit_signal (bus, sender, request, "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(ua{sv})", response, &results), NULL);
}

static const GDBusInterfaceVTable fake_portal_vtable = { fake_portal_call, NULL, NULL, { 0 } };

static void
fake_portal_name_acquired (GDBusConnection *bus,
                           const char      *name,
                           gpointer         user_data)
{
  FakePortal *fake = user_data;

  g_mutex_lock (&fake->lock);
  fake->ready = TRUE;
  g_cond_broadcast (&fake->cond);
  g_mutex_unlock (&fake->lock);
}

static gpointer
fake_portal_thread (gpointer data)
{
  FakePortal *fake = data;
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

static FakePortal *
fake_portal_new (guint32 start_response,
                 guint32 devices)
{
  FakePortal *fake = g_new0 (FakePortal, 1);
  g_autoptr(GError) error = NULL;

  g_mutex_init (&fake->lock);
  g_cond_init (&fake->cond);
  fake->start_response = start_response;
  fake->devices = devices;
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

static void
fake_portal_free (FakePortal *fake)
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
static char *
fake_portal_call_at (FakePortal *fake,
                     guint       i)
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

static guint
fake_portal_n_calls (FakePortal *fake)
{
  guint n;

  g_mutex_lock (&fake->lock);
  n = fake->calls->len;
  g_mutex_unlock (&fake->lock);
  return n;
}

static gboolean
emit_closed (gpointer data)
{
  FakePortal *fake = data;
  GVariantBuilder details;

  g_variant_builder_init (&details, G_VARIANT_TYPE_VARDICT);
  g_dbus_connection_emit_signal (fake->bus, NULL, fake->session_path,
                                 "org.freedesktop.portal.Session", "Closed",
                                 g_variant_new ("(a{sv})", &details), NULL);
  return G_SOURCE_REMOVE;
}

/* Lets the replies to sent calls arrive (they hold references). */
static void
drain (void)
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

#define assert_prefix(call, prefix) G_STMT_START {         \
    if (!g_str_has_prefix ((call), (prefix)))                  \
      g_error ("call “%s” does not start with “%s”", (call), (prefix)); \
  } G_STMT_END

#define assert_call(fake, i, expected) G_STMT_START {      \
    g_autofree char *call_ = fake_portal_call_at ((fake), (i)); \
    g_assert_cmpstr (call_, ==, (expected));                 \
  } G_STMT_END

static gboolean
skip_without_bus (void)
{
  if (bus_missing != NULL)
    {
      g_test_skip (bus_missing);
      return TRUE;
    }
  return FALSE;
}

/* A started injector and the expected session path. */
static WavryInputInjector *
start_injector (FakePortal  *fake,
                char       **session)
{
  g_autoptr(GError) error = NULL;
  WavryInputInjector *injector = wavry_input_injector_portal_new (NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (injector);
  g_mutex_lock (&fake->lock);
  *session = g_strdup (fake->session_path);
  g_mutex_unlock (&fake->lock);
  g_assert_cmpstr (wavry_input_injector_portal_get_session_handle (WAVRY_INPUT_INJECTOR_PORTAL (injector)),
                   ==, *session);
  return injector;
}

/* --------------------------------------------------------------------------
 * Tests
 * -------------------------------------------------------------------------- */

static void
test_session (void)
{
  FakePortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autofree char *session = NULL;
  g_autofree char *call = NULL;
  g_autofree char *expected = NULL;
  guint width = 0, height = 0;

  if (skip_without_bus ())
    return;
  fake = fake_portal_new (0, WAVRY_PORTAL_DEVICE_KEYBOARD | WAVRY_PORTAL_DEVICE_POINTER);
  injector = start_injector (fake, &session);

  /* The session's PipeWire stream and its size. */
  g_assert_cmpuint (wavry_input_injector_portal_get_node_id (WAVRY_INPUT_INJECTOR_PORTAL (injector)),
                    ==, NODE_ID);
  wavry_input_injector_portal_get_size (WAVRY_INPUT_INJECTOR_PORTAL (injector), &width, &height);
  g_assert_cmpuint (width, ==, WIDTH);
  g_assert_cmpuint (height, ==, HEIGHT);
  g_assert_cmpuint (wavry_input_injector_portal_get_devices (WAVRY_INPUT_INJECTOR_PORTAL (injector)),
                    ==, 3);

  /* The calls, in order, with a handle_token each and all on one session. */
  g_assert_cmpuint (fake_portal_n_calls (fake), ==, 4);
  call = fake_portal_call_at (fake, 0);
  g_assert_true (g_str_has_prefix (call, "RemoteDesktop.CreateSession ({"));
  g_assert_nonnull (strstr (call, "'handle_token': <'wavry_"));
  g_assert_nonnull (strstr (call, "'session_handle_token': <'wavry_"));
  g_clear_pointer (&call, g_free);

  call = fake_portal_call_at (fake, 1);
  expected = g_strdup_printf ("RemoteDesktop.SelectDevices (objectpath '%s', {", session);
  assert_prefix (call, expected);
  g_assert_nonnull (strstr (call, "'types': <uint32 3>"));
  g_assert_nonnull (strstr (call, "'handle_token': <'wavry_"));
  g_clear_pointer (&call, g_free);
  g_clear_pointer (&expected, g_free);

  /* ScreenCast.SelectSources on the RemoteDesktop session. */
  call = fake_portal_call_at (fake, 2);
  expected = g_strdup_printf ("ScreenCast.SelectSources (objectpath '%s', {", session);
  assert_prefix (call, expected);
  g_assert_nonnull (strstr (call, "'types': <uint32 1>"));
  g_assert_nonnull (strstr (call, "'multiple': <false>"));
  g_clear_pointer (&call, g_free);
  g_clear_pointer (&expected, g_free);

  call = fake_portal_call_at (fake, 3);
  expected = g_strdup_printf ("RemoteDesktop.Start (objectpath '%s', '', {'handle_token': <'wavry_",
                              session);
  assert_prefix (call, expected);
  g_clear_pointer (&call, g_free);
  g_clear_pointer (&expected, g_free);

  /* Freeing it closes the portal session. */
  g_clear_object (&injector);
  expected = g_strdup_printf ("Session.Close '%s'", session);
  assert_call (fake, 4, expected);
  fake_portal_free (fake);
}

static void
test_key (void)
{
  FakePortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *expected = NULL;

  if (skip_without_bus ())
    return;
  fake = fake_portal_new (0, 0);  /* "devices" left out: all granted */
  injector = start_injector (fake, &session);

  g_assert_true (wavry_input_injector_key (injector, KEY_A, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (wavry_input_injector_key (injector, KEY_A, FALSE, &error));
  g_assert_no_error (error);
  /* A button code is no key: refused, nothing sent. */
  g_assert_false (wavry_input_injector_key (injector, WAVRY_INPUT_BTN_LEFT, TRUE, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);

  expected = g_strdup_printf ("RemoteDesktop.NotifyKeyboardKeycode (objectpath '%s', @a{sv} {}, 30, uint32 1)",
                              session);
  assert_call (fake, 4, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("RemoteDesktop.NotifyKeyboardKeycode (objectpath '%s', @a{sv} {}, 30, uint32 0)",
                              session);
  assert_call (fake, 5, expected);
  drain ();
  g_assert_cmpuint (fake_portal_n_calls (fake), ==, 6);
  g_assert_cmpuint (wavry_input_injector_portal_get_failed (WAVRY_INPUT_INJECTOR_PORTAL (injector)), ==, 0);

  g_clear_object (&injector);
  fake_portal_free (fake);
}

static void
test_click (void)
{
  FakePortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *expected = NULL;

  if (skip_without_bus ())
    return;
  fake = fake_portal_new (0, 3);
  injector = start_injector (fake, &session);

  /* (0.5, 0.5) on 1280×720: x × (1280 − 1), y × (720 − 1). */
  g_assert_true (wavry_input_injector_pointer_move (injector, 0.5, 0.5, &error));
  g_assert_true (wavry_input_injector_button (injector, WAVRY_INPUT_BTN_LEFT, TRUE, &error));
  g_assert_true (wavry_input_injector_button (injector, WAVRY_INPUT_BTN_LEFT, FALSE, &error));
  g_assert_true (wavry_input_injector_pointer_move (injector, 1.0, 0.0, &error));
  g_assert_no_error (error);
  g_assert_false (wavry_input_injector_pointer_move (injector, 1.5, 0.0, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);

  expected = g_strdup_printf ("RemoteDesktop.NotifyPointerMotionAbsolute (objectpath '%s', @a{sv} {}, uint32 42, 639.5, 359.5)",
                              session);
  assert_call (fake, 4, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("RemoteDesktop.NotifyPointerButton (objectpath '%s', @a{sv} {}, 272, uint32 1)",
                              session);
  assert_call (fake, 5, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("RemoteDesktop.NotifyPointerButton (objectpath '%s', @a{sv} {}, 272, uint32 0)",
                              session);
  assert_call (fake, 6, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("RemoteDesktop.NotifyPointerMotionAbsolute (objectpath '%s', @a{sv} {}, uint32 42, 1279.0, 0.0)",
                              session);
  assert_call (fake, 7, expected);
  drain ();
  g_assert_cmpuint (fake_portal_n_calls (fake), ==, 8);

  g_clear_object (&injector);
  fake_portal_free (fake);
}

static void
test_scroll (void)
{
  FakePortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *expected = NULL;

  if (skip_without_bus ())
    return;
  fake = fake_portal_new (0, 3);
  injector = start_injector (fake, &session);

  g_assert_true (wavry_input_injector_scroll (injector, 0, 1, &error));     /* one down */
  g_assert_true (wavry_input_injector_scroll (injector, -2, 0, &error));    /* two left */
  g_assert_true (wavry_input_injector_scroll (injector, 0, -0.5, &error));  /* half up: kept */
  g_assert_true (wavry_input_injector_scroll (injector, 0, -0.75, &error)); /* 1.25 up: one */
  g_assert_no_error (error);
  g_assert_false (wavry_input_injector_scroll (injector, 0, 1000, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);

  expected = g_strdup_printf ("RemoteDesktop.NotifyPointerAxisDiscrete (objectpath '%s', @a{sv} {}, uint32 0, 1)",
                              session);
  assert_call (fake, 4, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("RemoteDesktop.NotifyPointerAxisDiscrete (objectpath '%s', @a{sv} {}, uint32 1, -2)",
                              session);
  assert_call (fake, 5, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("RemoteDesktop.NotifyPointerAxisDiscrete (objectpath '%s', @a{sv} {}, uint32 0, -1)",
                              session);
  assert_call (fake, 6, expected);
  drain ();
  g_assert_cmpuint (fake_portal_n_calls (fake), ==, 7);

  g_clear_object (&injector);
  fake_portal_free (fake);
}

static void
test_cancelled (void)
{
  FakePortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_bus ())
    return;
  fake = fake_portal_new (1, 3);
  injector = wavry_input_injector_portal_new (NULL, NULL, &error);
  g_assert_null (injector);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "The user did not allow remote control.");
  /* The session it had made is closed. */
  {
    g_autofree char *call = fake_portal_call_at (fake, 4);

    g_assert_true (g_str_has_prefix (call, "Session.Close '/org/freedesktop/portal/desktop/session/"));
  }
  fake_portal_free (fake);
}

static void
test_no_portal (void)
{
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_bus ())
    return;
  injector = wavry_input_injector_portal_new (NULL, NULL, &error);
  g_assert_null (injector);
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "No desktop portal"));
  g_clear_error (&error);

  /* The same through the factory. */
  g_assert_null (wavry_input_injector_new_for_backend (WAVRY_INPUT_BACKEND_PORTAL, NULL, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
}

static void
test_closed (void)
{
  FakePortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  gint64 deadline;

  if (skip_without_bus ())
    return;
  fake = fake_portal_new (0, 3);
  injector = start_injector (fake, &session);
  g_assert_true (wavry_input_injector_key (injector, KEY_A, TRUE, &error));

  g_main_context_invoke (fake->context, emit_closed, fake);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (wavry_input_injector_key (injector, KEY_A, FALSE, NULL) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (wavry_input_injector_key (injector, KEY_A, FALSE, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "closed"));
  drain ();

  g_clear_object (&injector);
  fake_portal_free (fake);
}

static void
test_keyboard_only (void)
{
  FakePortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *expected = NULL;

  if (skip_without_bus ())
    return;
  fake = fake_portal_new (0, WAVRY_PORTAL_DEVICE_KEYBOARD);
  injector = start_injector (fake, &session);
  g_assert_false (wavry_input_injector_pointer_move (injector, 0.5, 0.5, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (wavry_input_injector_button (injector, WAVRY_INPUT_BTN_LEFT, TRUE, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_true (wavry_input_injector_key (injector, KEY_A, TRUE, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("RemoteDesktop.NotifyKeyboardKeycode (objectpath '%s', @a{sv} {}, 30, uint32 1)",
                              session);
  assert_call (fake, 4, expected);
  drain ();
  g_assert_cmpuint (fake_portal_n_calls (fake), ==, 5);

  g_clear_object (&injector);
  fake_portal_free (fake);
}

static void
test_no_size (void)
{
  FakePortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;

  if (skip_without_bus ())
    return;
  fake = fake_portal_new (0, 3);
  fake->no_size = TRUE;
  injector = start_injector (fake, &session);
  g_assert_false (wavry_input_injector_pointer_move (injector, 0.5, 0.5, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "size"));

  g_clear_object (&injector);
  fake_portal_free (fake);
}

static void
test_pipewire_remote (void)
{
  FakePortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *expected = NULL;
  char buf[2];
  int fd;

  if (skip_without_bus ())
    return;
  fake = fake_portal_new (0, 3);
  injector = start_injector (fake, &session);
  fd = wavry_input_injector_portal_open_pipewire_remote (WAVRY_INPUT_INJECTOR_PORTAL (injector), &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (read (fd, buf, 2), ==, 2);
  g_assert_cmpmem (buf, 2, "pw", 2);
  close (fd);
  expected = g_strdup_printf ("ScreenCast.OpenPipeWireRemote (objectpath '%s', @a{sv} {})", session);
  assert_call (fake, 4, expected);

  g_clear_object (&injector);
  fake_portal_free (fake);
}

static GVariant *
parse_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *v = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  return g_variant_ref_sink (v);
}

static void
test_parse (void)
{
  struct { const char *text; gboolean ok; guint32 devices, node; guint w, h; } cases[] = {
    { "{'devices': <uint32 3>, 'streams': <[(uint32 7, {'size': <(1920, 1080)>})]>}", TRUE, 3, 7, 1920, 1080 },
    { "{'streams': <[(uint32 7, @a{sv} {}), (uint32 8, {'size': <(1, 1)>})]>}", TRUE, 0, 7, 0, 0 },
    { "{'streams': <[(uint32 7, {'size': <(-5, 10)>})]>}", TRUE, 0, 7, 0, 0 },
    { "{'streams': <[(uint32 7, {'size': <(uint32 5, uint32 10)>})]>}", TRUE, 0, 7, 0, 0 },
    { "{'devices': <uint32 1>}", FALSE, 0, 0, 0, 0 },
    { "{'streams': <@a(ua{sv}) []>}", FALSE, 0, 0, 0, 0 },
    { "{'streams': <'HDMI-1'>}", FALSE, 0, 0, 0, 0 },
    { "{'devices': <'all'>, 'streams': <[(uint32 7, @a{sv} {})]>}", FALSE, 0, 0, 0, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariant) v = parse_text (cases[i].text);
      g_autoptr(GError) error = NULL;
      guint32 devices = 99, node = 99;
      guint w = 99, h = 99;
      gboolean ok = wavry_input_portal_parse_start_results (v, &devices, &node, &w, &h, &error);

      g_test_message ("case %zu: %s", i, cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (devices, ==, cases[i].devices);
          g_assert_cmpuint (node, ==, cases[i].node);
          g_assert_cmpuint (w, ==, cases[i].w);
          g_assert_cmpuint (h, ==, cases[i].h);
        }
      else
        g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
    }
}

static void
test_backend_parse (void)
{
  WavryInputBackend backend = WAVRY_INPUT_BACKEND_AUTO;
  g_autoptr(GError) error = NULL;

  g_assert_true (wavry_input_backend_parse ("portal", &backend, &error));
  g_assert_no_error (error);
  g_assert_cmpint (backend, ==, WAVRY_INPUT_BACKEND_PORTAL);
  g_assert_false (wavry_input_backend_parse ("portals", &backend, &error));
  g_assert_nonnull (strstr (error->message, "portal,"));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bus_dir = NULL;
  GPid bus_pid;
  int ret;

  /* Always a private session bus: the fake portal must not meet a real one. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_unsetenv ("DBUS_SYSTEM_BUS_ADDRESS");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/input-injector-portal/parse", test_parse);
  g_test_add_func ("/input-injector-portal/backend-parse", test_backend_parse);
  g_test_add_func ("/input-injector-portal/session", test_session);
  g_test_add_func ("/input-injector-portal/key", test_key);
  g_test_add_func ("/input-injector-portal/click", test_click);
  g_test_add_func ("/input-injector-portal/scroll", test_scroll);
  g_test_add_func ("/input-injector-portal/cancelled", test_cancelled);
  g_test_add_func ("/input-injector-portal/no-portal", test_no_portal);
  g_test_add_func ("/input-injector-portal/closed", test_closed);
  g_test_add_func ("/input-injector-portal/keyboard-only", test_keyboard_only);
  g_test_add_func ("/input-injector-portal/no-size", test_no_size);
  g_test_add_func ("/input-injector-portal/pipewire-remote", test_pipewire_remote);

  bus_pid = bus_start (&bus_dir, &error);
  if (bus_pid == 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_error ("cannot start a private session bus: %s", error->message);
      bus_missing = g_strdup_printf ("needs a private session bus: %s", error->message);
    }

  ret = g_test_run ();
  bus_stop (bus_pid, bus_dir);
  g_free (bus_missing);
  return ret;
}
