/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A PipeWire "Video/Source" node of one solid BGRx colour at @fps, as a
 * compositor's screen cast offers it (MemFd buffers, it drives itself), on
 * the daemon of this process's PIPEWIRE_RUNTIME_DIR. For tests that need a
 * picture with known pixels behind a portal or a node id. */
typedef struct _WavryTestPipewireSource WavryTestPipewireSource;

/* Connects and waits (5 s at most) until the node exists; NULL with
 * @error set when PipeWire refuses. @rgb: 0xRRGGBB. */
WavryTestPipewireSource *wavry_test_pipewire_source_new     (guint      width,
                                                             guint      height,
                                                             guint      fps,
                                                             guint32    rgb,
                                                             GError   **error);
guint32                  wavry_test_pipewire_source_get_node_id (WavryTestPipewireSource *src);
void                     wavry_test_pipewire_source_free    (WavryTestPipewireSource *src);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryTestPipewireSource, wavry_test_pipewire_source_free)

G_END_DECLS
