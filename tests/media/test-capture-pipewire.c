/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#include <string.h>

#include <gio/gio.h>
#include <gio/gunixfdlist.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wswitch-default"
#pragma GCC diagnostic ignored "-Wcast-align"
#include <pipewire/pipewire.h>
#include <spa/param/video/format-utils.h>
#include <spa/pod/builder.h>
#pragma GCC diagnostic pop

#include "wavry-capture-pipewire.h"
#include "wavry-media-error.h"
#include "wavry-test-pipewire.h"
#include "wavry-test-portal.h"

#define WIDTH 320
#define HEIGHT 240
#define FPS 30
/* The producer marks every frame whose counter is ≡ 3 (mod 4) corrupted. */
#define CORRUPTED_EVERY 4
/* Bytes of padding before the first plane, to check chunk offsets. */
#define CHUNK_OFFSET 128

static WavryTestPipewire *daemons;
/* Why the daemons did not start ("needs pipewire: “pipewire” is not installed"). */
static char *daemons_missing;

/* --------------------------------------------------------------------------
 * The pattern: frame counter c (mod 256) in every pixel
 * -------------------------------------------------------------------------- */

static guint8
luma_at (guint x, guint y, guint c)
{
  return (x + 2 * y + c) & 0xff;
}

static guint8
u_at (guint x, guint c)
{
  return (x * 4 + c) & 0xff;
}

static guint8
v_at (guint y, guint c)
{
  return (y * 4 + 128 + c) & 0xff;
}

/* BGRx and RGBx carry the same bytes here: only the label differs. */
static gboolean
packed (WavryPixelFormat format)
{
  return format == WAVRY_PIXEL_FORMAT_BGRX || format == WAVRY_PIXEL_FORMAT_RGBX;
}

static gsize
source_stride (WavryPixelFormat format, guint width)
{
  /* Deliberately padded, to check that the stride is honoured. */
  return packed (format) ? width * 4 + 64 : width + 32;
}

static gsize
source_size (WavryPixelFormat format, guint width, guint height)
{
  gsize stride = source_stride (format, width);

  if (packed (format))
    return stride * height;
  return stride * height + stride * (height / 2);  /* NV12: UV rows; I420: U + V at stride/2 */
}

static void
fill (WavryPixelFormat format, guint width, guint height, guint8 *base, guint c)
{
  gsize stride = source_stride (format, width);

  if (packed (format))
    {
      for (guint y = 0; y < height; y++)
        for (guint x = 0; x < width; x++)
          {
            guint8 *p = base + y * stride + x * 4;
            p[0] = (x * 3 + c) & 0xff;
            p[1] = (y * 5 + c) & 0xff;
            p[2] = c & 0xff;
            p[3] = 0xff;
          }
      return;
    }

  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      base[y * stride + x] = luma_at (x, y, c);
  base += stride * height;
  if (format == WAVRY_PIXEL_FORMAT_NV12)
    {
      for (guint y = 0; y < height / 2; y++)
        for (guint x = 0; x < width / 2; x++)
          {
            base[y * stride + 2 * x] = u_at (x, c);
            base[y * stride + 2 * x + 1] = v_at (y, c);
          }
    }
  else
    {
      gsize cstride = stride / 2;
      for (guint y = 0; y < height / 2; y++)
        for (guint x = 0; x < width / 2; x++)
          {
            base[y * cstride + x] = u_at (x, c);
            base[(height / 2) * cstride + y * cstride + x] = v_at (y, c);
          }
    }
}

/* Checks every pixel of @frame against the pattern; returns the counter. */
static guint
check_frame_size (WavryVideoFrame *frame, WavryPixelFormat format, guint width, guint height)
{
  guint c;

  g_assert_cmpint (wavry_video_frame_get_format (frame), ==, format);
  g_assert_cmpuint (wavry_video_frame_get_width (frame), ==, width);
  g_assert_cmpuint (wavry_video_frame_get_height (frame), ==, height);

  if (packed (format))
    {
      const guint8 *data = wavry_video_frame_get_data (frame, 0);
      gsize stride = wavry_video_frame_get_stride (frame, 0);

      c = data[2];
      for (guint y = 0; y < height; y++)
        for (guint x = 0; x < width; x++)
          {
            const guint8 *p = data + y * stride + x * 4;
            if (p[0] != ((x * 3 + c) & 0xff) || p[1] != ((y * 5 + c) & 0xff) ||
                p[2] != c || p[3] != 0xff)
              g_error ("pixel (%u, %u) of frame %u is %02x%02x%02x%02x", x, y, c,
                       p[0], p[1], p[2], p[3]);
          }
      return c;
    }

  {
    const guint8 *y_plane = wavry_video_frame_get_data (frame, 0);
    gsize y_stride = wavry_video_frame_get_stride (frame, 0);

    c = y_plane[0];
    for (guint y = 0; y < height; y++)
      for (guint x = 0; x < width; x++)
        if (y_plane[y * y_stride + x] != luma_at (x, y, c))
          g_error ("luma (%u, %u) of frame %u is %u", x, y, c, y_plane[y * y_stride + x]);

    for (guint y = 0; y < height / 2; y++)
      for (guint x = 0; x < width / 2; x++)
        {
          guint8 u, v;

          if (format == WAVRY_PIXEL_FORMAT_NV12)
            {
              const guint8 *uv = wavry_video_frame_get_data (frame, 1) +
                                 y * wavry_video_frame_get_stride (frame, 1);
              u = uv[2 * x];
              v = uv[2 * x + 1];
            }
          else
            {
              u = wavry_video_frame_get_data (frame, 1)[y * wavry_video_frame_get_stride (frame, 1) + x];
              v = wavry_video_frame_get_data (frame, 2)[y * wavry_video_frame_get_stride (frame, 2) + x];
            }
          if (u != u_at (x, c) || v != v_at (y, c))
            g_error ("chroma (%u, %u) of frame %u is %u,%u", x, y, c, u, v);
        }
  }
  return c;
}

static guint
check_frame (WavryVideoFrame *frame, WavryPixelFormat format)
{
  return check_frame_size (frame, format, WIDTH, HEIGHT);
}

/* --------------------------------------------------------------------------
 * A Video/Source node producing the pattern
 * -------------------------------------------------------------------------- */

typedef struct
{
  WavryPixelFormat       format;
  /* Buffers the producer allocates itself as unlinked temporary files labelled DMA-BUF with
   * a linear modifier: the consumer's DMA-BUF path (mmap + sync ioctl,
   * which a plain file refuses harmlessly) without a GPU. */
  gboolean               dmabuf;
  guint                  width;         /* requested; negotiated in the loop thread */
  guint                  height;
  guint                  buffer_width;  /* of the negotiated format */
  guint                  buffer_height;
  struct pw_thread_loop *loop;
  struct pw_context     *context;
  struct pw_core        *core;
  struct pw_stream      *stream;
  struct spa_hook        stream_listener;
  struct spa_source     *timer;
  guint32                node_id;
  guint                  counter;
  gboolean               failed;
} Source;

static void
source_on_timeout (void *data, uint64_t expirations)
{
  Source *src = data;

  pw_stream_trigger_process (src->stream);
}

static void
source_on_process (void *data)
{
  Source *src = data;
  struct pw_buffer *b = pw_stream_dequeue_buffer (src->stream);
  struct spa_buffer *buf;
  struct spa_data *d;
  struct spa_meta_header *h;
  guint c;

  if (b == NULL)
    return;
  buf = b->buffer;
  d = &buf->datas[0];
  c = src->counter++ & 0xff;

  if (d->data != NULL &&
      d->maxsize >= CHUNK_OFFSET + source_size (src->format, src->buffer_width, src->buffer_height))
    {
      fill (src->format, src->buffer_width, src->buffer_height, (guint8 *) d->data + CHUNK_OFFSET, c);
      d->chunk->offset = CHUNK_OFFSET;
      d->chunk->size = source_size (src->format, src->buffer_width, src->buffer_height);
      d->chunk->stride = source_stride (src->format, src->buffer_width);
    }
  else
    {
      /* A buffer of the previous size while renegotiating: send it empty. */
      d->chunk->offset = 0;
      d->chunk->size = 0;
      d->chunk->stride = 0;
    }

  h = spa_buffer_find_meta_data (buf, SPA_META_Header, sizeof *h);
  if (h != NULL)
    {
      /* When it is queued, on the monotonic clock (g_get_monotonic_time): the
       * test measures the delivery to the capture. */
      h->pts = g_get_monotonic_time () * SPA_NSEC_PER_USEC;
      h->seq = src->counter;
      h->flags = (c % CORRUPTED_EVERY == CORRUPTED_EVERY - 1) ? SPA_META_HEADER_FLAG_CORRUPTED : 0;
      h->dts_offset = 0;
    }
  pw_stream_queue_buffer (src->stream, b);
}

static void
source_on_state_changed (void *data, enum pw_stream_state old,
                         enum pw_stream_state state, const char *error)
{
  Source *src = data;
  struct timespec value = { 0, 1 }, interval = { 0, SPA_NSEC_PER_SEC / FPS };

  if (state == PW_STREAM_STATE_PAUSED || state == PW_STREAM_STATE_STREAMING)
    {
      src->node_id = pw_stream_get_node_id (src->stream);
      pw_thread_loop_signal (src->loop, FALSE);
    }
  if (state == PW_STREAM_STATE_ERROR)
    src->failed = TRUE;
  if (state == PW_STREAM_STATE_STREAMING)
    pw_loop_update_timer (pw_thread_loop_get_loop (src->loop), src->timer, &value, &interval, FALSE);
  else
    pw_loop_update_timer (pw_thread_loop_get_loop (src->loop), src->timer, NULL, NULL, FALSE);
}

static void
source_on_param_changed (void *data, uint32_t id, const struct spa_pod *param)
{
  Source *src = data;
  guint8 buffer[1024];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (buffer, sizeof buffer);
  const struct spa_pod *params[2];
  struct spa_video_info_raw info = { 0 };

  if (id != SPA_PARAM_Format || param == NULL)
    return;
  g_assert_cmpint (spa_format_video_raw_parse (param, &info), >=, 0);
  src->buffer_width = info.size.width;
  src->buffer_height = info.size.height;

  params[0] = spa_pod_builder_add_object (&b,
    SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers,
    SPA_PARAM_BUFFERS_buffers, SPA_POD_CHOICE_RANGE_Int (8, 2, 16),
    SPA_PARAM_BUFFERS_blocks, SPA_POD_Int (1),
    SPA_PARAM_BUFFERS_size, SPA_POD_Int (CHUNK_OFFSET + source_size (src->format, src->buffer_width,
                                                                     src->buffer_height)),
    SPA_PARAM_BUFFERS_stride, SPA_POD_Int (source_stride (src->format, src->buffer_width)),
    SPA_PARAM_BUFFERS_dataType, SPA_POD_CHOICE_FLAGS_Int (1 << (src->dmabuf ? SPA_DATA_DmaBuf
                                                                             : SPA_DATA_MemFd)));
  params[1] = spa_pod_builder_add_object (&b,
    SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
    SPA_PARAM_META_type, SPA_POD_Id (SPA_META_Header),
    SPA_PARAM_META_size, SPA_POD_Int (sizeof (struct spa_meta_header)));
  pw_stream_update_params (src->stream, params, 2);
}

static void
source_on_add_buffer (void *data, struct pw_buffer *b)
{
  Source *src = data;
  struct spa_data *d = &b->buffer->datas[0];
  gsize size = CHUNK_OFFSET + source_size (src->format, src->buffer_width, src->buffer_height);
  g_autofree char *path = NULL;
  int fd;

  if (!src->dmabuf)
    return;
  g_assert_true (d->type & (1 << SPA_DATA_DmaBuf));
  fd = g_file_open_tmp ("wavry-test-dmabuf-XXXXXX", &path, NULL);
  g_assert_cmpint (fd, >=, 0);
  g_unlink (path);
  g_assert_cmpint (ftruncate (fd, size), ==, 0);
  d->type = SPA_DATA_DmaBuf;
  d->flags = SPA_DATA_FLAG_READWRITE;
  d->fd = fd;
  d->mapoffset = 0;
  d->maxsize = size;
  d->data = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  g_assert_true (d->data != MAP_FAILED);
}

static void
source_on_remove_buffer (void *data, struct pw_buffer *b)
{
  Source *src = data;
  struct spa_data *d = &b->buffer->datas[0];

  if (!src->dmabuf)
    return;
  munmap (d->data, d->maxsize);
  close (d->fd);
  d->data = NULL;
  d->fd = -1;
}

static const struct pw_stream_events source_events = {
  PW_VERSION_STREAM_EVENTS,
  .add_buffer = source_on_add_buffer,
  .remove_buffer = source_on_remove_buffer,
  .state_changed = source_on_state_changed,
  .param_changed = source_on_param_changed,
  .process = source_on_process,
};

static const struct spa_pod *
source_enum_format (Source                 *src,
                    struct spa_pod_builder *b)
{
  struct spa_pod_frame f;
  guint32 spa_format = src->format == WAVRY_PIXEL_FORMAT_BGRX ? SPA_VIDEO_FORMAT_BGRx
                       : src->format == WAVRY_PIXEL_FORMAT_RGBX ? SPA_VIDEO_FORMAT_RGBx
                       : src->format == WAVRY_PIXEL_FORMAT_NV12 ? SPA_VIDEO_FORMAT_NV12
                       : SPA_VIDEO_FORMAT_I420;

  spa_pod_builder_push_object (b, &f, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat);
  spa_pod_builder_add (b,
    SPA_FORMAT_mediaType, SPA_POD_Id (SPA_MEDIA_TYPE_video),
    SPA_FORMAT_mediaSubtype, SPA_POD_Id (SPA_MEDIA_SUBTYPE_raw),
    SPA_FORMAT_VIDEO_format, SPA_POD_Id (spa_format),
    SPA_FORMAT_VIDEO_size, SPA_POD_Rectangle (&SPA_RECTANGLE (src->width, src->height)),
    SPA_FORMAT_VIDEO_framerate, SPA_POD_Fraction (&SPA_FRACTION (FPS, 1)),
    0);
  if (src->dmabuf)
    {
      spa_pod_builder_prop (b, SPA_FORMAT_VIDEO_modifier, SPA_POD_PROP_FLAG_MANDATORY);
      spa_pod_builder_long (b, 0);  /* DRM_FORMAT_MOD_LINEAR */
    }
  return spa_pod_builder_pop (b, &f);
}

/* Offers a new size, as a compositor does when the screen is resized. */
static void
source_resize (Source *src,
               guint   width,
               guint   height)
{
  guint8 buffer[1024];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (buffer, sizeof buffer);
  const struct spa_pod *params[1];

  pw_thread_loop_lock (src->loop);
  src->width = width;
  src->height = height;
  params[0] = source_enum_format (src, &b);
  pw_stream_update_params (src->stream, params, 1);
  pw_thread_loop_unlock (src->loop);
}

static Source *
source_new_full (WavryPixelFormat format,
                 gboolean         dmabuf)
{
  Source *src = g_new0 (Source, 1);
  guint8 buffer[1024];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (buffer, sizeof buffer);
  const struct spa_pod *params[1];
  g_autofree char *name = g_strdup_printf ("wavry-test-%s", wavry_pixel_format_to_string (format));
  struct timespec deadline;

  src->format = format;
  src->dmabuf = dmabuf;
  src->width = WIDTH;
  src->height = HEIGHT;
  src->node_id = SPA_ID_INVALID;
  src->loop = pw_thread_loop_new ("wavry-test-source", NULL);
  src->context = pw_context_new (pw_thread_loop_get_loop (src->loop), NULL, 0);
  g_assert_cmpint (pw_thread_loop_start (src->loop), ==, 0);
  pw_thread_loop_lock (src->loop);
  src->core = pw_context_connect (src->context, NULL, 0);
  g_assert_nonnull (src->core);
  src->timer = pw_loop_add_timer (pw_thread_loop_get_loop (src->loop), source_on_timeout, src);
  src->stream = pw_stream_new (src->core, name,
                               pw_properties_new (PW_KEY_MEDIA_CLASS, "Video/Source",
                                                  PW_KEY_NODE_NAME, name,
                                                  NULL));
  pw_stream_add_listener (src->stream, &src->stream_listener, &source_events, src);
  params[0] = source_enum_format (src, &b);
  g_assert_cmpint (pw_stream_connect (src->stream, PW_DIRECTION_OUTPUT, PW_ID_ANY,
                                      PW_STREAM_FLAG_DRIVER |
                                      (dmabuf ? PW_STREAM_FLAG_ALLOC_BUFFERS : PW_STREAM_FLAG_MAP_BUFFERS),
                                      params, 1), ==, 0);
  pw_thread_loop_get_time (src->loop, &deadline, 5 * SPA_NSEC_PER_SEC);
  while (src->node_id == SPA_ID_INVALID && !src->failed)
    if (pw_thread_loop_timed_wait_full (src->loop, &deadline) < 0)
      break;
  pw_thread_loop_unlock (src->loop);
  g_assert_false (src->failed);
  g_assert_cmpuint (src->node_id, !=, SPA_ID_INVALID);
  return src;
}

static Source *
source_new (WavryPixelFormat format)
{
  return source_new_full (format, FALSE);
}

static void
source_free (Source *src)
{
  /* Stop the timer and the loop thread first, then destroy the objects
   * with no thread running: a trigger queued by the last tick must not
   * find a destroyed stream. */
  pw_thread_loop_lock (src->loop);
  pw_loop_update_timer (pw_thread_loop_get_loop (src->loop), src->timer, NULL, NULL, FALSE);
  pw_stream_disconnect (src->stream);
  pw_thread_loop_unlock (src->loop);
  pw_thread_loop_stop (src->loop);

  spa_hook_remove (&src->stream_listener);
  pw_stream_destroy (src->stream);
  pw_loop_destroy_source (pw_thread_loop_get_loop (src->loop), src->timer);
  pw_core_disconnect (src->core);
  pw_context_destroy (src->context);
  pw_thread_loop_destroy (src->loop);
  g_free (src);
}

static WavryCapture *
capture_node (guint32 node_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = g_strdup_printf ("pipewire:%u", node_id);
  WavryCapture *capture = wavry_capture_new_for_spec (spec, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (WAVRY_IS_CAPTURE_PIPEWIRE (capture));
  g_assert_true (wavry_capture_start (capture, &error));
  g_assert_no_error (error);
  return capture;
}

static WavryVideoFrame *
wait_frame (WavryCapture *capture)
{
  g_autoptr(GError) error = NULL;
  WavryVideoFrame *frame =
    wavry_capture_wait_frame (capture, g_get_monotonic_time () + 10 * G_USEC_PER_SEC, &error);

  g_assert_no_error (error);
  g_assert_nonnull (frame);
  return frame;
}

/* --------------------------------------------------------------------------
 * Tests with the daemon
 * -------------------------------------------------------------------------- */

static void
check_capture (WavryPixelFormat format,
               gboolean         dmabuf)
{
  Source *src;
  g_autoptr(WavryCapture) capture = NULL;
  g_autofree char *expected = NULL;
  guint previous = G_MAXUINT;
  gint64 latency_sum = 0, latency_max = 0;

  if (daemons == NULL)
    {
      g_test_skip (daemons_missing);
      return;
    }

  src = source_new_full (format, dmabuf);
  capture = capture_node (src->node_id);

  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(WavryVideoFrame) frame = wait_frame (capture);
      guint c = check_frame (frame, format);
      gint64 latency;

      g_assert_cmpuint (c % CORRUPTED_EVERY, !=, CORRUPTED_EVERY - 1);
      g_assert_cmpuint (c, !=, previous);
      /* pts is when the producer queued the buffer: the frame reached the capture
       * after it, and not a second later. */
      latency = wavry_video_frame_get_capture_time (frame) - wavry_video_frame_get_pts (frame);
      g_assert_cmpint (wavry_video_frame_get_pts (frame), >, 0);
      g_assert_cmpint (latency, >=, 0);
      g_assert_cmpint (latency, <, G_USEC_PER_SEC);
      latency_sum += latency;
      latency_max = MAX (latency_max, latency);
      previous = c;
    }
  g_test_message ("producer queued → capture pushed: mean %" G_GINT64_FORMAT " µs, max %" G_GINT64_FORMAT
                  " µs over 8 frames (%s%s %u×%u)", latency_sum / 8, latency_max,
                  wavry_pixel_format_to_string (format), dmabuf ? " DMA-BUF" : "", WIDTH, HEIGHT);

  expected = g_strdup_printf ("PipeWire node %u (%u×%u %s%s)", src->node_id, WIDTH, HEIGHT,
                              format == WAVRY_PIXEL_FORMAT_BGRX ? "BGRx"
                              : format == WAVRY_PIXEL_FORMAT_RGBX ? "RGBx"
                              : format == WAVRY_PIXEL_FORMAT_NV12 ? "NV12" : "I420",
                              dmabuf ? ", DMA-BUF" : "");
  g_assert_cmpstr (wavry_capture_get_description (capture), ==, expected);

  wavry_capture_stop (capture);
  source_free (src);
}

static void
test_capture_bgrx (void)
{
  check_capture (WAVRY_PIXEL_FORMAT_BGRX, FALSE);
}

static void
test_capture_rgbx (void)
{
  check_capture (WAVRY_PIXEL_FORMAT_RGBX, FALSE);
}

static void
test_capture_nv12 (void)
{
  check_capture (WAVRY_PIXEL_FORMAT_NV12, FALSE);
}

static void
test_capture_i420 (void)
{
  check_capture (WAVRY_PIXEL_FORMAT_I420, FALSE);
}

static void
test_capture_dmabuf (void)
{
  check_capture (WAVRY_PIXEL_FORMAT_BGRX, TRUE);
}

/* The object.serial of node @node_id, from pw-dump; 0 when pw-dump is
 * missing or the serial is also some object's id (ids win). */
static gint64
node_serial (guint32 node_id)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pw-dump", NULL };
  JsonArray *objects;
  gint64 serial = 0;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return 0;
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  objects = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (objects); i++)
    {
      JsonObject *object = json_array_get_object_element (objects, i);
      JsonObject *info, *props;

      if (json_object_get_int_member (object, "id") != node_id)
        continue;
      info = json_object_get_object_member (object, "info");
      props = info != NULL ? json_object_get_object_member (info, "props") : NULL;
      if (props != NULL && json_object_has_member (props, "object.serial"))
        serial = json_object_get_int_member (props, "object.serial");
    }
  for (guint i = 0; i < json_array_get_length (objects); i++)
    if (json_object_get_int_member (json_array_get_object_element (objects, i), "id") == serial)
      return 0;
  return serial;
}

static void
test_by_serial (void)
{
  Source *src;
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *expected = NULL;
  gint64 serial;

  if (daemons == NULL)
    {
      g_test_skip (daemons_missing);
      return;
    }

  src = source_new (WAVRY_PIXEL_FORMAT_BGRX);
  serial = node_serial (src->node_id);
  if (serial <= 0)
    {
      g_test_skip ("pw-dump is missing, or the node's serial is also an id");
      source_free (src);
      return;
    }
  g_assert_cmpint (serial, !=, src->node_id);
  spec = g_strdup_printf ("pipewire:%" G_GINT64_FORMAT, serial);
  capture = wavry_capture_new_for_spec (spec, NULL, &error);
  g_assert_no_error (error);
  if (!wavry_capture_start (capture, &error))
    g_error ("%s", error->message);
  {
    g_autoptr(WavryVideoFrame) frame = wait_frame (capture);
    check_frame (frame, WAVRY_PIXEL_FORMAT_BGRX);
  }
  /* Described by its id. */
  expected = g_strdup_printf ("PipeWire node %u (%u×%u BGRx)", src->node_id, WIDTH, HEIGHT);
  g_assert_cmpstr (wavry_capture_get_description (capture), ==, expected);
  wavry_capture_stop (capture);
  source_free (src);
}

static void
test_resize (void)
{
  Source *src;
  g_autoptr(WavryCapture) capture = NULL;
  g_autofree char *expected = NULL;
  gint64 deadline;
  gboolean resized = FALSE;

  if (daemons == NULL)
    {
      g_test_skip (daemons_missing);
      return;
    }

  src = source_new (WAVRY_PIXEL_FORMAT_NV12);
  capture = capture_node (src->node_id);
  {
    g_autoptr(WavryVideoFrame) frame = wait_frame (capture);
    check_frame (frame, WAVRY_PIXEL_FORMAT_NV12);
  }

  /* The capture follows the new size without ending. */
  source_resize (src, 640, 360);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!resized && g_get_monotonic_time () < deadline)
    {
      g_autoptr(WavryVideoFrame) frame = wait_frame (capture);

      if (wavry_video_frame_get_width (frame) == WIDTH)
        check_frame (frame, WAVRY_PIXEL_FORMAT_NV12);
      else
        {
          check_frame_size (frame, WAVRY_PIXEL_FORMAT_NV12, 640, 360);
          resized = TRUE;
        }
    }
  g_assert_true (resized);
  expected = g_strdup_printf ("PipeWire node %u (640×360 NV12)", src->node_id);
  g_assert_cmpstr (wavry_capture_get_description (capture), ==, expected);

  wavry_capture_stop (capture);
  source_free (src);
}

static void
test_newest_frame_only (void)
{
  Source *src;
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(WavryVideoFrame) first = NULL;
  g_autoptr(WavryVideoFrame) later = NULL;

  if (daemons == NULL)
    {
      g_test_skip (daemons_missing);
      return;
    }

  src = source_new (WAVRY_PIXEL_FORMAT_BGRX);
  capture = capture_node (src->node_id);
  first = wait_frame (capture);
  g_assert_cmpuint (wavry_capture_get_n_dropped (capture), ==, 0);

  /* A slow consumer: ~15 frames at 30 fps, of which the base keeps one. */
  g_usleep (500 * 1000);
  later = wait_frame (capture);
  check_frame (later, WAVRY_PIXEL_FORMAT_BGRX);
  g_assert_cmpuint (wavry_capture_get_n_dropped (capture), >=, 3);
  g_assert_cmpuint (wavry_capture_get_n_frames (capture), >=, wavry_capture_get_n_dropped (capture) + 2);

  wavry_capture_stop (capture);
  source_free (src);
}

static void
test_node_removed (void)
{
  Source *src;
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(WavryVideoFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  guint32 node_id;
  gint64 deadline;

  if (daemons == NULL)
    {
      g_test_skip (daemons_missing);
      return;
    }

  src = source_new (WAVRY_PIXEL_FORMAT_BGRX);
  node_id = src->node_id;
  capture = capture_node (node_id);
  frame = wait_frame (capture);
  source_free (src);

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (error == NULL && g_get_monotonic_time () < deadline)
    {
      /* Frames still in flight may come first. */
      WavryVideoFrame *more = wavry_capture_wait_frame (capture, deadline, &error);

      g_clear_pointer (&more, wavry_video_frame_unref);
    }
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO);
  expected = g_strdup_printf ("PipeWire node %u went away.", node_id);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_bogus_node (void)
{
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (daemons == NULL)
    {
      g_test_skip (daemons_missing);
      return;
    }

  capture = wavry_capture_new_for_spec ("pipewire:987654", NULL, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_assert_false (wavry_capture_start (capture, &error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2500 * 1000);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "987654"));
  g_clear_error (&error);

  g_clear_object (&capture);
  capture = wavry_capture_new_for_spec ("pipewire:no-such-node", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (wavry_capture_start (capture, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“no-such-node”"));
}

static void
test_by_name (void)
{
  Source *src;
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = g_strdup_printf ("pipewire:wavry-test-%s",
                                           wavry_pixel_format_to_string (WAVRY_PIXEL_FORMAT_BGRX));

  if (daemons == NULL)
    {
      g_test_skip (daemons_missing);
      return;
    }

  src = source_new (WAVRY_PIXEL_FORMAT_BGRX);
  capture = wavry_capture_new_for_spec (spec, NULL, &error);
  g_assert_no_error (error);
  if (!wavry_capture_start (capture, &error))
    g_error ("%s", error->message);
  {
    g_autoptr(WavryVideoFrame) frame = wait_frame (capture);
    check_frame (frame, WAVRY_PIXEL_FORMAT_BGRX);
  }
  wavry_capture_stop (capture);
  source_free (src);
}

/* --------------------------------------------------------------------------
 * The xdg-desktop-portal ScreenCast flow, against the fake portal of
 * tests/wavry-test-portal.c handing out a connection to our pipewire
 * -------------------------------------------------------------------------- */

static void
test_portal (void)
{
  Source *src;
  WavryTestPortal *fake;
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *select = NULL;
  g_autofree char *close = NULL;

  if (daemons == NULL)
    {
      g_test_skip (daemons_missing);
      return;
    }

  src = source_new (WAVRY_PIXEL_FORMAT_BGRX);
  fake = wavry_test_portal_new (0, 0, TRUE);
  wavry_test_portal_set_node_id (fake, src->node_id);
  capture = wavry_capture_new_for_spec ("pipewire", NULL, &error);
  g_assert_no_error (error);
  if (!wavry_capture_start (capture, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(WavryVideoFrame) frame = wait_frame (capture);
      check_frame (frame, WAVRY_PIXEL_FORMAT_BGRX);
    }
  expected = g_strdup_printf ("PipeWire node %u (%u×%u BGRx)", src->node_id, WIDTH, HEIGHT);
  g_assert_cmpstr (wavry_capture_get_description (capture), ==, expected);

  /* A ScreenCast session of one monitor, the cursor embedded as offered. */
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "ScreenCast.CreateSession"), ==, 1);
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "RemoteDesktop."), ==, 0);
  select = wavry_test_portal_find_call (fake, "ScreenCast.SelectSources");
  g_assert_nonnull (select);
  g_assert_nonnull (strstr (select, "'cursor_mode': <uint32 2>"));
  g_assert_nonnull (strstr (select, "'types': <uint32 1>"));
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "ScreenCast.OpenPipeWireRemote"), ==, 1);
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "Session.Close"), ==, 0);

  /* stop() closes the portal session. */
  wavry_capture_stop (capture);
  close = wavry_test_portal_find_call (fake, "Session.Close");
  g_assert_nonnull (close);
  g_assert_nonnull (strstr (close, fake->session_path));

  wavry_test_portal_free (fake);
  source_free (src);
}

static void
test_portal_cancelled (void)
{
  WavryTestPortal *fake;
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *close = NULL;

  if (daemons == NULL)
    {
      g_test_skip (daemons_missing);
      return;
    }

  fake = wavry_test_portal_new (1, 0, TRUE);
  capture = wavry_capture_new_for_spec ("pipewire", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (wavry_capture_start (capture, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "The screen cast was cancelled.");
  g_assert_cmpuint (wavry_test_portal_count_calls (fake, "ScreenCast.OpenPipeWireRemote"), ==, 0);
  /* the half-made session is closed */
  close = wavry_test_portal_find_call (fake, "Session.Close");
  g_assert_nonnull (close);
  wavry_test_portal_free (fake);
}

/* A screen cast whose PipeWire connection another portal session gave (the
 * RemoteDesktop portal injector's): it captures that node over that fd and
 * leaves the session to its owner. */
static void
test_for_remote (void)
{
  Source *src;
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *expected = NULL;

  if (daemons == NULL)
    {
      g_test_skip (daemons_missing);
      return;
    }

  src = source_new (WAVRY_PIXEL_FORMAT_BGRX);
  path = g_build_filename (g_getenv ("PIPEWIRE_RUNTIME_DIR"), "pipewire-0", NULL);
  address = g_unix_socket_address_new (path);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  capture = wavry_capture_pipewire_new_for_remote (dup (g_socket_get_fd (socket)), src->node_id);
  g_assert_true (wavry_capture_start (capture, &error));
  g_assert_no_error (error);
  {
    g_autoptr(WavryVideoFrame) frame = wait_frame (capture);
    check_frame (frame, WAVRY_PIXEL_FORMAT_BGRX);
  }
  expected = g_strdup_printf ("PipeWire node %u (%u×%u BGRx)", src->node_id, WIDTH, HEIGHT);
  g_assert_cmpstr (wavry_capture_get_description (capture), ==, expected);
  wavry_capture_stop (capture);
  source_free (src);
}

static void
test_not_video (void)
{
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryVideoFrame) frame = NULL;

  if (daemons == NULL)
    {
      g_test_skip (daemons_missing);
      return;
    }

  /* pipewire's own driver node: no port to link. WirePlumber gives up on
   * the stream; without it the link-factory refuses the link. */
  capture = wavry_capture_new_for_spec ("pipewire:Dummy-Driver", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wavry_capture_start (capture, &error));
  g_assert_no_error (error);
  frame = wavry_capture_wait_frame (capture, g_get_monotonic_time () + 5 * G_USEC_PER_SEC, &error);
  g_assert_null (frame);
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "PipeWire node "));
  g_assert_nonnull (strstr (error->message, " could not be linked to the capture: is it a video source?"));
}

/* --------------------------------------------------------------------------
 * Tests without a daemon
 * -------------------------------------------------------------------------- */

static void
test_no_daemon (void)
{
  g_autoptr(WavryCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = g_dir_make_tmp ("wavry-no-pipewire-XXXXXX", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("PIPEWIRE_RUNTIME_DIR"));

  g_assert_nonnull (empty);
  g_setenv ("PIPEWIRE_RUNTIME_DIR", empty, TRUE);
  capture = wavry_capture_new_for_spec ("pipewire:42", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (wavry_capture_start (capture, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "cannot connect to PipeWire: "));
  if (saved != NULL)
    g_setenv ("PIPEWIRE_RUNTIME_DIR", saved, TRUE);
  else
    g_unsetenv ("PIPEWIRE_RUNTIME_DIR");
  g_rmdir (empty);
}

static void
test_spec (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryCapture) capture = NULL;

  capture = wavry_capture_new_for_spec ("pipewire", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (WAVRY_IS_CAPTURE_PIPEWIRE (capture));
  g_clear_object (&capture);

  capture = wavry_capture_new_for_spec ("pipewire:", NULL, &error);
  g_assert_null (capture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  capture = wavry_capture_new_for_spec ("pipewire:42", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wavry_capture_get_description (capture), ==, "PipeWire node 42");
}

static void
test_copy_frame (void)
{
  /* A 4×2 BGRx buffer with a 20-byte stride at offset 8. */
  guint8 memory[8 + 20 * 2];
  WavryPipewirePlane plane = { memory, sizeof memory, 8, 40, 20 };
  g_autoptr(WavryVideoFrame) frame = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < sizeof memory; i++)
    memory[i] = i;
  frame = wavry_capture_pipewire_copy_frame (WAVRY_PIXEL_FORMAT_BGRX, 4, 2, &plane, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (wavry_video_frame_get_data (frame, 0), 16, memory + 8, 16);
  g_assert_cmpmem (wavry_video_frame_get_data (frame, 0) + wavry_video_frame_get_stride (frame, 0),
                   16, memory + 28, 16);

  /* Refused: one byte past the memory, a stride shorter than a row, a
   * negative stride, no memory. */
  plane.offset = 13;  /* the last row would end one byte past the memory */
  g_assert_null (wavry_capture_pipewire_copy_frame (WAVRY_PIXEL_FORMAT_BGRX, 4, 2, &plane, 1, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);
  plane.offset = 8;
  plane.stride = 15;
  g_assert_null (wavry_capture_pipewire_copy_frame (WAVRY_PIXEL_FORMAT_BGRX, 4, 2, &plane, 1, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);
  plane.stride = -20;
  g_assert_null (wavry_capture_pipewire_copy_frame (WAVRY_PIXEL_FORMAT_BGRX, 4, 2, &plane, 1, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);
  plane.stride = 20;
  plane.data = NULL;
  g_assert_null (wavry_capture_pipewire_copy_frame (WAVRY_PIXEL_FORMAT_BGRX, 4, 2, &plane, 1, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);

  /* I420 4×2 in one data: Y (stride 4), U and V (stride 2). */
  {
    guint8 yuv[8 + 2 + 2];
    WavryPipewirePlane p = { yuv, sizeof yuv, 0, sizeof yuv, 4 };
    g_autoptr(WavryVideoFrame) f = NULL;

    for (guint i = 0; i < sizeof yuv; i++)
      yuv[i] = 100 + i;
    f = wavry_capture_pipewire_copy_frame (WAVRY_PIXEL_FORMAT_I420, 4, 2, &p, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (wavry_video_frame_get_data (f, 1), 2, yuv + 8, 2);
    g_assert_cmpmem (wavry_video_frame_get_data (f, 2), 2, yuv + 10, 2);
    p.maxsize--;
    g_assert_null (wavry_capture_pipewire_copy_frame (WAVRY_PIXEL_FORMAT_I420, 4, 2, &p, 1, &error));
    g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  }
}

int
main (int argc, char **argv)
{
  int ret;

  /* --no-session-manager: a bare pipewire, no WirePlumber (the capture
   * links the node itself). */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--no-session-manager"))
      g_setenv ("WAVRY_TEST_PIPEWIRE_NO_SESSION_MANAGER", "1", TRUE);

  /* Always a private session bus: the fake portal must not meet a real one. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_test_init (&argc, &argv, NULL);
  pw_init (&argc, &argv);

  g_test_add_func ("/capture-pipewire/spec", test_spec);
  g_test_add_func ("/capture-pipewire/copy-frame", test_copy_frame);
  g_test_add_func ("/capture-pipewire/no-daemon", test_no_daemon);
  g_test_add_func ("/capture-pipewire/bogus-node", test_bogus_node);
  g_test_add_func ("/capture-pipewire/bgrx", test_capture_bgrx);
  g_test_add_func ("/capture-pipewire/rgbx", test_capture_rgbx);
  g_test_add_func ("/capture-pipewire/nv12", test_capture_nv12);
  g_test_add_func ("/capture-pipewire/i420", test_capture_i420);
  g_test_add_func ("/capture-pipewire/dmabuf-linear", test_capture_dmabuf);
  g_test_add_func ("/capture-pipewire/by-name", test_by_name);
  g_test_add_func ("/capture-pipewire/by-serial", test_by_serial);
  g_test_add_func ("/capture-pipewire/resize", test_resize);
  g_test_add_func ("/capture-pipewire/newest-frame-only", test_newest_frame_only);
  g_test_add_func ("/capture-pipewire/node-removed", test_node_removed);
  g_test_add_func ("/capture-pipewire/not-video", test_not_video);
  g_test_add_func ("/capture-pipewire/portal", test_portal);
  g_test_add_func ("/capture-pipewire/portal-cancelled", test_portal_cancelled);
  g_test_add_func ("/capture-pipewire/for-remote", test_for_remote);

  /* One set of daemons for the whole program; the tests that need them
   * skip when a program is missing. */
  {
    g_autoptr(GError) error = NULL;

    daemons = wavry_test_pipewire_start (&error);
    if (daemons == NULL)
      {
        if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
          g_error ("cannot start PipeWire: %s", error->message);
        daemons_missing = g_strdup_printf ("needs a PipeWire daemon: %s", error->message);
      }
  }

  ret = g_test_run ();
  wavry_test_pipewire_stop (daemons);
  g_free (daemons_missing);
  pw_deinit ();
  return ret;
}
