/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * WavryInputInjectorPortal against a fake org.freedesktop.portal.Desktop
 * (RemoteDesktop, ScreenCast, Session) on a private session bus: a
 * dbus-daemon started here and stopped by its PID. The fake answers like
 * xdg-desktop-portal (reply, then the Request's Response) and records every
 * call with its arguments, which the tests compare. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "wavry-input-injector-portal.h"
#include "wavry-media-error.h"
#include "wavry-test-portal.h"

#define KEY_A 30
#define NODE_ID WAVRY_TEST_PORTAL_NODE_ID
#define WIDTH WAVRY_TEST_PORTAL_WIDTH
#define HEIGHT WAVRY_TEST_PORTAL_HEIGHT

static char *bus_missing;  /* why the tests skip, or NULL */

#define assert_prefix(call, prefix) G_STMT_START {         \
    if (!g_str_has_prefix ((call), (prefix)))                  \
      g_error ("call “%s” does not start with “%s”", (call), (prefix)); \
  } G_STMT_END

#define assert_call(fake, i, expected) G_STMT_START {      \
    g_autofree char *call_ = wavry_test_portal_call_at ((fake), (i)); \
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
start_injector (WavryTestPortal  *fake,
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
  WavryTestPortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autofree char *session = NULL;
  g_autofree char *call = NULL;
  g_autofree char *expected = NULL;
  guint width = 0, height = 0;

  if (skip_without_bus ())
    return;
  fake = wavry_test_portal_new (0, WAVRY_PORTAL_DEVICE_KEYBOARD | WAVRY_PORTAL_DEVICE_POINTER, TRUE);
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
  g_assert_cmpuint (wavry_test_portal_n_calls (fake), ==, 4);
  call = wavry_test_portal_call_at (fake, 0);
  g_assert_true (g_str_has_prefix (call, "RemoteDesktop.CreateSession ({"));
  g_assert_nonnull (strstr (call, "'handle_token': <'wavry_"));
  g_assert_nonnull (strstr (call, "'session_handle_token': <'wavry_"));
  g_clear_pointer (&call, g_free);

  call = wavry_test_portal_call_at (fake, 1);
  expected = g_strdup_printf ("RemoteDesktop.SelectDevices (objectpath '%s', {", session);
  assert_prefix (call, expected);
  g_assert_nonnull (strstr (call, "'types': <uint32 3>"));
  g_assert_nonnull (strstr (call, "'handle_token': <'wavry_"));
  g_clear_pointer (&call, g_free);
  g_clear_pointer (&expected, g_free);

  /* ScreenCast.SelectSources on the RemoteDesktop session. */
  call = wavry_test_portal_call_at (fake, 2);
  expected = g_strdup_printf ("ScreenCast.SelectSources (objectpath '%s', {", session);
  assert_prefix (call, expected);
  g_assert_nonnull (strstr (call, "'types': <uint32 1>"));
  g_assert_nonnull (strstr (call, "'multiple': <false>"));
  g_clear_pointer (&call, g_free);
  g_clear_pointer (&expected, g_free);

  call = wavry_test_portal_call_at (fake, 3);
  expected = g_strdup_printf ("RemoteDesktop.Start (objectpath '%s', '', {'handle_token': <'wavry_",
                              session);
  assert_prefix (call, expected);
  g_clear_pointer (&call, g_free);
  g_clear_pointer (&expected, g_free);

  /* Freeing it closes the portal session. */
  g_clear_object (&injector);
  expected = g_strdup_printf ("Session.Close '%s'", session);
  assert_call (fake, 4, expected);
  wavry_test_portal_free (fake);
}

static void
test_key (void)
{
  WavryTestPortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *expected = NULL;

  if (skip_without_bus ())
    return;
  fake = wavry_test_portal_new (0, 0, TRUE);  /* "devices" left out: all granted */
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
  wavry_test_portal_drain ();
  g_assert_cmpuint (wavry_test_portal_n_calls (fake), ==, 6);
  g_assert_cmpuint (wavry_input_injector_portal_get_failed (WAVRY_INPUT_INJECTOR_PORTAL (injector)), ==, 0);

  g_clear_object (&injector);
  wavry_test_portal_free (fake);
}

static void
test_click (void)
{
  WavryTestPortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *expected = NULL;

  if (skip_without_bus ())
    return;
  fake = wavry_test_portal_new (0, 3, TRUE);
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
  wavry_test_portal_drain ();
  g_assert_cmpuint (wavry_test_portal_n_calls (fake), ==, 8);

  g_clear_object (&injector);
  wavry_test_portal_free (fake);
}

static void
test_scroll (void)
{
  WavryTestPortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *expected = NULL;

  if (skip_without_bus ())
    return;
  fake = wavry_test_portal_new (0, 3, TRUE);
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
  wavry_test_portal_drain ();
  g_assert_cmpuint (wavry_test_portal_n_calls (fake), ==, 7);

  g_clear_object (&injector);
  wavry_test_portal_free (fake);
}

static void
test_cancelled (void)
{
  WavryTestPortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_bus ())
    return;
  fake = wavry_test_portal_new (1, 3, TRUE);
  injector = wavry_input_injector_portal_new (NULL, NULL, &error);
  g_assert_null (injector);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "The user did not allow remote control.");
  /* The session it had made is closed. */
  {
    g_autofree char *call = wavry_test_portal_call_at (fake, 4);

    g_assert_true (g_str_has_prefix (call, "Session.Close '/org/freedesktop/portal/desktop/session/"));
  }
  wavry_test_portal_free (fake);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (100 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancellable (void)
{
  WavryTestPortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GThread *thread;
  gint64 t0;

  if (skip_without_bus ())
    return;
  fake = wavry_test_portal_new (WAVRY_TEST_PORTAL_NO_RESPONSE, 3, TRUE);
  thread = g_thread_new ("cancel", cancel_later, cancellable);
  t0 = g_get_monotonic_time ();
  injector = wavry_input_injector_portal_new (NULL, cancellable, &error);
  g_thread_join (thread);
  g_assert_null (injector);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Stopped by the cancellable, not by the 5-minute deadline. */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
  {
    g_autofree char *call = wavry_test_portal_call_at (fake, 4);

    g_assert_true (g_str_has_prefix (call, "Session.Close '/org/freedesktop/portal/desktop/session/"));
  }
  wavry_test_portal_drain ();
  wavry_test_portal_free (fake);
}

static void
test_factory (void)
{
  WavryTestPortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_bus ())
    return;
  fake = wavry_test_portal_new (0, 3, TRUE);
  injector = wavry_input_injector_new_for_backend (WAVRY_INPUT_BACKEND_PORTAL, "x11:99", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (WAVRY_IS_INPUT_INJECTOR_PORTAL (injector));
  g_assert_cmpstr (wavry_input_injector_get_description (injector), ==,
                   "Desktop portal remote control");
  g_clear_object (&injector);
  g_free (wavry_test_portal_call_at (fake, 4));  /* its Session.Close */
  wavry_test_portal_free (fake);
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
  g_assert_null (wavry_input_injector_new_for_backend (WAVRY_INPUT_BACKEND_PORTAL, NULL, NULL, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
}

static void
test_closed (void)
{
  WavryTestPortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  gint64 deadline;

  if (skip_without_bus ())
    return;
  fake = wavry_test_portal_new (0, 3, TRUE);
  injector = start_injector (fake, &session);
  g_assert_true (wavry_input_injector_key (injector, KEY_A, TRUE, &error));

  wavry_test_portal_emit_closed (fake);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (wavry_input_injector_key (injector, KEY_A, FALSE, NULL) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (wavry_input_injector_key (injector, KEY_A, FALSE, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "closed"));
  wavry_test_portal_drain ();

  g_clear_object (&injector);
  wavry_test_portal_free (fake);
}

/* RemoteDesktop version 2: the session asks the desktop to remember the
 * answer, and the token it returns skips the dialog next time; a version 1
 * portal gets neither option and returns no token. */
static void
test_restore_token (void)
{
  WavryTestPortal *fake;
  g_autoptr(WavryInputInjector) first = NULL;
  g_autoptr(WavryInputInjector) second = NULL;
  g_autoptr(WavryInputInjector) old = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *select = NULL;

  if (skip_without_bus ())
    return;
  fake = wavry_test_portal_new (0, 3, TRUE);

  first = wavry_input_injector_portal_new_full (NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  select = wavry_test_portal_call_at (fake, 1);
  assert_prefix (select, "RemoteDesktop.SelectDevices ");
  g_assert_nonnull (strstr (select, "'persist_mode': <uint32 2>"));
  g_assert_null (strstr (select, "restore_token"));
  g_clear_pointer (&select, g_free);
  g_assert_cmpstr (wavry_input_injector_portal_get_restore_token (WAVRY_INPUT_INJECTOR_PORTAL (first)),
                   ==, "wavry-test-restore-1");

  /* The next session offers it back and gets a new one. */
  second = wavry_input_injector_portal_new_full (NULL, "wavry-test-restore-1", NULL, &error);
  g_assert_no_error (error);
  select = wavry_test_portal_call_at (fake, 5);
  assert_prefix (select, "RemoteDesktop.SelectDevices ");
  g_assert_nonnull (strstr (select, "'restore_token': <'wavry-test-restore-1'>"));
  g_clear_pointer (&select, g_free);
  g_assert_cmpstr (wavry_input_injector_portal_get_restore_token (WAVRY_INPUT_INJECTOR_PORTAL (second)),
                   ==, "wavry-test-restore-2");

  /* Version 1: no persistence asked, none given. */
  g_mutex_lock (&fake->lock);
  fake->remote_desktop_version = 1;
  g_mutex_unlock (&fake->lock);
  old = wavry_input_injector_portal_new_full (NULL, "wavry-test-restore-2", NULL, &error);
  g_assert_no_error (error);
  select = wavry_test_portal_call_at (fake, 9);
  assert_prefix (select, "RemoteDesktop.SelectDevices ");
  g_assert_null (strstr (select, "persist_mode"));
  g_assert_null (strstr (select, "restore_token"));
  g_assert_null (wavry_input_injector_portal_get_restore_token (WAVRY_INPUT_INJECTOR_PORTAL (old)));

  wavry_test_portal_drain ();
  g_clear_object (&first);
  g_clear_object (&second);
  g_clear_object (&old);
  wavry_test_portal_free (fake);
}

static void
test_keyboard_only (void)
{
  WavryTestPortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *expected = NULL;

  if (skip_without_bus ())
    return;
  fake = wavry_test_portal_new (0, WAVRY_PORTAL_DEVICE_KEYBOARD, TRUE);
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
  wavry_test_portal_drain ();
  g_assert_cmpuint (wavry_test_portal_n_calls (fake), ==, 5);

  g_clear_object (&injector);
  wavry_test_portal_free (fake);
}

static void
test_no_size (void)
{
  WavryTestPortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;

  if (skip_without_bus ())
    return;
  fake = wavry_test_portal_new (0, 3, FALSE);
  injector = start_injector (fake, &session);
  g_assert_false (wavry_input_injector_pointer_move (injector, 0.5, 0.5, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "size"));

  g_clear_object (&injector);
  wavry_test_portal_free (fake);
}

static void
test_pipewire_remote (void)
{
  WavryTestPortal *fake;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *expected = NULL;
  char buf[2];
  int fd;

  if (skip_without_bus ())
    return;
  fake = wavry_test_portal_new (0, 3, TRUE);
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
  wavry_test_portal_free (fake);
}

static GVariant *
parse_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *v = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  return v;  /* g_variant_parse(): not floating */
}

static void
test_parse (void)
{
  struct { const char *text; gboolean ok; guint32 devices, node; guint w, h; } cases[] = {
    { "{'devices': <uint32 3>, 'streams': <[(uint32 7, {'size': <(1920, 1080)>})]>}", TRUE, 3, 7, 1920, 1080 },
    { "{'streams': <[(uint32 7, @a{sv} {}), (uint32 8, {'size': <(1, 1)>})]>}", TRUE, 3, 7, 0, 0 },
    { "{'streams': <[(uint32 7, {'size': <(-5, 10)>})]>}", TRUE, 3, 7, 0, 0 },
    /* Screen shared, remote interaction switched off in the dialog. */
    { "{'devices': <uint32 0>, 'streams': <[(uint32 7, {'size': <(800, 600)>})]>}", TRUE, 0, 7, 800, 600 },
    { "{'streams': <[(uint32 7, {'size': <(uint32 5, uint32 10)>})]>}", TRUE, 3, 7, 0, 0 },
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
  g_test_add_func ("/input-injector-portal/cancellable", test_cancellable);
  g_test_add_func ("/input-injector-portal/factory", test_factory);
  g_test_add_func ("/input-injector-portal/no-portal", test_no_portal);
  g_test_add_func ("/input-injector-portal/closed", test_closed);
  g_test_add_func ("/input-injector-portal/keyboard-only", test_keyboard_only);
  g_test_add_func ("/input-injector-portal/restore-token", test_restore_token);
  g_test_add_func ("/input-injector-portal/no-size", test_no_size);
  g_test_add_func ("/input-injector-portal/pipewire-remote", test_pipewire_remote);

  bus_pid = wavry_test_portal_bus_start_or_missing (&bus_dir, &bus_missing);

  ret = g_test_run ();
  wavry_test_portal_bus_stop (bus_pid, bus_dir);
  g_free (bus_missing);
  return ret;
}
