/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "wavry-error.h"
#include "wavry-identity.h"
#include "wavry-rift-session-private.h"

void
wavry_rift_addr_init (WavryRiftAddr *addr,
                      gconstpointer  native,
                      gsize          len)
{
  memset (addr, 0, sizeof *addr);
  addr->len = MIN (len, sizeof addr->data);
  if (native != NULL)
    memcpy (addr->data, native, addr->len);
}

guint
wavry_rift_addr_hash (gconstpointer addr)
{
  const WavryRiftAddr *a = addr;
  guint h = 5381;

  for (guint i = 0; i < a->len; i++)
    h = (h << 5) + h + a->data[i];

  return h;
}

gboolean
wavry_rift_addr_equal (gconstpointer a,
                       gconstpointer b)
{
  const WavryRiftAddr *x = a;
  const WavryRiftAddr *y = b;

  return x->len == y->len && memcmp (x->data, y->data, x->len) == 0;
}

WavryRiftDatagram *
wavry_rift_datagram_new (const WavryRiftAddr *addr,
                         const guint8        *data,
                         gsize                len)
{
  WavryRiftDatagram *datagram = g_malloc (sizeof *datagram + len);

  if (addr != NULL)
    datagram->addr = *addr;
  else
    memset (&datagram->addr, 0, sizeof datagram->addr);
  datagram->len = len;
  if (data != NULL)
    memcpy (datagram->data, data, len);

  return datagram;
}

void
wavry_rift_datagram_free (WavryRiftDatagram *datagram)
{
  g_free (datagram);
}

void
wavry_rift_event_clear (WavryRiftEvent *event)
{
  g_clear_pointer (&event->peer_id, g_free);
  g_clear_pointer (&event->message, wavry_rift_message_free);
  g_clear_error (&event->error);
  g_clear_pointer (&event->plaintext, g_bytes_unref);
  memset (event, 0, sizeof *event);
}

guint64
wavry_rift_stats_total_drops (const WavryRiftStats *stats)
{
  guint64 total = 0;

  for (guint i = 0; i < WAVRY_RIFT_DROP_LAST; i++)
    total += stats->drops[i];

  return total;
}

void
wavry_rift_event_queue_push (GQueue             *queue,
                             WavryRiftEventKind  kind,
                             guint32             alias,
                             const char         *peer_id,
                             Rift__Message      *message,
                             GError             *error)
{
  WavryRiftEvent *event = g_new0 (WavryRiftEvent, 1);

  event->kind = kind;
  event->alias = alias;
  event->peer_id = g_strdup (peer_id);
  event->message = message;
  event->error = error;
  g_queue_push_tail (queue, event);
}

static void
event_free (gpointer data)
{
  WavryRiftEvent *event = data;

  wavry_rift_event_clear (event);
  g_free (event);
}

void
wavry_rift_outbox_init (WavryRiftOutbox *outbox)
{
  g_queue_init (&outbox->transmit);
  g_queue_init (&outbox->events);
  memset (&outbox->stats, 0, sizeof outbox->stats);
}

void
wavry_rift_outbox_clear (WavryRiftOutbox *outbox)
{
  g_queue_clear_full (&outbox->transmit, (GDestroyNotify) wavry_rift_datagram_free);
  g_queue_clear_full (&outbox->events, event_free);
}

void
wavry_rift_outbox_send (WavryRiftOutbox   *outbox,
                        WavryRiftDatagram *datagram)
{
  outbox->stats.tx_datagrams++;
  outbox->stats.tx_bytes += datagram->len;
  g_queue_push_tail (&outbox->transmit, datagram);
}

void
wavry_rift_outbox_send_bytes (WavryRiftOutbox     *outbox,
                              const WavryRiftAddr *to,
                              GBytes              *bytes)
{
  wavry_rift_outbox_send (outbox, wavry_rift_datagram_new (to, g_bytes_get_data (bytes, NULL),
                                                           g_bytes_get_size (bytes)));
}

WavryRiftDatagram *
wavry_rift_outbox_pop_datagram (WavryRiftOutbox *outbox)
{
  return g_queue_pop_head (&outbox->transmit);
}

gboolean
wavry_rift_outbox_pop_event (WavryRiftOutbox *outbox,
                             WavryRiftEvent  *event)
{
  WavryRiftEvent *next = g_queue_pop_head (&outbox->events);

  if (next == NULL)
    return FALSE;

  *event = *next;
  g_free (next);

  return TRUE;
}

void
wavry_rift_outbox_received (WavryRiftOutbox *outbox,
                            gsize            len)
{
  outbox->stats.rx_datagrams++;
  outbox->stats.rx_bytes += len;
}

void
wavry_rift_channel_clear (WavryRiftChannel *channel)
{
  wavry_noise_cipher_clear (&channel->send);
  wavry_noise_cipher_clear (&channel->recv);
  wavry_rift_replay_window_init (&channel->window);
}

WavryRiftDatagram *
wavry_rift_channel_seal_plain (WavryRiftChannel    *channel,
                               const WavryRiftAddr *to,
                               guint32              alias,
                               const guint8        *plain,
                               gsize                plain_len,
                               guint64             *packet_id)
{
  g_autoptr(WavryRiftDatagram) datagram = NULL;
  guint64 id;
  gsize len;

  if (plain_len + WAVRY_RIFT_PACKET_OVERHEAD > WAVRY_RIFT_MAX_DATAGRAM)
    return NULL;
  /* §3.3: a nonce is never reused; the session must end before 2^63. */
  if (*channel->next_packet_id >= WAVRY_RIFT_MAX_PACKET_ID)
    return NULL;

  id = (*channel->next_packet_id)++;
  datagram = wavry_rift_datagram_new (to, NULL, plain_len + WAVRY_RIFT_PACKET_OVERHEAD);
  len = wavry_rift_packet_seal (&channel->send, alias, id, plain, plain_len,
                                datagram->data, datagram->len);
  if (len == 0)
    return NULL;

  if (packet_id != NULL)
    *packet_id = id;
  return g_steal_pointer (&datagram);
}

WavryRiftDatagram *
wavry_rift_channel_seal (WavryRiftChannel    *channel,
                         const WavryRiftAddr *to,
                         guint32              alias,
                         const Rift__Message *message)
{
  gsize plain_len = rift__message__get_packed_size (message);
  guint8 plain[WAVRY_RIFT_MAX_DATAGRAM];

  if (plain_len + WAVRY_RIFT_PACKET_OVERHEAD > WAVRY_RIFT_MAX_DATAGRAM)
    return NULL;

  rift__message__pack (message, plain);
  return wavry_rift_channel_seal_plain (channel, to, alias, plain, plain_len, NULL);
}

WavryRiftDrop
wavry_rift_channel_open (WavryRiftChannel      *channel,
                         const WavryRiftHeader *header,
                         const guint8          *data,
                         gsize                  len,
                         Rift__Message        **message)
{
  return wavry_rift_channel_open_full (channel, header, data, len, message, NULL);
}

WavryRiftDrop
wavry_rift_channel_open_full (WavryRiftChannel      *channel,
                              const WavryRiftHeader *header,
                              const guint8          *data,
                              gsize                  len,
                              Rift__Message        **message,
                              GBytes               **plaintext)
{
  guint8 plain[WAVRY_RIFT_MAX_DATAGRAM];
  gsize plain_len = 0;
  WavryRiftDrop drop;

  *message = NULL;

  drop = wavry_rift_packet_open (&channel->recv, &channel->window, header,
                                 data, len, plain, &plain_len);
  if (drop != WAVRY_RIFT_DROP_NONE)
    return drop;

  *message = wavry_rift_message_unpack (plain, plain_len);
  if (*message != NULL && plaintext != NULL &&
      (*message)->content_case == RIFT__MESSAGE__CONTENT_MEDIA)
    *plaintext = g_bytes_new (plain, plain_len);
  sodium_memzero (plain, plain_len);
  if (*message == NULL)
    return WAVRY_RIFT_DROP_BAD_MESSAGE;

  return WAVRY_RIFT_DROP_NONE;
}

/* Keeps msg2 small (it answers an unauthenticated msg1, so its size is the
 * amplification an address spoofer gets) and log lines readable. */
#define MAX_DEVICE_NAME_CHARS 64

static char *
clip_device_name (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name ? name : "", -1);

  if (g_utf8_strlen (valid, -1) <= MAX_DEVICE_NAME_CHARS)
    return g_steal_pointer (&valid);

  return g_utf8_substring (valid, 0, MAX_DEVICE_NAME_CHARS);
}

GBytes *
wavry_rift_handshake_info_build (WavryIdentity *identity,
                                 const char    *device_name)
{
  Rift__HandshakeInfo info = RIFT__HANDSHAKE_INFO__INIT;
  g_autofree char *name = clip_device_name (device_name);
  gsize len;
  guint8 *buf;

  info.device_name = name;
  info.platform = RIFT__PLATFORM__PLATFORM_LINUX;
  info.identity.data = (guint8 *) wavry_identity_get_public_key (identity);
  info.identity.len = WAVRY_ED25519_PUBLIC_LEN;

  len = rift__handshake_info__get_packed_size (&info);
  buf = g_malloc (len);
  rift__handshake_info__pack (&info, buf);

  return g_bytes_new_take (buf, len);
}

WavryIdentity *
wavry_rift_handshake_info_verify (const guint8  *payload,
                                  gsize          len,
                                  const guint8  *remote_static,
                                  char         **device_name,
                                  GError       **error)
{
  g_autoptr(Rift__HandshakeInfo) info = NULL;
  g_autoptr(WavryIdentity) identity = NULL;
  guint8 x25519[WAVRY_X25519_LEN];

  info = wavry_rift_handshake_info_unpack (payload, len);
  if (info == NULL || info->identity.len != WAVRY_ED25519_PUBLIC_LEN)
    {
      g_set_error_literal (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE,
                           "the peer sent no identity in its handshake");
      return NULL;
    }

  identity = wavry_identity_new_from_public_key (info->identity.data);
  if (identity == NULL)
    {
      g_set_error_literal (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE,
                           "the peer's identity is not a valid Ed25519 key");
      return NULL;
    }

  /* §3.1: the X25519 form of `identity` must equal the static key the Noise
   * handshake just proved, so `identity` names the peer exactly. */
  wavry_identity_get_x25519_public (identity, x25519);
  if (remote_static == NULL || sodium_memcmp (x25519, remote_static, WAVRY_X25519_LEN) != 0)
    {
      g_set_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE,
                   "the peer claims Wavry ID %s but its handshake key does not belong to it",
                   wavry_identity_get_id (identity));
      return NULL;
    }

  if (device_name != NULL)
    *device_name = clip_device_name (info->device_name);

  return g_steal_pointer (&identity);
}
