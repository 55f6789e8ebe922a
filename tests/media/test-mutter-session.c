/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <linux/input-event-codes.h>
#include <math.h>

#include "wavry-media-error.h"
#include "wavry-mutter-session.h"
#include "wavry-test-mutter.h"

/* GetCurrentState() as mutter 43 --headless --virtual-monitor 1280x720
 * answers it. */
#define CURRENT_STATE \
  "(uint32 2, [(('Meta-0', 'MetaVendor', 'MetaVirtualMonitor', '0x00'), " \
  "[('1280x720@60.000', 1280, 720, 60.0, 1.0, [1.0], {'is-current': <true>, 'is-preferred': <true>})], " \
  "{'is-builtin': <false>, 'display-name': <'MetaVendor'>}), " \
  "(('HDMI-1', 'V', 'P', 'S'), @a(siiddada{sv}) [], @a{sv} {})], " \
  "[(0, 0, 1.0, uint32 0, true, [('Meta-0', 'MetaVendor', 'MetaVirtualMonitor', '0x00')], @a{sv} {})], " \
  "{'layout-mode': <uint32 2>, 'legacy-ui-scaling-factor': <1>})"

static GVariant *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *v = g_variant_parse (NULL, text, NULL, NULL, &error);

  g_assert_no_error (error);
  return v;  /* g_variant_parse() returns a full reference */
}

static void
test_parse (void)
{
  static const char *bad_sizes[] = {
    "{'size': <(0, 720)>}",
    "{'size': <(1280, -1)>}",
    "{'size': <(16385, 720)>}",
    "{'size': <(uint32 1280, uint32 720)>}",
    "{'position': <(0, 0)>}",
    "@a{sv} {}",
    "('size', 1280, 720)",
  };
  static const char *bad_states[] = {
    "(uint32 2, @a((ssss)a(siiddada{sv})a{sv}) [])",
    "'Meta-0'",
  };
  g_autoptr(GVariant) good = parse ("{'position': <(0, 0)>, 'size': <(1280, 720)>}");
  g_autoptr(GVariant) state = parse (CURRENT_STATE);
  g_autoptr(GVariant) empty = parse ("(uint32 1, @a((ssss)a(siiddada{sv})a{sv}) [], "
                                     "@a(iiduba(ssss)a{sv}) [], @a{sv} {})");
  g_auto(GStrv) names = NULL;
  guint w = 0, h = 0;

  g_assert_true (wavry_mutter_parse_stream_size (good, &w, &h));
  g_assert_cmpuint (w, ==, 1280);
  g_assert_cmpuint (h, ==, 720);
  for (guint i = 0; i < G_N_ELEMENTS (bad_sizes); i++)
    {
      g_autoptr(GVariant) v = parse (bad_sizes[i]);

      w = h = 7;
      g_assert_false (wavry_mutter_parse_stream_size (v, &w, &h));
      g_assert_cmpuint (w, ==, 7);
      g_assert_cmpuint (h, ==, 7);
    }

  names = wavry_mutter_parse_connectors (state);
  g_assert_nonnull (names);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "Meta-0");
  g_assert_cmpstr (names[1], ==, "HDMI-1");
  g_clear_pointer (&names, g_strfreev);
  names = wavry_mutter_parse_connectors (empty);
  g_assert_nonnull (names);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad_states); i++)
    {
      g_autoptr(GVariant) v = parse (bad_states[i]);

      g_assert_null (wavry_mutter_parse_connectors (v));
    }
}

static void
test_spec (void)
{
  static const char *bad[] = {
    "mutter:", "mutter:HDMI 1", "mutter:HDMI-1\n", "mutter:\xc3\xa9", "Mutter", "mutter-HDMI-1",
    "x11", "mutter:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" /* 65 */,
  };
  g_autoptr(GError) error = NULL;
  char *connector = NULL;

  g_assert_true (wavry_mutter_parse_capture_spec ("mutter", &connector, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (connector, ==, "");
  g_clear_pointer (&connector, g_free);
  g_assert_true (wavry_mutter_parse_capture_spec ("mutter:HDMI-A-1", &connector, &error));
  g_assert_cmpstr (connector, ==, "HDMI-A-1");
  g_clear_pointer (&connector, g_free);
  g_assert_true (wavry_mutter_parse_capture_spec (
    "mutter:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &connector, &error));
  g_assert_cmpuint (strlen (connector), ==, 64);
  g_clear_pointer (&connector, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (wavry_mutter_parse_capture_spec (bad[i], &connector, &error));
      g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
      g_assert_null (connector);
      g_clear_error (&error);
    }
}

static void
test_not_running (void)
{
  WavryTestMutter *env = wavry_test_mutter_start (FALSE);
  g_autoptr(GError) error = NULL;
  WavryMutterSession *session;

  if (env == NULL)
    return;
  session = wavry_mutter_session_new (wavry_test_mutter_get_bus (env), NULL, TRUE, &error);
  g_assert_null (session);
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==,
                   "GNOME's screen-cast service is not running "
                   "(org.gnome.Mutter.ScreenCast not on the session bus)");
  wavry_test_mutter_stop (env);
}

static void
test_capture (void)
{
  WavryTestMutter *env = wavry_test_mutter_start (TRUE);
  g_autoptr(GError) error = NULL;
  WavryMutterSession *session;
  WavryTestMutterFrames frames;
  g_autofree char *log = NULL;
  guint w = 0, h = 0;
  guint32 node;

  if (env == NULL)
    return;

  /* A bogus connector fails cleanly, naming it and what exists. */
  session = wavry_mutter_session_new (wavry_test_mutter_get_bus (env), "HDMI-1", FALSE, &error);
  g_assert_null (session);
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "no monitor named HDMI-1"));
  g_assert_nonnull (strstr (error->message, "Meta-0"));
  g_clear_error (&error);

  /* Also with input (a remote-desktop session is created, then dropped). */
  session = wavry_mutter_session_new (wavry_test_mutter_get_bus (env), "HDMI-1", TRUE, &error);
  g_assert_null (session);
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "no monitor named HDMI-1"));
  g_clear_error (&error);

  /* The primary monitor, screen-cast only. */
  session = wavry_mutter_session_new (wavry_test_mutter_get_bus (env), NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  node = wavry_mutter_session_get_node_id (session);
  g_assert_cmpuint (node, >, 0);
  wavry_mutter_session_get_size (session, &w, &h);
  g_assert_cmpuint (w, ==, 1280);
  g_assert_cmpuint (h, ==, 720);
  g_assert_false (wavry_mutter_session_has_input (session));
  g_assert_cmpuint (wavry_mutter_session_get_malformed (session), ==, 0);
  g_assert_false (wavry_mutter_session_key (session, KEY_A, TRUE, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  wavry_test_mutter_consume (env, node, 0, 0, 1, NULL, 10000, NULL, NULL, &frames, &error);
  g_assert_no_error (error);
  g_assert_true (frames.node_exists);
  g_assert_cmpuint (frames.frames, >=, 1);
  g_assert_cmpuint (frames.width, ==, 1280);
  g_assert_cmpuint (frames.height, ==, 720);
  g_assert_cmpuint (frames.stride, >=, 1280 * 4);

  /* free() stops the cast: the node leaves PipeWire. */
  wavry_mutter_session_free (session);
  g_assert_false (wavry_test_mutter_consume (env, node, 0, 0, 1, NULL, 1000, NULL, NULL, &frames, &error));
  g_assert_false (frames.node_exists);
  g_clear_error (&error);

  /* The monitor by name, with input. */
  session = wavry_mutter_session_new (wavry_test_mutter_get_bus (env), "Meta-0", TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (wavry_mutter_session_has_input (session));
  g_assert_cmpstr (wavry_mutter_session_get_connector (session), ==, "Meta-0");
  wavry_test_mutter_consume (env, wavry_mutter_session_get_node_id (session), 0, 0, 1, NULL, 10000,
                             NULL, NULL, &frames, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frames.width, ==, 1280);
  wavry_mutter_session_free (session);

  /* A virtual monitor takes the size its consumer asks for. */
  session = wavry_mutter_session_new_virtual (wavry_test_mutter_get_bus (env), TRUE, &error);
  g_assert_no_error (error);
  wavry_test_mutter_consume (env, wavry_mutter_session_get_node_id (session), 800, 600, 1, NULL, 10000,
                             NULL, NULL, &frames, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frames.width, ==, 800);
  g_assert_cmpuint (frames.height, ==, 600);
  g_assert_cmpuint (frames.frames, >=, 1);
  wavry_mutter_session_free (session);

  /* Every session was stopped, the failed ones included: mutter has none
   * left to drop when this client goes. */
  wavry_test_mutter_disconnect (env);
  log = wavry_test_mutter_get_log (env, "mutter");
  g_assert_null (strstr (log, "D-Bus client with active sessions vanished"));

  wavry_test_mutter_stop (env);
}

static void
on_closed (WavryMutterSession *session,
           gpointer            user_data)
{
  (*(int *) user_data)++;
}

static gboolean
set_true (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_closed_by_mutter (void)
{
  WavryTestMutter *env = wavry_test_mutter_start (TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryMutterSession) session = NULL;
  gboolean timed_out = FALSE;
  int closed = 0;
  guint timeout;

  if (env == NULL)
    return;
  session = wavry_mutter_session_new (wavry_test_mutter_get_bus (env), NULL, TRUE, &error);
  g_assert_no_error (error);
  wavry_mutter_session_set_closed_func (session, on_closed, &closed, NULL);

  /* Without PipeWire mutter ends the cast and says so (Closed). */
  wavry_test_mutter_kill_pipewire (env);
  timeout = g_timeout_add (5000, set_true, &timed_out);
  while (!wavry_mutter_session_is_closed (session) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  g_assert_true (wavry_mutter_session_is_closed (session));
  g_assert_cmpint (closed, ==, 1);
  g_clear_pointer (&session, wavry_mutter_session_free);
  wavry_test_mutter_stop (env);
}

static void
test_closed (void)
{
  WavryTestMutter *env = wavry_test_mutter_start (TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryMutterSession) session = NULL;
  gboolean timed_out = FALSE;
  int closed = 0;
  guint timeout;

  if (env == NULL)
    return;
  session = wavry_mutter_session_new (wavry_test_mutter_get_bus (env), NULL, TRUE, &error);
  g_assert_no_error (error);
  wavry_mutter_session_set_closed_func (session, on_closed, &closed, NULL);
  g_assert_false (wavry_mutter_session_is_closed (session));

  wavry_test_mutter_kill_compositor (env);
  timeout = g_timeout_add (5000, set_true, &timed_out);
  while (!wavry_mutter_session_is_closed (session) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  g_assert_true (wavry_mutter_session_is_closed (session));
  g_assert_cmpint (closed, ==, 1);

  g_assert_false (wavry_mutter_session_key (session, KEY_A, TRUE, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO);
  g_clear_pointer (&session, wavry_mutter_session_free);
  wavry_test_mutter_stop (env);
}

/* Input through the session to a GTK client on the same compositor. */

typedef struct
{
  GDataInputStream *in;
  GPtrArray        *lines;
  gboolean          pending;
} ClientOutput;

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ClientOutput *out = user_data;
  char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, NULL);

  out->pending = FALSE;
  if (line != NULL)
    {
      g_test_message ("client: %s", line);
      g_ptr_array_add (out->lines, line);
    }
}

/* Waits for a line starting with @prefix (checking those already read). */
static gboolean
wait_line (ClientOutput *out,
           const char   *prefix,
           guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      for (guint i = 0; i < out->lines->len; i++)
        if (g_str_has_prefix (g_ptr_array_index (out->lines, i), prefix))
          return TRUE;
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!out->pending)
        {
          out->pending = TRUE;
          g_data_input_stream_read_line_async (out->in, G_PRIORITY_DEFAULT, NULL, on_line, out);
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static guint
count_lines (ClientOutput *out,
             const char   *line)
{
  guint n = 0;

  for (guint i = 0; i < out->lines->len; i++)
    n += g_str_equal (g_ptr_array_index (out->lines, i), line);
  return n;
}

static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static void
test_input (void)
{
  g_autofree char *client = g_test_build_filename (G_TEST_BUILT, "media", "mutter-input-client", NULL);
  WavryTestMutter *env;
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryMutterSession) session = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  ClientOutput out = { 0 };
  static const guint8 red[3] = { 0xff, 0x20, 0x00 };
  WavryTestMutterFrames frames;

  if (!g_file_test (client, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("the GTK input client (tests/media/mutter-input-client) was not built");
      return;
    }
  env = wavry_test_mutter_start (TRUE);
  if (env == NULL)
    return;

  session = wavry_mutter_session_new (wavry_test_mutter_get_bus (env), NULL, TRUE, &error);
  g_assert_no_error (error);

  proc = wavry_test_mutter_spawn_client (env, (const char *[]) { client, "#ff2000", NULL }, &error);
  g_assert_no_error (error);
  out.in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  out.lines = g_ptr_array_new_with_free_func (g_free);
  g_assert_true (wait_line (&out, "mapped", 20000));

  /* What the stream shows is the screen: the client's colour arrives. */
  wavry_test_mutter_consume (env, wavry_mutter_session_get_node_id (session), 0, 0, 1, red, 10000,
                             NULL, NULL, &frames, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frames.matching, >=, 1);
  settle (200);

  /* Malformed input is refused, not sent. */
  g_assert_false (wavry_mutter_session_pointer_move (session, NAN, 1, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (wavry_mutter_session_scroll (session, 0, INFINITY, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);

  g_assert_true (wavry_mutter_session_pointer_move (session, 640, 360, &error));
  g_assert_no_error (error);
  g_assert_true (wavry_mutter_session_flush_input (session, 2000, &error));
  g_assert_cmpuint (wavry_mutter_session_get_input_errors (session), ==, 0);
  settle (100);
  g_assert_true (wavry_mutter_session_button (session, BTN_LEFT, TRUE, &error));
  g_assert_true (wavry_mutter_session_button (session, BTN_LEFT, FALSE, &error));
  /* Headless mutter gives the window keyboard focus ("active") only once
   * the session's virtual keyboard has been used: tap Shift first. */
  g_assert_true (wait_line (&out, "button-release 1", 5000));
  g_assert_true (wavry_mutter_session_key (session, KEY_LEFTSHIFT, TRUE, &error));
  g_assert_true (wavry_mutter_session_key (session, KEY_LEFTSHIFT, FALSE, &error));
  g_assert_true (wait_line (&out, "active", 5000));
  settle (100);
  g_assert_true (wavry_mutter_session_key (session, KEY_A, TRUE, &error));
  g_assert_true (wavry_mutter_session_key (session, KEY_A, FALSE, &error));
  g_assert_true (wavry_mutter_session_scroll (session, 0, 1, &error));
  g_assert_true (wavry_mutter_session_flush_input (session, 2000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wavry_mutter_session_get_input_errors (session), ==, 0);

  /* GDK numbers BTN_LEFT as button 1; keycodes are evdev + 8. */
  g_assert_true (wait_line (&out, "button-press 1 640 360", 5000));
  g_assert_true (wait_line (&out, "button-release 1", 5000));
  g_assert_true (wait_line (&out, "key-press 38", 5000));
  g_assert_true (wait_line (&out, "key-release 38", 5000));
  g_assert_true (wait_line (&out, "scroll 0 1", 5000));

  /* A click right after a motion lands where the motion went (no pause:
   * the calls keep their order). BTN_RIGHT is GDK button 3. */
  g_assert_true (wavry_mutter_session_pointer_move (session, 300, 200, &error));
  g_assert_true (wavry_mutter_session_button (session, BTN_RIGHT, TRUE, &error));
  g_assert_true (wavry_mutter_session_button (session, BTN_RIGHT, FALSE, &error));
  g_assert_true (wavry_mutter_session_scroll (session, -2, 0, &error));
  g_assert_true (wavry_mutter_session_flush_input (session, 2000, &error));
  g_assert_true (wait_line (&out, "button-press 3 300 200", 5000));
  g_assert_true (wait_line (&out, "button-release 3 300 200", 5000));
  g_assert_true (wait_line (&out, "scroll -1 0", 5000));
  wait_line (&out, "(none)", 500);  /* reads all that comes in 0.5 s */
  g_assert_cmpuint (count_lines (&out, "scroll -1 0"), ==, 2);  /* two detents, two steps */

  /* Half detents are smooth scrolling; two make one step for GTK. */
  g_assert_true (wavry_mutter_session_scroll (session, 0, 0.5, &error));
  g_assert_true (wavry_mutter_session_scroll (session, 0, 0.5, &error));
  g_assert_true (wavry_mutter_session_flush_input (session, 2000, &error));
  wait_line (&out, "(none)", 500);
  g_assert_cmpuint (count_lines (&out, "scroll 0 1"), ==, 2);
  g_assert_cmpuint (wavry_mutter_session_get_input_errors (session), ==, 0);

  g_clear_pointer (&session, wavry_mutter_session_free);
  g_clear_object (&out.in);
  g_ptr_array_unref (out.lines);
  wavry_test_mutter_stop (env);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mutter-session/parse", test_parse);
  g_test_add_func ("/mutter-session/spec", test_spec);
  g_test_add_func ("/mutter-session/not-running", test_not_running);
  g_test_add_func ("/mutter-session/capture", test_capture);
  g_test_add_func ("/mutter-session/closed", test_closed);
  g_test_add_func ("/mutter-session/closed-by-mutter", test_closed_by_mutter);
  g_test_add_func ("/mutter-session/input", test_input);
  return g_test_run ();
}
