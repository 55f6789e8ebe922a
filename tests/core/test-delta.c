/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <math.h>

#include "wavry-rift-delta.h"

/* RIFT §7 on scripted traces. Reports come once a second (RIFT §6.8) unless
 * a test says otherwise; times and RTTs are in µs. */

#define SEC G_USEC_PER_SEC
#define MS  1000

typedef struct
{
  WavryRiftDelta *delta;
  WavryTime       now;
} Trace;

static void
trace_init (Trace                      *t,
            const WavryRiftDeltaConfig *config,
            guint                       kbps,
            guint                       fps)
{
  t->delta = wavry_rift_delta_new (config, kbps, fps);
  g_assert_nonnull (t->delta);
  t->now = 1000 * SEC;
}

static void
trace_clear (Trace *t)
{
  g_clear_pointer (&t->delta, wavry_rift_delta_free);
}

/* One report, then the clock moves on by @step. */
static void
report (Trace  *t,
        gint64  rtt,
        double  loss,
        gint64  jitter,
        gint64  step)
{
  wavry_rift_delta_on_report (t->delta, t->now, rtt, loss, jitter);
  t->now += step;
}

static void
test_config_defaults (void)
{
  WavryRiftDeltaConfig c;

  wavry_rift_delta_config_init (&c);
  g_assert_cmpint (c.t_limit_us, ==, 20000);
  g_assert_cmpfloat (c.alpha, ==, 0.125);
  g_assert_cmpfloat (c.beta, ==, 0.85);
  g_assert_cmpuint (c.step_kbps, ==, 500);
  g_assert_cmpuint (c.min_kbps, ==, 2000);
  g_assert_cmpuint (c.max_kbps, ==, 50000);
  g_assert_cmpuint (c.k, ==, 5);
  g_assert_cmpint (c.rtt_min_window_us, ==, 10 * SEC);
  g_assert_cmpfloat (c.fec_start, ==, 0.05);
  g_assert_true (wavry_rift_delta_config_is_valid (&c));
}

static void
test_new_free (void)
{
  WavryRiftDeltaConfig c;
  g_autoptr(WavryRiftDelta) d = NULL;
  g_autoptr(WavryRiftDelta) low = NULL;
  g_autoptr(WavryRiftDelta) high = NULL;

  d = wavry_rift_delta_new (NULL, 10000, 60);
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (d), ==, 10000);
  g_assert_cmpuint (wavry_rift_delta_get_fps (d), ==, 60);
  g_assert_cmpfloat (wavry_rift_delta_get_fec (d), ==, 0.05);
  g_assert_cmpint (wavry_rift_delta_get_state (d), ==, WAVRY_RIFT_DELTA_STABLE);
  g_assert_cmpint (wavry_rift_delta_get_rtt_min (d), ==, 0);

  /* The initial bitrate is clamped into min..max. */
  low = wavry_rift_delta_new (NULL, 10, 60);
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (low), ==, 2000);
  high = wavry_rift_delta_new (NULL, G_MAXUINT, 60);
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (high), ==, 50000);

  /* Invalid configurations are refused. */
  wavry_rift_delta_config_init (&c);
  c.alpha = 0.0;
  g_assert_false (wavry_rift_delta_config_is_valid (&c));
  c.alpha = NAN;
  g_assert_false (wavry_rift_delta_config_is_valid (&c));
  wavry_rift_delta_config_init (&c);
  c.min_kbps = 60000;
  g_assert_false (wavry_rift_delta_config_is_valid (&c));
  wavry_rift_delta_config_init (&c);
  c.k = 0;
  g_assert_false (wavry_rift_delta_config_is_valid (&c));
  wavry_rift_delta_config_init (&c);
  c.fec_start = 0.6;
  g_assert_false (wavry_rift_delta_config_is_valid (&c));
  g_test_expect_message ("Wavry-Core", G_LOG_LEVEL_CRITICAL, "*is_valid*");
  g_assert_null (wavry_rift_delta_new (&c, 10000, 60));
  g_test_assert_expected_messages ();
}

/* Constant RTT: dq = 0, so every report adds the full step until max. */
static void
test_clean_path_rises_to_max (void)
{
  Trace t;

  trace_init (&t, NULL, 10000, 60);
  for (guint i = 1; i <= 100; i++)
    {
      report (&t, 20 * MS, 0.0, 0, SEC);
      g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_STABLE);
      g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, MIN (10000 + 500 * i, 50000));
    }
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, 50000);
  g_assert_cmpuint (wavry_rift_delta_get_fps (t.delta), ==, 60);
  g_assert_cmpint (wavry_rift_delta_get_rtt_min (t.delta), ==, 20 * MS);
  trace_clear (&t);
}

/* A 200 ms jump: s − rtt_min = 0.125 · 200 ms = 25 ms > T_limit on the very
 * first report, which cuts R by β; then R keeps falling to min. */
static void
test_congested_jump (void)
{
  Trace t;
  guint r;

  trace_init (&t, NULL, 30000, 60);
  for (guint i = 0; i < 10; i++)
    report (&t, 20 * MS, 0.0, 0, SEC);
  r = wavry_rift_delta_get_bitrate_kbps (t.delta);
  g_assert_cmpuint (r, ==, 35000);

  report (&t, 220 * MS, 0.0, 0, SEC);
  g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_CONGESTED);
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, (guint) floor (r * 0.85));

  /* Within the 10 s window rtt_min stays 20 ms, so congestion persists. */
  for (guint i = 0; i < 8; i++)
    {
      guint before = wavry_rift_delta_get_bitrate_kbps (t.delta);

      report (&t, 220 * MS, 0.0, 0, SEC);
      g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_CONGESTED);
      g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==,
                        MAX ((guint) floor (before * 0.85), 2000));
    }
  /* 35000 · 0.85^9 ≈ 8090: not at min yet. A clean 20 ms every 5 s keeps
   * rtt_min at 20 ms, so congestion goes on and R reaches min and stays. */
  for (guint i = 0; i < 20; i++)
    report (&t, i % 5 == 0 ? 20 * MS : 220 * MS, 0.0, 0, SEC);
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, 2000);
  g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_CONGESTED);
  trace_clear (&t);
}

/* RTT steps from 20 to 50 ms. Hand computation with α = 1/8:
 * dq_n = 30 ms · (1 − 0.875^n) = 3.75, 7.03, 9.90, 12.41, 14.61, 16.54,
 * 18.22, 19.69, 20.98 ms; ε = 0.05 · s.
 * Reports 1–4: Δ > ε, rising 1..4, still STABLE: R grows by
 * floor(500 · (1 − dq/20 ms)) = 406, 324, 252, 189.
 * Report 5: rising = k → RISING, R held; 6–8 held (Δ shrinks below ε at 7).
 * Report 9: dq > 20 ms → CONGESTED, R = floor(0.85 · R). */
static void
test_congested_ramp (void)
{
  static const guint growth[] = { 406, 324, 252, 189 };
  Trace t;
  guint r, held;

  trace_init (&t, NULL, 10000, 60);
  for (guint i = 0; i < 10; i++)
    report (&t, 20 * MS, 0.0, 0, SEC);
  r = wavry_rift_delta_get_bitrate_kbps (t.delta);
  g_assert_cmpuint (r, ==, 15000);

  for (guint i = 0; i < G_N_ELEMENTS (growth); i++)
    {
      report (&t, 50 * MS, 0.0, 0, SEC);
      g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_STABLE);
      r += growth[i];
      g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, r);
    }
  held = r;
  for (guint i = 5; i <= 8; i++)
    {
      report (&t, 50 * MS, 0.0, 0, SEC);
      g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_RISING);
      g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, held);
    }
  report (&t, 50 * MS, 0.0, 0, SEC);
  g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_CONGESTED);
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, (guint) floor (held * 0.85));
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), <=, held * 0.85);
  trace_clear (&t);
}

static void
test_next_fps (void)
{
  g_assert_cmpuint (wavry_rift_delta_next_fps (144), ==, 90);
  g_assert_cmpuint (wavry_rift_delta_next_fps (120), ==, 90);
  g_assert_cmpuint (wavry_rift_delta_next_fps (90), ==, 60);
  g_assert_cmpuint (wavry_rift_delta_next_fps (60), ==, 45);
  g_assert_cmpuint (wavry_rift_delta_next_fps (45), ==, 30);
  g_assert_cmpuint (wavry_rift_delta_next_fps (75), ==, 60);
  g_assert_cmpuint (wavry_rift_delta_next_fps (240), ==, 60);
  g_assert_cmpuint (wavry_rift_delta_next_fps (30), ==, 30);
  g_assert_cmpuint (wavry_rift_delta_next_fps (50), ==, 50);
  g_assert_cmpuint (wavry_rift_delta_next_fps (0), ==, 0);
}

/* Sustained congestion at 1 Hz: entered at t0; "congested > 1 s" first holds
 * at t0 + 2 s (60 → 45), the timer restarts, t0 + 4 s (45 → 30). 30 is not
 * stepped. Then rtt_min forgets the old 20 ms after 10 s, DELTA goes back to
 * STABLE and the frame rate stays at 30. */
static void
test_fps_steps_down_only (void)
{
  static const guint expect[] = { 60, 60, 45, 45, 30, 30, 30, 30, 30 };
  Trace t;

  trace_init (&t, NULL, 20000, 60);
  for (guint i = 0; i < 3; i++)
    report (&t, 20 * MS, 0.0, 0, SEC);
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      report (&t, 300 * MS, 0.0, 0, SEC);
      g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_CONGESTED);
      g_assert_cmpuint (wavry_rift_delta_get_fps (t.delta), ==, expect[i]);
    }
  for (guint i = 0; i < 60; i++)
    {
      report (&t, 300 * MS, 0.0, 0, SEC);
      g_assert_cmpuint (wavry_rift_delta_get_fps (t.delta), ==, 30);
    }
  g_assert_cmpint (wavry_rift_delta_get_rtt_min (t.delta), ==, 300 * MS);
  g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_STABLE);
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), >, 2000);
  trace_clear (&t);
}

/* With reports every 500 ms the timer restarts at each step: entered at t0,
 * steps at t0 + 1.5 s (the first report > 1 s), t0 + 3 s and t0 + 4.5 s, and
 * not at t0 + 1 s (not > 1 s) nor at t0 + 2.5 s (1 s after the restart). */
static void
test_fps_timer_restarts (void)
{
  static const guint expect[] = { 120, 120, 120, 90, 90, 90, 60, 60, 60, 45 };
  Trace t;

  trace_init (&t, NULL, 20000, 120);
  for (guint i = 0; i < 3; i++)
    report (&t, 20 * MS, 0.0, 0, SEC / 2);
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      report (&t, 300 * MS, 0.0, 0, SEC / 2);
      g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_CONGESTED);
      g_assert_cmpuint (wavry_rift_delta_get_fps (t.delta), ==, expect[i]);
    }
  trace_clear (&t);
}

/* α = 1: s is the raw RTT and ε falls back to jitter/2, or 100 µs with no
 * jitter. RTT rising 1 ms per report with 1 ms jitter (ε = 500 µs): reports
 * 2–5 add floor(500 · (1 − dq/20 ms)) = 475, 450, 425, 400; report 6 makes
 * rising = 5 → RISING, which holds R; a flat RTT then brings STABLE back
 * after k = 5 samples and R grows again by floor(500 · (1 − 14/20)) = 150.
 * Reports every 500 ms keep all 20 inside one rtt_min window. */
static void
test_rising_holds_alpha_one (void)
{
  static const guint growth[] = { 500, 475, 450, 425, 400 };
  WavryRiftDeltaConfig c;
  Trace t;
  guint r = 10000, held;

  wavry_rift_delta_config_init (&c);
  c.alpha = 1.0;
  trace_init (&t, &c, r, 60);
  for (guint i = 0; i < G_N_ELEMENTS (growth); i++)
    {
      report (&t, 20 * MS + i * MS, 0.0, 1 * MS, SEC / 2);
      r += growth[i];
      g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_STABLE);
      g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, r);
    }
  held = r;
  for (guint i = 5; i <= 14; i++)
    {
      report (&t, 20 * MS + i * MS, 0.0, 1 * MS, SEC / 2);
      g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_RISING);
      g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, held);
    }
  for (guint i = 1; i <= 5; i++)
    {
      report (&t, 34 * MS, 0.0, 1 * MS, SEC / 2);
      g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==,
                       i < 5 ? WAVRY_RIFT_DELTA_RISING : WAVRY_RIFT_DELTA_STABLE);
    }
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, held + 150);
  trace_clear (&t);
}

/* With α = 1, a 150 µs rise per report is "rising" against ε = 100 µs (no
 * jitter) but noise against ε = jitter/2 = 500 µs. */
static void
test_epsilon_fallback (void)
{
  WavryRiftDeltaConfig c;
  Trace quiet, noisy;

  wavry_rift_delta_config_init (&c);
  c.alpha = 1.0;
  trace_init (&quiet, &c, 10000, 60);
  trace_init (&noisy, &c, 10000, 60);
  for (guint i = 0; i < 10; i++)
    {
      report (&quiet, 20 * MS + i * 150, 0.0, 0, SEC);
      report (&noisy, 20 * MS + i * 150, 0.0, 1 * MS, SEC);
    }
  g_assert_cmpint (wavry_rift_delta_get_state (quiet.delta), ==, WAVRY_RIFT_DELTA_RISING);
  g_assert_cmpint (wavry_rift_delta_get_state (noisy.delta), ==, WAVRY_RIFT_DELTA_STABLE);
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (noisy.delta), >,
                    wavry_rift_delta_get_bitrate_kbps (quiet.delta));
  trace_clear (&quiet);
  trace_clear (&noisy);
}

/* One 10 ms sample, then 40 ms: the 10 ms minimum lasts while it is less than
 * 10 s old and is forgotten at exactly 10 s. */
static void
test_rtt_min_window (void)
{
  Trace t;

  trace_init (&t, NULL, 10000, 60);
  report (&t, 10 * MS, 0.0, 0, SEC);
  g_assert_cmpint (wavry_rift_delta_get_rtt_min (t.delta), ==, 10 * MS);
  for (guint i = 1; i <= 9; i++)
    {
      report (&t, 40 * MS, 0.0, 0, SEC);
      g_assert_cmpint (wavry_rift_delta_get_rtt_min (t.delta), ==, 10 * MS);
    }
  report (&t, 40 * MS, 0.0, 0, SEC);
  g_assert_cmpint (wavry_rift_delta_get_rtt_min (t.delta), ==, 40 * MS);
  trace_clear (&t);
}

/* FEC from loss: only when congested and loss > 1 %: ×1.5 up to 0.5. */
static void
test_fec_loss (void)
{
  Trace t;
  double expect = 0.05;

  trace_init (&t, NULL, 20000, 60);
  /* Loss while STABLE does not raise FEC. */
  for (guint i = 0; i < 3; i++)
    report (&t, 20 * MS, 0.2, 0, SEC);
  g_assert_cmpfloat_with_epsilon (wavry_rift_delta_get_fec (t.delta), 0.05, 1e-9);

  /* Congested with exactly 1 % loss: no change. */
  report (&t, 300 * MS, 0.01, 0, SEC);
  g_assert_cmpint (wavry_rift_delta_get_state (t.delta), ==, WAVRY_RIFT_DELTA_CONGESTED);
  g_assert_cmpfloat_with_epsilon (wavry_rift_delta_get_fec (t.delta), 0.05, 1e-9);

  for (guint i = 0; i < 8; i++)
    {
      report (&t, 300 * MS, 0.05, 0, SEC);
      expect = MIN (expect * 1.5, 0.5);
      g_assert_cmpfloat_with_epsilon (wavry_rift_delta_get_fec (t.delta), expect, 1e-9);
    }
  g_assert_cmpfloat (wavry_rift_delta_get_fec (t.delta), ==, 0.5);

  /* Jitter between 5 and 10 ms must not pull a loss-driven 0.5 down to the
   * jitter cap of 0.20 (see doc/protocol-notes.md). */
  report (&t, 300 * MS, 0.0, 7 * MS, SEC);
  g_assert_cmpfloat (wavry_rift_delta_get_fec (t.delta), ==, 0.5);
  trace_clear (&t);
}

/* FEC from jitter: > 10 ms adds 0.02 up to 0.25, > 5 ms adds 0.01 up to
 * 0.20; STABLE with jitter < 5 ms decays by 0.001 down to 0.05. */
static void
test_fec_jitter_and_decay (void)
{
  Trace t;

  trace_init (&t, NULL, 20000, 60);
  for (guint i = 1; i <= 20; i++)
    {
      report (&t, 20 * MS, 0.0, 7 * MS, SEC);
      g_assert_cmpfloat_with_epsilon (wavry_rift_delta_get_fec (t.delta),
                                      MIN (0.05 + 0.01 * i, 0.20), 1e-9);
    }
  for (guint i = 1; i <= 10; i++)
    {
      report (&t, 20 * MS, 0.0, 12 * MS, SEC);
      g_assert_cmpfloat_with_epsilon (wavry_rift_delta_get_fec (t.delta),
                                      MIN (0.20 + 0.02 * i, 0.25), 1e-9);
    }
  /* Exactly 5 ms neither raises (not > 5 ms) nor decays (not < 5 ms). */
  report (&t, 20 * MS, 0.0, 5 * MS, SEC);
  g_assert_cmpfloat_with_epsilon (wavry_rift_delta_get_fec (t.delta), 0.25, 1e-9);

  for (guint i = 1; i <= 250; i++)
    {
      report (&t, 20 * MS, 0.0, 1 * MS, SEC);
      g_assert_cmpfloat_with_epsilon (wavry_rift_delta_get_fec (t.delta),
                                      MAX (0.25 - 0.001 * i, 0.05), 1e-9);
    }
  g_assert_cmpfloat (wavry_rift_delta_get_fec (t.delta), ==, 0.05);
  trace_clear (&t);
}

/* Random traces: whatever comes in, R, FEC and FPS stay in their bounds and
 * the frame rate never goes up. */
static void
test_bounds_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint run = 0; run < 50; run++)
    {
      Trace t;
      guint fps = 144;

      trace_init (&t, NULL, g_rand_int_range (rand, 0, 80000), fps);
      for (guint i = 0; i < 400; i++)
        {
          gint64 rtt = g_rand_int_range (rand, 1 * MS, g_rand_boolean (rand) ? 40 * MS : 400 * MS);
          double loss = g_rand_boolean (rand) ? 0.0 : g_rand_double (rand);
          gint64 jitter = g_rand_int_range (rand, 0, 20 * MS);

          report (&t, rtt, loss, jitter, g_rand_int_range (rand, 0, 2 * SEC));
          g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), >=, 2000);
          g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), <=, 50000);
          g_assert_cmpfloat (wavry_rift_delta_get_fec (t.delta), >=, 0.05);
          g_assert_cmpfloat (wavry_rift_delta_get_fec (t.delta), <=, 0.5);
          g_assert_cmpuint (wavry_rift_delta_get_fps (t.delta), <=, fps);
          fps = wavry_rift_delta_get_fps (t.delta);
        }
      g_assert_cmpuint (wavry_rift_delta_get_rejected (t.delta), ==, 0);
      trace_clear (&t);
    }
}

/* Samples no peer could have measured are ignored and counted. */
static void
test_rejects_malformed (void)
{
  Trace t;
  WavryTime before;

  trace_init (&t, NULL, 20000, 60);
  report (&t, 20 * MS, 0.0, 0, SEC);
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, 20500);

  report (&t, -1, 0.0, 0, 0);
  report (&t, 20 * MS, NAN, 0, 0);
  report (&t, 20 * MS, -0.1, 0, 0);
  report (&t, 20 * MS, 1.5, 0, 0);
  report (&t, 20 * MS, INFINITY, 0, 0);
  report (&t, 20 * MS, 0.0, -5, 0);
  report (&t, G_MAXINT64, 0.0, 0, 0);
  report (&t, 20 * MS, 0.0, G_MAXINT64, 0);
  before = t.now;
  t.now -= 2 * SEC;
  report (&t, 1 * MS, 0.0, 0, 0);
  t.now = before;

  g_assert_cmpuint (wavry_rift_delta_get_rejected (t.delta), ==, 9);
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, 20500);
  g_assert_cmpint (wavry_rift_delta_get_rtt_min (t.delta), ==, 20 * MS);
  g_assert_cmpfloat (wavry_rift_delta_get_smoothed_rtt (t.delta), ==, 20 * MS);

  /* Good samples still work afterwards. */
  report (&t, 20 * MS, 0.0, 0, SEC);
  g_assert_cmpuint (wavry_rift_delta_get_bitrate_kbps (t.delta), ==, 21000);
  trace_clear (&t);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/core/delta/config-defaults", test_config_defaults);
  g_test_add_func ("/wavry/core/delta/new-free", test_new_free);
  g_test_add_func ("/wavry/core/delta/clean-path-rises-to-max", test_clean_path_rises_to_max);
  g_test_add_func ("/wavry/core/delta/congested-jump", test_congested_jump);
  g_test_add_func ("/wavry/core/delta/congested-ramp", test_congested_ramp);
  g_test_add_func ("/wavry/core/delta/next-fps", test_next_fps);
  g_test_add_func ("/wavry/core/delta/fps-steps-down-only", test_fps_steps_down_only);
  g_test_add_func ("/wavry/core/delta/fps-timer-restarts", test_fps_timer_restarts);
  g_test_add_func ("/wavry/core/delta/rising-holds-alpha-one", test_rising_holds_alpha_one);
  g_test_add_func ("/wavry/core/delta/epsilon-fallback", test_epsilon_fallback);
  g_test_add_func ("/wavry/core/delta/rtt-min-window", test_rtt_min_window);
  g_test_add_func ("/wavry/core/delta/fec-loss", test_fec_loss);
  g_test_add_func ("/wavry/core/delta/fec-jitter-and-decay", test_fec_jitter_and_decay);
  g_test_add_func ("/wavry/core/delta/bounds-random", test_bounds_random);
  g_test_add_func ("/wavry/core/delta/rejects-malformed", test_rejects_malformed);

  return g_test_run ();
}
