/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-rift-replay-window.h"

#define N_WORDS (WAVRY_RIFT_REPLAY_WINDOW_SIZE / 64)

void
wavry_rift_replay_window_init (WavryRiftReplayWindow *window)
{
  memset (window, 0, sizeof *window);
  window->empty = TRUE;
}

static gboolean
bit_get (const WavryRiftReplayWindow *window,
         guint64                      offset)
{
  return (window->bits[offset / 64] >> (offset % 64)) & 1;
}

/* RIFT §3.3: reject if id + 128 <= highest; accept if id > highest;
 * otherwise reject if already seen. */
gboolean
wavry_rift_replay_window_check (const WavryRiftReplayWindow *window,
                                guint64                      packet_id)
{
  if (window->empty || packet_id > window->highest)
    return TRUE;
  /* Written as a difference so that ids near G_MAXUINT64 cannot overflow. */
  if (window->highest - packet_id >= WAVRY_RIFT_REPLAY_WINDOW_SIZE)
    return FALSE;
  return !bit_get (window, window->highest - packet_id);
}

/* Shift the bitmap towards older ids by @shift positions. */
static void
shift_window (WavryRiftReplayWindow *window,
              guint64                shift)
{
  if (shift >= WAVRY_RIFT_REPLAY_WINDOW_SIZE)
    {
      memset (window->bits, 0, sizeof window->bits);
      return;
    }

  while (shift > 0)
    {
      guint step = MIN (shift, 63);

      for (gint i = N_WORDS - 1; i >= 0; i--)
        {
          window->bits[i] <<= step;
          if (i > 0)
            window->bits[i] |= window->bits[i - 1] >> (64 - step);
        }
      shift -= step;
    }
}

void
wavry_rift_replay_window_mark (WavryRiftReplayWindow *window,
                               guint64                packet_id)
{
  guint64 offset;

  if (window->empty)
    {
      memset (window->bits, 0, sizeof window->bits);
      window->highest = packet_id;
      window->empty = FALSE;
    }
  else if (packet_id > window->highest)
    {
      shift_window (window, packet_id - window->highest);
      window->highest = packet_id;
    }

  offset = window->highest - packet_id;
  if (offset < WAVRY_RIFT_REPLAY_WINDOW_SIZE)
    window->bits[offset / 64] |= G_GUINT64_CONSTANT (1) << (offset % 64);
}
