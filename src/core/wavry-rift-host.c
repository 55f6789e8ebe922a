/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "wavry-error.h"
#include "wavry-rift-host.h"
#include "wavry-rift-noise.h"
#include "wavry-rift-session-private.h"

/* The host side of RIFT (§3.1, §4). Each source address gets a peer; a peer
 * walks AWAIT_MSG3 → BOOTSTRAP (keys agreed, talking on alias 1, answering
 * Hello) and, once admitted, is also found by its session alias. Packets on
 * an alias are looked up by alias, not address, so a client that roams keeps
 * its session once it proves the same keys (§4). */

#define HANDSHAKE_TIMEOUT_US   (10 * G_TIME_SPAN_SECOND)
#define DEFAULT_MAX_HANDSHAKES 256

typedef enum
{
  PEER_AWAIT_MSG3,
  PEER_BOOTSTRAP,
} PeerState;

typedef struct
{
  PeerState            state;
  WavryRiftAddr        addr;
  WavryTime            created;
  WavryTime            last_rx;
  WavryTime            established_at;

  WavryNoiseHandshake *handshake;
  GBytes              *msg1;           /* to recognise a retried msg1 */
  GBytes              *msg2_datagram;  /* answered again to a retried msg1 */
  GBytes              *msg3;           /* to recognise a retried msg3 */

  WavryRiftChannel     channel;
  guint64              next_packet_id;
  WavryIdentity       *client;
  char                *client_name;
  WavryRiftAdmission   admission;
  gboolean             approval_announced;

  GBytes              *ack_datagram;   /* the final HelloAck, resent to a retried Hello */
  guint32              alias;          /* 0 until admitted */

  /* §6.4: the last SEND_HISTORY sealed datagrams, slot = packet id % size */
  guint64              history_ids[WAVRY_RIFT_SEND_HISTORY];
  GBytes              *history[WAVRY_RIFT_SEND_HISTORY];
} Peer;

struct _WavryRiftHost
{
  WavryIdentity      *identity;
  char               *device_name;
  Rift__Codec        *codecs;
  gsize               n_codecs;
  guint               max_clients;
  guint               max_handshakes;
  WavryRiftAdmitFunc  admit;
  gpointer            admit_data;
  guint               stream_width;
  guint               stream_height;
  guint               fps;
  guint               initial_bitrate_kbps;
  guint               keyframe_interval_ms;

  GPtrArray          *peers;      /* owns Peer */
  GHashTable         *by_addr;    /* WavryRiftAddr → Peer (latest handshake per address) */
  GHashTable         *by_alias;   /* alias → Peer (admitted sessions) */
  guint               n_sessions;

  WavryRiftOutbox     out;
};

static void
peer_free (gpointer data)
{
  Peer *peer = data;

  g_clear_pointer (&peer->handshake, wavry_noise_handshake_free);
  wavry_rift_channel_clear (&peer->channel);
  g_clear_pointer (&peer->msg1, g_bytes_unref);
  g_clear_pointer (&peer->msg2_datagram, g_bytes_unref);
  g_clear_pointer (&peer->msg3, g_bytes_unref);
  g_clear_pointer (&peer->ack_datagram, g_bytes_unref);
  for (guint i = 0; i < WAVRY_RIFT_SEND_HISTORY; i++)
    g_clear_pointer (&peer->history[i], g_bytes_unref);
  g_clear_object (&peer->client);
  g_free (peer->client_name);
  g_free (peer);
}

WavryRiftHost *
wavry_rift_host_new (WavryIdentity             *identity,
                     const WavryRiftHostConfig *config)
{
  WavryRiftHost *self;

  g_return_val_if_fail (WAVRY_IS_IDENTITY (identity), NULL);
  g_return_val_if_fail (wavry_identity_has_secret (identity), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_new0 (WavryRiftHost, 1);
  self->identity = g_object_ref (identity);
  self->device_name = g_strdup (config->device_name ? config->device_name : "");
  self->codecs = g_memdup2 (config->codecs, config->n_codecs * sizeof (Rift__Codec));
  self->n_codecs = config->n_codecs;
  self->max_clients = config->max_clients;
  self->max_handshakes = config->max_handshakes ? config->max_handshakes : DEFAULT_MAX_HANDSHAKES;
  self->admit = config->admit;
  self->admit_data = config->admit_data;
  self->stream_width = config->stream_width;
  self->stream_height = config->stream_height;
  self->fps = config->fps;
  self->initial_bitrate_kbps = config->initial_bitrate_kbps;
  self->keyframe_interval_ms = config->keyframe_interval_ms;
  self->peers = g_ptr_array_new_with_free_func (peer_free);
  self->by_addr = g_hash_table_new (wavry_rift_addr_hash, wavry_rift_addr_equal);
  self->by_alias = g_hash_table_new (NULL, NULL);
  wavry_rift_outbox_init (&self->out);

  return self;
}

void
wavry_rift_host_free (WavryRiftHost *self)
{
  if (self == NULL)
    return;

  g_hash_table_destroy (self->by_addr);
  g_hash_table_destroy (self->by_alias);
  g_ptr_array_free (self->peers, TRUE);
  wavry_rift_outbox_clear (&self->out);
  g_clear_object (&self->identity);
  g_free (self->device_name);
  g_free (self->codecs);
  g_free (self);
}

static const char *
peer_id (Peer *peer)
{
  return peer->client ? wavry_identity_get_id (peer->client) : NULL;
}

/* Removes @peer; @error (taken) is reported when it had a session. */
static void
remove_peer (WavryRiftHost *self,
             Peer          *peer,
             GError        *error)
{
  if (g_hash_table_lookup (self->by_addr, &peer->addr) == peer)
    g_hash_table_remove (self->by_addr, &peer->addr);

  if (peer->alias != 0)
    {
      g_hash_table_remove (self->by_alias, GUINT_TO_POINTER (peer->alias));
      self->n_sessions--;
      wavry_rift_event_queue_push (&self->out.events, WAVRY_RIFT_EVENT_CLOSED, peer->alias,
                                   peer_id (peer), NULL, g_steal_pointer (&error));
    }
  g_clear_error (&error);

  g_ptr_array_remove_fast (self->peers, peer);
}

static Peer *
oldest_handshake (WavryRiftHost *self,
                  guint         *n_pending)
{
  Peer *oldest = NULL;

  *n_pending = 0;
  for (guint i = 0; i < self->peers->len; i++)
    {
      Peer *peer = g_ptr_array_index (self->peers, i);

      if (peer->state != PEER_AWAIT_MSG3)
        continue;
      (*n_pending)++;
      if (oldest == NULL || peer->created < oldest->created)
        oldest = peer;
    }

  return oldest;
}

/* msg1 → msg2 (§3.1). A retried msg1 (same ephemeral key) gets the cached
 * msg2; a different one starts over, e.g. after the client restarted. */
static void
handle_msg1 (WavryRiftHost         *self,
             const WavryRiftAddr   *from,
             const WavryRiftHeader *header,
             const guint8          *data,
             gsize                  len,
             WavryTime              now)
{
  const guint8 *msg = data + header->header_len;
  gsize msg_len = len - header->header_len;
  guint8 static_secret[WAVRY_X25519_LEN];
  guint8 payload[WAVRY_NOISE_MAX_MESSAGE];
  guint8 msg2[WAVRY_NOISE_MAX_MESSAGE];
  gsize payload_len = 0;
  gsize msg2_len = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) info = NULL;
  WavryNoiseHandshake *handshake;
  WavryRiftDatagram *datagram;
  Peer *existing;
  Peer *oldest;
  Peer *peer;
  guint n_pending;

  existing = g_hash_table_lookup (self->by_addr, from);
  if (existing != NULL && existing->msg1 != NULL &&
      g_bytes_get_size (existing->msg1) == msg_len &&
      memcmp (g_bytes_get_data (existing->msg1, NULL), msg, msg_len) == 0)
    {
      self->out.stats.drops[WAVRY_RIFT_DROP_DUPLICATE]++;
      existing->last_rx = now;
      if (existing->state == PEER_AWAIT_MSG3)
        wavry_rift_outbox_send_bytes (&self->out, from, existing->msg2_datagram);
      return;
    }

  wavry_identity_get_x25519_secret (self->identity, static_secret);
  handshake = wavry_noise_handshake_new (WAVRY_NOISE_HASH_BLAKE2S, FALSE,
                                         WAVRY_RIFT_NOISE_PROLOGUE,
                                         WAVRY_RIFT_NOISE_PROLOGUE_LEN,
                                         static_secret);
  sodium_memzero (static_secret, sizeof static_secret);

  info = wavry_rift_handshake_info_build (self->identity, self->device_name);
  if (!wavry_noise_handshake_read_message (handshake, msg, msg_len,
                                           payload, sizeof payload, &payload_len, &error) ||
      !wavry_noise_handshake_write_message (handshake,
                                            g_bytes_get_data (info, NULL), g_bytes_get_size (info),
                                            msg2, sizeof msg2, &msg2_len, &error))
    {
      g_debug ("dropping msg1: %s", error->message);
      self->out.stats.drops[WAVRY_RIFT_DROP_HANDSHAKE_FAILED]++;
      wavry_noise_handshake_free (handshake);
      return;
    }

  /* A new handshake from this address replaces an unfinished one; an
   * admitted session stays reachable by its alias until it times out. */
  if (existing != NULL)
    {
      if (existing->alias == 0)
        remove_peer (self, existing, NULL);
      else
        g_hash_table_remove (self->by_addr, from);
    }

  /* Bound the memory a flood of msg1 can take: evict the oldest handshake. */
  oldest = oldest_handshake (self, &n_pending);
  if (oldest != NULL && n_pending >= self->max_handshakes)
    remove_peer (self, oldest, NULL);

  peer = g_new0 (Peer, 1);
  peer->state = PEER_AWAIT_MSG3;
  peer->addr = *from;
  peer->created = now;
  peer->last_rx = now;
  peer->handshake = handshake;
  peer->msg1 = g_bytes_new (msg, msg_len);
  peer->channel.next_packet_id = &peer->next_packet_id;
  wavry_rift_replay_window_init (&peer->channel.window);

  datagram = wavry_rift_datagram_new (from, NULL, WAVRY_RIFT_HANDSHAKE_HEADER_LEN + msg2_len);
  wavry_rift_header_encode_handshake (datagram->data, peer->next_packet_id++);
  memcpy (datagram->data + WAVRY_RIFT_HANDSHAKE_HEADER_LEN, msg2, msg2_len);
  peer->msg2_datagram = g_bytes_new (datagram->data, datagram->len);
  wavry_rift_outbox_send (&self->out, datagram);

  g_ptr_array_add (self->peers, peer);
  g_hash_table_insert (self->by_addr, &peer->addr, peer);
}

/* Returns TRUE when the datagram was a valid msg3. */
static gboolean
handle_msg3 (WavryRiftHost         *self,
             Peer                  *peer,
             const WavryRiftHeader *header,
             const guint8          *data,
             gsize                  len,
             WavryTime              now)
{
  const guint8 *msg = data + header->header_len;
  gsize msg_len = len - header->header_len;
  guint8 payload[WAVRY_NOISE_MAX_MESSAGE];
  gsize payload_len = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(WavryIdentity) client = NULL;
  g_autofree char *client_name = NULL;

  if (!wavry_noise_handshake_read_message (peer->handshake, msg, msg_len,
                                           payload, sizeof payload, &payload_len, &error))
    {
      /* The Noise state is unchanged: this may be a Hello that overtook its
       * msg3, or a forgery; either way the genuine msg3 still completes. */
      g_debug ("not a msg3: %s", error->message);
      return FALSE;
    }

  client = wavry_rift_handshake_info_verify (payload, payload_len,
                                             wavry_noise_handshake_get_remote_static (peer->handshake),
                                             &client_name, &error);
  if (client == NULL ||
      !wavry_noise_handshake_split (peer->handshake, &peer->channel.send, &peer->channel.recv))
    {
      /* §3.1: a failed msg3 resets the peer to "awaiting msg1". */
      g_debug ("msg3 rejected: %s", error ? error->message : "split failed");
      self->out.stats.drops[WAVRY_RIFT_DROP_HANDSHAKE_FAILED]++;
      remove_peer (self, peer, NULL);
      return TRUE;
    }

  g_clear_pointer (&peer->handshake, wavry_noise_handshake_free);
  peer->msg3 = g_bytes_new (msg, msg_len);
  peer->client = g_steal_pointer (&client);
  peer->client_name = g_steal_pointer (&client_name);
  peer->state = PEER_BOOTSTRAP;
  peer->last_rx = now;
  peer->established_at = now;

  /* Decided once per handshake; ASK is resolved later by the application. */
  peer->admission = self->admit != NULL
    ? self->admit (peer_id (peer), peer->client_name, self->admit_data)
    : WAVRY_RIFT_ADMISSION_ADMIT;

  g_debug ("handshake complete with %s (%s)", peer_id (peer), peer->client_name);
  return TRUE;
}

static Rift__Codec
codec_preference (guint rank)
{
  /* §4.2: AV1 → HEVC → H264 */
  static const Rift__Codec order[] = {
    RIFT__CODEC__CODEC_AV1, RIFT__CODEC__CODEC_HEVC, RIFT__CODEC__CODEC_H264,
  };

  return order[rank];
}

static gboolean
select_codec (WavryRiftHost     *self,
              const Rift__Hello *hello,
              Rift__Codec       *selected)
{
  /* A client that lists no codec wants a control-only session (ping). */
  if (hello->n_supported_codecs == 0)
    {
      *selected = RIFT__CODEC__CODEC_HEVC;
      return TRUE;
    }

  for (guint rank = 0; rank < 3; rank++)
    {
      Rift__Codec codec = codec_preference (rank);
      gboolean ours = FALSE;
      gboolean theirs = FALSE;

      for (gsize i = 0; i < self->n_codecs; i++)
        ours |= self->codecs[i] == codec;
      for (gsize i = 0; i < hello->n_supported_codecs; i++)
        theirs |= hello->supported_codecs[i] == codec;
      if (ours && theirs)
        {
          *selected = codec;
          return TRUE;
        }
    }

  return FALSE;
}

static guint32
new_alias (WavryRiftHost *self)
{
  guint32 alias;

  /* Never 0 (§1) and never the bootstrap alias 1, so that a session's
   * packets are never confused with a handshake in progress. */
  do
    alias = randombytes_random ();
  while (alias <= WAVRY_RIFT_BOOTSTRAP_ALIAS ||
         g_hash_table_contains (self->by_alias, GUINT_TO_POINTER (alias)));

  return alias;
}

static GBytes *
seal_ack (WavryRiftHost  *self,
          Peer           *peer,
          Rift__HelloAck *ack)
{
  Rift__Message message = RIFT__MESSAGE__INIT;
  Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
  g_autoptr(WavryRiftDatagram) datagram = NULL;

  control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_HELLO_ACK;
  control.hello_ack = ack;
  message.content_case = RIFT__MESSAGE__CONTENT_CONTROL;
  message.control = &control;

  /* §4.4: answers before admission carry the bootstrap alias. */
  datagram = wavry_rift_channel_seal (&peer->channel, &peer->addr,
                                      WAVRY_RIFT_BOOTSTRAP_ALIAS, &message);
  if (datagram == NULL)
    return NULL;

  return g_bytes_new (datagram->data, datagram->len);
}

static void
refuse (WavryRiftHost *self,
        Peer          *peer,
        const char    *reason)
{
  Rift__HelloAck ack = RIFT__HELLO_ACK__INIT;
  static const guint8 zero_id[16] = { 0 };

  g_debug ("refusing %s: %s", peer_id (peer), reason);

  /* §4.4: accepted=false, zero session id, alias 0, a readable reason. */
  ack.accepted = FALSE;
  ack.session_id.data = (guint8 *) zero_id;
  ack.session_id.len = sizeof zero_id;
  ack.session_alias = 0;
  ack.reject_reason = (char *) reason;
  ack.public_addr = (char *) "";

  peer->ack_datagram = seal_ack (self, peer, &ack);
  if (peer->ack_datagram != NULL)
    wavry_rift_outbox_send_bytes (&self->out, &peer->addr, peer->ack_datagram);
}

static void
send_pending (WavryRiftHost *self,
              Peer          *peer)
{
  Rift__HelloAck ack = RIFT__HELLO_ACK__INIT;
  g_autoptr(GBytes) bytes = NULL;

  /* §4.5: a fresh packet id each time; nothing is cached. */
  ack.accepted = FALSE;
  ack.pending_approval = TRUE;
  ack.public_addr = (char *) "";
  bytes = seal_ack (self, peer, &ack);
  if (bytes != NULL)
    wavry_rift_outbox_send_bytes (&self->out, &peer->addr, bytes);

  if (!peer->approval_announced)
    {
      peer->approval_announced = TRUE;
      wavry_rift_event_queue_push (&self->out.events, WAVRY_RIFT_EVENT_PENDING_APPROVAL, 0,
                                   peer_id (peer), NULL, NULL);
    }
}

static Rift__Message *copy_hello (const Rift__Hello *hello);

static void
admit (WavryRiftHost     *self,
       Peer              *peer,
       Rift__Message     *hello_message)
{
  const Rift__Hello *hello = hello_message->control->hello;
  Rift__HelloAck ack = RIFT__HELLO_ACK__INIT;
  Rift__Resolution resolution = RIFT__RESOLUTION__INIT;
  guint8 session_id[16];
  Rift__Codec codec;

  if (self->max_clients > 0 && self->n_sessions >= self->max_clients)
    {
      g_autofree char *reason = g_strdup_printf ("The host is already serving %u "
                                                 "client(s), its limit.", self->n_sessions);
      refuse (self, peer, reason);
      return;
    }

  if (!select_codec (self, hello, &codec))
    {
      refuse (self, peer, "The host and this client have no video codec in common.");
      return;
    }

  /* §4.2 */
  resolution.width = 1280;
  resolution.height = 720;
  if (hello->max_resolution != NULL &&
      hello->max_resolution->width > 0 && hello->max_resolution->height > 0)
    {
      resolution.width = CLAMP (hello->max_resolution->width, 320, 8192);
      resolution.height = CLAMP (hello->max_resolution->height, 320, 8192);
    }
  if (self->stream_width > 0 && self->stream_height > 0)
    {
      resolution.width = self->stream_width;
      resolution.height = self->stream_height;
    }

  randombytes_buf (session_id, sizeof session_id);
  peer->alias = new_alias (self);

  ack.accepted = TRUE;
  ack.selected_codec = codec;
  ack.stream_resolution = &resolution;
  ack.fps = self->fps > 0 ? self->fps : 60;
  ack.initial_bitrate_kbps = self->initial_bitrate_kbps > 0 ? self->initial_bitrate_kbps : 20000;
  ack.keyframe_interval_ms = self->keyframe_interval_ms > 0 ? self->keyframe_interval_ms : 1000;
  ack.session_id.data = session_id;
  ack.session_id.len = sizeof session_id;
  ack.session_alias = peer->alias;
  ack.public_addr = (char *) "";

  peer->ack_datagram = seal_ack (self, peer, &ack);
  if (peer->ack_datagram == NULL)
    {
      peer->alias = 0;
      return;
    }

  g_hash_table_insert (self->by_alias, GUINT_TO_POINTER (peer->alias), peer);
  self->n_sessions++;
  wavry_rift_outbox_send_bytes (&self->out, &peer->addr, peer->ack_datagram);

  wavry_rift_event_queue_push (&self->out.events, WAVRY_RIFT_EVENT_CONNECTED, peer->alias,
                               peer_id (peer), copy_hello (hello), NULL);
}

static void
handle_hello (WavryRiftHost *self,
              Peer          *peer,
              Rift__Message *message)
{
  const Rift__Hello *hello = message->control->hello;

  /* §4: Hello is idempotent; the decided answer is resent as is. */
  if (peer->ack_datagram != NULL)
    {
      self->out.stats.drops[WAVRY_RIFT_DROP_DUPLICATE]++;
      wavry_rift_outbox_send_bytes (&self->out, &peer->addr, peer->ack_datagram);
      return;
    }

  if (hello->protocol_version != WAVRY_RIFT_VERSION)
    {
      g_autofree char *reason = g_strdup_printf ("Protocol version mismatch: this host speaks "
                                                 "RIFT version %u, the client version %u.",
                                                 WAVRY_RIFT_VERSION, hello->protocol_version);
      refuse (self, peer, reason);
      return;
    }

  switch (peer->admission)
    {
    case WAVRY_RIFT_ADMISSION_REFUSE:
      {
        g_autofree char *reason = g_strdup_printf ("This host does not accept the device "
                                                   "with Wavry ID %s. Ask the host's owner "
                                                   "to allow it.", peer_id (peer));
        refuse (self, peer, reason);
      }
      break;
    case WAVRY_RIFT_ADMISSION_ENDED:
      refuse (self, peer, "The host's owner ended this device's session. Ask them before "
                          "connecting again.");
      break;
    case WAVRY_RIFT_ADMISSION_ASK:
      send_pending (self, peer);
      break;
    case WAVRY_RIFT_ADMISSION_ADMIT:
    default:
      admit (self, peer, message);
      break;
    }
}

/* Queues an in-session datagram and keeps a copy for retransmission. */
static void
peer_send (WavryRiftHost     *self,
           Peer              *peer,
           WavryRiftDatagram *datagram)
{
  WavryRiftHeader header;
  guint slot;

  if (wavry_rift_header_decode (datagram->data, datagram->len, &header) == WAVRY_RIFT_DROP_NONE)
    {
      slot = header.packet_id % WAVRY_RIFT_SEND_HISTORY;
      g_clear_pointer (&peer->history[slot], g_bytes_unref);
      peer->history[slot] = g_bytes_new (datagram->data, datagram->len);
      peer->history_ids[slot] = header.packet_id;
    }
  wavry_rift_outbox_send (&self->out, datagram);
}

/* §6.4: re-sends at most WAVRY_RIFT_NACK_MAX_RESEND of the listed ids that
 * are still in the history, unchanged (same packet id, same bytes). */
static void
handle_nack (WavryRiftHost    *self,
             Peer             *peer,
             const Rift__Nack *nack)
{
  guint sent = 0;

  self->out.stats.nack_ids += nack->n_packet_ids;
  for (gsize i = 0; i < nack->n_packet_ids && sent < WAVRY_RIFT_NACK_MAX_RESEND; i++)
    {
      guint64 id = nack->packet_ids[i];
      guint slot = id % WAVRY_RIFT_SEND_HISTORY;

      if (peer->history[slot] == NULL || peer->history_ids[slot] != id)
        continue;
      wavry_rift_outbox_send_bytes (&self->out, &peer->addr, peer->history[slot]);
      self->out.stats.retransmitted++;
      sent++;
    }
}

/* The CONNECTED event carries the client's Hello (codecs, size wanted). */
static Rift__Message *
copy_hello (const Rift__Hello *hello)
{
  Rift__Message message = RIFT__MESSAGE__INIT;
  Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
  g_autofree guint8 *buf = NULL;
  gsize len;

  control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_HELLO;
  control.hello = (Rift__Hello *) hello;
  message.content_case = RIFT__MESSAGE__CONTENT_CONTROL;
  message.control = &control;
  len = rift__message__get_packed_size (&message);
  buf = g_malloc (MAX (len, 1));
  rift__message__pack (&message, buf);
  return wavry_rift_message_unpack (buf, len);
}

static void
send_pong (WavryRiftHost *self,
           Peer          *peer,
           guint64        timestamp_us)
{
  Rift__Message message = RIFT__MESSAGE__INIT;
  Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
  Rift__Pong pong = RIFT__PONG__INIT;
  WavryRiftDatagram *datagram;

  pong.timestamp_us = timestamp_us;
  control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_PONG;
  control.pong = &pong;
  message.content_case = RIFT__MESSAGE__CONTENT_CONTROL;
  message.control = &control;

  datagram = wavry_rift_channel_seal (&peer->channel, &peer->addr, peer->alias, &message);
  if (datagram != NULL)
    peer_send (self, peer, datagram);
}

static gboolean
is_client_message (const Rift__Message *message)
{
  /* §5 direction: what a host accepts from a client. */
  if (message->content_case != RIFT__MESSAGE__CONTENT_CONTROL)
    return message->content_case == RIFT__MESSAGE__CONTENT_INPUT ||
           (message->content_case == RIFT__MESSAGE__CONTENT_MEDIA &&
            message->media->content_case == RIFT__MEDIA_MESSAGE__CONTENT_FILE_CHUNK);

  switch (message->control->content_case)
    {
    case RIFT__CONTROL_MESSAGE__CONTENT_HELLO_ACK:
    case RIFT__CONTROL_MESSAGE__CONTENT_PONG:
    case RIFT__CONTROL_MESSAGE__CONTENT_MONITOR_LIST:
      return FALSE;
    case RIFT__CONTROL_MESSAGE__CONTENT_HELLO:
    case RIFT__CONTROL_MESSAGE__CONTENT_PING:
    case RIFT__CONTROL_MESSAGE__CONTENT_STATS:
    case RIFT__CONTROL_MESSAGE__CONTENT_CONGESTION:
    case RIFT__CONTROL_MESSAGE__CONTENT_RFI:
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
      return TRUE;
    case RIFT__CONTROL_MESSAGE__CONTENT__NOT_SET:
    case _RIFT__CONTROL_MESSAGE__CONTENT__CASE_IS_INT_SIZE:
    default:
      return FALSE;
    }
}

static void
handle_session_message (WavryRiftHost *self,
                        Peer          *peer,
                        Rift__Message *message)
{
  if (!is_client_message (message))
    {
      self->out.stats.drops[WAVRY_RIFT_DROP_BAD_MESSAGE]++;
      wavry_rift_message_free (message);
      return;
    }

  if (message->content_case == RIFT__MESSAGE__CONTENT_CONTROL)
    {
      if (message->control->content_case == RIFT__CONTROL_MESSAGE__CONTENT_PING)
        {
          send_pong (self, peer, message->control->ping->timestamp_us);
          wavry_rift_message_free (message);
          return;
        }
      if (message->control->content_case == RIFT__CONTROL_MESSAGE__CONTENT_NACK)
        {
          handle_nack (self, peer, message->control->nack);
          wavry_rift_message_free (message);
          return;
        }
      if (message->control->content_case == RIFT__CONTROL_MESSAGE__CONTENT_HELLO)
        {
          /* Only sent on the bootstrap alias. */
          self->out.stats.drops[WAVRY_RIFT_DROP_UNEXPECTED]++;
          wavry_rift_message_free (message);
          return;
        }
    }

  wavry_rift_event_queue_push (&self->out.events, WAVRY_RIFT_EVENT_MESSAGE, peer->alias,
                               peer_id (peer), message, NULL);
}

static void
handle_bootstrap (WavryRiftHost         *self,
                  const WavryRiftAddr   *from,
                  const WavryRiftHeader *header,
                  const guint8          *data,
                  gsize                  len,
                  WavryTime              now)
{
  Peer *peer = g_hash_table_lookup (self->by_addr, from);
  Rift__Message *message = NULL;
  WavryRiftDrop drop;

  if (peer == NULL)
    {
      self->out.stats.drops[WAVRY_RIFT_DROP_UNKNOWN_PEER]++;
      return;
    }

  if (peer->state == PEER_AWAIT_MSG3)
    {
      if (!handle_msg3 (self, peer, header, data, len, now))
        self->out.stats.drops[WAVRY_RIFT_DROP_HANDSHAKE_FAILED]++;
      return;
    }

  /* A retried msg3 after completion is ignored (§3.1). */
  if (peer->msg3 != NULL &&
      g_bytes_get_size (peer->msg3) == len - header->header_len &&
      memcmp (g_bytes_get_data (peer->msg3, NULL), data + header->header_len,
              len - header->header_len) == 0)
    {
      self->out.stats.drops[WAVRY_RIFT_DROP_DUPLICATE]++;
      return;
    }

  drop = wavry_rift_channel_open (&peer->channel, header, data, len, &message);
  if (drop != WAVRY_RIFT_DROP_NONE)
    {
      self->out.stats.drops[drop]++;
      return;
    }
  peer->last_rx = now;

  if (message->content_case == RIFT__MESSAGE__CONTENT_CONTROL &&
      message->control->content_case == RIFT__CONTROL_MESSAGE__CONTENT_HELLO)
    handle_hello (self, peer, message);
  else if (peer->alias != 0)
    {
      /* The client sent on alias 1 after admission; treat as in-session. */
      handle_session_message (self, peer, g_steal_pointer (&message));
    }
  else
    self->out.stats.drops[WAVRY_RIFT_DROP_UNEXPECTED]++;

  wavry_rift_message_free (message);
}

static void
handle_session (WavryRiftHost         *self,
                const WavryRiftAddr   *from,
                const WavryRiftHeader *header,
                const guint8          *data,
                gsize                  len,
                WavryTime              now)
{
  Peer *peer = g_hash_table_lookup (self->by_alias, GUINT_TO_POINTER (header->alias));
  Rift__Message *message = NULL;
  WavryRiftDrop drop;

  if (peer == NULL)
    {
      self->out.stats.drops[WAVRY_RIFT_DROP_UNKNOWN_PEER]++;
      return;
    }

  drop = wavry_rift_channel_open (&peer->channel, header, data, len, &message);
  if (drop != WAVRY_RIFT_DROP_NONE)
    {
      self->out.stats.drops[drop]++;
      return;
    }
  peer->last_rx = now;

  /* §4: the keys proved who this is, so follow a client whose address
   * changed (Wi-Fi → wired, NAT rebinding). */
  if (!wavry_rift_addr_equal (&peer->addr, from))
    {
      g_debug ("session %u moved to a new address", peer->alias);
      if (g_hash_table_lookup (self->by_addr, &peer->addr) == peer)
        g_hash_table_remove (self->by_addr, &peer->addr);
      peer->addr = *from;
    }

  handle_session_message (self, peer, message);
}

void
wavry_rift_host_handle_datagram (WavryRiftHost       *self,
                                 const WavryRiftAddr *from,
                                 const guint8        *data,
                                 gsize                len,
                                 WavryTime            now)
{
  WavryRiftHeader header;
  WavryRiftDrop drop;

  g_return_if_fail (self != NULL);
  g_return_if_fail (from != NULL);

  wavry_rift_outbox_received (&self->out, len);

  /* §12: hole-punch probes of the public code */
  if (len == 1 && data[0] == 0x00)
    {
      self->out.stats.drops[WAVRY_RIFT_DROP_PROBE]++;
      return;
    }

  drop = wavry_rift_header_decode (data, len, &header);
  if (drop != WAVRY_RIFT_DROP_NONE)
    {
      self->out.stats.drops[drop]++;
      return;
    }

  if (header.kind == WAVRY_RIFT_HEADER_HANDSHAKE)
    handle_msg1 (self, from, &header, data, len, now);
  else if (header.alias == WAVRY_RIFT_BOOTSTRAP_ALIAS)
    handle_bootstrap (self, from, &header, data, len, now);
  else
    handle_session (self, from, &header, data, len, now);
}

static WavryTime
peer_deadline (Peer *peer)
{
  if (peer->state == PEER_AWAIT_MSG3)
    return peer->created + HANDSHAKE_TIMEOUT_US;

  if (peer->alias != 0)
    return MIN (peer->last_rx + WAVRY_RIFT_SILENCE_TIMEOUT_US,
                peer->established_at + WAVRY_RIFT_MAX_SESSION_AGE_US);

  /* Refused or waiting for approval: kept to answer retries. */
  return peer->last_rx + WAVRY_RIFT_SILENCE_TIMEOUT_US;
}

WavryTime
wavry_rift_host_next_timeout (WavryRiftHost *self)
{
  WavryTime next = G_MAXINT64;

  g_return_val_if_fail (self != NULL, G_MAXINT64);

  for (guint i = 0; i < self->peers->len; i++)
    next = MIN (next, peer_deadline (g_ptr_array_index (self->peers, i)));

  return next;
}

void
wavry_rift_host_handle_timeout (WavryRiftHost *self,
                                WavryTime      now)
{
  g_return_if_fail (self != NULL);

  for (guint i = self->peers->len; i > 0; i--)
    {
      Peer *peer = g_ptr_array_index (self->peers, i - 1);
      GError *error = NULL;

      if (now < peer_deadline (peer))
        continue;

      if (peer->alias != 0 && now - peer->last_rx >= WAVRY_RIFT_SILENCE_TIMEOUT_US)
        error = g_error_new_literal (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_TIMED_OUT,
                                     "The client stopped answering (30 seconds of silence).");
      else if (peer->alias != 0)
        error = g_error_new_literal (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_CLOSED,
                                     "The session reached its key lifetime.");
      remove_peer (self, peer, error);
    }
}

WavryRiftDatagram *
wavry_rift_host_poll_transmit (WavryRiftHost *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return wavry_rift_outbox_pop_datagram (&self->out);
}

gboolean
wavry_rift_host_poll_event (WavryRiftHost  *self,
                            WavryRiftEvent *event)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return wavry_rift_outbox_pop_event (&self->out, event);
}

gboolean
wavry_rift_host_send (WavryRiftHost       *self,
                      guint32              alias,
                      const Rift__Message *message,
                      WavryTime            now)
{
  Peer *peer;
  WavryRiftDatagram *datagram;

  g_return_val_if_fail (self != NULL, FALSE);

  peer = g_hash_table_lookup (self->by_alias, GUINT_TO_POINTER (alias));
  if (peer == NULL)
    return FALSE;

  datagram = wavry_rift_channel_seal (&peer->channel, &peer->addr, peer->alias, message);
  if (datagram == NULL)
    return FALSE;

  peer_send (self, peer, datagram);
  return TRUE;
}

gboolean
wavry_rift_host_send_packed (WavryRiftHost *self,
                             guint32        alias,
                             const guint8  *plain,
                             gsize          len,
                             guint64       *packet_id,
                             WavryTime      now)
{
  Peer *peer;
  WavryRiftDatagram *datagram;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (plain != NULL || len == 0, FALSE);

  peer = g_hash_table_lookup (self->by_alias, GUINT_TO_POINTER (alias));
  if (peer == NULL)
    return FALSE;

  datagram = wavry_rift_channel_seal_plain (&peer->channel, &peer->addr, peer->alias,
                                            plain, len, packet_id);
  if (datagram == NULL)
    return FALSE;

  peer_send (self, peer, datagram);
  return TRUE;
}

void
wavry_rift_host_resolve_approval (WavryRiftHost *self,
                                  const char    *client_id,
                                  gboolean       admit_client)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (client_id != NULL);

  /* The next retried Hello (every 1 s, §4.5) gets the final answer. */
  for (guint i = 0; i < self->peers->len; i++)
    {
      Peer *peer = g_ptr_array_index (self->peers, i);

      if (peer->admission == WAVRY_RIFT_ADMISSION_ASK && g_strcmp0 (peer_id (peer), client_id) == 0)
        peer->admission = admit_client ? WAVRY_RIFT_ADMISSION_ADMIT : WAVRY_RIFT_ADMISSION_REFUSE;
    }
}

void
wavry_rift_host_disconnect (WavryRiftHost *self,
                            guint32        alias)
{
  Peer *peer;

  g_return_if_fail (self != NULL);

  peer = g_hash_table_lookup (self->by_alias, GUINT_TO_POINTER (alias));
  if (peer != NULL)
    remove_peer (self, peer, g_error_new_literal (WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_CLOSED,
                                                  "The host ended the session."));
}

gboolean
wavry_rift_host_get_session_last_rx (WavryRiftHost *self,
                                     guint32        alias,
                                     WavryTime     *last_rx)
{
  Peer *peer;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (last_rx != NULL, FALSE);

  peer = g_hash_table_lookup (self->by_alias, GUINT_TO_POINTER (alias));
  if (peer == NULL)
    return FALSE;
  *last_rx = peer->last_rx;
  return TRUE;
}

guint
wavry_rift_host_get_n_sessions (WavryRiftHost *self)
{
  return self->n_sessions;
}

const WavryRiftStats *
wavry_rift_host_get_stats (WavryRiftHost *self)
{
  return &self->out.stats;
}

gboolean
wavry_rift_host_get_session_info (WavryRiftHost  *self,
                                  guint32         alias,
                                  WavryRiftAddr  *addr,
                                  const char    **client_name)
{
  Peer *peer;

  g_return_val_if_fail (self != NULL, FALSE);

  peer = g_hash_table_lookup (self->by_alias, GUINT_TO_POINTER (alias));
  if (peer == NULL)
    return FALSE;
  if (addr != NULL)
    *addr = peer->addr;
  if (client_name != NULL)
    *client_name = peer->client_name;
  return TRUE;
}
