/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-test-pipewire-source.h"

#include <errno.h>

#include <gio/gio.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wswitch-default"
#pragma GCC diagnostic ignored "-Wcast-align"
#include <pipewire/pipewire.h>
#include <spa/param/video/format-utils.h>
#include <spa/pod/builder.h>
#include <spa/utils/result.h>
#pragma GCC diagnostic pop

struct _WavryTestPipewireSource
{
  guint                  width;
  guint                  height;
  guint                  fps;
  guint32                rgb;
  struct pw_thread_loop *loop;
  struct pw_context     *context;
  struct pw_core        *core;
  struct pw_stream      *stream;
  struct spa_hook        stream_listener;
  struct spa_source     *timer;
  guint32                node_id;
  gboolean               failed;
};

static void
on_timeout (void     *data,
            uint64_t  expirations)
{
  WavryTestPipewireSource *src = data;

  pw_stream_trigger_process (src->stream);
}

static void
on_process (void *data)
{
  WavryTestPipewireSource *src = data;
  struct pw_buffer *b = pw_stream_dequeue_buffer (src->stream);
  struct spa_data *d;
  gsize size = (gsize) src->width * 4 * src->height;

  if (b == NULL)
    return;
  d = &b->buffer->datas[0];
  if (d->data != NULL && d->maxsize >= size)
    {
      guint32 *pixel = d->data;

      /* BGRx in memory is 0xXXRRGGBB read as a little-endian word. */
      for (gsize i = 0; i < size / 4; i++)
        pixel[i] = GUINT32_TO_LE (src->rgb);
      d->chunk->offset = 0;
      d->chunk->size = size;
      d->chunk->stride = src->width * 4;
    }
  else
    {
      d->chunk->offset = 0;
      d->chunk->size = 0;
      d->chunk->stride = 0;
    }
  pw_stream_queue_buffer (src->stream, b);
}

static void
on_state_changed (void                 *data,
                  enum pw_stream_state  old,
                  enum pw_stream_state  state,
                  const char           *error)
{
  WavryTestPipewireSource *src = data;
  struct timespec value = { 0, 1 }, interval = { 0, SPA_NSEC_PER_SEC / src->fps };

  if (state == PW_STREAM_STATE_PAUSED || state == PW_STREAM_STATE_STREAMING)
    {
      src->node_id = pw_stream_get_node_id (src->stream);
      pw_thread_loop_signal (src->loop, FALSE);
    }
  if (state == PW_STREAM_STATE_ERROR)
    {
      src->failed = TRUE;
      pw_thread_loop_signal (src->loop, FALSE);
    }
  if (state == PW_STREAM_STATE_STREAMING)
    pw_loop_update_timer (pw_thread_loop_get_loop (src->loop), src->timer, &value, &interval, FALSE);
  else
    pw_loop_update_timer (pw_thread_loop_get_loop (src->loop), src->timer, NULL, NULL, FALSE);
}

static void
on_param_changed (void                 *data,
                  uint32_t              id,
                  const struct spa_pod *param)
{
  WavryTestPipewireSource *src = data;
  guint8 buffer[1024];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (buffer, sizeof buffer);
  const struct spa_pod *params[1];

  if (id != SPA_PARAM_Format || param == NULL)
    return;
  params[0] = spa_pod_builder_add_object (&b,
    SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers,
    SPA_PARAM_BUFFERS_buffers, SPA_POD_CHOICE_RANGE_Int (4, 2, 8),
    SPA_PARAM_BUFFERS_blocks, SPA_POD_Int (1),
    SPA_PARAM_BUFFERS_size, SPA_POD_Int (src->width * 4 * src->height),
    SPA_PARAM_BUFFERS_stride, SPA_POD_Int (src->width * 4),
    SPA_PARAM_BUFFERS_dataType, SPA_POD_CHOICE_FLAGS_Int (1 << SPA_DATA_MemFd));
  pw_stream_update_params (src->stream, params, 1);
}

static const struct pw_stream_events stream_events = {
  PW_VERSION_STREAM_EVENTS,
  .state_changed = on_state_changed,
  .param_changed = on_param_changed,
  .process = on_process,
};

WavryTestPipewireSource *
wavry_test_pipewire_source_new (guint     width,
                                guint     height,
                                guint     fps,
                                guint32   rgb,
                                GError  **error)
{
  g_autoptr(WavryTestPipewireSource) src = g_new0 (WavryTestPipewireSource, 1);
  guint8 buffer[1024];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (buffer, sizeof buffer);
  const struct spa_pod *params[1];
  struct timespec deadline;
  int res;

  pw_init (NULL, NULL);
  src->width = width;
  src->height = height;
  src->fps = MAX (fps, 1);
  src->rgb = rgb & 0xffffff;
  src->node_id = SPA_ID_INVALID;
  src->loop = pw_thread_loop_new ("wavry-test-source", NULL);
  src->context = pw_context_new (pw_thread_loop_get_loop (src->loop), NULL, 0);
  if (pw_thread_loop_start (src->loop) < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot start a PipeWire loop");
      return NULL;
    }
  pw_thread_loop_lock (src->loop);
  src->core = pw_context_connect (src->context, NULL, 0);
  if (src->core == NULL)
    {
      pw_thread_loop_unlock (src->loop);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot connect to PipeWire: %s",
                   g_strerror (errno));
      return NULL;
    }
  src->timer = pw_loop_add_timer (pw_thread_loop_get_loop (src->loop), on_timeout, src);
  src->stream = pw_stream_new (src->core, "wavry-test-screen",
                               pw_properties_new (PW_KEY_MEDIA_CLASS, "Video/Source",
                                                  PW_KEY_NODE_NAME, "wavry-test-screen",
                                                  NULL));
  pw_stream_add_listener (src->stream, &src->stream_listener, &stream_events, src);
  params[0] = spa_pod_builder_add_object (&b,
    SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat,
    SPA_FORMAT_mediaType, SPA_POD_Id (SPA_MEDIA_TYPE_video),
    SPA_FORMAT_mediaSubtype, SPA_POD_Id (SPA_MEDIA_SUBTYPE_raw),
    SPA_FORMAT_VIDEO_format, SPA_POD_Id (SPA_VIDEO_FORMAT_BGRx),
    SPA_FORMAT_VIDEO_size, SPA_POD_Rectangle (&SPA_RECTANGLE (width, height)),
    SPA_FORMAT_VIDEO_framerate, SPA_POD_Fraction (&SPA_FRACTION (src->fps, 1)));
  res = pw_stream_connect (src->stream, PW_DIRECTION_OUTPUT, PW_ID_ANY,
                           PW_STREAM_FLAG_DRIVER | PW_STREAM_FLAG_MAP_BUFFERS, params, 1);
  pw_thread_loop_get_time (src->loop, &deadline, 5 * SPA_NSEC_PER_SEC);
  while (res >= 0 && src->node_id == SPA_ID_INVALID && !src->failed)
    if (pw_thread_loop_timed_wait_full (src->loop, &deadline) < 0)
      break;
  pw_thread_loop_unlock (src->loop);
  if (res < 0 || src->failed || src->node_id == SPA_ID_INVALID)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the test source node did not appear (%s)",
                   res < 0 ? spa_strerror (res) : "no node within 5 s");
      return NULL;
    }
  return g_steal_pointer (&src);
}

guint32
wavry_test_pipewire_source_get_node_id (WavryTestPipewireSource *src)
{
  return src->node_id;
}

void
wavry_test_pipewire_source_free (WavryTestPipewireSource *src)
{
  if (src == NULL)
    return;
  /* The timer and the loop thread first: a queued trigger must not find a
   * destroyed stream. */
  if (src->loop != NULL)
    {
      pw_thread_loop_lock (src->loop);
      if (src->timer != NULL)
        pw_loop_update_timer (pw_thread_loop_get_loop (src->loop), src->timer, NULL, NULL, FALSE);
      if (src->stream != NULL)
        pw_stream_disconnect (src->stream);
      pw_thread_loop_unlock (src->loop);
      pw_thread_loop_stop (src->loop);
    }
  if (src->stream != NULL)
    {
      spa_hook_remove (&src->stream_listener);
      pw_stream_destroy (src->stream);
    }
  if (src->timer != NULL)
    pw_loop_destroy_source (pw_thread_loop_get_loop (src->loop), src->timer);
  if (src->core != NULL)
    pw_core_disconnect (src->core);
  if (src->context != NULL)
    pw_context_destroy (src->context);
  if (src->loop != NULL)
    pw_thread_loop_destroy (src->loop);
  g_free (src);
}
