/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-deadline-source.h"

static gboolean
deadline_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  /* One shot until re-armed: the callback sets the next deadline. */
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs deadline_funcs = {
  .dispatch = deadline_dispatch,
};

GSource *
wavry_deadline_source_new (GSourceFunc  callback,
                           gpointer     user_data,
                           const char  *name)
{
  GSource *source = g_source_new (&deadline_funcs, sizeof (GSource));

  g_source_set_callback (source, callback, user_data, NULL);
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_static_name (source, name);
  g_source_attach (source, g_main_context_get_thread_default ());

  return source;
}

void
wavry_deadline_source_set (GSource   *source,
                           WavryTime  deadline)
{
  /* Both count in g_get_monotonic_time () microseconds. */
  g_source_set_ready_time (source, deadline == G_MAXINT64 ? -1 : deadline);
}
