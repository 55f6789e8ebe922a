/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <stdlib.h>

#include "wavry-bench-util.h"
#include "wavry-mutter-session.h"
#include "wavry-test-mutter.h"

/* GNOME (mutter --headless) session costs, on a private compositor started
 * by the test helper:
 *   setup     wavry_mutter_session_new() with input until the PipeWire node
 *             id is known (RemoteDesktop + ScreenCast sessions, Start);
 *   latency   one pointer motion sent and answered by mutter
 *             (wavry_mutter_session_pointer_move() + flush_input());
 *   rate      pointer motions sent back to back, then one flush. */

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (double *v,
            guint   n,
            double  p)
{
  qsort (v, n, sizeof *v, cmp_double);
  return v[MIN (n - 1, (guint) (p * n))];
}

int
main (int   argc,
      char *argv[])
{
  gboolean quick = FALSE;
  const GOptionEntry entries[] = {
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick, "3 setups, 200 pings, 2000 motions (smoke test)", NULL },
    { NULL }
  };
  guint setups, pings, burst;
  g_autofree char *cmd = wavry_bench_command_line (argc, argv);
  g_autofree char *cpu = wavry_bench_cpu_model ();
  g_autofree double *setup_ms = NULL;
  g_autofree double *ping_us = NULL;
  g_autoptr(GError) error = NULL;
  WavryMutterSession *session = NULL;
  WavryTestMutter *env;
  gint64 t0;
  double rate;

  wavry_bench_parse (&argc, &argv, "bench-mutter-input",
                     "GNOME session setup and input injection against a private headless mutter.",
                     entries);
  setups = quick ? 3 : 10;
  pings = quick ? 200 : 2000;
  burst = quick ? 2000 : 20000;
  setup_ms = g_new0 (double, setups);
  ping_us = g_new0 (double, pings);

  env = wavry_test_mutter_start (TRUE);
  if (env == NULL)
    wavry_bench_die ("bench-mutter-input: mutter, pipewire, wireplumber or dbus-daemon is missing or did not start");

  for (guint i = 0; i < setups; i++)
    {
      t0 = g_get_monotonic_time ();
      session = wavry_mutter_session_new (wavry_test_mutter_get_bus (env), NULL, TRUE, &error);
      if (session == NULL)
        wavry_bench_die ("bench-mutter-input: %s", error->message);
      setup_ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
      if (i + 1 < setups)
        g_clear_pointer (&session, wavry_mutter_session_free);
    }

  for (guint i = 0; i < pings; i++)
    {
      t0 = g_get_monotonic_time ();
      if (!wavry_mutter_session_pointer_move (session, i % 1280, i % 720, &error) ||
          !wavry_mutter_session_flush_input (session, 5000, &error))
        wavry_bench_die ("bench-mutter-input: %s", error->message);
      ping_us[i] = (double) (g_get_monotonic_time () - t0);
    }

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < burst; i++)
    if (!wavry_mutter_session_pointer_move (session, i % 1280, (i * 7) % 720, &error))
      wavry_bench_die ("bench-mutter-input: %s", error->message);
  if (!wavry_mutter_session_flush_input (session, 60000, &error))
    wavry_bench_die ("bench-mutter-input: %s", error->message);
  rate = burst / ((g_get_monotonic_time () - t0) / 1e6);
  if (wavry_mutter_session_get_input_errors (session) != 0)
    wavry_bench_die ("bench-mutter-input: mutter refused %u input events",
                     wavry_mutter_session_get_input_errors (session));

  g_print ("# %s\n# CPU: %s\n", cmd, cpu);
  g_print ("setup (new, with input, until the node id): median %.1f ms, max %.1f ms over %u\n",
           percentile (setup_ms, setups, 0.5), percentile (setup_ms, setups, 1.0), setups);
  g_print ("pointer motion answered by mutter: median %.0f us, p99 %.0f us over %u\n",
           percentile (ping_us, pings, 0.5), percentile (ping_us, pings, 0.99), pings);
  g_print ("pointer motions back to back: %.0f events/s over %u\n", rate, burst);

  wavry_mutter_session_free (session);
  wavry_test_mutter_stop (env);
  return 0;
}
