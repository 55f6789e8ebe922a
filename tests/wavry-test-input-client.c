/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-test-input-client.h"

struct _WavryTestInputClient
{
  GSubprocess      *process;
  GDataInputStream *in;
  GPtrArray        *lines;
  GCancellable     *cancellable;
  gboolean          pending;
};

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  WavryTestInputClient *self = user_data;
  char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result,
                                                     NULL, NULL);

  self->pending = FALSE;
  if (line != NULL)
    {
      g_test_message ("input client: %s", line);
      g_ptr_array_add (self->lines, line);
    }
}

WavryTestInputClient *
wavry_test_input_client_new (GSubprocess *process)
{
  WavryTestInputClient *self = g_new0 (WavryTestInputClient, 1);

  self->process = process;
  self->in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  self->lines = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  return self;
}

static const char *
find (WavryTestInputClient *self,
      const char           *prefix)
{
  for (guint i = 0; i < self->lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (self->lines, i), prefix))
      return g_ptr_array_index (self->lines, i);
  return NULL;
}

static void
pump (WavryTestInputClient *self)
{
  if (!self->pending)
    {
      self->pending = TRUE;
      g_data_input_stream_read_line_async (self->in, G_PRIORITY_DEFAULT, self->cancellable,
                                           on_line, self);
    }
  g_main_context_iteration (NULL, FALSE);
  g_usleep (2000);
}

const char *
wavry_test_input_client_wait_line (WavryTestInputClient *self,
                                   const char           *prefix,
                                   guint                 timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  const char *line;

  while ((line = find (self, prefix)) == NULL && g_get_monotonic_time () < deadline)
    pump (self);
  return line;
}

guint
wavry_test_input_client_count (WavryTestInputClient *self,
                               const char           *prefix)
{
  guint n = 0;

  for (guint i = 0; i < self->lines->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (self->lines, i), prefix);
  return n;
}

void
wavry_test_input_client_settle (WavryTestInputClient *self,
                                guint                 ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    pump (self);
}

void
wavry_test_input_client_free (WavryTestInputClient *self)
{
  g_subprocess_force_exit (self->process);
  g_subprocess_wait (self->process, NULL, NULL);
  g_cancellable_cancel (self->cancellable);
  while (self->pending)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&self->in);
  g_clear_object (&self->process);
  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->lines);
  g_free (self);
}
