/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The lines a test input client (tests/media/x-input-client,
 * tests/media/mutter-input-client) prints, read as they come. */
typedef struct _WavryTestInputClient WavryTestInputClient;

/* Takes over @process, whose stdout is piped. */
WavryTestInputClient *wavry_test_input_client_new        (GSubprocess          *process);
/* Waits, iterating the thread-default main context, for a line starting
 * with @prefix (those already read count); returns it (owned by the
 * client) or NULL after @timeout_ms. */
const char           *wavry_test_input_client_wait_line  (WavryTestInputClient *self,
                                                          const char           *prefix,
                                                          guint                 timeout_ms);
/* Lines read so far that start with @prefix. */
guint                 wavry_test_input_client_count      (WavryTestInputClient *self,
                                                          const char           *prefix);
/* Reads what arrives in @ms. */
void                  wavry_test_input_client_settle     (WavryTestInputClient *self,
                                                          guint                 ms);
/* Kills the process (by its PID) and frees. */
void                  wavry_test_input_client_free       (WavryTestInputClient *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WavryTestInputClient, wavry_test_input_client_free)

G_END_DECLS
