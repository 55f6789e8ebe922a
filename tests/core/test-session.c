/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-error.h"
#include "wavry-identity.h"
#include "wavry-rift-client.h"
#include "wavry-rift-host.h"

/* Two sans-I/O endpoints joined by an in-memory pipe with scripted time and
 * optional loss, duplication and reordering (STYLE.md §H). */

#define LINK_DELAY_US 1000

typedef struct
{
  WavryTime      deliver_at;
  gboolean       to_host;
  WavryRiftAddr  from;
  gsize          len;
  guint8         data[WAVRY_RIFT_MAX_DATAGRAM];
} InFlight;

typedef struct
{
  WavryIdentity   *host_identity;
  WavryIdentity   *client_identity;
  WavryRiftHost   *host;
  WavryRiftClient *client;
  WavryRiftAddr    client_addr;
  WavryTime        now;
  GList           *in_flight;      /* InFlight, any order */
  GRand           *rand;
  guint            loss_percent;
  guint            dup_percent;
  guint            jitter_us;      /* random extra delay → reordering */
  guint            client_sent;
  guint            client_handshake_sent;
  GPtrArray       *host_sent;      /* GBytes of every host datagram */
  GPtrArray       *client_log;     /* GBytes of every client datagram */
  WavryRiftAdmission admission;
  guint            admit_calls;
  /* events seen */
  gboolean         client_connected;
  gboolean         client_pending;
  GError          *client_error;
  guint            pongs;
  gint64           last_rtt;
  gboolean         host_connected;
  guint32          host_alias;
  GError          *host_closed;
  guint            host_messages;
  guint            drop_host_datagrams;  /* drop the next N host datagrams on the link */
  GArray          *client_msg_ids;       /* packet ids of client MESSAGE events */
  GPtrArray       *client_plain;         /* their plaintext (GBytes, or NULL) */
} Fixture;

static WavryRiftAdmission
admit_cb (const char *client_id,
          const char *client_name,
          gpointer    user_data)
{
  Fixture *f = user_data;

  f->admit_calls++;
  g_assert_cmpstr (client_id, ==, wavry_identity_get_id (f->client_identity));
  g_assert_cmpstr (client_name, ==, "test client");
  return f->admission;
}

static void
fixture_setup_full (Fixture    *f,
                    const char *expected_host_id,
                    guint       max_clients)
{
  static const Rift__Codec host_codecs[] = { RIFT__CODEC__CODEC_H264, RIFT__CODEC__CODEC_HEVC };
  static const Rift__Codec client_codecs[] = { RIFT__CODEC__CODEC_H264, RIFT__CODEC__CODEC_HEVC };
  WavryRiftHostConfig host_config = { 0 };
  WavryRiftClientConfig client_config = { 0 };
  guint32 port = 40000;

  memset (f, 0, sizeof *f);
  f->host_identity = wavry_identity_generate ();
  f->client_identity = wavry_identity_generate ();
  f->rand = g_rand_new_with_seed (7);
  f->now = 1000 * G_TIME_SPAN_SECOND;
  f->admission = WAVRY_RIFT_ADMISSION_ADMIT;
  f->host_sent = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  f->client_log = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  wavry_rift_addr_init (&f->client_addr, &port, sizeof port);

  host_config.device_name = "test host";
  host_config.codecs = host_codecs;
  host_config.n_codecs = G_N_ELEMENTS (host_codecs);
  host_config.admit = admit_cb;
  host_config.admit_data = f;
  host_config.max_clients = max_clients;
  f->host = wavry_rift_host_new (f->host_identity, &host_config);

  client_config.device_name = "test client";
  client_config.expected_host_id = expected_host_id
    ? expected_host_id : wavry_identity_get_id (f->host_identity);
  client_config.codecs = client_codecs;
  client_config.n_codecs = G_N_ELEMENTS (client_codecs);
  f->client = wavry_rift_client_new (f->client_identity, &client_config);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  fixture_setup_full (f, NULL, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_list_free_full (f->in_flight, g_free);
  g_clear_pointer (&f->client, wavry_rift_client_free);
  g_clear_pointer (&f->host, wavry_rift_host_free);
  g_assert_finalize_object (f->host_identity);
  g_assert_finalize_object (f->client_identity);
  g_clear_error (&f->client_error);
  g_clear_error (&f->host_closed);
  g_ptr_array_unref (f->host_sent);
  g_ptr_array_unref (f->client_log);
  g_clear_pointer (&f->client_msg_ids, g_array_unref);
  g_clear_pointer (&f->client_plain, g_ptr_array_unref);
  g_rand_free (f->rand);
}

static void
send_on_link (Fixture             *f,
              gboolean             to_host,
              const WavryRiftAddr *from,
              const guint8        *data,
              gsize                len)
{
  guint copies = 1;

  if (f->loss_percent && g_rand_int_range (f->rand, 0, 100) < (gint) f->loss_percent)
    return;
  if (f->dup_percent && g_rand_int_range (f->rand, 0, 100) < (gint) f->dup_percent)
    copies = 2;

  for (guint i = 0; i < copies; i++)
    {
      InFlight *p = g_new (InFlight, 1);

      p->deliver_at = f->now + LINK_DELAY_US +
                      (f->jitter_us ? g_rand_int_range (f->rand, 0, f->jitter_us) : 0);
      p->to_host = to_host;
      p->from = *from;
      p->len = len;
      memcpy (p->data, data, len);
      f->in_flight = g_list_prepend (f->in_flight, p);
    }
}

static void
drain (Fixture *f)
{
  WavryRiftDatagram *d;
  WavryRiftEvent event;

  while ((d = wavry_rift_client_poll_transmit (f->client)) != NULL)
    {
      f->client_sent++;
      if (d->len >= 30 && d->data[4] == 0 && d->data[5] == 0 && d->data[6] == 0 && d->data[7] == 0)
        f->client_handshake_sent++;
      g_ptr_array_add (f->client_log, g_bytes_new (d->data, d->len));
      send_on_link (f, TRUE, &f->client_addr, d->data, d->len);
      wavry_rift_datagram_free (d);
    }
  while ((d = wavry_rift_host_poll_transmit (f->host)) != NULL)
    {
      g_assert_true (wavry_rift_addr_equal (&d->addr, &f->client_addr));
      g_ptr_array_add (f->host_sent, g_bytes_new (d->data, d->len));
      if (f->drop_host_datagrams > 0)
        f->drop_host_datagrams--;
      else
        send_on_link (f, FALSE, &d->addr, d->data, d->len);
      wavry_rift_datagram_free (d);
    }

  while (wavry_rift_client_poll_event (f->client, &event))
    {
      switch (event.kind)
        {
        case WAVRY_RIFT_EVENT_CONNECTED:
          f->client_connected = TRUE;
          g_assert_cmpstr (event.peer_id, ==, wavry_identity_get_id (f->host_identity));
          break;
        case WAVRY_RIFT_EVENT_PENDING_APPROVAL:
          f->client_pending = TRUE;
          break;
        case WAVRY_RIFT_EVENT_PONG:
          f->pongs++;
          f->last_rtt = event.rtt_us;
          break;
        case WAVRY_RIFT_EVENT_CLOSED:
          g_assert_null (f->client_error);
          f->client_error = g_error_copy (event.error);
          break;
        case WAVRY_RIFT_EVENT_MESSAGE:
          if (f->client_msg_ids == NULL)
            {
              f->client_msg_ids = g_array_new (FALSE, FALSE, sizeof (guint64));
              f->client_plain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
            }
          g_array_append_val (f->client_msg_ids, event.packet_id);
          g_ptr_array_add (f->client_plain, event.plaintext != NULL
                                              ? g_bytes_ref (event.plaintext) : NULL);
          break;
        case WAVRY_RIFT_EVENT_NONE:
        default:
          break;
        }
      wavry_rift_event_clear (&event);
    }

  while (wavry_rift_host_poll_event (f->host, &event))
    {
      switch (event.kind)
        {
        case WAVRY_RIFT_EVENT_CONNECTED:
          f->host_connected = TRUE;
          f->host_alias = event.alias;
          g_assert_cmpstr (event.peer_id, ==, wavry_identity_get_id (f->client_identity));
          break;
        case WAVRY_RIFT_EVENT_CLOSED:
          g_clear_error (&f->host_closed);
          f->host_closed = g_error_copy (event.error);
          break;
        case WAVRY_RIFT_EVENT_MESSAGE:
          f->host_messages++;
          break;
        case WAVRY_RIFT_EVENT_PENDING_APPROVAL:
        case WAVRY_RIFT_EVENT_PONG:
        case WAVRY_RIFT_EVENT_NONE:
        default:
          break;
        }
      wavry_rift_event_clear (&event);
    }
}

/* Advances simulated time to @until, delivering datagrams and firing timers
 * in order. */
static void
run_until (Fixture   *f,
           WavryTime  until)
{
  for (;;)
    {
      WavryTime next = MIN (wavry_rift_client_next_timeout (f->client),
                            wavry_rift_host_next_timeout (f->host));
      InFlight *first = NULL;

      for (GList *l = f->in_flight; l; l = l->next)
        {
          InFlight *p = l->data;

          if (first == NULL || p->deliver_at <= first->deliver_at)  /* FIFO among equals */
            first = p;
        }
      if (first != NULL)
        next = MIN (next, first->deliver_at);
      if (next > until)
        break;

      f->now = MAX (f->now, next);
      if (first != NULL && first->deliver_at <= f->now)
        {
          f->in_flight = g_list_remove (f->in_flight, first);
          if (first->to_host)
            wavry_rift_host_handle_datagram (f->host, &first->from, first->data, first->len, f->now);
          else
            wavry_rift_client_handle_datagram (f->client, first->data, first->len, f->now);
          g_free (first);
        }
      wavry_rift_client_handle_timeout (f->client, f->now);
      wavry_rift_host_handle_timeout (f->host, f->now);
      drain (f);
    }
  f->now = MAX (f->now, until);
}

static void
connect_now (Fixture *f)
{
  wavry_rift_client_start (f->client, f->now);
  drain (f);
  run_until (f, f->now + 3 * G_TIME_SPAN_SECOND);
}

static void
test_handshake_and_ping (Fixture       *f,
                         gconstpointer  data)
{
  const Rift__HelloAck *ack;

  connect_now (f);
  g_assert_no_error (f->client_error);
  g_assert_true (f->client_connected);
  g_assert_true (f->host_connected);
  g_assert_cmpint (wavry_rift_client_get_state (f->client), ==, WAVRY_RIFT_CLIENT_STATE_ESTABLISHED);
  g_assert_cmpuint (wavry_rift_host_get_n_sessions (f->host), ==, 1);
  g_assert_cmpuint (f->admit_calls, ==, 1);
  /* msg1, msg3, Hello: nothing lost, so no retries */
  g_assert_cmpuint (f->client_handshake_sent, ==, 1);

  ack = wavry_rift_client_get_hello_ack (f->client);
  g_assert_nonnull (ack);
  g_assert_true (ack->accepted);
  g_assert_cmpuint (ack->session_alias, ==, f->host_alias);
  g_assert_cmpuint (ack->session_alias, >, 1);
  g_assert_cmpint (ack->selected_codec, ==, RIFT__CODEC__CODEC_HEVC);  /* AV1 → HEVC → H264 */
  g_assert_cmpuint (ack->session_id.len, ==, 16);
  g_assert_cmpuint (ack->stream_resolution->width, ==, 1280);
  g_assert_cmpuint (ack->fps, ==, 60);

  /* Ping/Pong: RTT is the two link delays exactly (scripted time). */
  g_assert_true (wavry_rift_client_send_ping (f->client, f->now));
  drain (f);
  run_until (f, f->now + 10 * LINK_DELAY_US);
  g_assert_cmpuint (f->pongs, ==, 1);
  g_assert_cmpint (f->last_rtt, ==, 2 * LINK_DELAY_US);
  g_assert_cmpuint (wavry_rift_stats_total_drops (wavry_rift_host_get_stats (f->host)), ==, 0);
  g_assert_cmpuint (wavry_rift_stats_total_drops (wavry_rift_client_get_stats (f->client)), ==, 0);
}

static void
test_wrong_host_id (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WavryIdentity) other = wavry_identity_generate ();

  fixture_teardown (f, NULL);
  fixture_setup_full (f, wavry_identity_get_id (other), 0);
  connect_now (f);

  g_assert_error (f->client_error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_IDENTITY_MISMATCH);
  /* The error names both the expected and the presented ID. */
  g_assert_nonnull (strstr (f->client_error->message, wavry_identity_get_id (other)));
  g_assert_nonnull (strstr (f->client_error->message, wavry_identity_get_id (f->host_identity)));
  /* §3.1: the client never revealed itself: only msg1 went out. */
  g_assert_cmpuint (f->client_sent, ==, 1);
  g_assert_cmpuint (f->admit_calls, ==, 0);
  g_assert_false (f->host_connected);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  f->admission = WAVRY_RIFT_ADMISSION_REFUSE;
  connect_now (f);

  g_assert_error (f->client_error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_REFUSED);
  g_assert_nonnull (strstr (f->client_error->message, wavry_identity_get_id (f->client_identity)));
  g_assert_false (f->host_connected);
  g_assert_cmpuint (wavry_rift_host_get_n_sessions (f->host), ==, 0);
}

static void
test_pending_approval (Fixture       *f,
                       gconstpointer  data)
{
  f->admission = WAVRY_RIFT_ADMISSION_ASK;
  connect_now (f);
  g_assert_true (f->client_pending);
  g_assert_false (f->client_connected);
  g_assert_no_error (f->client_error);
  g_assert_cmpint (wavry_rift_client_get_state (f->client), ==,
                   WAVRY_RIFT_CLIENT_STATE_PENDING_APPROVAL);

  /* The owner says yes; the next 1 s Hello retry gets the real answer. */
  wavry_rift_host_resolve_approval (f->host, wavry_identity_get_id (f->client_identity), TRUE);
  run_until (f, f->now + 2 * G_TIME_SPAN_SECOND);
  g_assert_true (f->client_connected);
  g_assert_true (f->host_connected);
}

static void
test_pending_approval_times_out (Fixture       *f,
                                 gconstpointer  data)
{
  f->admission = WAVRY_RIFT_ADMISSION_ASK;
  connect_now (f);
  g_assert_true (f->client_pending);
  run_until (f, f->now + 61 * G_TIME_SPAN_SECOND);
  g_assert_error (f->client_error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_REFUSED);
}

static void
test_no_host (Fixture       *f,
              gconstpointer  data)
{
  WavryTime start = f->now;

  /* Nothing reaches the host. */
  f->loss_percent = 100;
  connect_now (f);
  g_assert_error (f->client_error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_TIMED_OUT);
  /* §3.1: 8 attempts, 250 ms apart, each under a new packet id */
  g_assert_cmpuint (f->client_handshake_sent, ==, WAVRY_RIFT_HANDSHAKE_ATTEMPTS);
  g_assert_cmpint (f->now - start, >=, 2 * G_TIME_SPAN_SECOND);
  for (guint i = 1; i < f->client_log->len; i++)
    {
      const guint8 *a = g_bytes_get_data (g_ptr_array_index (f->client_log, i - 1), NULL);
      const guint8 *b = g_bytes_get_data (g_ptr_array_index (f->client_log, i), NULL);

      g_assert_cmpmem (a + 30, 32, b + 30, 32);   /* same `e` */
      g_assert_false (memcmp (a + 20, b + 20, 8) == 0);  /* new packet id */
    }
}

static void
test_version_mismatch (Fixture       *f,
                       gconstpointer  data)
{
  /* A host from the future answers in version 2 headers. */
  guint8 reply[64] = { 'R', 'I', 0, 2 };

  f->loss_percent = 100;
  wavry_rift_client_start (f->client, f->now);
  drain (f);
  wavry_rift_client_handle_datagram (f->client, reply, sizeof reply, f->now);
  run_until (f, f->now + 3 * G_TIME_SPAN_SECOND);
  g_assert_error (f->client_error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_VERSION);
  g_assert_nonnull (strstr (f->client_error->message, "version 2"));
}

static void
test_replay_and_bit_flips (Fixture       *f,
                           gconstpointer  data)
{
  const WavryRiftStats *stats = wavry_rift_host_get_stats (f->host);
  GBytes *ping;
  gsize len;
  guint8 copy[256];

  connect_now (f);
  g_assert_true (f->client_connected);

  /* A client message the host must deliver once. */
  {
    Rift__Message message = RIFT__MESSAGE__INIT;
    Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
    Rift__StatsReport stats_report = RIFT__STATS_REPORT__INIT;

    stats_report.period_ms = 1000;
    control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_STATS;
    control.stats = &stats_report;
    message.content_case = RIFT__MESSAGE__CONTENT_CONTROL;
    message.control = &control;
    g_assert_true (wavry_rift_client_send (f->client, &message, f->now));
  }
  drain (f);
  run_until (f, f->now + 10 * LINK_DELAY_US);
  g_assert_cmpuint (f->host_messages, ==, 1);

  ping = g_ptr_array_index (f->client_log, f->client_log->len - 1);
  len = g_bytes_get_size (ping);
  g_assert_cmpuint (len, <=, sizeof copy);

  /* Replay: dropped and counted, not delivered again. */
  wavry_rift_host_handle_datagram (f->host, &f->client_addr, g_bytes_get_data (ping, NULL), len, f->now);
  drain (f);
  g_assert_cmpuint (stats->drops[WAVRY_RIFT_DROP_REPLAY], ==, 1);
  g_assert_cmpuint (f->host_messages, ==, 1);

  /* Every single-bit flip anywhere in a fresh (not yet delivered) datagram
   * is dropped; then the genuine one still gets through. */
  {
    g_autoptr(WavryRiftDatagram) fresh = NULL;

    g_assert_true (wavry_rift_client_send_ping (f->client, f->now));
    fresh = wavry_rift_client_poll_transmit (f->client);
    g_assert_nonnull (fresh);
    len = fresh->len;
    g_assert_cmpuint (len, <=, sizeof copy);

    for (gsize byte = 0; byte < len; byte++)
      for (guint bit = 0; bit < 8; bit++)
        {
          guint64 before = wavry_rift_stats_total_drops (stats);

          memcpy (copy, fresh->data, len);
          copy[byte] ^= 1 << bit;
          wavry_rift_host_handle_datagram (f->host, &f->client_addr, copy, len, f->now);
          drain (f);
          g_assert_cmpuint (wavry_rift_stats_total_drops (stats), ==, before + 1);
        }
    g_assert_cmpuint (f->host_messages, ==, 1);
    g_assert_cmpuint (stats->drops[WAVRY_RIFT_DROP_BAD_CRC], >, 0);
    g_assert_cmpuint (stats->drops[WAVRY_RIFT_DROP_DECRYPT_FAILED], >, 0);
    g_assert_cmpuint (f->pongs, ==, 0);

    wavry_rift_host_handle_datagram (f->host, &f->client_addr, fresh->data, len, f->now);
    drain (f);
    run_until (f, f->now + 10 * LINK_DELAY_US);
  }
  g_assert_cmpuint (f->pongs, ==, 1);
}

static void
test_lossy_link (Fixture       *f,
                 gconstpointer  data)
{
  /* Loss, duplication and reordering: retries and idempotent answers still
   * complete the handshake, for many seeds. */
  for (guint seed = 1; seed <= 40; seed++)
    {
      fixture_teardown (f, NULL);
      fixture_setup (f, NULL);
      g_rand_set_seed (f->rand, seed);
      f->loss_percent = 20;
      f->dup_percent = 30;
      f->jitter_us = 5000;
      connect_now (f);
      run_until (f, f->now + 5 * G_TIME_SPAN_SECOND);

      if (f->client_error != NULL)
        {
          /* With 20 % loss, losing all 8 attempts is possible but rare. */
          g_assert_error (f->client_error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_TIMED_OUT);
          g_test_message ("seed %u: timed out under loss", seed);
          continue;
        }
      g_assert_true (f->client_connected);
      g_assert_true (f->host_connected);
      g_assert_cmpuint (wavry_rift_host_get_n_sessions (f->host), ==, 1);
    }
}

static void
test_reordered_and_duplicated (Fixture       *f,
                               gconstpointer  data)
{
  /* No loss, heavy reordering and duplication: must always complete. */
  for (guint seed = 1; seed <= 40; seed++)
    {
      fixture_teardown (f, NULL);
      fixture_setup (f, NULL);
      g_rand_set_seed (f->rand, seed);
      f->dup_percent = 50;
      f->jitter_us = 20000;
      connect_now (f);
      g_assert_no_error (f->client_error);
      g_assert_true (f->client_connected);
      g_assert_cmpuint (wavry_rift_host_get_n_sessions (f->host), ==, 1);
    }
}

static void
test_silence_timeout (Fixture       *f,
                      gconstpointer  data)
{
  WavryTime last_rx = 0, silent_since;

  connect_now (f);
  g_assert_true (f->client_connected);

  /* The host knows when it last heard from the session … */
  g_assert_true (wavry_rift_host_get_session_last_rx (f->host, f->host_alias, &last_rx));
  g_assert_cmpint (last_rx, >, 0);
  g_assert_cmpint (last_rx, <=, f->now);
  g_assert_false (wavry_rift_host_get_session_last_rx (f->host, f->host_alias + 1, &last_rx));

  /* … which stays put while nothing arrives (clients that closed say
   * nothing), until the silence ends the session. */
  f->loss_percent = 100;
  run_until (f, f->now + 5 * G_TIME_SPAN_SECOND);
  g_assert_true (wavry_rift_host_get_session_last_rx (f->host, f->host_alias, &silent_since));
  g_assert_cmpint (f->now - silent_since, >=, 4 * G_TIME_SPAN_SECOND);
  run_until (f, f->now + 26 * G_TIME_SPAN_SECOND);
  g_assert_error (f->client_error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_TIMED_OUT);
  g_assert_error (f->host_closed, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_TIMED_OUT);
  g_assert_cmpuint (wavry_rift_host_get_n_sessions (f->host), ==, 0);
}

static void
test_roaming (Fixture       *f,
              gconstpointer  data)
{
  guint32 new_port = 50000;

  connect_now (f);
  g_assert_true (f->client_connected);

  /* The client's address changes; its keys prove it is the same session. */
  wavry_rift_addr_init (&f->client_addr, &new_port, sizeof new_port);
  g_assert_true (wavry_rift_client_send_ping (f->client, f->now));
  drain (f);
  run_until (f, f->now + 10 * LINK_DELAY_US);
  g_assert_cmpuint (f->pongs, ==, 1);
}

static GBytes *
pack_video_chunk (guint64 frame_id)
{
  Rift__Message message = RIFT__MESSAGE__INIT;
  Rift__MediaMessage media = RIFT__MEDIA_MESSAGE__INIT;
  Rift__VideoChunk chunk = RIFT__VIDEO_CHUNK__INIT;
  guint8 payload[100];
  guint8 *buf;
  gsize len;

  memset (payload, (int) frame_id, sizeof payload);
  chunk.frame_id = frame_id;
  chunk.chunk_count = 1;
  chunk.payload.data = payload;
  chunk.payload.len = sizeof payload;
  media.content_case = RIFT__MEDIA_MESSAGE__CONTENT_VIDEO;
  media.video = &chunk;
  message.content_case = RIFT__MESSAGE__CONTENT_MEDIA;
  message.media = &media;
  len = rift__message__get_packed_size (&message);
  buf = g_malloc (len);
  rift__message__pack (&message, buf);
  return g_bytes_new_take (buf, len);
}

/* §6.4 and §6.3 plumbing: send_packed returns consecutive packet ids, the
 * client reports each message's packet id and media plaintext, and a Nack
 * makes the host re-send the lost datagram byte for byte. */
static void
test_send_packed_and_nack (Fixture       *f,
                           gconstpointer  data)
{
  guint64 ids[5];
  guint host_sent_before;
  GBytes *lost_datagram;
  Rift__Message message = RIFT__MESSAGE__INIT;
  Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
  Rift__Nack nack = RIFT__NACK__INIT;
  guint64 nack_ids[2];

  connect_now (f);
  g_assert_true (f->client_connected);

  host_sent_before = f->host_sent->len;
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GBytes) chunk = pack_video_chunk (i);

      if (i == 2)
        {
          drain (f);
          f->drop_host_datagrams = 1;  /* lose the third */
        }
      g_assert_true (wavry_rift_host_send_packed (f->host, f->host_alias,
                                                  g_bytes_get_data (chunk, NULL),
                                                  g_bytes_get_size (chunk), &ids[i], f->now));
      if (i > 0)
        g_assert_cmpuint (ids[i], ==, ids[i - 1] + 1);
      drain (f);
    }
  run_until (f, f->now + 10 * LINK_DELAY_US);
  g_assert_nonnull (f->client_msg_ids);
  g_assert_cmpuint (f->client_msg_ids->len, ==, 4);
  for (guint i = 0, j = 0; i < 5; i++)
    {
      g_autoptr(GBytes) expected = pack_video_chunk (i);

      if (i == 2)
        continue;
      g_assert_cmpuint (g_array_index (f->client_msg_ids, guint64, j), ==, ids[i]);
      g_assert_true (g_bytes_equal (g_ptr_array_index (f->client_plain, j), expected));
      j++;
    }
  lost_datagram = g_ptr_array_index (f->host_sent, host_sent_before + 2);

  /* Nack the lost id and one the host never sent: only the first comes back. */
  nack_ids[0] = ids[2];
  nack_ids[1] = ids[4] + 1000;
  nack.packet_ids = nack_ids;
  nack.n_packet_ids = 2;
  control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_NACK;
  control.nack = &nack;
  message.content_case = RIFT__MESSAGE__CONTENT_CONTROL;
  message.control = &control;
  host_sent_before = f->host_sent->len;
  g_assert_true (wavry_rift_client_send (f->client, &message, f->now));
  drain (f);
  run_until (f, f->now + 10 * LINK_DELAY_US);
  g_assert_cmpuint (f->host_sent->len, ==, host_sent_before + 1);
  g_assert_true (g_bytes_equal (g_ptr_array_index (f->host_sent, host_sent_before), lost_datagram));
  g_assert_cmpuint (wavry_rift_host_get_stats (f->host)->retransmitted, ==, 1);
  g_assert_cmpuint (wavry_rift_host_get_stats (f->host)->nack_ids, ==, 2);
  g_assert_cmpuint (f->client_msg_ids->len, ==, 5);
  g_assert_cmpuint (g_array_index (f->client_msg_ids, guint64, 4), ==, ids[2]);
  /* A Nack is handled inside the host, never surfaced as a message. */
  g_assert_cmpuint (f->host_messages, ==, 0);
}

static void
test_max_clients (Fixture       *f,
                  gconstpointer  data)
{
  fixture_teardown (f, NULL);
  fixture_setup_full (f, NULL, 1);

  connect_now (f);
  g_assert_true (f->client_connected);

  /* A second device from another address: refused with the limit. */
  {
    g_autoptr(WavryIdentity) second = wavry_identity_generate ();
    WavryRiftClientConfig config = { .device_name = "test client" };
    WavryRiftClient *first = f->client;
    WavryIdentity *first_identity = f->client_identity;
    guint32 port = 40001;

    f->client_identity = second;
    f->client = wavry_rift_client_new (second, &config);
    wavry_rift_addr_init (&f->client_addr, &port, sizeof port);
    f->client_connected = FALSE;
    connect_now (f);
    g_assert_error (f->client_error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_REFUSED);
    g_assert_nonnull (strstr (f->client_error->message, "limit"));

    wavry_rift_client_free (f->client);
    f->client = first;
    f->client_identity = first_identity;
  }
}

static void
test_garbage_then_ping (Fixture       *f,
                        gconstpointer  data)
{
  const WavryRiftStats *stats = wavry_rift_host_get_stats (f->host);
  guint8 buf[1500];

  connect_now (f);
  g_assert_true (f->client_connected);

  for (guint i = 0; i < 20000; i++)
    {
      gsize len = g_rand_int_range (f->rand, 0, sizeof buf);

      for (gsize j = 0; j < len; j++)
        buf[j] = g_rand_int (f->rand);
      /* Half of them look like RIFT so they get past the magic check. */
      if (len >= 4 && (i & 1))
        {
          buf[0] = 'R';
          buf[1] = 'I';
          buf[2] = 0;
          buf[3] = 1;
        }
      wavry_rift_host_handle_datagram (f->host, &f->client_addr, buf, len, f->now);
      wavry_rift_client_handle_datagram (f->client, buf, len, f->now);
      drain (f);
    }
  g_assert_cmpuint (wavry_rift_stats_total_drops (stats), >=, 20000);
  g_assert_true (wavry_rift_client_send_ping (f->client, f->now));
  drain (f);
  run_until (f, f->now + 10 * LINK_DELAY_US);
  g_assert_cmpuint (f->pongs, ==, 1);
}

static void
test_duplicate_msg1_gets_cached_msg2 (Fixture       *f,
                                      gconstpointer  data)
{
  GBytes *msg1;

  wavry_rift_client_start (f->client, f->now);
  drain (f);
  msg1 = g_ptr_array_index (f->client_log, 0);

  wavry_rift_host_handle_datagram (f->host, &f->client_addr, g_bytes_get_data (msg1, NULL),
                                   g_bytes_get_size (msg1), f->now);
  wavry_rift_host_handle_datagram (f->host, &f->client_addr, g_bytes_get_data (msg1, NULL),
                                   g_bytes_get_size (msg1), f->now);
  drain (f);
  g_assert_cmpuint (f->host_sent->len, ==, 2);
  g_assert_true (g_bytes_equal (g_ptr_array_index (f->host_sent, 0),
                                g_ptr_array_index (f->host_sent, 1)));
}

static void
test_handshake_flood_is_bounded (Fixture       *f,
                                 gconstpointer  data)
{
  /* Many clients start handshakes and never finish: the host keeps at most
   * its limit, and a real client still gets in. */
  for (guint32 i = 0; i < 600; i++)
    {
      g_autoptr(WavryIdentity) id = wavry_identity_generate ();
      WavryRiftClientConfig config = { .device_name = "flood" };
      WavryRiftClient *c = wavry_rift_client_new (id, &config);
      WavryRiftDatagram *d;
      WavryRiftAddr addr;
      guint32 port = 60000 + i;

      wavry_rift_addr_init (&addr, &port, sizeof port);
      wavry_rift_client_start (c, f->now);
      d = wavry_rift_client_poll_transmit (c);
      wavry_rift_host_handle_datagram (f->host, &addr, d->data, d->len, f->now);
      wavry_rift_datagram_free (d);
      wavry_rift_client_free (c);
      while ((d = wavry_rift_host_poll_transmit (f->host)) != NULL)
        wavry_rift_datagram_free (d);
    }

  connect_now (f);
  g_assert_true (f->client_connected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (wavry_identity_init_crypto (NULL));

#define ADD(path, func) \
  g_test_add ("/wavry/core/session/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("handshake-and-ping", test_handshake_and_ping);
  ADD ("wrong-host-id", test_wrong_host_id);
  ADD ("refused", test_refused);
  ADD ("pending-approval", test_pending_approval);
  ADD ("pending-approval-times-out", test_pending_approval_times_out);
  ADD ("no-host", test_no_host);
  ADD ("version-mismatch", test_version_mismatch);
  ADD ("replay-and-bit-flips", test_replay_and_bit_flips);
  ADD ("lossy-link", test_lossy_link);
  ADD ("reordered-and-duplicated", test_reordered_and_duplicated);
  ADD ("silence-timeout", test_silence_timeout);
  ADD ("roaming", test_roaming);
  ADD ("send-packed-and-nack", test_send_packed_and_nack);
  ADD ("max-clients", test_max_clients);
  ADD ("garbage-then-ping", test_garbage_then_ping);
  ADD ("duplicate-msg1", test_duplicate_msg1_gets_cached_msg2);
  ADD ("handshake-flood", test_handshake_flood_is_bounded);

  return g_test_run ();
}
