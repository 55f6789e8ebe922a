/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include "wavry-client-media.h"
#include "wavry-input-capture.h"

G_BEGIN_DECLS

/* Sends what the stream window captures to the host (PROTOCOL.md §5
 * InputMessage) through the client pipeline, at once: input never waits
 * behind video. Call from the connection's thread (the main context). */
#define WAVRY_TYPE_CLIENT_INPUT_SINK (wavry_client_input_sink_get_type ())
G_DECLARE_FINAL_TYPE (WavryClientInputSink, wavry_client_input_sink, WAVRY, CLIENT_INPUT_SINK, GObject)

WavryInputSink *wavry_client_input_sink_new (WavryClientMedia *media);

G_END_DECLS
