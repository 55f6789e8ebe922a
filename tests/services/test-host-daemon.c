/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-connection.h"
#include "wavry-error.h"
#include "wavry-host-daemon.h"
#include "wavry-net-address.h"
#include "wavry-rift-crc.h"
#include "wavry-rift-proto.h"
#include "wavry-test-udp-proxy.h"

/* The host daemon and a client connection over real loopback UDP, with a
 * proxy in between that records, replays, reorders and corrupts. */

typedef struct
{
  WavryIdentity       *host_identity;
  WavryIdentity       *client_identity;
  WavryTrustedClients *trusted;
  WavryHostDaemon     *daemon;
  WavryTestUdpProxy   *proxy;
  WavryConnection     *connection;
  gboolean             done;
  gboolean             ok;
  GError              *error;
  gint64               rtt;
  guint                refused;
  char                *asked_id;
  char                *asked_name;
} Fixture;

static void
on_approval_requested (WavryHostDaemon *daemon,
                       const char      *wavry_id,
                       const char      *name,
                       Fixture         *f)
{
  g_assert_null (f->asked_id);
  f->asked_id = g_strdup (wavry_id);
  f->asked_name = g_strdup (name);
}

static void
on_client_refused (WavryHostDaemon *daemon,
                   const char      *wavry_id,
                   Fixture         *f)
{
  g_assert_cmpstr (wavry_id, ==, wavry_identity_get_id (f->client_identity));
  f->refused++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) listen = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;

  memset (f, 0, sizeof *f);
  f->host_identity = wavry_identity_generate ();
  f->client_identity = wavry_identity_generate ();
  f->trusted = wavry_trusted_clients_new ();
  wavry_trusted_clients_add (f->trusted, wavry_identity_get_id (f->client_identity));

  f->daemon = wavry_host_daemon_new (f->host_identity, f->trusted, "test host");
  g_signal_connect (f->daemon, "client-refused", G_CALLBACK (on_client_refused), f);
  g_assert_true (wavry_host_daemon_start (f->daemon, G_INET_SOCKET_ADDRESS (listen), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_inet_socket_address_get_port (wavry_host_daemon_get_local_address (f->daemon)), >, 0);

  f->proxy = wavry_test_udp_proxy_new (wavry_host_daemon_get_local_address (f->daemon));
  f->connection = wavry_connection_new (f->client_identity, "test client");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  wavry_connection_close (f->connection);
  g_assert_finalize_object (f->connection);
  g_clear_pointer (&f->proxy, wavry_test_udp_proxy_free);
  wavry_host_daemon_stop (f->daemon);
  g_assert_finalize_object (f->daemon);
  g_assert_finalize_object (f->trusted);
  g_clear_object (&f->host_identity);
  g_clear_object (&f->client_identity);
  g_clear_error (&f->error);
  g_free (f->asked_id);
  g_free (f->asked_name);
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fixture *f = user_data;

  f->ok = wavry_connection_connect_finish (WAVRY_CONNECTION (source), result, &f->error);
  f->done = TRUE;
}

static void
connect_via_proxy (Fixture    *f,
                   const char *expected_id)
{
  f->done = FALSE;
  wavry_connection_connect_async (f->connection, wavry_test_udp_proxy_get_address (f->proxy),
                                  expected_id, NULL, connect_cb, f);
  g_assert_true (wavry_test_wait_for (is_done, f, 10000));
}

static void
ping_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  f->rtt = wavry_connection_ping_finish (WAVRY_CONNECTION (source), result, &f->error);
  f->done = TRUE;
}

static gint64
ping (Fixture *f)
{
  f->done = FALSE;
  f->rtt = -1;
  wavry_connection_ping_async (f->connection, 2000, NULL, ping_cb, f);
  g_assert_true (wavry_test_wait_for (is_done, f, 5000));
  return f->rtt;
}

static void
on_state_changed (WavryConnection *connection,
                  int              state,
                  GArray          *states)
{
  g_array_append_val (states, state);
}

static void
test_handshake_and_ping (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (int));

  g_signal_connect (f->connection, "state-changed", G_CALLBACK (on_state_changed), states);
  connect_via_proxy (f, wavry_identity_get_id (f->host_identity));
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  /* the stages a "connecting…" view shows, in order */
  g_assert_cmpuint (states->len, ==, 3);
  g_assert_cmpint (g_array_index (states, int, 0), ==, WAVRY_RIFT_CLIENT_STATE_AWAIT_MSG2);
  g_assert_cmpint (g_array_index (states, int, 1), ==, WAVRY_RIFT_CLIENT_STATE_AWAIT_HELLO_ACK);
  g_assert_cmpint (g_array_index (states, int, 2), ==, WAVRY_RIFT_CLIENT_STATE_ESTABLISHED);
  g_assert_cmpstr (wavry_connection_get_host_id (f->connection), ==,
                   wavry_identity_get_id (f->host_identity));
  g_assert_cmpuint (wavry_host_daemon_get_n_sessions (f->daemon), ==, 1);
  g_assert_cmpint (wavry_connection_get_handshake_us (f->connection), >, 0);

  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpint (ping (f), >, 0);
      g_assert_no_error (f->error);
    }
  g_test_message ("handshake %.3f ms, last ping %.3f ms",
                  wavry_connection_get_handshake_us (f->connection) / 1000.0, f->rtt / 1000.0);
}

static void
test_wrong_expected_id (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WavryIdentity) impostor = wavry_identity_generate ();

  connect_via_proxy (f, wavry_identity_get_id (impostor));
  g_assert_false (f->ok);
  g_assert_error (f->error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_IDENTITY_MISMATCH);
  g_assert_nonnull (strstr (f->error->message, wavry_identity_get_id (f->host_identity)));
  /* The client stopped after msg2: the host never saw msg3. */
  g_assert_cmpuint (wavry_host_daemon_get_n_sessions (f->daemon), ==, 0);
  g_assert_cmpuint (f->refused, ==, 0);
}

static void
test_untrusted_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WavryIdentity) stranger = wavry_identity_generate ();

  g_clear_object (&f->connection);
  f->connection = wavry_connection_new (stranger, "stranger");
  g_clear_object (&f->client_identity);
  f->client_identity = g_object_ref (stranger);

  connect_via_proxy (f, NULL);
  g_assert_false (f->ok);
  g_assert_error (f->error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_REFUSED);
  /* The reason names the refused ID so its owner can pass it on. */
  g_assert_nonnull (strstr (f->error->message, wavry_identity_get_id (stranger)));
  g_assert_cmpuint (f->refused, ==, 1);
  g_assert_cmpuint (wavry_host_daemon_get_n_sessions (f->daemon), ==, 0);
}

static gboolean
is_pending (gpointer data)
{
  return wavry_connection_get_state (((Fixture *) data)->connection) ==
         WAVRY_RIFT_CLIENT_STATE_PENDING_APPROVAL;
}

static gboolean
is_asked (gpointer data)
{
  return ((Fixture *) data)->asked_id != NULL;
}

/* The GNOME app's approval prompt: an untrusted client waits (pending
 * approval) until the owner answers; Allow lets it in, Deny refuses it with
 * a reason. */
static void
test_approval (Fixture       *f,
               gconstpointer  data)
{
  gboolean allow = GPOINTER_TO_INT (data);
  g_autoptr(WavryIdentity) stranger = wavry_identity_generate ();

  wavry_host_daemon_set_ask_untrusted (f->daemon, TRUE);
  g_signal_connect (f->daemon, "approval-requested", G_CALLBACK (on_approval_requested), f);
  g_clear_object (&f->connection);
  f->connection = wavry_connection_new (stranger, "stranger's laptop");
  g_clear_object (&f->client_identity);
  f->client_identity = g_object_ref (stranger);

  f->done = FALSE;
  wavry_connection_connect_async (f->connection, wavry_test_udp_proxy_get_address (f->proxy),
                                  wavry_identity_get_id (f->host_identity), NULL, connect_cb, f);
  g_assert_true (wavry_test_wait_for (is_asked, f, 5000));
  g_assert_cmpstr (f->asked_id, ==, wavry_identity_get_id (stranger));
  g_assert_cmpstr (f->asked_name, ==, "stranger's laptop");
  g_assert_true (wavry_test_wait_for (is_pending, f, 5000));
  g_assert_false (f->done);   /* waiting for the owner */

  wavry_host_daemon_resolve_approval (f->daemon, f->asked_id, allow);
  g_assert_true (wavry_test_wait_for (is_done, f, 5000));
  if (allow)
    {
      g_assert_no_error (f->error);
      g_assert_true (f->ok);
      g_assert_cmpuint (wavry_host_daemon_get_n_sessions (f->daemon), ==, 1);
      g_assert_cmpint (ping (f), >, 0);
    }
  else
    {
      g_assert_false (f->ok);
      g_assert_error (f->error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_REFUSED);
      g_assert_cmpuint (f->refused, ==, 1);
      g_assert_cmpuint (wavry_host_daemon_get_n_sessions (f->daemon), ==, 0);
    }
}

static void
test_replay_and_bit_flips (Fixture       *f,
                           gconstpointer  data)
{
  const WavryRiftStats *stats = wavry_host_daemon_get_stats (f->daemon);
  GPtrArray *seen = wavry_test_udp_proxy_get_client_datagrams (f->proxy);
  g_autoptr(GBytes) last = NULL;
  guint8 copy[2048];
  gsize len;
  guint64 before;

  connect_via_proxy (f, wavry_identity_get_id (f->host_identity));
  g_assert_true (f->ok);
  g_assert_cmpint (ping (f), >, 0);

  /* Replay the last client datagram (a Ping): dropped as a replay. */
  last = g_bytes_ref (g_ptr_array_index (seen, seen->len - 1));
  len = g_bytes_get_size (last);
  before = stats->drops[WAVRY_RIFT_DROP_REPLAY];
  wavry_test_udp_proxy_inject (f->proxy, g_bytes_get_data (last, NULL), len);
  g_usleep (20000);
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (stats->drops[WAVRY_RIFT_DROP_REPLAY], ==, before + 1);

  /* A flipped bit in the header, then a forged header: both dropped. */
  g_assert_cmpuint (len, <=, sizeof copy);
  memcpy (copy, g_bytes_get_data (last, NULL), len);
  copy[9] ^= 0x01;  /* packet id: CRC catches it */
  before = stats->drops[WAVRY_RIFT_DROP_BAD_CRC];
  wavry_test_udp_proxy_inject (f->proxy, copy, len);

  memcpy (copy, g_bytes_get_data (last, NULL), len);
  /* The CRC is no protection against an attacker: give the copy a new
   * packet id and a matching CRC, so the replay window lets it through and
   * only the AEAD (header as associated data) can reject it. */
  copy[15] ^= 0x40;
  {
    guint16 crc = wavry_rift_crc16_kermit (copy, 16);

    copy[16] = crc >> 8;
    copy[17] = crc & 0xff;
  }
  wavry_test_udp_proxy_inject (f->proxy, copy, len);
  g_usleep (20000);
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (stats->drops[WAVRY_RIFT_DROP_BAD_CRC], ==, before + 1);
  g_assert_cmpuint (stats->drops[WAVRY_RIFT_DROP_DECRYPT_FAILED], ==, 1);

  /* The session is unharmed. */
  g_assert_cmpint (ping (f), >, 0);
}

static void
test_reordered_and_duplicated (Fixture       *f,
                               gconstpointer  data)
{
  /* Every datagram sent twice and each pair swapped: msg3 and Hello arrive
   * reversed, msg1/msg2 duplicated. Retries and cached answers still
   * complete the handshake. */
  wavry_test_udp_proxy_set_mode (f->proxy, WAVRY_TEST_PROXY_DUPLICATE | WAVRY_TEST_PROXY_SWAP);
  connect_via_proxy (f, wavry_identity_get_id (f->host_identity));
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpuint (wavry_host_daemon_get_n_sessions (f->daemon), ==, 1);

  wavry_test_udp_proxy_set_mode (f->proxy, WAVRY_TEST_PROXY_DUPLICATE);
  g_assert_cmpint (ping (f), >, 0);
}

static gint64
ping_with_timeout (Fixture *f,
                   guint    timeout_ms)
{
  f->done = FALSE;
  f->rtt = -1;
  g_clear_error (&f->error);
  wavry_connection_ping_async (f->connection, timeout_ms, NULL, ping_cb, f);
  g_assert_true (wavry_test_wait_for (is_done, f, timeout_ms + 5000));
  return f->rtt;
}

static void
test_lossy_delayed_link (Fixture       *f,
                         gconstpointer  data)
{
  guint answered = 0;
  const guint n = 40;

  /* 20 % loss in bursts of 3 and 2–5 ms of delay each way (so datagrams
   * overtake each other): the handshake still completes, the RTT shows the
   * delay, and the session survives the lost pings. */
  wavry_test_udp_proxy_set_impairment (f->proxy, 20, 3, 2000, 3000, 42);
  connect_via_proxy (f, wavry_identity_get_id (f->host_identity));
  g_assert_no_error (f->error);
  g_assert_true (f->ok);

  for (guint i = 0; i < n; i++)
    {
      gint64 rtt = ping_with_timeout (f, 150);

      if (rtt >= 0)
        {
          answered++;
          g_assert_cmpint (rtt, >=, 4000);   /* two one-way delays */
        }
      else
        g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    }
  g_test_message ("%u of %u pings answered; proxy dropped %" G_GUINT64_FORMAT, answered, n,
                  wavry_test_udp_proxy_get_dropped (f->proxy));
  g_assert_cmpuint (wavry_test_udp_proxy_get_dropped (f->proxy), >, 0);
  g_assert_cmpuint (answered, >=, n / 4);
  g_assert_cmpuint (answered, <, n);
  g_assert_cmpint (wavry_connection_get_state (f->connection), ==, WAVRY_RIFT_CLIENT_STATE_ESTABLISHED);
}

static void
test_survives_garbage (Fixture       *f,
                       gconstpointer  data)
{
  const WavryRiftStats *stats = wavry_host_daemon_get_stats (f->daemon);
  GPtrArray *seen = wavry_test_udp_proxy_get_client_datagrams (f->proxy);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint8 buf[1500];
  guint64 rx_before;
  const guint total = 100000;

  connect_via_proxy (f, wavry_identity_get_id (f->host_identity));
  g_assert_true (f->ok);
  g_assert_cmpint (ping (f), >, 0);
  for (guint i = 0; i < seen->len; i++)
    g_ptr_array_add (samples, g_bytes_ref (g_ptr_array_index (seen, i)));
  rx_before = stats->rx_datagrams;

  /* 100,000 datagrams: half random bytes, half mutations of real ones
   * (msg1, msg3, Hello, Ping), sent from the client's own address. */
  for (guint i = 0; i < total; i++)
    {
      gsize len;

      if (i & 1)
        {
          GBytes *sample = g_ptr_array_index (samples, g_rand_int_range (rand, 0, samples->len));
          guint flips = g_rand_int_range (rand, 1, 4);

          len = MIN (g_bytes_get_size (sample), sizeof buf);
          memcpy (buf, g_bytes_get_data (sample, NULL), len);
          for (guint k = 0; k < flips; k++)
            buf[g_rand_int_range (rand, 0, len)] ^= 1 << g_rand_int_range (rand, 0, 8);
          if (g_rand_int_range (rand, 0, 8) == 0)
            len = g_rand_int_range (rand, 0, len + 1);
        }
      else
        {
          len = g_rand_int_range (rand, 0, sizeof buf);
          for (gsize k = 0; k < len; k++)
            buf[k] = g_rand_int (rand);
        }
      wavry_test_udp_proxy_inject (f->proxy, buf, len);

      /* Let the host read as we go, so the socket buffer never overflows
       * and every datagram is really parsed. */
      if (i % 64 == 63)
        while (g_main_context_iteration (NULL, FALSE));
    }
  g_usleep (50000);
  while (g_main_context_iteration (NULL, FALSE));

  g_test_message ("host received %" G_GUINT64_FORMAT " of %u hostile datagrams, dropped %"
                  G_GUINT64_FORMAT, stats->rx_datagrams - rx_before, total,
                  wavry_rift_stats_total_drops (stats));
  g_assert_cmpuint (stats->rx_datagrams - rx_before, >=, total * 99 / 100);
  /* Nearly all are dropped and counted; the rest are mutated msg1s whose
   * ephemeral key is still a valid curve point, which rightly start (and
   * then abandon) handshakes. None of them creates a session. */
  g_assert_cmpuint (wavry_rift_stats_total_drops (stats), >=, (stats->rx_datagrams - rx_before) * 9 / 10);
  g_assert_cmpuint (wavry_host_daemon_get_n_sessions (f->daemon), ==, 1);

  /* Still answers ping on the same session. */
  g_assert_cmpint (ping (f), >, 0);
  g_assert_no_error (f->error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (wavry_identity_init_crypto (NULL));

#define ADD(path, func) \
  g_test_add ("/wavry/services/host-daemon/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("handshake-and-ping", test_handshake_and_ping);
  g_test_add ("/wavry/services/host-daemon/approval-allow", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_approval, fixture_teardown);
  g_test_add ("/wavry/services/host-daemon/approval-deny", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_approval, fixture_teardown);
  ADD ("wrong-expected-id", test_wrong_expected_id);
  ADD ("untrusted-refused", test_untrusted_refused);
  ADD ("replay-and-bit-flips", test_replay_and_bit_flips);
  ADD ("reordered-and-duplicated", test_reordered_and_duplicated);
  ADD ("lossy-delayed-link", test_lossy_delayed_link);
  ADD ("survives-garbage", test_survives_garbage);

  return g_test_run ();
}
