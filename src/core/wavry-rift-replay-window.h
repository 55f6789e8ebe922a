/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

#include "wavry-core-types.h"

G_BEGIN_DECLS

#define WAVRY_RIFT_REPLAY_WINDOW_SIZE 128

/* RIFT §3.3: 128-packet sliding window. Check before decrypting; mark only
 * after the packet authenticated, so forged packets cannot move the window. */
struct _WavryRiftReplayWindow
{
  guint64  highest;
  guint64  bits[WAVRY_RIFT_REPLAY_WINDOW_SIZE / 64];  /* bit i = highest - i seen */
  gboolean empty;
};

void     wavry_rift_replay_window_init  (WavryRiftReplayWindow       *window);
gboolean wavry_rift_replay_window_check (const WavryRiftReplayWindow *window,
                                         guint64                      packet_id);
void     wavry_rift_replay_window_mark  (WavryRiftReplayWindow       *window,
                                         guint64                      packet_id);

G_END_DECLS
