/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <stdlib.h>

#include "wavry-bench-util.h"
#include "wavry-input-injector-portal.h"
#include "wavry-test-portal.h"

/* Desktop-portal remote control costs, against the tests' fake
 * org.freedesktop.portal.Desktop (an in-process thread) on a private
 * dbus-daemon: what WavryInputInjectorPortal and D-Bus add, not what a real
 * xdg-desktop-portal and compositor add on top.
 *   setup     wavry_input_injector_portal_new(): CreateSession,
 *             SelectDevices, SelectSources, Start, each with its Response;
 *   latency   one pointer motion from the call until the portal has it;
 *   rate      pointer motions sent back to back until the portal has all. */

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
  guint setups, pings, burst, base;
  g_autofree char *cmd = wavry_bench_command_line (argc, argv);
  g_autofree char *cpu = wavry_bench_cpu_model ();
  g_autofree char *bus_dir = NULL;
  g_autofree double *setup_ms = NULL;
  g_autofree double *ping_us = NULL;
  g_autoptr(GError) error = NULL;
  WavryInputInjector *injector = NULL;
  WavryTestPortal *fake;
  GPid bus_pid;
  gint64 t0;
  double rate;

  wavry_bench_parse (&argc, &argv, "bench-portal-input",
                     "Desktop-portal remote control (RemoteDesktop) setup and input against a "
                     "fake portal on a private bus.",
                     entries);
  setups = quick ? 3 : 20;
  pings = quick ? 200 : 5000;
  burst = quick ? 2000 : 50000;
  setup_ms = g_new0 (double, setups);
  ping_us = g_new0 (double, pings);

  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  bus_pid = wavry_test_portal_bus_start (&bus_dir, &error);
  if (bus_pid == 0)
    wavry_bench_die ("bench-portal-input: %s", error->message);
  fake = wavry_test_portal_new (0, 3, TRUE);

  for (guint i = 0; i < setups; i++)
    {
      t0 = g_get_monotonic_time ();
      injector = wavry_input_injector_portal_new (NULL, NULL, &error);
      if (injector == NULL)
        wavry_bench_die ("bench-portal-input: %s", error->message);
      setup_ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
      if (i + 1 < setups)
        g_clear_object (&injector);
    }

  /* The last setup's calls (and the closes of the others) come first. */
  base = 5 * setups - 1;
  g_free (wavry_test_portal_call_at (fake, base - 1));
  for (guint i = 0; i < pings; i++)
    {
      t0 = g_get_monotonic_time ();
      if (!wavry_input_injector_pointer_move (injector, (i % 100) / 100.0, 0.5, &error))
        wavry_bench_die ("bench-portal-input: %s", error->message);
      {
        g_autofree char *call = wavry_test_portal_call_at (fake, base + i);

        if (!g_str_has_prefix (call, "RemoteDesktop.NotifyPointerMotionAbsolute "))
          wavry_bench_die ("bench-portal-input: unexpected call %s", call);
      }
      ping_us[i] = (double) (g_get_monotonic_time () - t0);
      g_main_context_iteration (NULL, FALSE);
    }
  base += pings;

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < burst; i++)
    if (!wavry_input_injector_pointer_move (injector, (i % 1000) / 1000.0, 0.25, &error))
      wavry_bench_die ("bench-portal-input: %s", error->message);
  g_free (wavry_test_portal_call_at (fake, base + burst - 1));
  rate = burst / ((g_get_monotonic_time () - t0) / 1e6);
  wavry_test_portal_drain ();
  if (wavry_input_injector_portal_get_failed (WAVRY_INPUT_INJECTOR_PORTAL (injector)) != 0)
    wavry_bench_die ("bench-portal-input: the portal refused %u calls",
                     wavry_input_injector_portal_get_failed (WAVRY_INPUT_INJECTOR_PORTAL (injector)));

  g_print ("# %s\n# CPU: %s\n", cmd, cpu);
  g_print ("setup (CreateSession ... Start, fake portal): median %.2f ms, max %.2f ms over %u\n",
           percentile (setup_ms, setups, 0.5), percentile (setup_ms, setups, 1.0), setups);
  g_print ("pointer motion until the portal has it: median %.0f us, p99 %.0f us over %u\n",
           percentile (ping_us, pings, 0.5), percentile (ping_us, pings, 0.99), pings);
  g_print ("pointer motions back to back: %.0f events/s over %u\n", rate, burst);

  g_clear_object (&injector);
  wavry_test_portal_drain ();
  wavry_test_portal_free (fake);
  wavry_test_portal_bus_stop (bus_pid, bus_dir);
  return 0;
}
