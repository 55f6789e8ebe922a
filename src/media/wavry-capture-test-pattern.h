/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include "wavry-capture.h"

G_BEGIN_DECLS

#define WAVRY_TYPE_CAPTURE_TEST_PATTERN (wavry_capture_test_pattern_get_type ())
G_DECLARE_FINAL_TYPE (WavryCaptureTestPattern, wavry_capture_test_pattern,
                      WAVRY, CAPTURE_TEST_PATTERN, WavryCapture)

/* The "test-pattern" source: synthetic moving I420 content at @fps, paced by
 * its own thread (late frames are skipped, never sent in a burst). 0 = the
 * default, 1280×720@60. Frame N shows wavry_test_pattern_render (frame, N)
 * with pts N / fps; indices skipped while late are not shown. NULL (and
 * G_IO_ERROR_INVALID_ARGUMENT) for an odd size or one over 8192, or fps > 1000. */
WavryCapture *wavry_capture_test_pattern_new (guint     width,
                                              guint     height,
                                              guint     fps,
                                              GError  **error);

/* Draws picture @index into @frame (I420, any even size): 75% colour bars, a
 * white box that moves 4 pixels a frame and bounces, and at the bottom the
 * low 32 bits of @index as black/white blocks (most significant first). A
 * deterministic function of @index and the size, so that tests can regenerate
 * the expected picture; flat regions only, nothing a 2 Mbps encoder cannot
 * reproduce. */
void          wavry_test_pattern_render      (WavryVideoFrame *frame,
                                              guint64          index);

G_END_DECLS
