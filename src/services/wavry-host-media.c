/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-capture-mutter.h"
#include "wavry-host-media.h"
#include "wavry-input-injector-mutter.h"
#include "wavry-input-injector-portal.h"
#include "wavry-capture-pipewire.h"
#include "wavry-media-error.h"
#include "wavry-rift-delta.h"
#include "wavry-rift-fec.h"
#include "wavry-rift-pacer.h"
#include "wavry-rift-packetizer.h"
#include "wavry-rift-skip.h"
#include "wavry-video-encoder.h"

#define DEFAULT_FPS          60
#define DEFAULT_BITRATE_KBPS 20000
#define DEFAULT_KEYFRAME_MS  1000
#define FEC_K                16     /* §6.3 default group size */
#define CAPTURE_POLL_US      (100 * G_TIME_SPAN_MILLISECOND)
/* FEC stays off after this long without loss (§6.3: 0 on a clean LAN) */
#define FEC_CLEAN_AFTER_US   (5 * G_TIME_SPAN_SECOND)



typedef struct
{
  guint32               alias;
  guint64               next_frame_id;
  gboolean              need_keyframe;  /* nothing sent yet: start at a keyframe */
  WavryRiftFecEncoder  *fec;
  WavryRiftDelta       *delta;
  WavryRiftPacer       *pacer;
  gboolean              have_report;
  double                loss;           /* EWMA of StatsReport loss */
  WavryTime             last_loss_at;   /* 0 = never */
} Session;

struct _WavryHostMedia
{
  GObject               parent_instance;

  WavryHostMediaConfig  config;
  char                 *capture_spec;
  char                 *encoder_request;
  Rift__Codec           codec;
  char                 *encoder_name;

  /* session thread */
  GMainContext         *context;
  WavryRiftHost        *host;
  WavryUdpTransport    *transport;
  GHashTable           *sessions;       /* alias → Session */
  WavryInputInjector   *injector;
  gboolean              default_view_only;
  GHashTable           *view_only;      /* alias → GINT_TO_POINTER (view only + 1) */

  /* encode thread */
  WavryCapture         *capture;
  GThread              *thread;
  WavryVideoEncoder    *encoder;
  gint64                started_at;     /* of the current pipeline */
  WavryHostMediaStats   at_start;

  /* shared, under lock */
  GMutex                lock;
  gboolean              stopping;
  gboolean              want_keyframe;
  guint                 want_skip;
  guint                 target_kbps;
  guint                 target_fps;
  WavryHostMediaStats   stats;
};

G_DEFINE_FINAL_TYPE (WavryHostMedia, wavry_host_media, G_TYPE_OBJECT)

enum {
  SIGNAL_CAPTURE_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void stop_pipeline (WavryHostMedia *self);

static void
session_free (gpointer data)
{
  Session *session = data;

  wavry_rift_fec_encoder_free (session->fec);
  wavry_rift_delta_free (session->delta);
  wavry_rift_pacer_free (session->pacer);
  g_free (session);
}

/* §6.3 "m follows the measured loss": DELTA raises FEC only once the path
 * is congested (§7), but random loss with no queueing (Wi-Fi, a lossy
 * link) never looks congested. So the overhead is at least 3× the smoothed
 * loss plus a margin while loss is being seen, enough that k = 16 groups
 * survive the usual loss counts and NACK repairs the rest; and none after
 * FEC_CLEAN_AFTER_US without loss. Before the first report: DELTA's start
 * value. */
static double
session_fec (Session   *session,
             WavryTime  now)
{
  double fec = wavry_rift_delta_get_fec (session->delta);

  if (!session->have_report)
    return fec;
  if (session->last_loss_at == 0 || now - session->last_loss_at > FEC_CLEAN_AFTER_US)
    return 0.0;
  return CLAMP (MAX (fec, 3.0 * session->loss + 0.05), 0.0, 0.5);
}

static void
wavry_host_media_dispose (GObject *object)
{
  WavryHostMedia *self = WAVRY_HOST_MEDIA (object);

  wavry_host_media_detach (self);

  G_OBJECT_CLASS (wavry_host_media_parent_class)->dispose (object);
}

static void
wavry_host_media_finalize (GObject *object)
{
  WavryHostMedia *self = WAVRY_HOST_MEDIA (object);

  g_free (self->capture_spec);
  g_free (self->encoder_request);
  g_free (self->encoder_name);
  g_hash_table_unref (self->sessions);
  g_hash_table_unref (self->view_only);
  g_clear_object (&self->injector);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (wavry_host_media_parent_class)->finalize (object);
}

static void
wavry_host_media_class_init (WavryHostMediaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wavry_host_media_dispose;
  object_class->finalize = wavry_host_media_finalize;

  /* The capture source ended (end of a y4m stream) or failed: (error or NULL). */
  signals[SIGNAL_CAPTURE_ENDED] =
    g_signal_new ("capture-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
wavry_host_media_init (WavryHostMedia *self)
{
  g_mutex_init (&self->lock);
  self->sessions = g_hash_table_new_full (NULL, NULL, NULL, session_free);
  self->view_only = g_hash_table_new (NULL, NULL);
}

static gboolean
parse_codec (const char   *name,
             Rift__Codec  *codec,
             GError      **error)
{
  if (g_ascii_strcasecmp (name, "h264") == 0 || g_ascii_strcasecmp (name, "avc") == 0)
    *codec = RIFT__CODEC__CODEC_H264;
  else if (g_ascii_strcasecmp (name, "hevc") == 0 || g_ascii_strcasecmp (name, "h265") == 0)
    *codec = RIFT__CODEC__CODEC_HEVC;
  else if (g_ascii_strcasecmp (name, "av1") == 0)
    *codec = RIFT__CODEC__CODEC_AV1;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown codec “%s”. Use h264, hevc or av1."), name);
      return FALSE;
    }
  return TRUE;
}

static const char *
codec_to_string (Rift__Codec codec)
{
  switch (codec)
    {
    case RIFT__CODEC__CODEC_H264: return "H.264";
    case RIFT__CODEC__CODEC_HEVC: return "HEVC";
    case RIFT__CODEC__CODEC_AV1: return "AV1";
    case _RIFT__CODEC_IS_INT_SIZE:
    default: return "?";
    }
}

WavryHostMedia *
wavry_host_media_new (const WavryHostMediaConfig *config,
                      GError                    **error)
{
  g_autoptr(WavryHostMedia) self = g_object_new (WAVRY_TYPE_HOST_MEDIA, NULL);
  g_autoptr(WavryCapture) probe = NULL;
  Rift__Codec codecs[3];
  gsize n_codecs;

  g_return_val_if_fail (config != NULL, NULL);

  self->config = *config;
  self->capture_spec = g_strdup (config->capture_spec ? config->capture_spec : "test-pattern");
  self->encoder_request = g_strdup (config->encoder);
  self->config.capture_spec = self->capture_spec;
  self->config.encoder = self->encoder_request;
  self->config.codec = NULL;
  if (self->config.fps == 0)
    self->config.fps = DEFAULT_FPS;
  if (self->config.bitrate_kbps == 0)
    self->config.bitrate_kbps = DEFAULT_BITRATE_KBPS;
  if (self->config.keyframe_interval_ms == 0)
    self->config.keyframe_interval_ms = DEFAULT_KEYFRAME_MS;
  if (self->config.capture.fps == 0)
    self->config.capture.fps = self->config.fps;
  if ((self->config.width == 0) != (self->config.height == 0))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give both --width and --height, or neither."));
      return NULL;
    }
  if (self->config.capture.width == 0 && self->config.width > 0)
    {
      self->config.capture.width = self->config.width;
      self->config.capture.height = self->config.height;
    }
  self->target_kbps = self->config.bitrate_kbps;
  self->target_fps = self->config.fps;

  /* A bad --capture fails now, not when the first client arrives. */
  probe = wavry_capture_new_for_spec (self->capture_spec, &self->config.capture, error);
  if (probe == NULL)
    return NULL;

  n_codecs = wavry_video_encoder_probe_codecs (self->encoder_request, codecs);
  if (n_codecs == 0)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("The encoder “%s” cannot encode any video codec on this machine."),
                   self->encoder_request ? self->encoder_request : "auto");
      return NULL;
    }
  if (config->codec != NULL)
    {
      Rift__Codec wanted;
      gboolean found = FALSE;

      if (!parse_codec (config->codec, &wanted, error))
        return NULL;
      for (gsize i = 0; i < n_codecs; i++)
        found |= codecs[i] == wanted;
      if (!found)
        {
          g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                       _("The encoder “%s” cannot produce %s here; it can do %s."),
                       self->encoder_request ? self->encoder_request : "auto",
                       codec_to_string (wanted), codec_to_string (codecs[0]));
          return NULL;
        }
      self->codec = wanted;
    }
  else
    {
      /* §4 prefers AV1 → HEVC → H.264 among what both sides support; this host
       * offers one codec (one shared encoder). Unless a hardware encoder was
       * asked for, that is H.264: software HEVC/AV1 cost several times the
       * latency of x264 on a desktop CPU. --codec overrides. */
      gboolean hardware = self->encoder_request != NULL &&
                          (g_str_equal (self->encoder_request, "vaapi") ||
                           g_str_equal (self->encoder_request, "nvenc"));

      self->codec = codecs[0];
      for (gsize i = 0; i < n_codecs && !hardware; i++)
        if (codecs[i] == RIFT__CODEC__CODEC_H264)
          self->codec = RIFT__CODEC__CODEC_H264;
    }

  return g_steal_pointer (&self);
}

Rift__Codec
wavry_host_media_get_codec (WavryHostMedia *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_MEDIA (self), RIFT__CODEC__CODEC_H264);
  return self->codec;
}

void
wavry_host_media_get_stream_params (WavryHostMedia *self,
                                    guint          *width,
                                    guint          *height,
                                    guint          *fps,
                                    guint          *bitrate_kbps,
                                    guint          *keyframe_interval_ms)
{
  g_return_if_fail (WAVRY_IS_HOST_MEDIA (self));

  *width = self->config.width;
  *height = self->config.height;
  *fps = self->config.fps;
  *bitrate_kbps = self->config.bitrate_kbps;
  *keyframe_interval_ms = self->config.keyframe_interval_ms;
}

const char *
wavry_host_media_get_encoder_name (WavryHostMedia *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_MEDIA (self), NULL);
  return self->encoder_name;
}

/* ---- encode thread ---------------------------------------------------- */

typedef struct
{
  WavryHostMedia    *self;     /* owned */
  WavryEncodedFrame *frame;    /* owned */
} EncodedItem;

static void
encoded_item_free (gpointer data)
{
  EncodedItem *item = data;

  g_object_unref (item->self);
  g_clear_pointer (&item->frame, wavry_encoded_frame_free);
  g_free (item);
}

static gboolean on_encoded (gpointer data);

typedef struct
{
  WavryHostMedia *self;
  GError         *error;   /* NULL: a normal end of stream */
} EndedItem;

static void
ended_item_free (gpointer data)
{
  EndedItem *item = data;

  g_object_unref (item->self);
  g_clear_error (&item->error);
  g_free (item);
}

static gboolean
on_capture_ended (gpointer data)
{
  EndedItem *item = data;

  g_signal_emit (item->self, signals[SIGNAL_CAPTURE_ENDED], 0, item->error);
  return G_SOURCE_REMOVE;
}

static gboolean
ensure_encoder (WavryHostMedia   *self,
                WavryVideoFrame  *frame,
                GError          **error)
{
  WavryVideoEncoderConfig config = { 0 };

  if (self->encoder != NULL)
    return TRUE;

  config.codec = self->codec;
  config.width = self->config.width > 0 ? self->config.width : wavry_video_frame_get_width (frame);
  config.height = self->config.height > 0 ? self->config.height : wavry_video_frame_get_height (frame);
  /* 4:2:0 needs even sizes */
  config.width &= ~1u;
  config.height &= ~1u;
  config.fps = self->target_fps;
  config.bitrate_kbps = self->target_kbps;
  config.keyframe_interval_ms = self->config.keyframe_interval_ms;
  config.threads = self->config.encoder_threads;

  self->encoder = wavry_video_encoder_new (self->encoder_request, &config, error);
  if (self->encoder == NULL)
    return FALSE;

  g_mutex_lock (&self->lock);
  g_free (self->encoder_name);
  self->encoder_name = g_strdup (wavry_video_encoder_get_name (self->encoder));
  g_mutex_unlock (&self->lock);
  g_message ("Streaming %s %u×%u@%u from %s with %s", codec_to_string (self->codec),
             config.width, config.height, config.fps,
             wavry_capture_get_description (self->capture), self->encoder_name);
  return TRUE;
}

static gpointer
encode_thread (gpointer data)
{
  WavryHostMedia *self = data;
  guint applied_kbps = self->target_kbps;
  guint applied_fps = self->target_fps;
  gint64 next_slot = 0;   /* FPS limit: when the next frame is due */

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WavryVideoFrame) frame = NULL;
      WavryEncodedFrame *encoded;
      gboolean keyframe;
      guint kbps, fps;
      gint64 now;

      frame = wavry_capture_wait_frame (self->capture,
                                        g_get_monotonic_time () + CAPTURE_POLL_US, &error);

      g_mutex_lock (&self->lock);
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      keyframe = self->want_keyframe;
      kbps = self->target_kbps;
      fps = self->target_fps;
      if (frame != NULL && !keyframe && self->want_skip > 0)
        {
          /* §6.6, before encoding: a frame dropped after the encoder saw it
           * would break the client's reference chain. */
          self->want_skip--;
          self->stats.frames_skipped++;
          g_clear_pointer (&frame, wavry_video_frame_unref);
        }
      g_mutex_unlock (&self->lock);

      if (error != NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              EndedItem *item = g_new0 (EndedItem, 1);

              g_message ("The capture source ended: %s", error->message);
              item->self = g_object_ref (self);
              if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
                item->error = g_error_copy (error);
              g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, on_capture_ended,
                                          item, ended_item_free);
            }
          break;
        }

      now = g_get_monotonic_time ();
      if (frame == NULL)
        {
          /* A damage-driven source sends nothing while the screen is static;
           * a client that needs a keyframe still gets one. */
          if (!keyframe)
            continue;
          frame = wavry_capture_get_last_frame (self->capture);
          if (frame == NULL)
            continue;
        }
      else if (!keyframe && fps > 0 && now < next_slot - G_USEC_PER_SEC / fps / 2)
        {
          /* The source is faster than the stream's FPS (DELTA stepped down,
           * or --fps below the source's rate). Slots, not the time since the
           * last frame, so a source at the stream's rate with some jitter
           * (a pipe, a compositor) never loses frames to this. */
          g_mutex_lock (&self->lock);
          self->stats.frames_skipped++;
          g_mutex_unlock (&self->lock);
          continue;
        }
      if (fps > 0)
        next_slot = MAX (next_slot, now - G_USEC_PER_SEC / fps) + G_USEC_PER_SEC / fps;

      if (!ensure_encoder (self, frame, &error))
        {
          g_warning ("Cannot start the video encoder: %s", error->message);
          break;
        }
      if (kbps != applied_kbps)
        {
          wavry_video_encoder_set_bitrate (self->encoder, kbps);
          applied_kbps = kbps;
        }
      if (fps != applied_fps)
        {
          wavry_video_encoder_set_fps (self->encoder, fps);
          applied_fps = fps;
        }

      encoded = wavry_video_encoder_encode (self->encoder, frame, keyframe, &error);
      if (encoded == NULL)
        {
          if (error != NULL)
            g_warning ("Encoding a frame failed: %s", error->message);
          continue;
        }

      g_mutex_lock (&self->lock);
      if (encoded->keyframe)
        {
          self->want_keyframe = FALSE;
          self->stats.keyframes++;
        }
      self->stats.frames_encoded++;
      g_mutex_unlock (&self->lock);

      {
        EncodedItem *item = g_new0 (EncodedItem, 1);

        item->self = g_object_ref (self);
        item->frame = encoded;
        g_main_context_invoke_full (self->context, G_PRIORITY_HIGH, on_encoded, item,
                                    encoded_item_free);
      }
    }

  g_clear_pointer (&self->encoder, wavry_video_encoder_free);
  return NULL;
}

/* The injector goes through the mutter capture's own RemoteDesktop session. */
static gboolean
shares_mutter_session (WavryHostMedia *self)
{
  return self->capture != NULL && WAVRY_IS_CAPTURE_MUTTER (self->capture) &&
         self->injector != NULL && WAVRY_IS_INPUT_INJECTOR_MUTTER (self->injector);
}

/* With the portal capture and the RemoteDesktop portal injector, the
 * screen comes from the injector's session: the user answered one dialog
 * for both, and it stays open while the injector lives. */
static WavryCapture *
capture_from_portal_session (WavryHostMedia  *self,
                             GError         **error)
{
  WavryInputInjectorPortal *portal;
  int fd;

  if (g_strcmp0 (self->capture_spec, "pipewire") != 0 || self->injector == NULL ||
      !WAVRY_IS_INPUT_INJECTOR_PORTAL (self->injector))
    return NULL;
  portal = WAVRY_INPUT_INJECTOR_PORTAL (self->injector);
  fd = wavry_input_injector_portal_open_pipewire_remote (portal, error);
  if (fd < 0)
    return NULL;
  return wavry_capture_pipewire_new_for_remote (fd, wavry_input_injector_portal_get_node_id (portal));
}

static gboolean
start_pipeline (WavryHostMedia  *self,
                GError         **error)
{
  g_autoptr(GError) portal_error = NULL;

  if (self->thread != NULL)
    return TRUE;

  self->capture = capture_from_portal_session (self, &portal_error);
  if (portal_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&portal_error));
      return FALSE;
    }
  if (self->capture == NULL)
    self->capture = wavry_capture_new_for_spec (self->capture_spec, &self->config.capture, error);
  if (self->capture != NULL && shares_mutter_session (self))
    wavry_capture_mutter_set_with_input (WAVRY_CAPTURE_MUTTER (self->capture), TRUE);
  if (self->capture == NULL || !wavry_capture_start (self->capture, error))
    {
      g_clear_object (&self->capture);
      return FALSE;
    }
  if (shares_mutter_session (self))
    wavry_input_injector_mutter_set_session (WAVRY_INPUT_INJECTOR_MUTTER (self->injector),
                                             wavry_capture_mutter_get_session (WAVRY_CAPTURE_MUTTER (self->capture)));

  g_mutex_lock (&self->lock);
  self->stopping = FALSE;
  self->want_keyframe = TRUE;
  g_mutex_unlock (&self->lock);

  self->started_at = g_get_monotonic_time ();
  self->at_start = self->stats;
  self->thread = g_thread_new ("wavry-encode", encode_thread, self);
  return TRUE;
}

static void
stop_pipeline (WavryHostMedia *self)
{
  if (self->thread == NULL)
    return;

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_mutex_unlock (&self->lock);
  if (shares_mutter_session (self))
    wavry_input_injector_mutter_set_session (WAVRY_INPUT_INJECTOR_MUTTER (self->injector), NULL);
  wavry_capture_interrupt (self->capture);
  wavry_capture_stop (self->capture);
  g_thread_join (g_steal_pointer (&self->thread));

  g_mutex_lock (&self->lock);
  self->stats.frames_captured += wavry_capture_get_n_frames (self->capture);
  self->stats.frames_dropped_capture += wavry_capture_get_n_dropped (self->capture);
  g_mutex_unlock (&self->lock);
  g_clear_object (&self->capture);

  {
    double seconds = (g_get_monotonic_time () - self->started_at) / (double) G_USEC_PER_SEC;
    const WavryHostMediaStats *s = &self->stats, *a = &self->at_start;

    g_message ("Streamed %.1f s: captured %" G_GUINT64_FORMAT " frames (%" G_GUINT64_FORMAT
               " replaced before encoding), encoded %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT
               " keyframes), sent %" G_GUINT64_FORMAT " chunks + %" G_GUINT64_FORMAT
               " FEC parity, %.0f kb/s on the wire",
               seconds, s->frames_captured - a->frames_captured,
               s->frames_dropped_capture - a->frames_dropped_capture,
               s->frames_encoded - a->frames_encoded, s->keyframes - a->keyframes,
               s->chunks_sent - a->chunks_sent, s->parity_sent - a->parity_sent,
               seconds > 0 ? (s->bytes_sent - a->bytes_sent) * 8 / 1000.0 / seconds : 0);
  }
}

/* ---- session thread --------------------------------------------------- */

/* Sends what the RIFT host queued, video datagrams spaced by the §6.5
 * pacing interval. */
static void
transmit (WavryHostMedia *self,
          gint64          interval_us)
{
  WavryRiftDatagram *datagram;
  gint64 next = 0;

  while ((datagram = wavry_rift_host_poll_transmit (self->host)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (interval_us > 0 && next != 0)
        {
          gint64 now = g_get_monotonic_time ();

          if (next - now > 200)
            g_usleep (next - now - 100);
          while (g_get_monotonic_time () < next)
            ;  /* the last few µs: a sleep would overshoot them */
        }
      if (!wavry_udp_transport_send (self->transport, &datagram->addr,
                                     datagram->data, datagram->len, &error))
        g_debug ("send failed: %s", error->message);
      self->stats.bytes_sent += datagram->len;
      next = g_get_monotonic_time () + interval_us;
      wavry_rift_datagram_free (datagram);
    }
}

static void
send_frame (WavryHostMedia    *self,
            Session           *session,
            GPtrArray         *chunks)
{
  WavryTime now = g_get_monotonic_time ();
  GBytes *parity;

  wavry_rift_fec_encoder_set_overhead (session->fec, session_fec (session, now));

  for (guint i = 0; i < chunks->len; i++)
    {
      GBytes *chunk = g_ptr_array_index (chunks, i);
      gsize len;
      const guint8 *data = g_bytes_get_data (chunk, &len);
      guint64 packet_id;

      if (!wavry_rift_host_send_packed (self->host, session->alias, data, len, &packet_id, now))
        return;
      self->stats.chunks_sent++;
      wavry_rift_fec_encoder_add (session->fec, packet_id, data, len);
      while ((parity = wavry_rift_fec_encoder_pop (session->fec)) != NULL)
        {
          wavry_rift_host_send_packed (self->host, session->alias, g_bytes_get_data (parity, NULL),
                                       g_bytes_get_size (parity), NULL, now);
          self->stats.parity_sent++;
          g_bytes_unref (parity);
        }
    }
  wavry_rift_fec_encoder_flush (session->fec);
  while ((parity = wavry_rift_fec_encoder_pop (session->fec)) != NULL)
    {
      wavry_rift_host_send_packed (self->host, session->alias, g_bytes_get_data (parity, NULL),
                                   g_bytes_get_size (parity), NULL, now);
      self->stats.parity_sent++;
      g_bytes_unref (parity);
    }
  self->stats.frames_sent++;
}

static gboolean
on_encoded (gpointer data)
{
  EncodedItem *item = data;
  WavryHostMedia *self = item->self;
  WavryEncodedFrame *frame = item->frame;
  GHashTableIter iter;
  Session *session;
  gint64 now = g_get_monotonic_time ();
  gint64 interval = G_MAXINT64;
  guint32 capture_us, encode_us;
  gsize len;
  const guint8 *bytes;
  guint fps;

  if (self->host == NULL)
    return G_SOURCE_REMOVE;

  bytes = g_bytes_get_data (frame->data, &len);
  capture_us = (guint32) CLAMP (now - frame->encode_us - frame->capture_time_us, 0, G_MAXUINT32);
  encode_us = (guint32) CLAMP (frame->encode_us, 0, G_MAXUINT32);
  g_mutex_lock (&self->lock);
  fps = self->target_fps;
  g_mutex_unlock (&self->lock);

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    {
      g_autoptr(GPtrArray) chunks = NULL;

      if (session->need_keyframe && !frame->keyframe)
        continue;
      session->need_keyframe = FALSE;

      chunks = wavry_rift_packetize_frame (session->next_frame_id++, bytes, len,
                                           (guint64) MAX (frame->pts_us, 0), frame->keyframe,
                                           capture_us, encode_us);
      if (chunks->len == 0)
        continue;
      send_frame (self, session, chunks);

      /* §6.5, with the whole frame capped at half a frame interval (see
       * wavry_rift_pacer_frame_interval_us) */
      interval = MIN (interval, wavry_rift_pacer_frame_interval_us (session->pacer,
                                                                    WAVRY_RIFT_VIDEO_CHUNK_MAX,
                                                                    wavry_rift_delta_get_bitrate_kbps (session->delta),
                                                                    chunks->len, MAX (fps, 1)));
    }

  transmit (self, interval == G_MAXINT64 ? 0 : interval);
  return G_SOURCE_REMOVE;
}

void
wavry_host_media_attach (WavryHostMedia    *self,
                         WavryRiftHost     *host,
                         WavryUdpTransport *transport)
{
  g_return_if_fail (WAVRY_IS_HOST_MEDIA (self));
  g_return_if_fail (self->host == NULL);

  self->context = g_main_context_ref_thread_default ();
  self->host = host;
  self->transport = g_object_ref (transport);
}

void
wavry_host_media_detach (WavryHostMedia *self)
{
  g_return_if_fail (WAVRY_IS_HOST_MEDIA (self));

  stop_pipeline (self);
  g_hash_table_remove_all (self->sessions);
  g_hash_table_remove_all (self->view_only);
  self->host = NULL;
  g_clear_object (&self->transport);
  g_clear_pointer (&self->context, g_main_context_unref);
}

/* The encoder follows the most constrained session (shared stream). */
static void
update_targets (WavryHostMedia *self)
{
  GHashTableIter iter;
  Session *session;
  guint kbps = self->config.bitrate_kbps;
  guint fps = self->config.fps;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    {
      kbps = MIN (kbps, wavry_rift_delta_get_bitrate_kbps (session->delta));
      fps = MIN (fps, wavry_rift_delta_get_fps (session->delta));
    }

  g_mutex_lock (&self->lock);
  if (kbps != self->target_kbps || fps != self->target_fps)
    g_debug ("encoder target %u kb/s, %u fps", kbps, fps);
  self->target_kbps = kbps;
  self->target_fps = fps;
  g_mutex_unlock (&self->lock);
}

void
wavry_host_media_session_started (WavryHostMedia *self,
                                  guint32         alias)
{
  g_autoptr(GError) error = NULL;
  WavryRiftDeltaConfig delta_config;
  Session *session;

  g_return_if_fail (WAVRY_IS_HOST_MEDIA (self));
  g_return_if_fail (self->host != NULL);

  wavry_rift_delta_config_init (&delta_config);
  delta_config.max_kbps = self->config.bitrate_kbps;
  delta_config.min_kbps = MIN (delta_config.min_kbps, self->config.bitrate_kbps);

  session = g_new0 (Session, 1);
  session->alias = alias;
  session->need_keyframe = TRUE;
  session->fec = wavry_rift_fec_encoder_new (FEC_K);
  session->delta = wavry_rift_delta_new (&delta_config, self->config.bitrate_kbps, self->config.fps);
  session->pacer = wavry_rift_pacer_new ();
  g_hash_table_replace (self->sessions, GUINT_TO_POINTER (alias), session);

  g_mutex_lock (&self->lock);
  self->want_keyframe = TRUE;
  g_mutex_unlock (&self->lock);
  update_targets (self);

  if (!start_pipeline (self, &error))
    {
      g_warning ("Cannot start capturing from %s: %s", self->capture_spec, error->message);
      wavry_rift_host_disconnect (self->host, alias);
    }
}

void
wavry_host_media_session_ended (WavryHostMedia *self,
                                guint32         alias)
{
  g_return_if_fail (WAVRY_IS_HOST_MEDIA (self));

  g_hash_table_remove (self->view_only, GUINT_TO_POINTER (alias));
  if (!g_hash_table_remove (self->sessions, GUINT_TO_POINTER (alias)))
    return;
  if (g_hash_table_size (self->sessions) == 0)
    stop_pipeline (self);
  else
    update_targets (self);
}

void
wavry_host_media_set_injector (WavryHostMedia     *self,
                               WavryInputInjector *injector)
{
  g_return_if_fail (WAVRY_IS_HOST_MEDIA (self));
  g_return_if_fail (injector == NULL || WAVRY_IS_INPUT_INJECTOR (injector));
  g_return_if_fail (self->thread == NULL);

  g_set_object (&self->injector, injector);
}

WavryInputInjector *
wavry_host_media_get_injector (WavryHostMedia *self)
{
  g_return_val_if_fail (WAVRY_IS_HOST_MEDIA (self), NULL);
  return self->injector;
}

void
wavry_host_media_set_view_only (WavryHostMedia *self,
                                guint32         alias,
                                gboolean        view_only)
{
  g_return_if_fail (WAVRY_IS_HOST_MEDIA (self));

  g_hash_table_insert (self->view_only, GUINT_TO_POINTER (alias),
                       GINT_TO_POINTER (view_only ? 2 : 1));
}

void
wavry_host_media_set_default_view_only (WavryHostMedia *self,
                                        gboolean        view_only)
{
  g_return_if_fail (WAVRY_IS_HOST_MEDIA (self));
  self->default_view_only = view_only;
}

static gboolean
is_view_only (WavryHostMedia *self,
              guint32         alias)
{
  int value = GPOINTER_TO_INT (g_hash_table_lookup (self->view_only, GUINT_TO_POINTER (alias)));

  return value == 0 ? self->default_view_only : value == 2;
}

static void
count_input (WavryHostMedia *self,
             guint64        *counter)
{
  g_mutex_lock (&self->lock);
  (*counter)++;
  g_mutex_unlock (&self->lock);
}

/* §5 InputMessage, injected at once on the session thread. Values outside
 * §5 "Input codes" are dropped and counted, never passed on. */
static void
handle_input (WavryHostMedia            *self,
              guint32                    alias,
              gboolean                   streaming,
              const Rift__InputMessage  *input)
{
  g_autoptr(GError) error = NULL;
  gboolean valid, ok = FALSE;

  switch (input->event_case)
    {
    case RIFT__INPUT_MESSAGE__EVENT_MOUSE_MOVE:
      valid = input->mouse_move != NULL &&
              wavry_input_position_is_valid (input->mouse_move->x, input->mouse_move->y);
      break;
    case RIFT__INPUT_MESSAGE__EVENT_MOUSE_BUTTON:
      valid = input->mouse_button != NULL &&
              wavry_input_button_is_valid (input->mouse_button->button);
      break;
    case RIFT__INPUT_MESSAGE__EVENT_KEY:
      valid = input->key != NULL && wavry_input_key_is_valid (input->key->keycode);
      break;
    case RIFT__INPUT_MESSAGE__EVENT_SCROLL:
      valid = input->scroll != NULL &&
              wavry_input_scroll_is_valid (input->scroll->dx, input->scroll->dy);
      break;
    case RIFT__INPUT_MESSAGE__EVENT_GAMEPAD:   /* no gamepad injection yet */
    case RIFT__INPUT_MESSAGE__EVENT__NOT_SET:
    case _RIFT__INPUT_MESSAGE__EVENT__CASE_IS_INT_SIZE:
    default:
      valid = FALSE;
      break;
    }
  if (!valid)
    {
      count_input (self, &self->stats.input_invalid);
      return;
    }
  /* A control-only session (a ping) or a view-only one never reaches the
   * injector. */
  if (!streaming || self->injector == NULL || is_view_only (self, alias))
    {
      count_input (self, &self->stats.input_refused);
      return;
    }

  switch (input->event_case)
    {
    case RIFT__INPUT_MESSAGE__EVENT_MOUSE_MOVE:
      ok = wavry_input_injector_pointer_move (self->injector, input->mouse_move->x,
                                              input->mouse_move->y, &error);
      break;
    case RIFT__INPUT_MESSAGE__EVENT_MOUSE_BUTTON:
      ok = wavry_input_injector_button (self->injector, input->mouse_button->button,
                                        input->mouse_button->pressed, &error);
      break;
    case RIFT__INPUT_MESSAGE__EVENT_KEY:
      ok = wavry_input_injector_key (self->injector, input->key->keycode, input->key->pressed,
                                     &error);
      break;
    case RIFT__INPUT_MESSAGE__EVENT_SCROLL:
      ok = wavry_input_injector_scroll (self->injector, input->scroll->dx, input->scroll->dy,
                                        &error);
      break;
    case RIFT__INPUT_MESSAGE__EVENT_GAMEPAD:
    case RIFT__INPUT_MESSAGE__EVENT__NOT_SET:
    case _RIFT__INPUT_MESSAGE__EVENT__CASE_IS_INT_SIZE:
    default:
      g_assert_not_reached ();
    }
  if (ok)
    count_input (self, &self->stats.input_injected);
  else
    {
      g_debug ("Input from session %u not injected: %s", alias, error->message);
      count_input (self, &self->stats.input_failed);
    }
}

void
wavry_host_media_handle_message (WavryHostMedia      *self,
                                 guint32              alias,
                                 const Rift__Message *message)
{
  Session *session = g_hash_table_lookup (self->sessions, GUINT_TO_POINTER (alias));
  const Rift__ControlMessage *control;
  WavryTime now = g_get_monotonic_time ();

  if (message->content_case == RIFT__MESSAGE__CONTENT_INPUT)
    {
      handle_input (self, alias, session != NULL, message->input);
      return;
    }
  if (session == NULL || message->content_case != RIFT__MESSAGE__CONTENT_CONTROL)
    return;
  control = message->control;

  switch (control->content_case)
    {
    case RIFT__CONTROL_MESSAGE__CONTENT_STATS:
      {
        const Rift__StatsReport *report = control->stats;
        guint64 total = (guint64) report->received_packets + report->lost_packets;
        double loss = total > 0 ? (double) report->lost_packets / (double) total : 0.0;

        wavry_rift_delta_on_report (session->delta, now, (gint64) report->rtt_us, loss,
                                    report->jitter_us);
        session->loss = session->have_report ? 0.7 * session->loss + 0.3 * loss : loss;
        session->loss = MAX (session->loss, loss);
        session->have_report = TRUE;
        if (report->lost_packets > 0)
          session->last_loss_at = now;
        wavry_rift_pacer_on_stats (session->pacer, now, (gint64) report->rtt_us, report->jitter_us);
        update_targets (self);
      }
      break;

    case RIFT__CONTROL_MESSAGE__CONTENT_RFI:
      /* §6.1: the client lost a frame; the next one is a keyframe. */
      g_mutex_lock (&self->lock);
      self->want_keyframe = TRUE;
      g_mutex_unlock (&self->lock);
      break;

    case RIFT__CONTROL_MESSAGE__CONTENT_ENCODER_CONTROL:
      g_mutex_lock (&self->lock);
      self->want_skip = MIN (self->want_skip + control->encoder_control->skip_frames, 4);
      g_mutex_unlock (&self->lock);
      break;

    case RIFT__CONTROL_MESSAGE__CONTENT_CONGESTION:
      {
        /* Accepted from a client as in the reference host, clamped (§5). */
        guint kbps = CLAMP (control->congestion->target_bitrate_kbps, 1000, 100000);

        g_mutex_lock (&self->lock);
        self->target_kbps = MIN (kbps, self->config.bitrate_kbps);
        g_mutex_unlock (&self->lock);
      }
      break;

    case RIFT__CONTROL_MESSAGE__CONTENT__NOT_SET:
    case RIFT__CONTROL_MESSAGE__CONTENT_HELLO:
    case RIFT__CONTROL_MESSAGE__CONTENT_HELLO_ACK:
    case RIFT__CONTROL_MESSAGE__CONTENT_PING:
    case RIFT__CONTROL_MESSAGE__CONTENT_PONG:
    case RIFT__CONTROL_MESSAGE__CONTENT_MONITOR_LIST:
    case RIFT__CONTROL_MESSAGE__CONTENT_SELECT_MONITOR:
    case RIFT__CONTROL_MESSAGE__CONTENT_NACK:
    case RIFT__CONTROL_MESSAGE__CONTENT_POSE_UPDATE:
    case RIFT__CONTROL_MESSAGE__CONTENT_VR_TIMING:
    case RIFT__CONTROL_MESSAGE__CONTENT_HAND_POSE_UPDATE:
    case RIFT__CONTROL_MESSAGE__CONTENT_CLIPBOARD:
    case RIFT__CONTROL_MESSAGE__CONTENT_FILE_HEADER:
    case RIFT__CONTROL_MESSAGE__CONTENT_FILE_STATUS:
    case RIFT__CONTROL_MESSAGE__CONTENT_LATENCY:
    case _RIFT__CONTROL_MESSAGE__CONTENT__CASE_IS_INT_SIZE:
    default:
      break;
    }
}

void
wavry_host_media_get_stats (WavryHostMedia      *self,
                            WavryHostMediaStats *stats)
{
  g_return_if_fail (WAVRY_IS_HOST_MEDIA (self));

  g_mutex_lock (&self->lock);
  *stats = self->stats;
  stats->bitrate_kbps = self->target_kbps;
  stats->fps = self->target_fps;
  if (self->capture != NULL)
    {
      stats->frames_captured += wavry_capture_get_n_frames (self->capture);
      stats->frames_dropped_capture += wavry_capture_get_n_dropped (self->capture);
    }
  g_mutex_unlock (&self->lock);
}
