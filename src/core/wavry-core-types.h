/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _WavryIdentity WavryIdentity;
typedef struct _WavryNoiseHandshake WavryNoiseHandshake;
typedef struct _WavryNoiseCipher WavryNoiseCipher;
typedef struct _WavryRiftReplayWindow WavryRiftReplayWindow;
typedef struct _WavryRiftHeader WavryRiftHeader;
typedef struct _WavryRiftAddr WavryRiftAddr;
typedef struct _WavryRiftClient WavryRiftClient;
typedef struct _WavryRiftHost WavryRiftHost;

/* All times in src/core are monotonic microseconds passed in by the caller
 * (g_get_monotonic_time () in the I/O layers; scripted values in tests). */
typedef gint64 WavryTime;

G_END_DECLS
