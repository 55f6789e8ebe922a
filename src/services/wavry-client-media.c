/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <errno.h>
#include <gio/gunixoutputstream.h>
#include <libavcodec/avcodec.h>
#include <string.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "wavry-client-media.h"
#include "wavry-input-injector.h"
#include "wavry-deadline-source.h"
#include "wavry-media-error.h"
#include "wavry-recorder.h"
#include "wavry-rift-fec.h"
#include "wavry-rift-jitter-buffer.h"
#include "wavry-rift-nack.h"
#include "wavry-rift-proto.h"
#include "wavry-rift-reassembler.h"
#include "wavry-rift-rx-stats.h"
#include "wavry-rift-skip.h"
#include "wavry-stream-stats.h"
#include "wavry-video-decoder.h"
#include "wavry-y4m.h"

#define STATS_PERIOD_US     G_USEC_PER_SEC        /* §4 / §6.8 */
#define RFI_MIN_INTERVAL_US (100 * G_TIME_SPAN_MILLISECOND)
#define DECODE_QUEUE_MAX    8                      /* beyond: the decoder cannot keep up */
#define NACKED_RING         1024

struct _WavryClientMedia
{
  GObject                 parent_instance;

  WavryClientMediaConfig  config;
  char                   *sink_spec;
  char                   *record_path;
  char                   *stats_path;
  GOutputStream          *sink_stream;   /* y4m output, opened early */
  FILE                   *stats_file;

  /* connection thread */
  WavryConnection        *connection;
  GMainContext           *context;
  GSource                *timer;
  WavryRiftFecDecoder    *fec;
  WavryRiftReassembler   *reassembler;
  WavryRiftJitterBuffer  *jitter;
  WavryRiftNackTracker   *nack;
  WavryRiftRxStats       *rx_stats;
  WavryRiftSkipDetector  *skip;
  WavryTime               next_report;
  WavryTime               last_rfi;
  gint64                  rtt_us;
  Rift__Codec             codec;
  guint64                 nacked[NACKED_RING];   /* id + 1 of ids asked for again */

  /* decode thread */
  GThread                *thread;
  GAsyncQueue            *queue;         /* WavryRiftVideoFrame, or the STOP marker */
  WavryVideoDecoder      *decoder;
  WavryY4mWriter         *y4m;
  WavryRecorder          *recorder;
  GError                 *output_error;
  gboolean                want_keyframe;
  WavryClientFrameFunc    frame_func;
  gpointer                frame_data;

  /* shared */
  GMutex                  lock;
  WavryClientMediaStats   stats;
  WavryStreamStats       *stream_stats;  /* thread-safe itself */
  gboolean                rfi_wanted;    /* decode thread → connection thread */
  gboolean                dmabuf_output; /* consumer → decode thread */
};

G_DEFINE_FINAL_TYPE (WavryClientMedia, wavry_client_media, G_TYPE_OBJECT)

static WavryRiftVideoFrame stop_marker;

static void
wavry_client_media_dispose (GObject *object)
{
  WavryClientMedia *self = WAVRY_CLIENT_MEDIA (object);

  wavry_client_media_detach (self, NULL);
  g_clear_object (&self->sink_stream);
  g_clear_pointer (&self->stats_file, fclose);

  G_OBJECT_CLASS (wavry_client_media_parent_class)->dispose (object);
}

static void
wavry_client_media_finalize (GObject *object)
{
  WavryClientMedia *self = WAVRY_CLIENT_MEDIA (object);

  g_free (self->sink_spec);
  g_free (self->record_path);
  g_free (self->stats_path);
  g_clear_error (&self->output_error);
  g_clear_pointer (&self->stream_stats, wavry_stream_stats_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (wavry_client_media_parent_class)->finalize (object);
}

static void
wavry_client_media_class_init (WavryClientMediaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wavry_client_media_dispose;
  object_class->finalize = wavry_client_media_finalize;
}

static void
wavry_client_media_init (WavryClientMedia *self)
{
  g_mutex_init (&self->lock);
  self->stream_stats = wavry_stream_stats_new ();
}

WavryClientMedia *
wavry_client_media_new (const WavryClientMediaConfig *config,
                        GError                      **error)
{
  g_autoptr(WavryClientMedia) self = g_object_new (WAVRY_TYPE_CLIENT_MEDIA, NULL);

  g_return_val_if_fail (config != NULL, NULL);

  self->config = *config;
  self->sink_spec = g_strdup (config->sink);
  self->record_path = g_strdup (config->record);
  self->stats_path = g_strdup (config->stats_path);

  if (self->sink_spec != NULL)
    {
      const char *path;

      if (!g_str_has_prefix (self->sink_spec, "y4m:") || self->sink_spec[4] == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Unknown sink “%s”. Use y4m:PATH, or y4m:- for standard output."),
                       self->sink_spec);
          return NULL;
        }
      path = self->sink_spec + 4;
      if (g_str_equal (path, "-"))
        self->sink_stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      else
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
          g_autoptr(GError) local = NULL;

          self->sink_stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE,
                                                               G_FILE_CREATE_NONE, NULL, &local));
          if (self->sink_stream == NULL)
            {
              g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                           _("Cannot write the video to “%s”: %s"), path, local->message);
              return NULL;
            }
        }
    }

  if (self->stats_path != NULL)
    {
      self->stats_file = fopen (self->stats_path, "w");
      if (self->stats_file == NULL)
        {
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_IO,
                       _("Cannot write statistics to “%s”: %s"), self->stats_path,
                       g_strerror (errno));
          return NULL;
        }
    }

  if (self->record_path != NULL)
    {
      const char *dot = strrchr (self->record_path, '.');

      if (dot == NULL || !(g_ascii_strcasecmp (dot, ".mkv") == 0 ||
                           g_ascii_strcasecmp (dot, ".mp4") == 0 ||
                           g_ascii_strcasecmp (dot, ".mov") == 0 ||
                           g_ascii_strcasecmp (dot, ".ts") == 0))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Cannot record to “%s”: use a file name ending in .mkv, .mp4, .mov or .ts."),
                       self->record_path);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

static gboolean
can_decode (enum AVCodecID id)
{
  return avcodec_find_decoder (id) != NULL;
}

gsize
wavry_client_media_get_codecs (WavryClientMedia *self,
                               Rift__Codec       codecs[3])
{
  gsize n = 0;

  g_return_val_if_fail (WAVRY_IS_CLIENT_MEDIA (self), 0);

  /* §4 preference order; FFmpeg decodes all three in software. */
  if (can_decode (AV_CODEC_ID_AV1))
    codecs[n++] = RIFT__CODEC__CODEC_AV1;
  if (can_decode (AV_CODEC_ID_HEVC))
    codecs[n++] = RIFT__CODEC__CODEC_HEVC;
  if (can_decode (AV_CODEC_ID_H264))
    codecs[n++] = RIFT__CODEC__CODEC_H264;
  return n;
}

void
wavry_client_media_set_frame_func (WavryClientMedia     *self,
                                   WavryClientFrameFunc  func,
                                   gpointer              user_data)
{
  g_return_if_fail (WAVRY_IS_CLIENT_MEDIA (self));

  /* may change while frames flow (the GUI attaches its window once
   * connected): the decode thread reads it under the lock */
  g_mutex_lock (&self->lock);
  self->frame_func = func;
  self->frame_data = user_data;
  g_mutex_unlock (&self->lock);
}

void
wavry_client_media_set_dmabuf_output (WavryClientMedia *self,
                                      gboolean          enable)
{
  g_return_if_fail (WAVRY_IS_CLIENT_MEDIA (self));

  g_mutex_lock (&self->lock);
  self->dmabuf_output = !!enable;
  g_mutex_unlock (&self->lock);
}

gboolean
wavry_client_media_get_dmabuf_output (WavryClientMedia *self)
{
  gboolean enabled;

  g_return_val_if_fail (WAVRY_IS_CLIENT_MEDIA (self), FALSE);

  g_mutex_lock (&self->lock);
  enabled = self->dmabuf_output;
  g_mutex_unlock (&self->lock);
  return enabled;
}

/* ---- decode thread ---------------------------------------------------- */

static gboolean
write_outputs (WavryClientMedia          *self,
               const WavryRiftVideoFrame *frame,
               WavryVideoFrame           *picture,
               GError                   **error)
{
  /* never a DMA-BUF frame here: the decoder only exports without a sink */
  if (self->sink_stream != NULL && !wavry_video_frame_is_dmabuf (picture))
    {
      if (self->y4m == NULL)
        self->y4m = wavry_y4m_writer_new (self->sink_stream,
                                          wavry_video_frame_get_width (picture),
                                          wavry_video_frame_get_height (picture), 60, 1);
      if (!wavry_y4m_writer_write (self->y4m, picture, error))
        return FALSE;
    }

  if (self->record_path != NULL)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (frame->data, &len);

      if (self->recorder == NULL && frame->keyframe)
        {
          self->recorder = wavry_recorder_new (self->record_path, self->codec,
                                               wavry_video_frame_get_width (picture),
                                               wavry_video_frame_get_height (picture), error);
          if (self->recorder == NULL)
            return FALSE;
        }
      if (self->recorder != NULL &&
          !wavry_recorder_write (self->recorder, data, len, (gint64) frame->timestamp_us,
                                 frame->keyframe, error))
        return FALSE;
    }
  return TRUE;
}

static void
decode_one (WavryClientMedia    *self,
            WavryRiftVideoFrame *frame)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryVideoFrame) picture = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (frame->data, &len);
  gint64 start, decode_us, network_us;
  gboolean dmabuf_output;

  if (frame->after_gap)
    self->want_keyframe = TRUE;
  if (self->want_keyframe && !frame->keyframe)
    {
      /* §6.1: a frame after a lost one references what we do not have;
       * show the last good picture until the keyframe comes. */
      g_mutex_lock (&self->lock);
      self->stats.frames_dropped++;
      self->rfi_wanted = TRUE;
      g_mutex_unlock (&self->lock);
      wavry_stream_stats_add_frame_dropped (self->stream_stats);
      return;
    }

  g_mutex_lock (&self->lock);
  dmabuf_output = self->dmabuf_output && self->sink_stream == NULL;
  g_mutex_unlock (&self->lock);
  wavry_video_decoder_set_dmabuf_output (self->decoder, dmabuf_output);

  start = g_get_monotonic_time ();
  picture = wavry_video_decoder_decode (self->decoder, data, len, (gint64) frame->timestamp_us,
                                        &error);
  decode_us = g_get_monotonic_time () - start;
  if (picture == NULL)
    {
      g_debug ("frame %" G_GUINT64_FORMAT " not decoded: %s", frame->frame_id,
               error ? error->message : "no picture");
      wavry_video_decoder_flush (self->decoder);
      self->want_keyframe = TRUE;
      g_mutex_lock (&self->lock);
      self->stats.decode_errors++;
      self->stats.frames_dropped++;
      self->rfi_wanted = TRUE;
      g_mutex_unlock (&self->lock);
      wavry_stream_stats_add_frame_dropped (self->stream_stats);
      return;
    }
  if (frame->keyframe)
    self->want_keyframe = FALSE;

  g_mutex_lock (&self->lock);
  self->stats.frames_decoded++;
  self->stats.width = wavry_video_frame_get_width (picture);
  self->stats.height = wavry_video_frame_get_height (picture);
  g_mutex_unlock (&self->lock);

  /* Per-frame latency (§6.8, LatencyStats): the host stamps capture and
   * encode time into every chunk; the network share is the time from the
   * first chunk leaving (≈ first arrival − RTT/2) to the frame's release. */
  network_us = (start - frame->first_arrival) + self->rtt_us / 2;
  wavry_stream_stats_add_frame_decoded (self->stream_stats);
  wavry_stream_stats_add_latency (self->stream_stats, WAVRY_LATENCY_CAPTURE, frame->capture_us);
  wavry_stream_stats_add_latency (self->stream_stats, WAVRY_LATENCY_ENCODE, frame->encode_us);
  wavry_stream_stats_add_latency (self->stream_stats, WAVRY_LATENCY_NETWORK, network_us);
  wavry_stream_stats_add_latency (self->stream_stats, WAVRY_LATENCY_DECODE, decode_us);
  wavry_stream_stats_add_latency (self->stream_stats, WAVRY_LATENCY_TOTAL,
                                  frame->capture_us + frame->encode_us + network_us + decode_us);

  if (self->output_error == NULL && !write_outputs (self, frame, picture, &error))
    {
      g_warning ("%s", error->message);
      self->output_error = g_steal_pointer (&error);
    }
  {
    WavryClientFrameFunc func;
    gpointer func_data;

    g_mutex_lock (&self->lock);
    func = self->frame_func;
    func_data = self->frame_data;
    g_mutex_unlock (&self->lock);
    if (func != NULL)
      func (picture, func_data);
  }

  g_mutex_lock (&self->lock);
  self->stats.frames_output++;
  g_mutex_unlock (&self->lock);
}

static gpointer
decode_thread (gpointer data)
{
  WavryClientMedia *self = data;
  WavryRiftVideoFrame *frame;

  while ((frame = g_async_queue_pop (self->queue)) != &stop_marker)
    {
      decode_one (self, frame);
      wavry_rift_video_frame_free (frame);
    }
  return NULL;
}

/* ---- connection thread ------------------------------------------------ */

static void
send_control (WavryClientMedia     *self,
              Rift__ControlMessage *control)
{
  Rift__Message message = RIFT__MESSAGE__INIT;

  message.content_case = RIFT__MESSAGE__CONTENT_CONTROL;
  message.control = control;
  wavry_connection_send (self->connection, &message);
}

static void
send_nack (WavryClientMedia *self,
           GArray           *ids)
{
  Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
  Rift__Nack nack = RIFT__NACK__INIT;

  for (guint i = 0; i < ids->len; i++)
    {
      guint64 id = g_array_index (ids, guint64, i);

      self->nacked[id % NACKED_RING] = id + 1;
    }
  nack.packet_ids = (guint64 *) ids->data;
  nack.n_packet_ids = ids->len;
  control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_NACK;
  control.nack = &nack;
  send_control (self, &control);

  g_mutex_lock (&self->lock);
  self->stats.nacks_sent += ids->len;
  g_mutex_unlock (&self->lock);
  wavry_stream_stats_add_nacks (self->stream_stats, ids->len);
}

static void
send_rfi (WavryClientMedia *self,
          guint64           last_valid_frame_id,
          WavryTime         now)
{
  Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
  Rift__ReferenceInvalidation rfi = RIFT__REFERENCE_INVALIDATION__INIT;

  if (self->last_rfi != 0 && now - self->last_rfi < RFI_MIN_INTERVAL_US)
    return;
  self->last_rfi = now;

  rfi.last_valid_frame_id = last_valid_frame_id;
  control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_RFI;
  control.rfi = &rfi;
  send_control (self, &control);

  g_mutex_lock (&self->lock);
  self->stats.rfi_sent++;
  g_mutex_unlock (&self->lock);
}

static void
send_report (WavryClientMedia *self,
             WavryTime         now)
{
  Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
  Rift__StatsReport report = RIFT__STATS_REPORT__INIT;
  gint64 jitter = wavry_rift_jitter_buffer_get_jitter_us (self->jitter);

  wavry_rift_rx_stats_take_report (self->rx_stats, now, self->rtt_us,
                                   (guint32) CLAMP (jitter, 0, G_MAXUINT32), &report);
  control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_STATS;
  control.stats = &report;
  send_control (self, &control);

  wavry_stream_stats_add_received (self->stream_stats, report.received_packets);
  wavry_stream_stats_add_lost (self->stream_stats, report.lost_packets);
  wavry_stream_stats_set_jitter (self->stream_stats, jitter);
  wavry_stream_stats_set_rtt (self->stream_stats, self->rtt_us);

  {
    g_autofree char *line = wavry_stream_stats_take_period (self->stream_stats, now);

    if (self->stats_file != NULL)
      {
        fputs (line, self->stats_file);
        fputc ('\n', self->stats_file);
        fflush (self->stats_file);
      }
  }
  if (self->config.live_status)
    {
      g_autofree char *status = wavry_stream_stats_format_status (self->stream_stats);

      /* \r and erase-to-end: one line, rewritten in place */
      fprintf (stderr, "\r%s\033[K", status);
      fflush (stderr);
    }
}

/* §6.2's jitter, measured on what the network adds: per completed frame,
 * arrival minus the host's send time (pts + capture + encode time, on the
 * host's clock). Per datagram, a frame's chunk burst would make the jitter
 * the frame interval itself; per frame arrival, the host's encode-time
 * variance would. Either keeps the target at its 10 ms cap on any LAN
 * (doc/protocol-notes.md). */
static void
note_transit (WavryClientMedia          *self,
              const WavryRiftVideoFrame *frame)
{
  gint64 sent = (gint64) frame->timestamp_us + frame->capture_us + frame->encode_us;

  wavry_rift_jitter_buffer_on_transit (self->jitter, frame->last_arrival - sent);
}

static void
feed_video (WavryClientMedia       *self,
            const Rift__VideoChunk *chunk,
            WavryTime               now)
{
  WavryRiftVideoFrame *frame;
  guint64 lost;

  wavry_rift_reassembler_add_chunk (self->reassembler, chunk, now);
  while ((frame = wavry_rift_reassembler_pop_frame (self->reassembler)) != NULL)
    {
      g_mutex_lock (&self->lock);
      self->stats.frames_complete++;
      if (frame->keyframe)
        self->stats.keyframes++;
      g_mutex_unlock (&self->lock);
      note_transit (self, frame);
      wavry_rift_jitter_buffer_push (self->jitter, frame, now);
    }
  while (wavry_rift_reassembler_pop_lost (self->reassembler, &lost))
    {
      g_mutex_lock (&self->lock);
      self->stats.frames_lost++;
      g_mutex_unlock (&self->lock);
      send_rfi (self, lost > 0 ? lost - 1 : 0, now);
    }
}

static void
feed_plaintext (WavryClientMedia *self,
                const guint8     *data,
                gsize             len,
                WavryTime         now)
{
  Rift__Message *message = wavry_rift_message_unpack (data, len);

  if (message == NULL)
    return;
  if (message->content_case == RIFT__MESSAGE__CONTENT_MEDIA &&
      message->media->content_case == RIFT__MEDIA_MESSAGE__CONTENT_VIDEO)
    feed_video (self, message->media->video, now);
  wavry_rift_message_free (message);
}

static void
drain_recovered (WavryClientMedia *self,
                 WavryTime         now)
{
  guint64 id;
  GBytes *data;

  while (wavry_rift_fec_decoder_pop_recovered (self->fec, &id, &data))
    {
      gsize len;
      const guint8 *bytes = g_bytes_get_data (data, &len);

      wavry_rift_nack_tracker_mark_received (self->nack, id);
      g_mutex_lock (&self->lock);
      self->stats.fec_recovered++;
      g_mutex_unlock (&self->lock);
      wavry_stream_stats_add_fec_recovered (self->stream_stats, 1);
      feed_plaintext (self, bytes, len, now);
      g_bytes_unref (data);
    }
}

static void
release_frames (WavryClientMedia *self,
                WavryTime         now)
{
  WavryRiftVideoFrame *frame;
  gboolean rfi;

  while ((frame = wavry_rift_jitter_buffer_pop (self->jitter, now)) != NULL)
    {
      if (g_async_queue_length (self->queue) >= DECODE_QUEUE_MAX && !frame->keyframe)
        {
          /* The decoder is far behind: everything until the next keyframe
           * would be late anyway. */
          frame->after_gap = TRUE;
        }
      g_async_queue_push (self->queue, frame);
    }

  g_mutex_lock (&self->lock);
  rfi = self->rfi_wanted;
  self->rfi_wanted = FALSE;
  g_mutex_unlock (&self->lock);
  if (rfi)
    send_rfi (self, 0, now);
}

static void
rearm (WavryClientMedia *self)
{
  WavryTime next = self->next_report;

  next = MIN (next, wavry_rift_reassembler_next_timeout (self->reassembler));
  next = MIN (next, wavry_rift_jitter_buffer_next_timeout (self->jitter));
  wavry_deadline_source_set (self->timer, next);
}

static void
on_event (WavryConnection      *connection,
          const WavryRiftEvent *event,
          gpointer              user_data)
{
  WavryClientMedia *self = user_data;
  WavryTime now = g_get_monotonic_time ();
  g_autoptr(GArray) nack = NULL;

  /* §6.4 over authenticated ids only: a forged header cannot trigger NACKs. */
  nack = wavry_rift_nack_tracker_on_packet (self->nack, event->packet_id);
  if (nack != NULL && nack->len > 0)
    send_nack (self, nack);
  wavry_rift_rx_stats_on_packet_full (self->rx_stats, event->packet_id, now,
                                      self->nacked[event->packet_id % NACKED_RING] ==
                                      event->packet_id + 1);

  if (event->kind == WAVRY_RIFT_EVENT_PONG)
    {
      guint skip;

      self->rtt_us = event->rtt_us;
      wavry_stream_stats_set_rtt (self->stream_stats, event->rtt_us);
      skip = wavry_rift_skip_detector_on_rtt (self->skip, now, event->rtt_us);
      if (skip > 0)
        {
          Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
          Rift__EncoderControl encoder_control = RIFT__ENCODER_CONTROL__INIT;

          encoder_control.skip_frames = skip;
          control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_ENCODER_CONTROL;
          control.encoder_control = &encoder_control;
          send_control (self, &control);
        }
      return;
    }

  if (event->message == NULL || event->message->content_case != RIFT__MESSAGE__CONTENT_MEDIA)
    return;

  if (event->plaintext != NULL)
    {
      g_mutex_lock (&self->lock);
      self->stats.bytes_received += g_bytes_get_size (event->plaintext);
      g_mutex_unlock (&self->lock);
      wavry_stream_stats_add_bytes (self->stream_stats, g_bytes_get_size (event->plaintext));
    }

  switch (event->message->media->content_case)
    {
    case RIFT__MEDIA_MESSAGE__CONTENT_VIDEO:
      if (event->plaintext != NULL)
        {
          gsize len;
          const guint8 *data = g_bytes_get_data (event->plaintext, &len);

          wavry_rift_fec_decoder_add_data (self->fec, event->packet_id, data, len, now);
        }
      feed_video (self, event->message->media->video, now);
      drain_recovered (self, now);
      break;
    case RIFT__MEDIA_MESSAGE__CONTENT_FEC:
      wavry_rift_fec_decoder_add_parity (self->fec, event->message->media->fec, now);
      drain_recovered (self, now);
      break;
    case RIFT__MEDIA_MESSAGE__CONTENT_AUDIO:
    case RIFT__MEDIA_MESSAGE__CONTENT_FILE_CHUNK:
    case RIFT__MEDIA_MESSAGE__CONTENT__NOT_SET:
    case _RIFT__MEDIA_MESSAGE__CONTENT__CASE_IS_INT_SIZE:
    default:
      break;
    }

  release_frames (self, now);
  rearm (self);
}

static gboolean
on_timer (gpointer user_data)
{
  WavryClientMedia *self = user_data;
  WavryTime now = g_get_monotonic_time ();
  guint64 lost;

  wavry_rift_reassembler_handle_timeout (self->reassembler, now);
  while (wavry_rift_reassembler_pop_lost (self->reassembler, &lost))
    {
      g_mutex_lock (&self->lock);
      self->stats.frames_lost++;
      g_mutex_unlock (&self->lock);
      send_rfi (self, lost > 0 ? lost - 1 : 0, now);
    }
  {
    WavryRiftVideoFrame *frame;

    /* frames that waited behind the discarded one */
    while ((frame = wavry_rift_reassembler_pop_frame (self->reassembler)) != NULL)
      {
        g_mutex_lock (&self->lock);
        self->stats.frames_complete++;
        g_mutex_unlock (&self->lock);
        note_transit (self, frame);
        wavry_rift_jitter_buffer_push (self->jitter, frame, now);
      }
  }
  wavry_rift_fec_decoder_expire (self->fec, now);

  if (now >= self->next_report)
    {
      send_report (self, now);
      self->next_report = now + STATS_PERIOD_US;
    }

  release_frames (self, now);
  rearm (self);
  return G_SOURCE_CONTINUE;
}

gboolean
wavry_client_media_attach (WavryClientMedia  *self,
                           WavryConnection   *connection,
                           GError           **error)
{
  const Rift__HelloAck *ack;

  g_return_val_if_fail (WAVRY_IS_CLIENT_MEDIA (self), FALSE);
  g_return_val_if_fail (self->connection == NULL, FALSE);

  ack = wavry_connection_get_hello_ack (connection);
  if (ack == NULL || !ack->accepted)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("Not connected to a host."));
      return FALSE;
    }
  self->codec = ack->selected_codec;
  self->decoder = wavry_video_decoder_new (self->codec, self->config.hw_decode, error);
  if (self->decoder == NULL)
    return FALSE;

  self->connection = g_object_ref (connection);
  self->context = g_main_context_ref_thread_default ();
  self->fec = wavry_rift_fec_decoder_new ();
  self->reassembler = wavry_rift_reassembler_new ();
  self->jitter = wavry_rift_jitter_buffer_new ();
  self->nack = wavry_rift_nack_tracker_new ();
  self->rx_stats = wavry_rift_rx_stats_new ();
  self->skip = wavry_rift_skip_detector_new ();
  self->want_keyframe = TRUE;
  self->next_report = g_get_monotonic_time () + STATS_PERIOD_US;
  self->queue = g_async_queue_new ();
  self->thread = g_thread_new ("wavry-decode", decode_thread, self);
  self->timer = wavry_deadline_source_new (on_timer, self, "[wavry] client media timer");
  rearm (self);

  wavry_connection_set_event_func (connection, on_event, self);
  return TRUE;
}

gboolean
wavry_client_media_detach (WavryClientMedia  *self,
                           GError           **error)
{
  g_autoptr(GError) local = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (WAVRY_IS_CLIENT_MEDIA (self), FALSE);

  if (self->connection == NULL)
    return TRUE;

  wavry_connection_set_event_func (self->connection, NULL, NULL);
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }

  g_async_queue_push (self->queue, &stop_marker);
  g_thread_join (g_steal_pointer (&self->thread));
  {
    WavryRiftVideoFrame *frame;

    while ((frame = g_async_queue_try_pop (self->queue)) != NULL)
      if (frame != &stop_marker)
        wavry_rift_video_frame_free (frame);
  }
  g_clear_pointer (&self->queue, g_async_queue_unref);

  if (self->recorder != NULL && !wavry_recorder_close (self->recorder, &local))
    ok = FALSE;
  g_clear_pointer (&self->recorder, wavry_recorder_free);
  g_clear_pointer (&self->y4m, wavry_y4m_writer_free);
  if (self->sink_stream != NULL && ok)
    ok = g_output_stream_flush (self->sink_stream, NULL, &local);
  if (ok && self->output_error != NULL)
    {
      local = g_error_copy (self->output_error);
      ok = FALSE;
    }
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local));

  if (self->config.live_status)
    fputc ('\n', stderr);

  g_clear_pointer (&self->decoder, wavry_video_decoder_free);
  g_clear_pointer (&self->fec, wavry_rift_fec_decoder_free);
  g_clear_pointer (&self->reassembler, wavry_rift_reassembler_free);
  g_clear_pointer (&self->jitter, wavry_rift_jitter_buffer_free);
  g_clear_pointer (&self->nack, wavry_rift_nack_tracker_free);
  g_clear_pointer (&self->rx_stats, wavry_rift_rx_stats_free);
  g_clear_pointer (&self->skip, wavry_rift_skip_detector_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->connection);
  return ok;
}

void
wavry_client_media_get_stats (WavryClientMedia      *self,
                              WavryClientMediaStats *stats)
{
  g_return_if_fail (WAVRY_IS_CLIENT_MEDIA (self));

  g_mutex_lock (&self->lock);
  *stats = self->stats;
  g_mutex_unlock (&self->lock);
}

char *
wavry_client_media_get_summary (WavryClientMedia *self)
{
  g_return_val_if_fail (WAVRY_IS_CLIENT_MEDIA (self), NULL);

  return wavry_stream_stats_get_summary (self->stream_stats, g_get_monotonic_time ());
}

/* ---- input (§5) ------------------------------------------------------- */

static gboolean
send_input (WavryClientMedia   *self,
            Rift__InputMessage *input)
{
  Rift__Message message = RIFT__MESSAGE__INIT;

  g_return_val_if_fail (WAVRY_IS_CLIENT_MEDIA (self), FALSE);

  if (self->connection == NULL)
    return FALSE;
  input->timestamp_us = (guint64) g_get_monotonic_time ();
  message.content_case = RIFT__MESSAGE__CONTENT_INPUT;
  message.input = input;
  return wavry_connection_send (self->connection, &message);
}

gboolean
wavry_client_media_send_key (WavryClientMedia *self,
                             guint32           evdev,
                             gboolean          pressed)
{
  Rift__InputMessage input = RIFT__INPUT_MESSAGE__INIT;
  Rift__Key key = RIFT__KEY__INIT;

  if (!wavry_input_key_is_valid (evdev))
    return FALSE;
  key.keycode = evdev;
  key.pressed = pressed;
  input.event_case = RIFT__INPUT_MESSAGE__EVENT_KEY;
  input.key = &key;
  return send_input (self, &input);
}

gboolean
wavry_client_media_send_pointer (WavryClientMedia *self,
                                 double            x,
                                 double            y)
{
  Rift__InputMessage input = RIFT__INPUT_MESSAGE__INIT;
  Rift__MouseMove move = RIFT__MOUSE_MOVE__INIT;

  if (!wavry_input_position_is_valid (x, y))
    return FALSE;
  move.x = (float) x;
  move.y = (float) y;
  input.event_case = RIFT__INPUT_MESSAGE__EVENT_MOUSE_MOVE;
  input.mouse_move = &move;
  return send_input (self, &input);
}

gboolean
wavry_client_media_send_button (WavryClientMedia *self,
                                guint32           evdev,
                                gboolean          pressed)
{
  Rift__InputMessage input = RIFT__INPUT_MESSAGE__INIT;
  Rift__MouseButton button = RIFT__MOUSE_BUTTON__INIT;

  if (!wavry_input_button_is_valid (evdev))
    return FALSE;
  button.button = evdev;
  button.pressed = pressed;
  input.event_case = RIFT__INPUT_MESSAGE__EVENT_MOUSE_BUTTON;
  input.mouse_button = &button;
  return send_input (self, &input);
}

gboolean
wavry_client_media_send_scroll (WavryClientMedia *self,
                                double            dx,
                                double            dy)
{
  Rift__InputMessage input = RIFT__INPUT_MESSAGE__INIT;
  Rift__Scroll scroll = RIFT__SCROLL__INIT;

  if (!wavry_input_scroll_is_valid (dx, dy))
    return FALSE;
  scroll.dx = (float) dx;
  scroll.dy = (float) dy;
  input.event_case = RIFT__INPUT_MESSAGE__EVENT_SCROLL;
  input.scroll = &scroll;
  return send_input (self, &input);
}
