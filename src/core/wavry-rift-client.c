/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "wavry-error.h"
#include "wavry-rift-client.h"
#include "wavry-rift-noise.h"
#include "wavry-rift-session-private.h"

/* The client side of RIFT session establishment (§3.1, §4):
 *
 *   IDLE ─start─► AWAIT_MSG2 ─msg2 ok, host ID ok─► AWAIT_HELLO_ACK ─accepted─► ESTABLISHED
 *                     │ 8 × 250 ms                      │ 8 × 250 ms / refused
 *                     ▼                                 ▼
 *                  CLOSED ◄──────── PENDING_APPROVAL (1 s Hello, 60 s limit)
 */

struct _WavryRiftClient
{
  WavryIdentity        *identity;
  char                 *device_name;
  char                 *expected_host_id;
  Rift__Codec          *codecs;
  gsize                 n_codecs;
  guint32               max_width;
  guint32               max_height;
  guint32               max_fps;
  gboolean              keepalive;

  WavryRiftClientState  state;
  WavryNoiseHandshake  *handshake;
  WavryRiftChannel      channel;
  guint64               next_packet_id;   /* §3.3: one counter for every datagram */
  guint32               alias;            /* 1 until the HelloAck assigns one */

  GBytes               *msg1;             /* Noise msg1 (resent under new ids) */
  GBytes               *msg3_datagram;    /* msg3 datagram (resent as is) */
  guint                 attempts;
  WavryTime             retry_at;
  WavryTime             approval_deadline;
  WavryTime             next_ping_at;
  WavryTime             last_rx;
  WavryTime             established_at;

  WavryIdentity        *host;             /* proved by msg2 */
  Rift__Message        *hello_ack;        /* the accepted HelloAck */
  guint16               bad_version;      /* last foreign version seen, for errors */

  WavryRiftOutbox       out;
};

WavryRiftClient *
wavry_rift_client_new (WavryIdentity               *identity,
                       const WavryRiftClientConfig *config)
{
  WavryRiftClient *self;

  g_return_val_if_fail (WAVRY_IS_IDENTITY (identity), NULL);
  g_return_val_if_fail (wavry_identity_has_secret (identity), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_new0 (WavryRiftClient, 1);
  self->identity = g_object_ref (identity);
  self->device_name = g_strdup (config->device_name ? config->device_name : "");
  self->expected_host_id = g_strdup (config->expected_host_id);
  self->codecs = g_memdup2 (config->codecs, config->n_codecs * sizeof (Rift__Codec));
  self->n_codecs = config->n_codecs;
  self->max_width = config->max_width;
  self->max_height = config->max_height;
  self->max_fps = config->max_fps ? config->max_fps : 60;
  self->keepalive = config->keepalive;
  self->alias = WAVRY_RIFT_BOOTSTRAP_ALIAS;
  self->channel.next_packet_id = &self->next_packet_id;
  wavry_rift_replay_window_init (&self->channel.window);
  wavry_rift_outbox_init (&self->out);

  return self;
}

void
wavry_rift_client_free (WavryRiftClient *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->handshake, wavry_noise_handshake_free);
  wavry_rift_channel_clear (&self->channel);
  g_clear_pointer (&self->msg1, g_bytes_unref);
  g_clear_pointer (&self->msg3_datagram, g_bytes_unref);
  g_clear_pointer (&self->hello_ack, wavry_rift_message_free);
  g_clear_object (&self->host);
  g_clear_object (&self->identity);
  wavry_rift_outbox_clear (&self->out);
  g_free (self->device_name);
  g_free (self->expected_host_id);
  g_free (self->codecs);
  g_free (self);
}

static void
fail (WavryRiftClient *self,
      GError          *error)
{
  if (self->state == WAVRY_RIFT_CLIENT_STATE_CLOSED)
    {
      g_error_free (error);
      return;
    }

  g_debug ("RIFT client closed: %s", error->message);
  self->state = WAVRY_RIFT_CLIENT_STATE_CLOSED;
  g_clear_pointer (&self->handshake, wavry_noise_handshake_free);
  wavry_rift_channel_clear (&self->channel);
  wavry_rift_event_queue_push (&self->out.events, WAVRY_RIFT_EVENT_CLOSED, self->alias,
                               self->host ? wavry_identity_get_id (self->host) : NULL,
                               NULL, error);
}

/* msg1 goes out in a handshake header, each attempt under a new packet id
 * (§3.1) so that nothing on the path mistakes it for a duplicate. */
static void
send_msg1 (WavryRiftClient *self)
{
  gsize msg_len;
  const guint8 *msg = g_bytes_get_data (self->msg1, &msg_len);
  WavryRiftDatagram *datagram;

  datagram = wavry_rift_datagram_new (NULL, NULL, WAVRY_RIFT_HANDSHAKE_HEADER_LEN + msg_len);
  wavry_rift_header_encode_handshake (datagram->data, self->next_packet_id++);
  memcpy (datagram->data + WAVRY_RIFT_HANDSHAKE_HEADER_LEN, msg, msg_len);
  wavry_rift_outbox_send (&self->out, datagram);
}

void
wavry_rift_client_start (WavryRiftClient *self,
                         WavryTime        now)
{
  guint8 static_secret[WAVRY_X25519_LEN];
  guint8 msg[WAVRY_NOISE_MAX_MESSAGE];
  gsize msg_len = 0;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self->state == WAVRY_RIFT_CLIENT_STATE_IDLE);

  wavry_identity_get_x25519_secret (self->identity, static_secret);
  self->handshake = wavry_noise_handshake_new (WAVRY_NOISE_HASH_BLAKE2S, TRUE,
                                               WAVRY_RIFT_NOISE_PROLOGUE,
                                               WAVRY_RIFT_NOISE_PROLOGUE_LEN,
                                               static_secret);
  sodium_memzero (static_secret, sizeof static_secret);

  /* msg1: `e`, empty payload */
  if (!wavry_noise_handshake_write_message (self->handshake, NULL, 0,
                                            msg, sizeof msg, &msg_len, &error))
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  self->msg1 = g_bytes_new (msg, msg_len);
  self->state = WAVRY_RIFT_CLIENT_STATE_AWAIT_MSG2;
  self->attempts = 1;
  self->retry_at = now + WAVRY_RIFT_HANDSHAKE_RETRY_US;
  send_msg1 (self);
}

static Rift__Message *
build_hello (WavryRiftClient  *self,
             Rift__Message    *message,
             Rift__ControlMessage *control,
             Rift__Hello      *hello,
             Rift__Resolution *resolution)
{
  rift__message__init (message);
  rift__control_message__init (control);
  rift__hello__init (hello);
  rift__resolution__init (resolution);

  /* §4.1 */
  hello->client_name = self->device_name;
  hello->platform = RIFT__PLATFORM__PLATFORM_LINUX;
  hello->n_supported_codecs = self->n_codecs;
  hello->supported_codecs = self->codecs;
  if (self->max_width > 0 && self->max_height > 0)
    {
      resolution->width = self->max_width;
      resolution->height = self->max_height;
      hello->max_resolution = resolution;
    }
  hello->max_fps = self->max_fps;
  hello->input_caps = 0xF;
  hello->protocol_version = WAVRY_RIFT_VERSION;
  hello->public_addr = (char *) "";

  control->content_case = RIFT__CONTROL_MESSAGE__CONTENT_HELLO;
  control->hello = hello;
  message->content_case = RIFT__MESSAGE__CONTENT_CONTROL;
  message->control = control;

  return message;
}

/* Hello is re-encrypted under a new packet id every time, so the host's
 * replay window accepts each retry (§3.1). */
static void
send_hello (WavryRiftClient *self)
{
  Rift__Message message;
  Rift__ControlMessage control;
  Rift__Hello hello;
  Rift__Resolution resolution;
  WavryRiftDatagram *datagram;

  build_hello (self, &message, &control, &hello, &resolution);
  datagram = wavry_rift_channel_seal (&self->channel, NULL, WAVRY_RIFT_BOOTSTRAP_ALIAS, &message);
  if (datagram != NULL)
    wavry_rift_outbox_send (&self->out, datagram);
}

static void
handle_msg2 (WavryRiftClient       *self,
             const WavryRiftHeader *header,
             const guint8          *data,
             gsize                  len,
             WavryTime              now)
{
  guint8 payload[WAVRY_NOISE_MAX_MESSAGE];
  guint8 msg3[WAVRY_NOISE_MAX_MESSAGE];
  gsize payload_len = 0;
  gsize msg3_len = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryIdentity) host = NULL;
  g_autoptr(GBytes) info = NULL;
  WavryRiftDatagram *datagram;

  if (!wavry_noise_handshake_read_message (self->handshake,
                                           data + header->header_len, len - header->header_len,
                                           payload, sizeof payload, &payload_len, &error))
    {
      /* Noise left its state untouched: a forged or stale msg2 is dropped
       * and the genuine one can still arrive. */
      g_debug ("dropping msg2: %s", error->message);
      self->out.stats.drops[WAVRY_RIFT_DROP_HANDSHAKE_FAILED]++;
      return;
    }

  host = wavry_rift_handshake_info_verify (payload, payload_len,
                                           wavry_noise_handshake_get_remote_static (self->handshake),
                                           NULL, &error);
  if (host == NULL)
    {
      fail (self, g_error_new (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE,
                               "The host's identity proof is invalid: %s", error->message));
      return;
    }

  self->host = g_object_ref (host);

  /* §3.1: check the host before sending msg3, so the client never reveals
   * itself to the wrong host. */
  if (self->expected_host_id != NULL &&
      g_strcmp0 (self->expected_host_id, wavry_identity_get_id (host)) != 0)
    {
      fail (self, g_error_new (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_IDENTITY_MISMATCH,
                               "Wrong host identity: expected Wavry ID %s, but the host "
                               "proved %s. Someone may be impersonating the host, or the "
                               "host's key was replaced.",
                               self->expected_host_id, wavry_identity_get_id (host)));
      return;
    }

  info = wavry_rift_handshake_info_build (self->identity, self->device_name);
  if (!wavry_noise_handshake_write_message (self->handshake,
                                            g_bytes_get_data (info, NULL), g_bytes_get_size (info),
                                            msg3, sizeof msg3, &msg3_len, &error) ||
      !wavry_noise_handshake_split (self->handshake, &self->channel.send, &self->channel.recv))
    {
      fail (self, g_steal_pointer (&error));
      return;
    }
  g_clear_pointer (&self->handshake, wavry_noise_handshake_free);

  /* msg3 rides in a transport header with the bootstrap alias (§3.1). */
  datagram = wavry_rift_datagram_new (NULL, NULL, WAVRY_RIFT_TRANSPORT_HEADER_LEN + msg3_len);
  wavry_rift_header_encode_transport (datagram->data, WAVRY_RIFT_BOOTSTRAP_ALIAS,
                                      self->next_packet_id++);
  memcpy (datagram->data + WAVRY_RIFT_TRANSPORT_HEADER_LEN, msg3, msg3_len);
  self->msg3_datagram = g_bytes_new (datagram->data, datagram->len);
  wavry_rift_outbox_send (&self->out, datagram);
  send_hello (self);

  self->state = WAVRY_RIFT_CLIENT_STATE_AWAIT_HELLO_ACK;
  self->attempts = 1;
  self->retry_at = now + WAVRY_RIFT_HANDSHAKE_RETRY_US;
}

static void
handle_hello_ack (WavryRiftClient *self,
                  Rift__Message   *message,
                  WavryTime        now)
{
  const Rift__HelloAck *ack = message->control->hello_ack;

  if (ack->accepted)
    {
      if (ack->session_alias == 0 || ack->session_alias == WAVRY_RIFT_BOOTSTRAP_ALIAS)
        {
          fail (self, g_error_new (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE,
                                   "The host assigned an invalid session alias (%u).",
                                   ack->session_alias));
          wavry_rift_message_free (message);
          return;
        }

      self->alias = ack->session_alias;
      self->hello_ack = message;
      self->state = WAVRY_RIFT_CLIENT_STATE_ESTABLISHED;
      self->established_at = now;
      self->next_ping_at = now + WAVRY_RIFT_PING_INTERVAL_US;
      g_clear_pointer (&self->msg3_datagram, g_bytes_unref);
      wavry_rift_event_queue_push (&self->out.events, WAVRY_RIFT_EVENT_CONNECTED, self->alias,
                                   wavry_identity_get_id (self->host), NULL, NULL);
      return;
    }

  if (ack->pending_approval)
    {
      /* §4.5: keep asking every second, for at most 60 s. */
      if (self->state != WAVRY_RIFT_CLIENT_STATE_PENDING_APPROVAL)
        {
          self->state = WAVRY_RIFT_CLIENT_STATE_PENDING_APPROVAL;
          self->approval_deadline = now + WAVRY_RIFT_APPROVAL_TIMEOUT_US;
          wavry_rift_event_queue_push (&self->out.events, WAVRY_RIFT_EVENT_PENDING_APPROVAL,
                                       self->alias, wavry_identity_get_id (self->host),
                                       NULL, NULL);
        }
      self->retry_at = now + WAVRY_RIFT_APPROVAL_RETRY_US;
      wavry_rift_message_free (message);
      return;
    }

  fail (self, g_error_new (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_REFUSED,
                           "The host refused the connection: %s",
                           ack->reject_reason && *ack->reject_reason
                             ? ack->reject_reason : "no reason given"));
  wavry_rift_message_free (message);
}

static void
handle_pong (WavryRiftClient *self,
             Rift__Message   *message,
             guint64          packet_id,
             WavryTime        now)
{
  guint64 ts = message->control->pong->timestamp_us;
  WavryRiftEvent *event;

  /* §4: RTT = now − echoed timestamp; a timestamp from the future is bogus. */
  if (ts > (guint64) now)
    {
      self->out.stats.drops[WAVRY_RIFT_DROP_BAD_MESSAGE]++;
      wavry_rift_message_free (message);
      return;
    }

  wavry_rift_event_queue_push (&self->out.events, WAVRY_RIFT_EVENT_PONG, self->alias,
                               wavry_identity_get_id (self->host), message, NULL);
  event = g_queue_peek_tail (&self->out.events);
  event->rtt_us = now - (gint64) ts;
  event->packet_id = packet_id;
}

static void
handle_transport (WavryRiftClient       *self,
                  const WavryRiftHeader *header,
                  const guint8          *data,
                  gsize                  len,
                  WavryTime              now)
{
  Rift__Message *message = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  WavryRiftEvent *event;
  WavryRiftDrop drop;

  switch (self->state)
    {
    case WAVRY_RIFT_CLIENT_STATE_AWAIT_HELLO_ACK:
    case WAVRY_RIFT_CLIENT_STATE_PENDING_APPROVAL:
      if (header->alias != WAVRY_RIFT_BOOTSTRAP_ALIAS)
        {
          self->out.stats.drops[WAVRY_RIFT_DROP_UNKNOWN_PEER]++;
          return;
        }
      break;
    case WAVRY_RIFT_CLIENT_STATE_ESTABLISHED:
      /* A late duplicate HelloAck still carries the bootstrap alias. */
      if (header->alias != self->alias && header->alias != WAVRY_RIFT_BOOTSTRAP_ALIAS)
        {
          self->out.stats.drops[WAVRY_RIFT_DROP_UNKNOWN_PEER]++;
          return;
        }
      break;
    case WAVRY_RIFT_CLIENT_STATE_IDLE:
    case WAVRY_RIFT_CLIENT_STATE_AWAIT_MSG2:
    case WAVRY_RIFT_CLIENT_STATE_CLOSED:
    default:
      self->out.stats.drops[WAVRY_RIFT_DROP_UNEXPECTED]++;
      return;
    }

  drop = wavry_rift_channel_open_full (&self->channel, header, data, len, &message, &plaintext);
  if (drop != WAVRY_RIFT_DROP_NONE)
    {
      self->out.stats.drops[drop]++;
      return;
    }

  self->last_rx = now;

  if (message->content_case == RIFT__MESSAGE__CONTENT_CONTROL)
    {
      switch (message->control->content_case)
        {
        case RIFT__CONTROL_MESSAGE__CONTENT_HELLO_ACK:
          if (self->state == WAVRY_RIFT_CLIENT_STATE_ESTABLISHED)
            {
              self->out.stats.drops[WAVRY_RIFT_DROP_DUPLICATE]++;
              wavry_rift_message_free (message);
            }
          else
            handle_hello_ack (self, message, now);
          return;
        case RIFT__CONTROL_MESSAGE__CONTENT_PONG:
          if (self->state == WAVRY_RIFT_CLIENT_STATE_ESTABLISHED)
            {
              handle_pong (self, message, header->packet_id, now);
              return;
            }
          break;
        case RIFT__CONTROL_MESSAGE__CONTENT_HELLO:
        case RIFT__CONTROL_MESSAGE__CONTENT_PING:
          /* client → host messages (§5 direction) */
          self->out.stats.drops[WAVRY_RIFT_DROP_BAD_MESSAGE]++;
          wavry_rift_message_free (message);
          return;
        case RIFT__CONTROL_MESSAGE__CONTENT__NOT_SET:
        case RIFT__CONTROL_MESSAGE__CONTENT_STATS:
        case RIFT__CONTROL_MESSAGE__CONTENT_CONGESTION:
        case RIFT__CONTROL_MESSAGE__CONTENT_RFI:
        case RIFT__CONTROL_MESSAGE__CONTENT_MONITOR_LIST:
        case RIFT__CONTROL_MESSAGE__CONTENT_SELECT_MONITOR:
        case RIFT__CONTROL_MESSAGE__CONTENT_NACK:
        case RIFT__CONTROL_MESSAGE__CONTENT_ENCODER_CONTROL:
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

  if (self->state != WAVRY_RIFT_CLIENT_STATE_ESTABLISHED)
    {
      self->out.stats.drops[WAVRY_RIFT_DROP_UNEXPECTED]++;
      wavry_rift_message_free (message);
      return;
    }

  wavry_rift_event_queue_push (&self->out.events, WAVRY_RIFT_EVENT_MESSAGE, self->alias,
                               wavry_identity_get_id (self->host), message, NULL);
  event = g_queue_peek_tail (&self->out.events);
  event->packet_id = header->packet_id;
  event->plaintext = g_steal_pointer (&plaintext);
}

void
wavry_rift_client_handle_datagram (WavryRiftClient *self,
                                   const guint8    *data,
                                   gsize            len,
                                   WavryTime        now)
{
  WavryRiftHeader header;
  WavryRiftDrop drop;

  g_return_if_fail (self != NULL);

  wavry_rift_outbox_received (&self->out, len);

  if (len == 1 && data[0] == 0x00)
    {
      self->out.stats.drops[WAVRY_RIFT_DROP_PROBE]++;
      return;
    }

  drop = wavry_rift_header_decode (data, len, &header);
  if (drop != WAVRY_RIFT_DROP_NONE)
    {
      /* Remember a foreign protocol version so a timeout can say why. */
      if (drop == WAVRY_RIFT_DROP_BAD_VERSION)
        self->bad_version = header.version;
      self->out.stats.drops[drop]++;
      return;
    }

  if (header.kind == WAVRY_RIFT_HEADER_HANDSHAKE)
    {
      if (self->state == WAVRY_RIFT_CLIENT_STATE_AWAIT_MSG2)
        handle_msg2 (self, &header, data, len, now);
      else if (self->state == WAVRY_RIFT_CLIENT_STATE_CLOSED ||
               self->state == WAVRY_RIFT_CLIENT_STATE_IDLE)
        self->out.stats.drops[WAVRY_RIFT_DROP_UNEXPECTED]++;
      else
        self->out.stats.drops[WAVRY_RIFT_DROP_DUPLICATE]++;  /* a resent msg2 */
      return;
    }

  handle_transport (self, &header, data, len, now);
}

static GError *
timeout_error (WavryRiftClient *self,
               const char      *what)
{
  if (self->bad_version != 0)
    return g_error_new (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_VERSION,
                        "Protocol version mismatch: the host speaks RIFT version %u, "
                        "this Wavry speaks version %u. Update the older side.",
                        self->bad_version, WAVRY_RIFT_VERSION);

  return g_error_new (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_TIMED_OUT, "%s", what);
}

void
wavry_rift_client_handle_timeout (WavryRiftClient *self,
                                  WavryTime        now)
{
  g_return_if_fail (self != NULL);

  switch (self->state)
    {
    case WAVRY_RIFT_CLIENT_STATE_AWAIT_MSG2:
      if (now < self->retry_at)
        return;
      if (self->attempts >= WAVRY_RIFT_HANDSHAKE_ATTEMPTS)
        {
          fail (self, timeout_error (self, "No answer from the host: it may be offline, "
                                           "the address may be wrong, or a firewall drops "
                                           "UDP."));
          return;
        }
      self->attempts++;
      self->retry_at = now + WAVRY_RIFT_HANDSHAKE_RETRY_US;
      send_msg1 (self);
      break;

    case WAVRY_RIFT_CLIENT_STATE_AWAIT_HELLO_ACK:
      if (now < self->retry_at)
        return;
      if (self->attempts >= WAVRY_RIFT_HANDSHAKE_ATTEMPTS)
        {
          fail (self, timeout_error (self, "The host completed the handshake but never "
                                           "answered Hello."));
          return;
        }
      self->attempts++;
      self->retry_at = now + WAVRY_RIFT_HANDSHAKE_RETRY_US;
      /* §3.1: msg3 as the same bytes, Hello under a new packet id */
      wavry_rift_outbox_send (&self->out, wavry_rift_datagram_new (NULL,
                                                     g_bytes_get_data (self->msg3_datagram, NULL),
                                                     g_bytes_get_size (self->msg3_datagram)));
      send_hello (self);
      break;

    case WAVRY_RIFT_CLIENT_STATE_PENDING_APPROVAL:
      if (now >= self->approval_deadline)
        {
          fail (self, g_error_new_literal (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_REFUSED,
                                           "Nobody approved the connection on the host "
                                           "within 60 seconds."));
          return;
        }
      if (now >= self->retry_at)
        {
          self->retry_at = now + WAVRY_RIFT_APPROVAL_RETRY_US;
          send_hello (self);
        }
      break;

    case WAVRY_RIFT_CLIENT_STATE_ESTABLISHED:
      if (now - self->last_rx >= WAVRY_RIFT_SILENCE_TIMEOUT_US)
        {
          fail (self, g_error_new_literal (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_TIMED_OUT,
                                           "The host stopped answering (30 seconds of "
                                           "silence)."));
          return;
        }
      if (now - self->established_at >= WAVRY_RIFT_MAX_SESSION_AGE_US ||
          self->next_packet_id >= WAVRY_RIFT_MAX_PACKET_ID)
        {
          /* §3.3: end the session before keys get old; reconnect for new ones. */
          fail (self, g_error_new_literal (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_CLOSED,
                                           "The session reached its key lifetime; "
                                           "reconnect to continue."));
          return;
        }
      if (self->keepalive && now >= self->next_ping_at)
        wavry_rift_client_send_ping (self, now);
      break;

    case WAVRY_RIFT_CLIENT_STATE_IDLE:
    case WAVRY_RIFT_CLIENT_STATE_CLOSED:
    default:
      break;
    }
}

WavryTime
wavry_rift_client_next_timeout (WavryRiftClient *self)
{
  WavryTime next;

  g_return_val_if_fail (self != NULL, G_MAXINT64);

  switch (self->state)
    {
    case WAVRY_RIFT_CLIENT_STATE_AWAIT_MSG2:
    case WAVRY_RIFT_CLIENT_STATE_AWAIT_HELLO_ACK:
      return self->retry_at;
    case WAVRY_RIFT_CLIENT_STATE_PENDING_APPROVAL:
      return MIN (self->retry_at, self->approval_deadline);
    case WAVRY_RIFT_CLIENT_STATE_ESTABLISHED:
      next = self->last_rx + WAVRY_RIFT_SILENCE_TIMEOUT_US;
      next = MIN (next, self->established_at + WAVRY_RIFT_MAX_SESSION_AGE_US);
      if (self->keepalive)
        next = MIN (next, self->next_ping_at);
      return next;
    case WAVRY_RIFT_CLIENT_STATE_IDLE:
    case WAVRY_RIFT_CLIENT_STATE_CLOSED:
    default:
      return G_MAXINT64;
    }
}

WavryRiftDatagram *
wavry_rift_client_poll_transmit (WavryRiftClient *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return wavry_rift_outbox_pop_datagram (&self->out);
}

gboolean
wavry_rift_client_poll_event (WavryRiftClient *self,
                              WavryRiftEvent  *event)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  return wavry_rift_outbox_pop_event (&self->out, event);
}

gboolean
wavry_rift_client_send (WavryRiftClient     *self,
                        const Rift__Message *message,
                        WavryTime            now)
{
  WavryRiftDatagram *datagram;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (self->state != WAVRY_RIFT_CLIENT_STATE_ESTABLISHED)
    return FALSE;

  datagram = wavry_rift_channel_seal (&self->channel, NULL, self->alias, message);
  if (datagram == NULL)
    return FALSE;

  wavry_rift_outbox_send (&self->out, datagram);
  return TRUE;
}

gboolean
wavry_rift_client_send_ping (WavryRiftClient *self,
                             WavryTime        now)
{
  Rift__Message message = RIFT__MESSAGE__INIT;
  Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
  Rift__Ping ping = RIFT__PING__INIT;

  ping.timestamp_us = now;
  control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_PING;
  control.ping = &ping;
  message.content_case = RIFT__MESSAGE__CONTENT_CONTROL;
  message.control = &control;

  self->next_ping_at = now + WAVRY_RIFT_PING_INTERVAL_US;

  return wavry_rift_client_send (self, &message, now);
}

void
wavry_rift_client_close (WavryRiftClient *self)
{
  g_return_if_fail (self != NULL);

  fail (self, g_error_new_literal (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_CLOSED,
                                   "The session was closed."));
}

WavryTime
wavry_rift_client_get_last_rx (WavryRiftClient *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->last_rx;
}

WavryRiftClientState
wavry_rift_client_get_state (WavryRiftClient *self)
{
  return self->state;
}

const char *
wavry_rift_client_get_host_id (WavryRiftClient *self)
{
  return self->host ? wavry_identity_get_id (self->host) : NULL;
}

const Rift__HelloAck *
wavry_rift_client_get_hello_ack (WavryRiftClient *self)
{
  return self->hello_ack ? self->hello_ack->control->hello_ack : NULL;
}

const WavryRiftStats *
wavry_rift_client_get_stats (WavryRiftClient *self)
{
  return &self->out.stats;
}
