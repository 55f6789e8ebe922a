/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include "wavry-rift-delta.h"
#include "wavry-rift-pacer.h"
#include "wavry-rift-skip.h"

/* RIFT §6.5, §6.6, §7: the numbers a peer reports (StatsReport, Pong RTTs,
 * EncoderControl) drive DELTA, the pacer and the skip logic. Whatever they
 * are, nothing crashes and every output stays in its bounds.
 *
 * Input: one config byte (bit 0: alpha = 1; bits 1–3: k − 1), then 13-byte
 * records, little-endian: i16 clock step in ms (negative = backwards),
 * i32 rtt µs, u16 loss in 1/60000 (above 1 on purpose), i32 jitter µs,
 * u8 EncoderControl.skip_frames. */

#define RECORD_LEN 13

static gint32
read_i32 (const uint8_t *p)
{
  return (gint32) ((guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  WavryRiftDeltaConfig config;
  g_autoptr(WavryRiftDelta) delta = NULL;
  g_autoptr(WavryRiftPacer) pacer = NULL;
  g_autoptr(WavryRiftSkipDetector) skip = NULL;
  WavryRiftSkipCounter counter = { 0 };
  WavryTime now = 0;
  guint fps = 144;

  if (size < 1)
    return 0;

  wavry_rift_delta_config_init (&config);
  if (data[0] & 1)
    config.alpha = 1.0;
  config.k = 1 + ((data[0] >> 1) & 7);
  delta = wavry_rift_delta_new (&config, 20000, fps);
  pacer = wavry_rift_pacer_new ();
  skip = wavry_rift_skip_detector_new ();
  data++;
  size--;

  for (; size >= RECORD_LEN; data += RECORD_LEN, size -= RECORD_LEN)
    {
      gint16 step_ms = (gint16) ((guint16) data[0] | (guint16) data[1] << 8);
      gint64 rtt = read_i32 (data + 2);
      double loss = ((guint16) data[6] | (guint16) data[7] << 8) / 60000.0;
      gint64 jitter = read_i32 (data + 8);
      guint skip_frames, requested;
      gint64 interval;

      now += (gint64) step_ms * 1000;

      wavry_rift_delta_on_report (delta, now, rtt, loss, jitter);
      g_assert (wavry_rift_delta_get_bitrate_kbps (delta) >= config.min_kbps);
      g_assert (wavry_rift_delta_get_bitrate_kbps (delta) <= config.max_kbps);
      g_assert (wavry_rift_delta_get_fec (delta) >= config.fec_start);
      g_assert (wavry_rift_delta_get_fec (delta) <= WAVRY_RIFT_DELTA_FEC_MAX);
      g_assert (wavry_rift_delta_get_fps (delta) <= fps);
      fps = wavry_rift_delta_get_fps (delta);

      wavry_rift_pacer_on_stats (pacer, now, rtt, jitter);
      interval = wavry_rift_pacer_interval_us (pacer, (gsize) (guint32) rtt,
                                               wavry_rift_delta_get_bitrate_kbps (delta));
      g_assert (interval >= WAVRY_RIFT_PACER_MIN_INTERVAL_US);
      g_assert (interval <= WAVRY_RIFT_PACER_MAX_INTERVAL_US);
      interval = wavry_rift_pacer_frame_interval_us (pacer, 1200, (guint) jitter, data[12], fps);
      g_assert (interval >= 0 && interval <= WAVRY_RIFT_PACER_MAX_INTERVAL_US);

      requested = wavry_rift_skip_detector_on_rtt (skip, now, rtt);
      g_assert (requested <= 2);
      skip_frames = data[12] == 0xff ? G_MAXUINT : data[12];
      wavry_rift_skip_counter_add (&counter, requested + skip_frames);
      g_assert (counter.pending <= WAVRY_RIFT_SKIP_PENDING_MAX);
      if (data[12] & 1)
        wavry_rift_skip_counter_take (&counter);
    }

  return 0;
}
