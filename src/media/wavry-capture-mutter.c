/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-capture-mutter.h"
#include "wavry-capture-pipewire.h"
#include "wavry-mutter-session.h"

#define RELAY_POLL_US (100 * G_TIME_SPAN_MILLISECOND)

struct _WavryCaptureMutter
{
  WavryCapture        parent_instance;

  char               *connector;
  gboolean            with_input;
  WavryMutterSession *session;
  WavryCapture       *inner;     /* the PipeWire capture of the session's node */
  GThread            *relay;
  gint                stopping;  /* atomic */
};

G_DEFINE_FINAL_TYPE (WavryCaptureMutter, wavry_capture_mutter, WAVRY_TYPE_CAPTURE)

/* Hands the inner capture's frames on; its end (mutter closed the screen
 * cast, the node went away) ends this source too. */
static gpointer
relay_thread (gpointer data)
{
  WavryCaptureMutter *self = data;

  while (!g_atomic_int_get (&self->stopping))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WavryVideoFrame) frame = NULL;

      frame = wavry_capture_wait_frame (self->inner, g_get_monotonic_time () + RELAY_POLL_US,
                                        &error);
      if (frame != NULL)
        wavry_capture_push_frame (WAVRY_CAPTURE (self), frame);
      else if (error != NULL)
        {
          if (!g_atomic_int_get (&self->stopping))
            wavry_capture_push_end (WAVRY_CAPTURE (self), error);
          break;
        }
    }
  return NULL;
}

static gboolean
wavry_capture_mutter_start (WavryCapture  *capture,
                            GError       **error)
{
  WavryCaptureMutter *self = WAVRY_CAPTURE_MUTTER (capture);
  g_autofree char *target = NULL;
  g_autofree char *description = NULL;
  guint width = 0, height = 0;

  self->session = wavry_mutter_session_new (NULL, self->connector, self->with_input, error);
  if (self->session == NULL)
    return FALSE;

  target = g_strdup_printf ("%u", wavry_mutter_session_get_node_id (self->session));
  self->inner = wavry_capture_pipewire_new (target, error);
  if (self->inner == NULL || !wavry_capture_start (self->inner, error))
    {
      g_clear_object (&self->inner);
      g_clear_pointer (&self->session, wavry_mutter_session_free);
      return FALSE;
    }

  wavry_mutter_session_get_size (self->session, &width, &height);
  {
    const char *connector = wavry_mutter_session_get_connector (self->session);

    if (connector != NULL && *connector != '\0')
      description = g_strdup_printf (_("GNOME screen %s (%u×%u)"), connector, width, height);
    else
      description = g_strdup_printf (_("GNOME screen (%u×%u)"), width, height);
  }
  wavry_capture_set_description (capture, description);

  self->relay = g_thread_new ("wavry-mutter-capture", relay_thread, self);
  return TRUE;
}

static void
wavry_capture_mutter_stop (WavryCapture *capture)
{
  WavryCaptureMutter *self = WAVRY_CAPTURE_MUTTER (capture);

  g_atomic_int_set (&self->stopping, TRUE);
  if (self->inner != NULL)
    {
      wavry_capture_interrupt (self->inner);
      wavry_capture_stop (self->inner);
    }
  if (self->relay != NULL)
    g_thread_join (g_steal_pointer (&self->relay));
  g_clear_object (&self->inner);
  g_clear_pointer (&self->session, wavry_mutter_session_free);
}

static void
wavry_capture_mutter_finalize (GObject *object)
{
  WavryCaptureMutter *self = WAVRY_CAPTURE_MUTTER (object);

  g_free (self->connector);

  G_OBJECT_CLASS (wavry_capture_mutter_parent_class)->finalize (object);
}

static void
wavry_capture_mutter_class_init (WavryCaptureMutterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  WavryCaptureClass *capture_class = WAVRY_CAPTURE_CLASS (klass);

  object_class->finalize = wavry_capture_mutter_finalize;
  capture_class->start = wavry_capture_mutter_start;
  capture_class->stop = wavry_capture_mutter_stop;
}

static void
wavry_capture_mutter_init (WavryCaptureMutter *self)
{
}

WavryCapture *
wavry_capture_mutter_new (const char *connector,
                          guint       fps)
{
  WavryCaptureMutter *self = g_object_new (WAVRY_TYPE_CAPTURE_MUTTER, NULL);
  g_autofree char *description = NULL;

  self->connector = g_strdup (connector != NULL && *connector != '\0' ? connector : NULL);
  if (self->connector != NULL)
    description = g_strdup_printf (_("GNOME screen %s"), self->connector);
  else
    description = g_strdup (_("GNOME screen"));
  wavry_capture_set_description (WAVRY_CAPTURE (self), description);
  return WAVRY_CAPTURE (self);
}

void
wavry_capture_mutter_set_with_input (WavryCaptureMutter *self,
                                     gboolean            with_input)
{
  g_return_if_fail (WAVRY_IS_CAPTURE_MUTTER (self));
  self->with_input = with_input;
}

WavryMutterSession *
wavry_capture_mutter_get_session (WavryCaptureMutter *self)
{
  g_return_val_if_fail (WAVRY_IS_CAPTURE_MUTTER (self), NULL);
  return self->session;
}
