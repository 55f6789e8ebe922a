/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-capture-pipewire.h"
#include "wavry-media-error.h"
#include "wavry-mutter-session.h"
#include "wavry-test-mutter.h"

/* The PipeWire capture against a real compositor's screen cast: a private
 * headless mutter (1280×720 virtual monitor) records its monitor, and
 * "pipewire:NODE" captures the node mutter publishes. Skipped when mutter,
 * pipewire or wireplumber is missing. */

static void
test_mutter_node (void)
{
  WavryTestMutter *env = wavry_test_mutter_start (TRUE);
  g_autoptr(WavryMutterSession) session = NULL;
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(WavryVideoFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *saved_runtime = g_strdup (g_getenv ("PIPEWIRE_RUNTIME_DIR"));
  const char *description;
  guint32 node;

  if (env == NULL)
    return;

  session = wavry_mutter_session_new (wavry_test_mutter_get_bus (env), NULL, FALSE, &error);
  g_assert_no_error (error);
  node = wavry_mutter_session_get_node_id (session);

  g_setenv ("PIPEWIRE_RUNTIME_DIR", wavry_test_mutter_get_runtime_dir (env), TRUE);
  spec = g_strdup_printf ("pipewire:%u", node);
  capture = wavry_capture_new_for_spec (spec, NULL, &error);
  g_assert_no_error (error);
  if (!wavry_capture_start (capture, &error))
    g_error ("%s", error->message);

  /* Damage-driven: a static screen still sends its first frame. */
  frame = wavry_capture_wait_frame (capture, g_get_monotonic_time () + 10 * G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_nonnull (frame);
  g_assert_cmpuint (wavry_video_frame_get_width (frame), ==, 1280);
  g_assert_cmpuint (wavry_video_frame_get_height (frame), ==, 720);
  g_assert_true (wavry_video_frame_get_format (frame) == WAVRY_PIXEL_FORMAT_BGRX ||
                 wavry_video_frame_get_format (frame) == WAVRY_PIXEL_FORMAT_RGBX);
  description = wavry_capture_get_description (capture);
  g_test_message ("%s", description);
  g_assert_true (g_str_has_prefix (description, "PipeWire node "));
  g_assert_nonnull (strstr (description, "(1280×720 "));

  /* mutter closing the screen cast ends the capture with an error. */
  g_clear_pointer (&session, wavry_mutter_session_free);
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (error == NULL && g_get_monotonic_time () < deadline)
      {
        WavryVideoFrame *more = wavry_capture_wait_frame (capture, deadline, &error);

        g_clear_pointer (&more, wavry_video_frame_unref);
      }
  }
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO);
  {
    g_autofree char *expected = g_strdup_printf ("PipeWire node %u went away.", node);
    g_assert_cmpstr (error->message, ==, expected);
  }

  wavry_capture_stop (capture);
  if (saved_runtime != NULL)
    g_setenv ("PIPEWIRE_RUNTIME_DIR", saved_runtime, TRUE);
  else
    g_unsetenv ("PIPEWIRE_RUNTIME_DIR");
  wavry_test_mutter_stop (env);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/capture-pipewire-mutter/node", test_mutter_node);
  return g_test_run ();
}
