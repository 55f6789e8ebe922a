/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * Input injection (PROTOCOL.md §5 "Input codes"): what is accepted, the
 * XTest backend against the harness's Xvfb with a real X client recording
 * the events, and uinput's "not available" path (no /dev/uinput here). The
 * GNOME backend runs in test-input-injector-mutter. */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wavry-input-injector.h"
#include "wavry-input-injector-uinput.h"
#include "wavry-input-injector-xtest.h"
#include "wavry-media-error.h"
#include "wavry-test-input-client.h"

#define KEY_A 30
#define KEY_LEFTSHIFT 42

static void
test_validation (void)
{
  WavryInputBackend backend;
  g_autoptr(GError) error = NULL;

  g_assert_true (wavry_input_key_is_valid (KEY_A));
  g_assert_true (wavry_input_key_is_valid (1));
  g_assert_true (wavry_input_key_is_valid (0x160));     /* KEY_OK */
  g_assert_true (wavry_input_key_is_valid (0x2ff));
  g_assert_false (wavry_input_key_is_valid (0));        /* KEY_RESERVED */
  g_assert_false (wavry_input_key_is_valid (0x110));    /* BTN_LEFT is a button */
  g_assert_false (wavry_input_key_is_valid (0x300));
  g_assert_false (wavry_input_key_is_valid (G_MAXUINT32));

  for (guint32 b = WAVRY_INPUT_BTN_LEFT; b <= WAVRY_INPUT_BTN_EXTRA; b++)
    g_assert_true (wavry_input_button_is_valid (b));
  g_assert_false (wavry_input_button_is_valid (0x10f));
  g_assert_false (wavry_input_button_is_valid (0x115));
  g_assert_false (wavry_input_button_is_valid (KEY_A));

  g_assert_true (wavry_input_position_is_valid (0, 0));
  g_assert_true (wavry_input_position_is_valid (1, 1));
  g_assert_true (wavry_input_position_is_valid (0.5, 0.25));
  g_assert_false (wavry_input_position_is_valid (7.0, 0.5));
  g_assert_false (wavry_input_position_is_valid (0.5, -0.01));
  g_assert_false (wavry_input_position_is_valid (NAN, 0.5));
  g_assert_false (wavry_input_position_is_valid (0.5, INFINITY));

  g_assert_true (wavry_input_scroll_is_valid (0, 1));
  g_assert_true (wavry_input_scroll_is_valid (-1.0 / 120, 0));
  g_assert_true (wavry_input_scroll_is_valid (-100, 100));
  g_assert_false (wavry_input_scroll_is_valid (101, 0));
  g_assert_false (wavry_input_scroll_is_valid (0, NAN));
  g_assert_false (wavry_input_scroll_is_valid (-INFINITY, 0));

  g_assert_true (wavry_input_backend_parse ("auto", &backend, NULL));
  g_assert_cmpint (backend, ==, WAVRY_INPUT_BACKEND_AUTO);
  g_assert_true (wavry_input_backend_parse ("XTest", &backend, NULL));
  g_assert_cmpint (backend, ==, WAVRY_INPUT_BACKEND_XTEST);
  g_assert_true (wavry_input_backend_parse ("none", &backend, NULL));
  g_assert_cmpint (backend, ==, WAVRY_INPUT_BACKEND_NONE);
  g_assert_false (wavry_input_backend_parse ("libei", &backend, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "libei"));
}

static void
test_factory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryInputInjector) injector = NULL;

  /* none: no injector and no error */
  g_assert_null (wavry_input_injector_new_for_backend (WAVRY_INPUT_BACKEND_NONE, "x11", NULL, &error));
  g_assert_no_error (error);

  /* mutter input only with the mutter capture */
  g_assert_null (wavry_input_injector_new_for_backend (WAVRY_INPUT_BACKEND_MUTTER, "x11", NULL,
                                                       &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "--capture mutter"));
  g_clear_error (&error);

  /* auto with the mutter capture: GNOME, waiting for the capture's session */
  injector = wavry_input_injector_new_for_backend (WAVRY_INPUT_BACKEND_AUTO, "mutter:Meta-0", NULL,
                                                   &error);
  g_assert_no_error (error);
  g_assert_nonnull (injector);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (injector), ==, "WavryInputInjectorMutter");
  g_assert_false (wavry_input_injector_key (injector, KEY_A, TRUE, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_FAILED);
  g_clear_error (&error);
  g_clear_object (&injector);

  /* auto with a capture that is neither: uinput or a reason */
  if (!g_file_test ("/dev/uinput", G_FILE_TEST_EXISTS))
    {
      g_assert_null (wavry_input_injector_new_for_backend (WAVRY_INPUT_BACKEND_AUTO,
                                                           "test-pattern", NULL, &error));
      g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
      g_assert_nonnull (strstr (error->message, "no /dev/uinput"));
      g_clear_error (&error);
    }

  /* xtest on a display that does not exist */
  g_assert_null (wavry_input_injector_new_for_backend (WAVRY_INPUT_BACKEND_XTEST, "x11::97531", NULL,
                                                       &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, ":97531"));
}

static void
test_uinput_unavailable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "wavry-no-such-uinput", NULL);

  /* A path that is not there reads as a machine without the module. */
  g_assert_null (wavry_input_injector_uinput_new (missing, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "no "));
  g_clear_error (&error);

  /* A file that is not a uinput device: the kernel's ioctls refuse it. */
  {
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp ("wavry-uinput-XXXXXX", &path, &error);

    g_assert_no_error (error);
    close (fd);
    g_assert_null (wavry_input_injector_uinput_new (path, &error));
    g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
    g_assert_nonnull (strstr (error->message, "refused"));
    g_clear_error (&error);
    g_unlink (path);
  }

  if (g_file_test ("/dev/uinput", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("/dev/uinput exists here: only the failure paths are tested");
      return;
    }
  g_assert_null (wavry_input_injector_uinput_new (NULL, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "no /dev/uinput"));
}

static WavryTestInputClient *
start_x_client (int *width,
                int *height)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "media", "x-input-client", NULL);
  g_autoptr(GError) error = NULL;
  WavryTestInputClient *client;
  GSubprocess *process;
  const char *mapped;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, NULL);
  g_assert_no_error (error);
  client = wavry_test_input_client_new (process);
  mapped = wavry_test_input_client_wait_line (client, "mapped", 10000);
  g_assert_nonnull (mapped);
  g_assert_cmpint (sscanf (mapped, "mapped %d %d", width, height), ==, 2);
  return client;
}

static void
test_xtest (void)
{
  g_autoptr(WavryTestInputClient) client = NULL;
  g_autoptr(WavryInputInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *click = NULL;
  int width, height;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs an X display (Xvfb, started by build-aux/headless-session)");
      return;
    }
  injector = wavry_input_injector_xtest_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (wavry_input_injector_get_description (injector), "XTest"));
  client = start_x_client (&width, &height);

  /* KEY_A = evdev 30 = X keycode 38 */
  g_assert_true (wavry_input_injector_key (injector, KEY_A, TRUE, &error));
  g_assert_true (wavry_input_injector_key (injector, KEY_A, FALSE, &error));
  g_assert_no_error (error);
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "key-press 38", 5000));
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "key-release 38", 5000));

  /* A click at the centre: X button 1 at (w-1)/2, (h-1)/2 */
  g_assert_true (wavry_input_injector_pointer_move (injector, 0.5, 0.5, &error));
  g_assert_true (wavry_input_injector_button (injector, WAVRY_INPUT_BTN_LEFT, TRUE, &error));
  g_assert_true (wavry_input_injector_button (injector, WAVRY_INPUT_BTN_LEFT, FALSE, &error));
  g_assert_no_error (error);
  click = g_strdup_printf ("button-press 1 %ld %ld", lround (0.5 * (width - 1)),
                           lround (0.5 * (height - 1)));
  g_assert_nonnull (wavry_test_input_client_wait_line (client, click, 5000));
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "button-release 1 ", 5000));

  /* The corners map to the screen's first and last pixels. */
  {
    g_autofree char *corner = g_strdup_printf ("motion %d %d", width - 1, height - 1);

    g_assert_true (wavry_input_injector_pointer_move (injector, 1.0, 1.0, &error));
    g_assert_nonnull (wavry_test_input_client_wait_line (client, corner, 5000));
    g_assert_true (wavry_input_injector_pointer_move (injector, 0.0, 0.0, &error));
    g_assert_nonnull (wavry_test_input_client_wait_line (client, "motion 0 0", 5000));
  }

  /* Right and middle buttons: evdev BTN_RIGHT = X 3, BTN_MIDDLE = X 2 */
  g_assert_true (wavry_input_injector_button (injector, WAVRY_INPUT_BTN_RIGHT, TRUE, &error));
  g_assert_true (wavry_input_injector_button (injector, WAVRY_INPUT_BTN_RIGHT, FALSE, &error));
  g_assert_true (wavry_input_injector_button (injector, WAVRY_INPUT_BTN_MIDDLE, TRUE, &error));
  g_assert_true (wavry_input_injector_button (injector, WAVRY_INPUT_BTN_MIDDLE, FALSE, &error));
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "button-press 3 ", 5000));
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "button-press 2 ", 5000));

  /* Scroll: one detent down = button 5, one up = button 4; two halves add
   * up to one more detent down; dx = 1 is button 7 (right). */
  g_assert_true (wavry_input_injector_scroll (injector, 0, 1, &error));
  g_assert_true (wavry_input_injector_scroll (injector, 0, -1, &error));
  g_assert_true (wavry_input_injector_scroll (injector, 0, 0.5, &error));
  g_assert_true (wavry_input_injector_scroll (injector, 0, 0.5, &error));
  g_assert_true (wavry_input_injector_scroll (injector, 1, 0, &error));
  g_assert_no_error (error);
  g_assert_nonnull (wavry_test_input_client_wait_line (client, "button-press 7 ", 5000));
  wavry_test_input_client_settle (client, 200);
  g_assert_cmpuint (wavry_test_input_client_count (client, "button-press 5 "), ==, 2);
  g_assert_cmpuint (wavry_test_input_client_count (client, "button-press 4 "), ==, 1);
  g_assert_cmpuint (wavry_test_input_client_count (client, "button-release 5 "), ==, 2);

  /* Refused before reaching the display: nothing more arrives. */
  g_assert_false (wavry_input_injector_pointer_move (injector, 7.0, 0.5, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (wavry_input_injector_key (injector, WAVRY_INPUT_BTN_LEFT, TRUE, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (wavry_input_injector_button (injector, KEY_A, TRUE, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);
  /* A valid evdev key beyond X's 255 keycodes */
  g_assert_false (wavry_input_injector_key (injector, 0x160, TRUE, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  {
    guint before = wavry_test_input_client_count (client, "");

    wavry_test_input_client_settle (client, 200);
    g_assert_cmpuint (wavry_test_input_client_count (client, ""), ==, before);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/input-injector/validation", test_validation);
  g_test_add_func ("/input-injector/factory", test_factory);
  g_test_add_func ("/input-injector/uinput-unavailable", test_uinput_unavailable);
  g_test_add_func ("/input-injector/xtest", test_xtest);

  return g_test_run ();
}
