/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include "wavry-capture.h"

G_BEGIN_DECLS

#define WAVRY_TYPE_CAPTURE_Y4M (wavry_capture_y4m_get_type ())
G_DECLARE_FINAL_TYPE (WavryCaptureY4m, wavry_capture_y4m, WAVRY, CAPTURE_Y4M, WavryCapture)

/* The "y4m:PATH" and "y4m:-" (standard input) sources. Frames are read on the
 * source's thread. A regular file is played at its F rate (or @fps when not 0;
 * 30 when neither says); a pipe or socket is read as fast as frames arrive,
 * the producer paces it. The end of the stream ends the source
 * (wait_frame: G_IO_ERROR_CLOSED); a malformed stream fails it.
 * A regular file's header is read here (errors are reported at once), a
 * pipe's on the thread (so that creating the source never blocks). */
WavryCapture *wavry_capture_y4m_new        (const char  *path,
                                            guint        fps,
                                            GError     **error);
/* The same over @fd (a file, pipe or socket); @close_fd: closed with the source. */
WavryCapture *wavry_capture_y4m_new_for_fd (int          fd,
                                            gboolean     close_fd,
                                            guint        fps,
                                            GError     **error);

G_END_DECLS
