/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <linux/dma-buf.h>
/* SPA's inline headers have switches without a default case and (for
 * clang) casts that raise the alignment. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wswitch-default"
#pragma GCC diagnostic ignored "-Wcast-align"
#include <pipewire/pipewire.h>
#include <spa/param/video/format-utils.h>
#include <spa/pod/builder.h>
#include <spa/utils/result.h>
#pragma GCC diagnostic pop

#include "wavry-capture-pipewire.h"
#include "wavry-media-error.h"
#include "wavry-portal-private.h"

/* How long the portal may take, its dialog included. */
#define PORTAL_BUS_NAME WAVRY_PORTAL_BUS_NAME
#define PORTAL_OBJECT_PATH WAVRY_PORTAL_OBJECT_PATH
#define PORTAL_SCREENCAST "org.freedesktop.portal.ScreenCast"

/* How long start() waits for the daemon to list its objects. */
#define CONNECT_TIMEOUT_NS (2 * SPA_NSEC_PER_SEC)
/* How long a paused stream waits for a session manager (WirePlumber) to
 * link it before linking it itself (see doc/protocol-notes.md). */
#define LINK_FALLBACK_NS (SPA_NSEC_PER_SEC / 2)

struct _WavryCapturePipewire
{
  WavryCapture           parent_instance;

  /* Set at construction, read-only afterwards. */
  char                  *target;        /* the spec's argument; NULL: the portal */
  gboolean               use_portal;
  /* A PipeWire connection handed over by a portal session someone else
   * owns (wavry_capture_pipewire_new_for_remote); -1 once used. */
  int                    remote_fd;
  gboolean               remote;
  /* The ScreenCast portal session, from start() to stop(). */
  GDBusConnection       *portal_bus;
  char                  *portal_session;
  guint                  portal_requests;
  gboolean               by_id;
  guint32                wanted_id;

  struct pw_thread_loop *loop;
  struct pw_context     *context;
  struct pw_core        *core;
  struct spa_hook        core_listener;
  struct pw_registry    *registry;
  struct spa_hook        registry_listener;
  struct pw_stream      *stream;
  struct spa_hook        stream_listener;
  struct spa_source     *link_timer;
  struct pw_proxy       *link;          /* our own link, without a session manager */

  /* Everything below is touched only in the loop thread, or with the
   * loop locked. */
  int                    sync_seq;
  gboolean               sync_done;
  char                  *core_error;    /* set when the connection failed */
  guint32                node_id;       /* resolved; SPA_ID_INVALID until found */
  char                  *node_serial;
  guint32                serial_match;  /* a node whose object.serial is the target */
  gboolean               stream_connected;
  gboolean               link_timer_armed;
  GArray                *links_from_node; /* guint32: input nodes linked to node_id */
  gboolean               stopping;
  gboolean               ended;

  WavryPixelFormat       format;
  guint                  width;
  guint                  height;
  gboolean               have_format;
  gboolean               dmabuf;
  guint64                n_corrupted;   /* buffers skipped: header or chunk marked corrupted */
  guint64                n_malformed;   /* buffers skipped: planes outside their memory */
};

G_DEFINE_FINAL_TYPE (WavryCapturePipewire, wavry_capture_pipewire, WAVRY_TYPE_CAPTURE)

/* Called in the loop thread: ends the capture once, with a message for people. */
static void
end_with_error (WavryCapturePipewire *self,
                GError               *error)
{
  if (!self->ended && !self->stopping)
    {
      self->ended = TRUE;
      g_debug ("%s", error->message);
      wavry_capture_push_end (WAVRY_CAPTURE (self), error);
    }
  g_error_free (error);
  pw_thread_loop_signal (self->loop, FALSE);
}

static char *
node_label (WavryCapturePipewire *self)
{
  if (self->node_id != SPA_ID_INVALID)
    return g_strdup_printf ("%u", self->node_id);
  return g_strdup_printf ("“%s”", self->target);
}

/* -------------------------------------------------------------------------
 * Copying a buffer
 * ------------------------------------------------------------------------- */

static gboolean
locate_plane (WavryVideoFrame          *frame,
              guint                     plane,
              const WavryPipewirePlane *datas,
              guint                     n_datas,
              const WavryPipewirePlane **out_data,
              gsize                    *out_offset,
              gsize                    *out_stride)
{
  WavryPixelFormat format = wavry_video_frame_get_format (frame);
  guint n_planes = wavry_video_frame_get_n_planes (frame);
  const WavryPipewirePlane *d;
  gsize luma_stride, offset;

  if (n_datas >= n_planes)
    {
      d = &datas[plane];
      if (d->stride < 0)
        return FALSE;
      *out_data = d;
      *out_offset = d->offset;
      *out_stride = d->stride > 0 ? (gsize) d->stride : wavry_video_frame_get_row_bytes (frame, plane);
      return TRUE;
    }

  /* All planes in the first data, one after the other. */
  d = &datas[0];
  if (d->stride < 0)
    return FALSE;
  luma_stride = d->stride > 0 ? (gsize) d->stride : wavry_video_frame_get_row_bytes (frame, 0);
  offset = d->offset;
  *out_data = d;
  if (plane == 0)
    {
      *out_offset = offset;
      *out_stride = luma_stride;
      return TRUE;
    }
  offset += luma_stride * wavry_video_frame_get_rows (frame, 0);
  if (format == WAVRY_PIXEL_FORMAT_NV12)
    {
      *out_offset = offset;
      *out_stride = luma_stride;
      return TRUE;
    }
  /* I420: U then V, each at half the luma stride. */
  if (plane == 2)
    offset += (luma_stride / 2) * wavry_video_frame_get_rows (frame, 1);
  *out_offset = offset;
  *out_stride = luma_stride / 2;
  return TRUE;
}

WavryVideoFrame *
wavry_capture_pipewire_copy_frame (WavryPixelFormat          format,
                                   guint                     width,
                                   guint                     height,
                                   const WavryPipewirePlane *datas,
                                   guint                     n_datas,
                                   GError                  **error)
{
  g_autoptr(WavryVideoFrame) frame = NULL;
  guint n_planes;

  g_return_val_if_fail (datas != NULL || n_datas == 0, NULL);

  frame = wavry_video_frame_new (format, width, height);
  if (frame == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("A %u×%u %s video frame cannot be captured."),
                   width, height, wavry_pixel_format_to_string (format));
      return NULL;
    }
  if (n_datas == 0)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                           _("The PipeWire buffer holds no data."));
      return NULL;
    }

  n_planes = wavry_video_frame_get_n_planes (frame);
  for (guint p = 0; p < n_planes; p++)
    {
      const WavryPipewirePlane *d = NULL;
      gsize offset = 0, stride = 0, end;
      gsize row_bytes = wavry_video_frame_get_row_bytes (frame, p);
      guint rows = wavry_video_frame_get_rows (frame, p);
      gsize dst_stride = wavry_video_frame_get_stride (frame, p);
      guint8 *dst = wavry_video_frame_get_data (frame, p);
      const guint8 *src;

      /* Sizes are bounded (offset < 2^32, stride < 2^31, rows ≤ 8192), so
       * these sums cannot overflow a 64-bit gsize. */
      if (!locate_plane (frame, p, datas, n_datas, &d, &offset, &stride) ||
          d->data == NULL || stride < row_bytes)
        goto malformed;
      end = offset + stride * (rows - 1) + row_bytes;
      if (end > d->maxsize)
        goto malformed;

      src = d->data + offset;
      for (guint y = 0; y < rows; y++)
        memcpy (dst + y * dst_stride, src + y * stride, row_bytes);
    }

  return g_steal_pointer (&frame);

malformed:
  g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
               _("A PipeWire buffer’s planes do not fit its memory (%u×%u %s)."),
               width, height, wavry_pixel_format_to_string (format));
  return NULL;
}

/* -------------------------------------------------------------------------
 * The stream
 * ------------------------------------------------------------------------- */

static gboolean
format_from_spa (guint32           spa_format,
                 WavryPixelFormat *out)
{
  switch (spa_format)
    {
    case SPA_VIDEO_FORMAT_BGRx:
      *out = WAVRY_PIXEL_FORMAT_BGRX;
      return TRUE;
    case SPA_VIDEO_FORMAT_RGBx:
      *out = WAVRY_PIXEL_FORMAT_RGBX;
      return TRUE;
    case SPA_VIDEO_FORMAT_NV12:
      *out = WAVRY_PIXEL_FORMAT_NV12;
      return TRUE;
    case SPA_VIDEO_FORMAT_I420:
      *out = WAVRY_PIXEL_FORMAT_I420;
      return TRUE;
    default:
      return FALSE;
    }
}

static const char *
format_label (WavryPixelFormat format)
{
  switch (format)
    {
    case WAVRY_PIXEL_FORMAT_BGRX:
      return "BGRx";
    case WAVRY_PIXEL_FORMAT_RGBX:
      return "RGBx";
    case WAVRY_PIXEL_FORMAT_NV12:
      return "NV12";
    case WAVRY_PIXEL_FORMAT_I420:
    default:
      return "I420";
    }
}

static const struct spa_pod *
build_enum_format (struct spa_pod_builder *b,
                   gboolean                linear_dmabuf)
{
  struct spa_pod_frame f;

  spa_pod_builder_push_object (b, &f, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat);
  spa_pod_builder_add (b,
                       SPA_FORMAT_mediaType, SPA_POD_Id (SPA_MEDIA_TYPE_video),
                       SPA_FORMAT_mediaSubtype, SPA_POD_Id (SPA_MEDIA_SUBTYPE_raw),
                       SPA_FORMAT_VIDEO_format, SPA_POD_CHOICE_ENUM_Id (5,
                                                                        SPA_VIDEO_FORMAT_BGRx,
                                                                        SPA_VIDEO_FORMAT_BGRx,
                                                                        SPA_VIDEO_FORMAT_RGBx,
                                                                        SPA_VIDEO_FORMAT_NV12,
                                                                        SPA_VIDEO_FORMAT_I420),
                       SPA_FORMAT_VIDEO_size, SPA_POD_CHOICE_RANGE_Rectangle (
                         &SPA_RECTANGLE (1920, 1080),
                         &SPA_RECTANGLE (1, 1),
                         &SPA_RECTANGLE (WAVRY_VIDEO_FRAME_MAX_DIMENSION, WAVRY_VIDEO_FRAME_MAX_DIMENSION)),
                       SPA_FORMAT_VIDEO_framerate, SPA_POD_CHOICE_RANGE_Fraction (
                         &SPA_FRACTION (60, 1), &SPA_FRACTION (0, 1), &SPA_FRACTION (1000, 1)),
                       0);
  if (linear_dmabuf)
    {
      spa_pod_builder_prop (b, SPA_FORMAT_VIDEO_modifier, SPA_POD_PROP_FLAG_MANDATORY);
      spa_pod_builder_long (b, WAVRY_DRM_FORMAT_MOD_LINEAR);
    }
  return spa_pod_builder_pop (b, &f);
}

static void
on_param_changed (void                 *data,
                  uint32_t              id,
                  const struct spa_pod *param)
{
  WavryCapturePipewire *self = data;
  struct spa_video_info_raw info = { 0 };
  uint32_t media_type, media_subtype;
  guint8 buffer[1024];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (buffer, sizeof buffer);
  const struct spa_pod *params[2];
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;
  WavryPixelFormat format;

  if (id != SPA_PARAM_Format)
    return;
  if (param == NULL)
    {
      /* The format was cleared (unlinked, renegotiating): no buffers until
       * the next one. */
      self->have_format = FALSE;
      return;
    }
  if (spa_format_parse (param, &media_type, &media_subtype) < 0 ||
      media_type != SPA_MEDIA_TYPE_video || media_subtype != SPA_MEDIA_SUBTYPE_raw ||
      spa_format_video_raw_parse (param, &info) < 0)
    return;

  label = node_label (self);
  if (!format_from_spa (info.format, &format) ||
      info.size.width == 0 || info.size.height == 0 ||
      info.size.width > WAVRY_VIDEO_FRAME_MAX_DIMENSION ||
      info.size.height > WAVRY_VIDEO_FRAME_MAX_DIMENSION ||
      ((format == WAVRY_PIXEL_FORMAT_NV12 || format == WAVRY_PIXEL_FORMAT_I420) &&
       (info.size.width % 2 != 0 || info.size.height % 2 != 0)))
    {
      pw_stream_set_error (self->stream, -EINVAL, "unusable video format");
      end_with_error (self, g_error_new (WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                                         _("PipeWire node %s offers a video format that cannot be captured (%u×%u)."),
                                         label, info.size.width, info.size.height));
      return;
    }

  self->format = format;
  self->width = info.size.width;
  self->height = info.size.height;
  self->dmabuf = (info.flags & SPA_VIDEO_FLAG_MODIFIER) != 0;
  self->have_format = TRUE;

  description = g_strdup_printf ("PipeWire node %s (%u×%u %s%s)", label,
                                 self->width, self->height, format_label (format),
                                 self->dmabuf ? ", DMA-BUF" : "");
  wavry_capture_set_description (WAVRY_CAPTURE (self), description);

  params[0] = spa_pod_builder_add_object (&b,
    SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers,
    SPA_PARAM_BUFFERS_buffers, SPA_POD_CHOICE_RANGE_Int (4, 2, 16),
    SPA_PARAM_BUFFERS_dataType, SPA_POD_CHOICE_FLAGS_Int (
      self->dmabuf ? (1 << SPA_DATA_DmaBuf)
                   : ((1 << SPA_DATA_MemFd) | (1 << SPA_DATA_MemPtr))));
  params[1] = spa_pod_builder_add_object (&b,
    SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
    SPA_PARAM_META_type, SPA_POD_Id (SPA_META_Header),
    SPA_PARAM_META_size, SPA_POD_Int (sizeof (struct spa_meta_header)));
  pw_stream_update_params (self->stream, params, G_N_ELEMENTS (params));
}

/* DMA-BUF planes are mapped once, when PipeWire adds the buffer, and
 * synced (DMA_BUF_IOCTL_SYNC) around each copy. */
typedef struct
{
  guint8 *map[WAVRY_VIDEO_FRAME_MAX_PLANES];
  gsize   length[WAVRY_VIDEO_FRAME_MAX_PLANES];
} DmabufMaps;

static void
dmabuf_sync (int     fd,
             guint64 flags)
{
  struct dma_buf_sync sync = { .flags = flags };

  /* EINTR/EAGAIN: retry; other failures (not a real DMA-BUF) leave the
   * mapping readable as it is. */
  while (ioctl (fd, DMA_BUF_IOCTL_SYNC, &sync) < 0 && (errno == EINTR || errno == EAGAIN))
    ;
}

static void
on_add_buffer (void             *data,
               struct pw_buffer *b)
{
  struct spa_buffer *buf = b->buffer;
  DmabufMaps *maps = NULL;

  for (guint i = 0; i < MIN (buf->n_datas, WAVRY_VIDEO_FRAME_MAX_PLANES); i++)
    {
      const struct spa_data *d = &buf->datas[i];
      gsize length = (gsize) d->mapoffset + d->maxsize;
      void *map;

      if (d->type != SPA_DATA_DmaBuf || d->data != NULL || d->fd < 0 || d->maxsize == 0)
        continue;
      map = mmap (NULL, length, PROT_READ, MAP_SHARED, d->fd, 0);
      if (map == MAP_FAILED)
        {
          g_debug ("Cannot map a DMA-BUF plane: %s", g_strerror (errno));
          continue;
        }
      if (maps == NULL)
        maps = g_new0 (DmabufMaps, 1);
      maps->map[i] = map;
      maps->length[i] = length;
    }
  b->user_data = maps;
}

static void
on_remove_buffer (void             *data,
                  struct pw_buffer *b)
{
  DmabufMaps *maps = b->user_data;

  if (maps == NULL)
    return;
  for (guint i = 0; i < WAVRY_VIDEO_FRAME_MAX_PLANES; i++)
    if (maps->map[i] != NULL)
      munmap (maps->map[i], maps->length[i]);
  g_free (maps);
  b->user_data = NULL;
}

static void
handle_buffer (WavryCapturePipewire *self,
               struct pw_buffer     *pw_buf)
{
  struct spa_buffer *buf = pw_buf->buffer;
  const DmabufMaps *maps = pw_buf->user_data;
  struct spa_meta_header *header;
  WavryPipewirePlane planes[WAVRY_VIDEO_FRAME_MAX_PLANES] = { { 0 } };
  gboolean synced[WAVRY_VIDEO_FRAME_MAX_PLANES] = { FALSE };
  guint n_datas = MIN (buf->n_datas, WAVRY_VIDEO_FRAME_MAX_PLANES);
  g_autoptr(WavryVideoFrame) frame = NULL;
  g_autoptr(GError) error = NULL;

  if (!self->have_format || n_datas == 0)
    return;

  header = spa_buffer_find_meta_data (buf, SPA_META_Header, sizeof *header);
  if (header != NULL && (header->flags & SPA_META_HEADER_FLAG_CORRUPTED) != 0)
    {
      self->n_corrupted++;
      return;
    }
  if (buf->datas[0].chunk == NULL ||
      (buf->datas[0].chunk->flags & SPA_CHUNK_FLAG_CORRUPTED) != 0)
    {
      self->n_corrupted++;
      return;
    }
  /* An empty chunk carries only metadata (a cursor move): no new picture. */
  if (buf->datas[0].chunk->size == 0)
    return;

  for (guint i = 0; i < n_datas; i++)
    {
      const struct spa_data *d = &buf->datas[i];
      const guint8 *data = d->data;

      if (d->type == SPA_DATA_DmaBuf && data == NULL && maps != NULL && maps->map[i] != NULL)
        {
          data = maps->map[i] + d->mapoffset;
          dmabuf_sync (d->fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
          synced[i] = TRUE;
        }
      planes[i].data = data;
      planes[i].maxsize = d->maxsize;
      if (d->chunk != NULL)
        {
          planes[i].offset = d->chunk->offset;
          planes[i].size = d->chunk->size;
          planes[i].stride = d->chunk->stride;
        }
    }

  frame = wavry_capture_pipewire_copy_frame (self->format, self->width, self->height,
                                             planes, n_datas, &error);

  for (guint i = 0; i < n_datas; i++)
    if (synced[i])
      dmabuf_sync (buf->datas[i].fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);

  if (frame == NULL)
    {
      self->n_malformed++;
      g_debug ("Skipped a buffer: %s", error->message);
      return;
    }

  if (header != NULL && header->pts > 0)
    wavry_video_frame_set_pts (frame, header->pts / 1000);
  wavry_capture_push_frame (WAVRY_CAPTURE (self), frame);
}

static void
on_process (void *data)
{
  WavryCapturePipewire *self = data;
  struct pw_buffer *newest = NULL, *next;

  /* Latency first: only the newest queued buffer is copied. */
  while ((next = pw_stream_dequeue_buffer (self->stream)) != NULL)
    {
      if (newest != NULL)
        pw_stream_queue_buffer (self->stream, newest);
      newest = next;
    }
  if (newest == NULL)
    return;

  handle_buffer (self, newest);
  pw_stream_queue_buffer (self->stream, newest);
}

static void
on_state_changed (void                 *data,
                  enum pw_stream_state  old,
                  enum pw_stream_state  state,
                  const char           *error)
{
  WavryCapturePipewire *self = data;
  g_autofree char *label = node_label (self);

  g_debug ("PipeWire stream from node %s: %s → %s%s%s", label,
           pw_stream_state_as_string (old), pw_stream_state_as_string (state),
           error != NULL ? ": " : "", error != NULL ? error : "");

  if (state == PW_STREAM_STATE_PAUSED && !self->have_format && !self->link_timer_armed)
    {
      struct timespec value = { LINK_FALLBACK_NS / SPA_NSEC_PER_SEC, LINK_FALLBACK_NS % SPA_NSEC_PER_SEC };

      self->link_timer_armed = TRUE;
      pw_loop_update_timer (pw_thread_loop_get_loop (self->loop), self->link_timer,
                            &value, NULL, FALSE);
    }

  if (state == PW_STREAM_STATE_ERROR)
    end_with_error (self, g_error_new (WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                                       _("The PipeWire stream from node %s failed: %s"),
                                       label, error != NULL ? error : _("unknown error")));
  else if (state == PW_STREAM_STATE_UNCONNECTED && old != PW_STREAM_STATE_UNCONNECTED &&
           self->stream_connected && !self->have_format)
    /* The session manager gave up on it (node.dont-reconnect). */
    end_with_error (self, g_error_new (WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                                       _("PipeWire node %s could not be linked to the capture: is it a video source?"),
                                       label));
  else if (state == PW_STREAM_STATE_UNCONNECTED && old != PW_STREAM_STATE_UNCONNECTED &&
           self->stream_connected)
    end_with_error (self, g_error_new (WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                                       _("The PipeWire stream from node %s was disconnected."),
                                       label));
}

/* Without a session manager a bare pipewire leaves the stream paused and
 * unlinked: link the node to it with the link-factory. */
static void
on_link_timeout (void     *data,
                 uint64_t  expirations)
{
  WavryCapturePipewire *self = data;
  guint32 own_id;
  struct pw_properties *props;
  char value[16];

  if (self->stream == NULL || self->have_format || self->link != NULL || self->ended)
    return;
  own_id = pw_stream_get_node_id (self->stream);
  if (own_id == SPA_ID_INVALID)
    return;
  for (guint i = 0; i < self->links_from_node->len; i++)
    if (g_array_index (self->links_from_node, guint32, i) == own_id)
      return;  /* linked, only not negotiated yet */

  g_debug ("No session manager linked PipeWire node %u to node %u; linking them", self->node_id, own_id);
  props = pw_properties_new (PW_KEY_OBJECT_LINGER, "false", NULL);
  g_snprintf (value, sizeof value, "%u", self->node_id);
  pw_properties_set (props, PW_KEY_LINK_OUTPUT_NODE, value);
  g_snprintf (value, sizeof value, "%u", own_id);
  pw_properties_set (props, PW_KEY_LINK_INPUT_NODE, value);
  self->link = pw_core_create_object (self->core, "link-factory", PW_TYPE_INTERFACE_Link,
                                      PW_VERSION_LINK, &props->dict, 0);
  pw_properties_free (props);
}

static const struct pw_stream_events stream_events = {
  PW_VERSION_STREAM_EVENTS,
  .state_changed = on_state_changed,
  .param_changed = on_param_changed,
  .add_buffer = on_add_buffer,
  .remove_buffer = on_remove_buffer,
  .process = on_process,
};

/* -------------------------------------------------------------------------
 * Core and registry
 * ------------------------------------------------------------------------- */

static void
on_core_done (void     *data,
              uint32_t  id,
              int       seq)
{
  WavryCapturePipewire *self = data;

  if (id == PW_ID_CORE && seq == self->sync_seq)
    {
      self->sync_done = TRUE;
      pw_thread_loop_signal (self->loop, FALSE);
    }
}

static void
on_core_error (void       *data,
               uint32_t    id,
               int         seq,
               int         res,
               const char *message)
{
  WavryCapturePipewire *self = data;

  g_debug ("PipeWire error on object %u: %s (%s)", id, message, spa_strerror (res));
  if (self->link != NULL && id == pw_proxy_get_id (self->link))
    {
      g_autofree char *label = node_label (self);
      end_with_error (self, g_error_new (WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                                         _("PipeWire node %s could not be linked to the capture: is it a video source? (%s)"),
                                         label, message != NULL ? message : spa_strerror (res)));
      return;
    }
  if (id != PW_ID_CORE)
    return;

  if (self->core_error == NULL)
    self->core_error = g_strdup (message != NULL ? message : spa_strerror (res));
  if (self->stream_connected)
    end_with_error (self, g_error_new (WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                                       res == -EPIPE ? _("Lost the connection to PipeWire: %s")
                                                     : _("PipeWire failed: %s"),
                                       self->core_error));
  pw_thread_loop_signal (self->loop, FALSE);
}

static const struct pw_core_events core_events = {
  PW_VERSION_CORE_EVENTS,
  .done = on_core_done,
  .error = on_core_error,
};

static void
on_registry_global (void                  *data,
                    uint32_t               id,
                    uint32_t               permissions,
                    const char            *type,
                    uint32_t               version,
                    const struct spa_dict *props)
{
  WavryCapturePipewire *self = data;
  const char *name, *serial;

  if (strcmp (type, PW_TYPE_INTERFACE_Link) == 0)
    {
      const char *output = props != NULL ? spa_dict_lookup (props, PW_KEY_LINK_OUTPUT_NODE) : NULL;
      const char *input = props != NULL ? spa_dict_lookup (props, PW_KEY_LINK_INPUT_NODE) : NULL;
      guint64 out_id, in_id;

      if (self->node_id != SPA_ID_INVALID && output != NULL && input != NULL &&
          g_ascii_string_to_unsigned (output, 10, 0, G_MAXUINT32, &out_id, NULL) &&
          g_ascii_string_to_unsigned (input, 10, 0, G_MAXUINT32, &in_id, NULL) &&
          out_id == self->node_id)
        {
          guint32 value = (guint32) in_id;
          g_array_append_val (self->links_from_node, value);
        }
      return;
    }
  if (self->node_id != SPA_ID_INVALID || strcmp (type, PW_TYPE_INTERFACE_Node) != 0)
    return;

  name = props != NULL ? spa_dict_lookup (props, PW_KEY_NODE_NAME) : NULL;
  serial = props != NULL ? spa_dict_lookup (props, PW_KEY_OBJECT_SERIAL) : NULL;
  if (self->by_id && id != self->wanted_id)
    {
      /* A number that is no node id may be a serial (target.object takes
       * both); ids win (see connect_locked). */
      if (g_strcmp0 (serial, self->target) == 0)
        self->serial_match = id;
      return;
    }
  if (!self->by_id && g_strcmp0 (name, self->target) != 0)
    return;

  self->node_id = id;
  self->node_serial = g_strdup (serial);
}

static void
on_registry_global_remove (void     *data,
                           uint32_t  id)
{
  WavryCapturePipewire *self = data;

  if (self->node_id == SPA_ID_INVALID || id != self->node_id)
    return;
  end_with_error (self, g_error_new (WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                                     _("PipeWire node %u went away."), id));
}

static const struct pw_registry_events registry_events = {
  PW_VERSION_REGISTRY_EVENTS,
  .global = on_registry_global,
  .global_remove = on_registry_global_remove,
};

/* -------------------------------------------------------------------------
 * The xdg-desktop-portal ScreenCast flow ("pipewire" without a node)
 * ------------------------------------------------------------------------- */

/* Calls a ScreenCast method that answers through a Request object and
 * waits for its Response (wavry_portal_request). Returns the results, or
 * NULL with an error worded for the screen cast. */
static GVariant *
portal_request (WavryCapturePipewire  *self,
                const char            *method,
                const char            *session,
                GVariantBuilder       *options,
                GError               **error)
{
  g_autoptr(GError) call_error = NULL;
  GVariant *results = NULL;

  switch (wavry_portal_request (self->portal_bus, &self->portal_requests, PORTAL_SCREENCAST,
                                method, session, options, -1, NULL, &results, &call_error))
    {
    case WAVRY_PORTAL_ANSWERED:
      return results;
    case WAVRY_PORTAL_CALL_FAILED:
      g_propagate_prefixed_error (error, g_steal_pointer (&call_error),
                                  _("The ScreenCast portal failed (%s): "), method);
      return NULL;
    case WAVRY_PORTAL_DENIED:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The screen cast was cancelled."));
      return NULL;
    case WAVRY_PORTAL_REFUSED:
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("The ScreenCast portal refused the screen cast (%s)."), method);
      return NULL;
    case WAVRY_PORTAL_NO_ANSWER:
    case WAVRY_PORTAL_CANCELLED:
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   _("The ScreenCast portal did not answer (%s)."), method);
      return NULL;
    }
}

/* CreateSession, SelectSources (one monitor, cursor embedded when offered),
 * Start (the user picks the screen), OpenPipeWireRemote. Sets node_id /
 * wanted_id and returns the PipeWire fd, or -1. */
static int
portal_open (WavryCapturePipewire  *self,
             GError               **error)
{
  GVariantBuilder options;
  g_autoptr(GVariant) results = NULL;
  g_autoptr(GVariant) streams = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autofree char *session_token = NULL;
  const char *session = NULL;
  guint32 cursor_modes, node_id;
  gint32 handle;
  int fd;

  self->portal_bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  if (self->portal_bus == NULL)
    {
      g_prefix_error (error, _("Cannot reach the ScreenCast portal: "));
      return -1;
    }

  session_token = g_strdup_printf ("wavry_%u", g_random_int ());
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "session_handle_token", g_variant_new_string (session_token));
  results = portal_request (self, "CreateSession", NULL, &options, error);
  if (results == NULL)
    return -1;
  if (!g_variant_lookup (results, "session_handle", "&s", &session) &&
      !g_variant_lookup (results, "session_handle", "&o", &session))
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                           _("The ScreenCast portal gave no session."));
      return -1;
    }
  self->portal_session = g_strdup (session);
  g_clear_pointer (&results, g_variant_unref);

  cursor_modes = wavry_portal_get_uint_property (self->portal_bus, PORTAL_SCREENCAST,
                                                 "AvailableCursorModes", 1);
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "types", g_variant_new_uint32 (1));  /* MONITOR */
  g_variant_builder_add (&options, "{sv}", "multiple", g_variant_new_boolean (FALSE));
  if (cursor_modes & 2)  /* EMBEDDED */
    g_variant_builder_add (&options, "{sv}", "cursor_mode", g_variant_new_uint32 (2));
  results = portal_request (self, "SelectSources", self->portal_session, &options, error);
  if (results == NULL)
    return -1;
  g_clear_pointer (&results, g_variant_unref);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  results = portal_request (self, "Start", self->portal_session, &options, error);
  if (results == NULL)
    return -1;
  streams = g_variant_lookup_value (results, "streams", G_VARIANT_TYPE ("a(ua{sv})"));
  if (streams == NULL || g_variant_n_children (streams) == 0)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                           _("The ScreenCast portal gave no screen to capture."));
      return -1;
    }
  g_variant_get_child (streams, 0, "(u@a{sv})", &node_id, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  reply = g_dbus_connection_call_with_unix_fd_list_sync (self->portal_bus, PORTAL_BUS_NAME,
                                                         PORTAL_OBJECT_PATH, PORTAL_SCREENCAST,
                                                         "OpenPipeWireRemote",
                                                         g_variant_new ("(oa{sv})", self->portal_session, &options),
                                                         G_VARIANT_TYPE ("(h)"), G_DBUS_CALL_FLAGS_NONE,
                                                         -1, NULL, &fds, NULL, error);
  if (reply == NULL)
    {
      g_prefix_error (error, _("The ScreenCast portal failed (%s): "), "OpenPipeWireRemote");
      return -1;
    }
  g_variant_get (reply, "(h)", &handle);
  fd = fds != NULL ? g_unix_fd_list_get (fds, handle, error) : -1;
  if (fd < 0)
    {
      if (fds == NULL)
        g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                             _("The ScreenCast portal gave no PipeWire connection."));
      return -1;
    }

  self->by_id = TRUE;
  self->wanted_id = node_id;
  g_free (self->target);
  self->target = g_strdup_printf ("%u", node_id);
  return fd;
}

static void
portal_close (WavryCapturePipewire *self)
{
  if (self->portal_bus != NULL && self->portal_session != NULL)
    {
      GVariant *reply =
        g_dbus_connection_call_sync (self->portal_bus, PORTAL_BUS_NAME, self->portal_session,
                                     "org.freedesktop.portal.Session", "Close", NULL, NULL,
                                     G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);

      g_clear_pointer (&reply, g_variant_unref);
    }
  g_clear_pointer (&self->portal_session, g_free);
  g_clear_object (&self->portal_bus);
}

/* -------------------------------------------------------------------------
 * WavryCapture
 * ------------------------------------------------------------------------- */

/* Disconnects the stream while the loop still runs (its remove_buffer
 * events unmap the DMA-BUFs), then stops the loop thread and destroys the
 * objects with no PipeWire thread left to dispatch events to them:
 * destroying them under the lock with the loop running crashed now and then
 * in PipeWire 0.3.65 (an event queued for a destroyed object). */
static void
teardown (WavryCapturePipewire *self)
{
  if (self->loop == NULL)
    return;

  pw_thread_loop_lock (self->loop);
  self->stopping = TRUE;
  if (self->link_timer != NULL)
    {
      pw_loop_destroy_source (pw_thread_loop_get_loop (self->loop), self->link_timer);
      self->link_timer = NULL;
    }
  if (self->stream != NULL)
    pw_stream_disconnect (self->stream);
  pw_thread_loop_unlock (self->loop);
  pw_thread_loop_stop (self->loop);

  if (self->link != NULL)
    {
      pw_proxy_destroy (self->link);
      self->link = NULL;
    }
  if (self->stream != NULL)
    {
      spa_hook_remove (&self->stream_listener);
      pw_stream_destroy (self->stream);
      self->stream = NULL;
    }
  if (self->registry != NULL)
    {
      spa_hook_remove (&self->registry_listener);
      pw_proxy_destroy ((struct pw_proxy *) self->registry);
      self->registry = NULL;
    }
  if (self->core != NULL)
    {
      spa_hook_remove (&self->core_listener);
      pw_core_disconnect (self->core);
      self->core = NULL;
    }
  g_clear_pointer (&self->context, pw_context_destroy);
  g_clear_pointer (&self->loop, pw_thread_loop_destroy);
}

static gboolean
connect_locked (WavryCapturePipewire  *self,
                int                    fd,
                GError               **error)
{
  struct timespec deadline;
  guint8 buffer[2048];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (buffer, sizeof buffer);
  const struct spa_pod *params[2];
  struct pw_properties *props;
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;
  int res;

  if (fd >= 0)
    self->core = pw_context_connect_fd (self->context, fd, NULL, 0);
  else
    self->core = pw_context_connect (self->context, NULL, 0);
  if (self->core == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("cannot connect to PipeWire: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  pw_core_add_listener (self->core, &self->core_listener, &core_events, self);
  self->registry = pw_core_get_registry (self->core, PW_VERSION_REGISTRY, 0);
  pw_registry_add_listener (self->registry, &self->registry_listener, &registry_events, self);

  /* The registry lists every object before the reply to this sync. */
  self->sync_seq = pw_core_sync (self->core, PW_ID_CORE, 0);
  pw_thread_loop_get_time (self->loop, &deadline, CONNECT_TIMEOUT_NS);
  while (!self->sync_done && self->core_error == NULL)
    {
      if (pw_thread_loop_timed_wait_full (self->loop, &deadline) < 0)
        break;
    }
  if (self->core_error != NULL || !self->sync_done)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("cannot connect to PipeWire: %s"),
                   self->core_error != NULL ? self->core_error : _("the daemon does not answer"));
      return FALSE;
    }
  if (self->node_id == SPA_ID_INVALID && self->serial_match != SPA_ID_INVALID)
    {
      self->node_id = self->serial_match;
      self->node_serial = g_strdup (self->target);
    }
  if (self->node_id == SPA_ID_INVALID)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   self->by_id ? _("There is no PipeWire node %s. List the video nodes with “pw-dump” or “pw-cli ls Node”.")
                               : _("There is no PipeWire node named “%s”. List the video nodes with “pw-dump” or “pw-cli ls Node”."),
                   self->target);
      return FALSE;
    }

  label = node_label (self);
  description = g_strdup_printf ("PipeWire node %s", label);
  wavry_capture_set_description (WAVRY_CAPTURE (self), description);

  props = pw_properties_new (PW_KEY_MEDIA_TYPE, "Video",
                             PW_KEY_MEDIA_CATEGORY, "Capture",
                             PW_KEY_MEDIA_ROLE, "Screen",
                             PW_KEY_NODE_NAME, "wavry-capture",
                             PW_KEY_NODE_DONT_RECONNECT, "true",
                             NULL);
  /* target.object wants the serial (or the name); the id passed to
   * pw_stream_connect() below also sets the older node.target. */
  pw_properties_set (props, PW_KEY_TARGET_OBJECT,
                     self->node_serial != NULL ? self->node_serial : self->target);
  self->stream = pw_stream_new (self->core, "Wavry screen capture", props);
  if (self->stream == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("Cannot create a PipeWire stream: %s"), g_strerror (errno));
      return FALSE;
    }
  pw_stream_add_listener (self->stream, &self->stream_listener, &stream_events, self);

  params[0] = build_enum_format (&b, TRUE);
  params[1] = build_enum_format (&b, FALSE);
  res = pw_stream_connect (self->stream, PW_DIRECTION_INPUT, self->node_id,
                           PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS,
                           params, G_N_ELEMENTS (params));
  if (res < 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("Cannot connect to PipeWire node %s: %s"), label, spa_strerror (res));
      return FALSE;
    }
  self->stream_connected = TRUE;
  return TRUE;
}

static gboolean
wavry_capture_pipewire_start (WavryCapture  *capture,
                              GError       **error)
{
  WavryCapturePipewire *self = WAVRY_CAPTURE_PIPEWIRE (capture);
  gboolean ok;
  int fd = -1;

  if (self->use_portal)
    {
      fd = portal_open (self, error);
      if (fd < 0)
        {
          portal_close (self);
          return FALSE;
        }
    }
  else if (self->remote)
    {
      fd = self->remote_fd;
      self->remote_fd = -1;
    }

  self->loop = pw_thread_loop_new ("wavry-pipewire", NULL);
  if (self->loop == NULL)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("cannot connect to PipeWire: %s"), g_strerror (errno));
      return FALSE;
    }
  self->context = pw_context_new (pw_thread_loop_get_loop (self->loop), NULL, 0);
  if (self->context == NULL || pw_thread_loop_start (self->loop) < 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                   _("cannot connect to PipeWire: %s"), g_strerror (errno));
      g_clear_pointer (&self->context, pw_context_destroy);
      g_clear_pointer (&self->loop, pw_thread_loop_destroy);
      if (fd >= 0)
        close (fd);
      portal_close (self);
      return FALSE;
    }

  pw_thread_loop_lock (self->loop);
  self->link_timer = pw_loop_add_timer (pw_thread_loop_get_loop (self->loop), on_link_timeout, self);
  ok = connect_locked (self, fd, error);
  pw_thread_loop_unlock (self->loop);
  if (!ok)
    {
      teardown (self);
      portal_close (self);
    }
  return ok;
}

static void
wavry_capture_pipewire_stop (WavryCapture *capture)
{
  WavryCapturePipewire *self = WAVRY_CAPTURE_PIPEWIRE (capture);

  teardown (self);
  portal_close (self);
  if (self->n_corrupted > 0 || self->n_malformed > 0)
    g_debug ("PipeWire capture skipped %" G_GUINT64_FORMAT " corrupted and %"
             G_GUINT64_FORMAT " malformed buffers", self->n_corrupted, self->n_malformed);
}

static void
wavry_capture_pipewire_finalize (GObject *object)
{
  WavryCapturePipewire *self = WAVRY_CAPTURE_PIPEWIRE (object);

  teardown (self);
  portal_close (self);
  if (self->remote_fd >= 0)
    close (self->remote_fd);
  g_free (self->target);
  g_free (self->node_serial);
  g_free (self->core_error);
  g_array_unref (self->links_from_node);

  G_OBJECT_CLASS (wavry_capture_pipewire_parent_class)->finalize (object);
}

static void
wavry_capture_pipewire_class_init (WavryCapturePipewireClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  WavryCaptureClass *capture_class = WAVRY_CAPTURE_CLASS (klass);

  object_class->finalize = wavry_capture_pipewire_finalize;
  capture_class->start = wavry_capture_pipewire_start;
  capture_class->stop = wavry_capture_pipewire_stop;

  /* Once per process; PipeWire counts the calls. */
  pw_init (NULL, NULL);
}

static void
wavry_capture_pipewire_init (WavryCapturePipewire *self)
{
  self->node_id = SPA_ID_INVALID;
  self->wanted_id = SPA_ID_INVALID;
  self->serial_match = SPA_ID_INVALID;
  self->remote_fd = -1;
  self->links_from_node = g_array_new (FALSE, FALSE, sizeof (guint32));
}

WavryCapture *
wavry_capture_pipewire_new_portal (void)
{
  WavryCapturePipewire *self = g_object_new (WAVRY_TYPE_CAPTURE_PIPEWIRE, NULL);

  self->use_portal = TRUE;
  wavry_capture_set_description (WAVRY_CAPTURE (self), "PipeWire screen cast (portal)");
  return WAVRY_CAPTURE (self);
}

WavryCapture *
wavry_capture_pipewire_new_for_remote (int     fd,
                                      guint32 node_id)
{
  WavryCapturePipewire *self;

  g_return_val_if_fail (fd >= 0, NULL);

  self = g_object_new (WAVRY_TYPE_CAPTURE_PIPEWIRE, NULL);
  self->remote = TRUE;
  self->remote_fd = fd;
  self->by_id = TRUE;
  self->wanted_id = node_id;
  self->target = g_strdup_printf ("%u", node_id);
  wavry_capture_set_description (WAVRY_CAPTURE (self), "PipeWire screen cast (portal)");
  return WAVRY_CAPTURE (self);
}

WavryCapture *
wavry_capture_pipewire_new (const char  *target,
                            GError     **error)
{
  WavryCapturePipewire *self;
  guint64 id = 0;
  g_autofree char *description = NULL;

  g_return_val_if_fail (target != NULL, NULL);

  if (*target == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("“pipewire:” needs a node id or a node name, as in “pipewire:42”."));
      return NULL;
    }

  self = g_object_new (WAVRY_TYPE_CAPTURE_PIPEWIRE, NULL);
  self->target = g_strdup (target);
  if (g_ascii_string_to_unsigned (target, 10, 0, G_MAXUINT32 - 1, &id, NULL))
    {
      self->by_id = TRUE;
      self->wanted_id = (guint32) id;
    }
  description = g_strdup_printf ("PipeWire node %s", target);
  wavry_capture_set_description (WAVRY_CAPTURE (self), description);
  return WAVRY_CAPTURE (self);
}
