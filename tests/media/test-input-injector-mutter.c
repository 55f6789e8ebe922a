/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * WavryInputInjectorMutter against a real private `mutter --headless`
 * (tests/wavry-test-mutter.c): keys and a click injected through the
 * injector reach a GTK window on that compositor
 * (tests/media/mutter-input-client). Skipped without mutter. */
#include "config.h"

#include <stdio.h>

#include "wavry-input-injector-mutter.h"
#include "wavry-media-error.h"
#include "wavry-test-input-client.h"
#include "wavry-test-mutter.h"

#define KEY_A         30
#define KEY_LEFTSHIFT 42

static void
test_mutter (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "media", "mutter-input-client", NULL);
  g_autoptr(WavryMutterSession) session = NULL;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(WavryTestInputClient) client = NULL;
  g_autoptr(GError) error = NULL;
  WavryTestMutter *env;
  GSubprocess *process;
  const char *press;
  guint width, height;
  int n, x, y;

  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("the GTK input client (tests/media/mutter-input-client) was not built");
      return;
    }
  env = wavry_test_mutter_start (TRUE);
  if (env == NULL)
    return;

  session = wavry_mutter_session_new (wavry_test_mutter_get_bus (env), NULL, TRUE, &error);
  g_assert_no_error (error);
  wavry_mutter_session_get_size (session, &width, &height);
  g_assert_cmpuint (width, ==, 1280);
  g_assert_cmpuint (height, ==, 720);

  injector = wavry_input_injector_mutter_new (NULL);
  /* No session yet: refused. */
  g_assert_false (wavry_input_injector_key (injector, KEY_A, TRUE, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED);
  g_clear_error (&error);
  wavry_input_injector_mutter_set_session (WAVRY_INPUT_INJECTOR_MUTTER (injector), session);

  process = wavry_test_mutter_spawn_client (env, (const char *[]) { path, "#ff2000", NULL },
                                            &error);
  g_assert_no_error (error);
  client = wavry_test_input_client_new (process);
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "mapped", 20000));
  wavry_test_input_client_settle (client, 300);

  /* A click at the centre: normalized 0.5 × the 1280×720 stream. */
  g_assert_true (wavry_input_injector_pointer_move (injector, 0.5, 0.5, &error));
  g_assert_no_error (error);
  g_assert_true (wavry_mutter_session_flush_input (session, 2000, &error));
  wavry_test_input_client_settle (client, 100);
  g_assert_true (wavry_input_injector_button (injector, WAVRY_INPUT_BTN_LEFT, TRUE, &error));
  g_assert_true (wavry_input_injector_button (injector, WAVRY_INPUT_BTN_LEFT, FALSE, &error));
  g_assert_no_error (error);
  press = wavry_test_input_client_wait_line (client, "button-press 1 ", 5000);
  g_assert_nonnull (press);
  g_assert_cmpint (sscanf (press, "button-press %d %d %d", &n, &x, &y), ==, 3);
  g_assert_cmpint (ABS (x - 640), <=, 1);
  g_assert_cmpint (ABS (y - 360), <=, 1);
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "button-release 1", 5000));

  /* Headless mutter focuses the window once the virtual keyboard was used
   * (see test-mutter-session): Shift first, then KEY_A = keycode 38. */
  g_assert_true (wavry_input_injector_key (injector, KEY_LEFTSHIFT, TRUE, &error));
  g_assert_true (wavry_input_injector_key (injector, KEY_LEFTSHIFT, FALSE, &error));
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "active", 5000));
  wavry_test_input_client_settle (client, 100);
  g_assert_true (wavry_input_injector_key (injector, KEY_A, TRUE, &error));
  g_assert_true (wavry_input_injector_key (injector, KEY_A, FALSE, &error));
  g_assert_true (wavry_input_injector_scroll (injector, 0, 1, &error));
  g_assert_true (wavry_mutter_session_flush_input (session, 2000, &error));
  g_assert_no_error (error);
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "key-press 38", 5000));
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "key-release 38", 5000));
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "scroll 0 1", 5000));
  g_assert_cmpuint (wavry_mutter_session_get_input_errors (session), ==, 0);

  /* Out of range: refused before reaching mutter. */
  g_assert_false (wavry_input_injector_pointer_move (injector, 7.0, 0.5, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);

  wavry_input_injector_mutter_set_session (WAVRY_INPUT_INJECTOR_MUTTER (injector), NULL);
  g_clear_pointer (&client, wavry_test_input_client_free);
  g_clear_pointer (&session, wavry_mutter_session_free);
  wavry_test_mutter_stop (env);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/input-injector/mutter", test_mutter);

  return g_test_run ();
}
