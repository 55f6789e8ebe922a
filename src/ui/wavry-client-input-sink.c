/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-client-input-sink.h"

struct _WavryClientInputSink
{
  GObject           parent_instance;

  WavryClientMedia *media;
};

static void wavry_client_input_sink_iface_init (WavryInputSinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WavryClientInputSink, wavry_client_input_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WAVRY_TYPE_INPUT_SINK,
                                                      wavry_client_input_sink_iface_init))

static void
sink_key (WavryInputSink *sink,
          guint           evdev_code,
          gboolean        pressed)
{
  wavry_client_media_send_key (WAVRY_CLIENT_INPUT_SINK (sink)->media, evdev_code, pressed);
}

static void
sink_pointer (WavryInputSink *sink,
              double          x,
              double          y)
{
  wavry_client_media_send_pointer (WAVRY_CLIENT_INPUT_SINK (sink)->media, x, y);
}

static void
sink_button (WavryInputSink *sink,
             guint           evdev_button,
             gboolean        pressed)
{
  wavry_client_media_send_button (WAVRY_CLIENT_INPUT_SINK (sink)->media, evdev_button, pressed);
}

static void
sink_scroll (WavryInputSink *sink,
             int             dx,
             int             dy)
{
  wavry_client_media_send_scroll (WAVRY_CLIENT_INPUT_SINK (sink)->media, dx, dy);
}

static void
wavry_client_input_sink_iface_init (WavryInputSinkInterface *iface)
{
  iface->key = sink_key;
  iface->pointer = sink_pointer;
  iface->button = sink_button;
  iface->scroll = sink_scroll;
}

static void
wavry_client_input_sink_dispose (GObject *object)
{
  g_clear_object (&WAVRY_CLIENT_INPUT_SINK (object)->media);

  G_OBJECT_CLASS (wavry_client_input_sink_parent_class)->dispose (object);
}

static void
wavry_client_input_sink_class_init (WavryClientInputSinkClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wavry_client_input_sink_dispose;
}

static void
wavry_client_input_sink_init (WavryClientInputSink *self)
{
}

WavryInputSink *
wavry_client_input_sink_new (WavryClientMedia *media)
{
  WavryClientInputSink *self;

  g_return_val_if_fail (WAVRY_IS_CLIENT_MEDIA (media), NULL);

  self = g_object_new (WAVRY_TYPE_CLIENT_INPUT_SINK, NULL);
  self->media = g_object_ref (media);
  return WAVRY_INPUT_SINK (self);
}
