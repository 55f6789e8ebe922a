/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "wavry-error.h"
#include "wavry-rift-frame.h"
#include "wavry-rift-noise.h"
#include "wavry-rift-packet.h"
#include "wavry-rift-replay-window.h"
#include "wavry-test-util.h"

#define MSG_CAP 1024

/* ---- Conformance vectors (shared/testdata/noise) ------------------------ */

typedef struct
{
  WavryNoiseHash hash;
  guint          positions[4];
  guint          n_positions;
} ProtocolInfo;

/* "Noise_XXpsk0+psk2_25519_ChaChaPoly_BLAKE2s" → hash and psk positions.
 * Returns a reason when the name asks for something we do not implement. */
static char *
parse_protocol_name (const char   *name,
                     ProtocolInfo *info)
{
  g_auto(GStrv) parts = g_strsplit (name, "_", -1);
  g_auto(GStrv) modifiers = NULL;
  const char *mods;

  memset (info, 0, sizeof *info);

  if (g_strv_length (parts) != 5 || !g_str_equal (parts[0], "Noise"))
    return g_strdup_printf ("not a Noise protocol name: %s", name);
  if (!g_str_has_prefix (parts[1], "XX"))
    return g_strdup_printf ("pattern %s (only XX)", parts[1]);
  if (!g_str_equal (parts[2], "25519"))
    return g_strdup_printf ("DH %s (only 25519)", parts[2]);
  if (!g_str_equal (parts[3], "ChaChaPoly"))
    return g_strdup_printf ("cipher %s (only ChaChaPoly)", parts[3]);

  if (g_str_equal (parts[4], "BLAKE2s"))
    info->hash = WAVRY_NOISE_HASH_BLAKE2S;
  else if (g_str_equal (parts[4], "SHA256"))
    info->hash = WAVRY_NOISE_HASH_SHA256;
  else if (g_str_equal (parts[4], "BLAKE2b"))
    info->hash = WAVRY_NOISE_HASH_BLAKE2B;
  else
    return g_strdup_printf ("hash %s", parts[4]);

  mods = parts[1] + 2;
  if (*mods == '\0')
    return NULL;

  modifiers = g_strsplit (mods, "+", -1);
  for (guint i = 0; modifiers[i] != NULL; i++)
    {
      const char *m = modifiers[i];

      if (i >= G_N_ELEMENTS (info->positions) ||
          !g_str_has_prefix (m, "psk") || strlen (m) != 4 ||
          m[3] < '0' || m[3] > '3')
        return g_strdup_printf ("modifier %s", m);
      info->positions[info->n_positions++] = m[3] - '0';
    }

  return NULL;
}

static GBytes *
member_bytes (JsonObject *obj,
              const char *member)
{
  if (!json_object_has_member (obj, member))
    return g_bytes_new (NULL, 0);
  return wavry_test_hex_decode (json_object_get_string_member (obj, member));
}

/* The psks of one side: "init_psks" (cacophony, snow: a list) or
 * "init_psk" (noise-c: one string). Returns n keys, 32 bytes each. */
static guint
member_psks (JsonObject *obj,
             const char *side,
             guint8      psks[4][WAVRY_NOISE_KEY_LEN])
{
  g_autofree char *list_name = g_strdup_printf ("%s_psks", side);
  g_autofree char *single_name = g_strdup_printf ("%s_psk", side);
  JsonNode *node = NULL;
  guint n = 0;

  if (json_object_has_member (obj, list_name))
    node = json_object_get_member (obj, list_name);
  else if (json_object_has_member (obj, single_name))
    node = json_object_get_member (obj, single_name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return 0;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(GBytes) psk = wavry_test_hex_decode (json_array_get_string_element (array, i));

          g_assert_cmpuint (n, <, 4);
          g_assert_cmpuint (g_bytes_get_size (psk), ==, WAVRY_NOISE_KEY_LEN);
          memcpy (psks[n++], g_bytes_get_data (psk, NULL), WAVRY_NOISE_KEY_LEN);
        }
    }
  else
    {
      g_autoptr(GBytes) psk = wavry_test_hex_decode (json_node_get_string (node));

      g_assert_cmpuint (g_bytes_get_size (psk), ==, WAVRY_NOISE_KEY_LEN);
      memcpy (psks[n++], g_bytes_get_data (psk, NULL), WAVRY_NOISE_KEY_LEN);
    }

  return n;
}

static WavryNoiseHandshake *
vector_side (JsonObject         *v,
             const ProtocolInfo *info,
             gboolean            initiator)
{
  const char *side = initiator ? "init" : "resp";
  g_autofree char *prologue_name = g_strdup_printf ("%s_prologue", side);
  g_autofree char *static_name = g_strdup_printf ("%s_static", side);
  g_autofree char *ephemeral_name = g_strdup_printf ("%s_ephemeral", side);
  g_autoptr(GBytes) prologue = member_bytes (v, prologue_name);
  g_autoptr(GBytes) s = member_bytes (v, static_name);
  g_autoptr(GBytes) e = member_bytes (v, ephemeral_name);
  guint8 psks[4][WAVRY_NOISE_KEY_LEN];
  guint n_psks;
  WavryNoiseHandshake *hs;
  gsize prologue_len;
  const guint8 *prologue_data = g_bytes_get_data (prologue, &prologue_len);

  g_assert_cmpuint (g_bytes_get_size (s), ==, WAVRY_NOISE_KEY_LEN);
  g_assert_cmpuint (g_bytes_get_size (e), ==, WAVRY_NOISE_KEY_LEN);

  hs = wavry_noise_handshake_new (info->hash, initiator, prologue_data, prologue_len,
                                  g_bytes_get_data (s, NULL));
  g_assert_nonnull (hs);
  wavry_noise_handshake_set_ephemeral (hs, g_bytes_get_data (e, NULL));

  n_psks = member_psks (v, side, psks);
  g_assert_cmpuint (n_psks, ==, info->n_positions);
  if (n_psks > 0)
    g_assert_true (wavry_noise_handshake_set_psks (hs, info->positions,
                                                   (const guint8 (*)[WAVRY_NOISE_KEY_LEN]) psks,
                                                   n_psks));
  sodium_memzero (psks, sizeof psks);

  return hs;
}

static void
assert_public_of (const guint8 *public_key,
                  GBytes       *secret)
{
  guint8 expected[WAVRY_NOISE_KEY_LEN];

  g_assert_nonnull (public_key);
  g_assert_cmpint (crypto_scalarmult_base (expected, g_bytes_get_data (secret, NULL)), ==, 0);
  g_assert_cmpmem (public_key, WAVRY_NOISE_KEY_LEN, expected, sizeof expected);
}

static void
run_vector (JsonObject         *v,
            const ProtocolInfo *info)
{
  g_autoptr(WavryNoiseHandshake) init = vector_side (v, info, TRUE);
  g_autoptr(WavryNoiseHandshake) resp = vector_side (v, info, FALSE);
  g_autoptr(GBytes) init_static = member_bytes (v, "init_static");
  g_autoptr(GBytes) resp_static = member_bytes (v, "resp_static");
  JsonArray *messages = json_object_get_array_member (v, "messages");
  guint n_messages = json_array_get_length (messages);
  WavryNoiseCipher init_send, init_recv, resp_send, resp_recv;
  guint8 h_init[WAVRY_NOISE_MAX_HASH_LEN];
  guint8 h_resp[WAVRY_NOISE_MAX_HASH_LEN];
  guint64 nonces[2] = { 0, 0 };
  gsize h_len;

  g_assert_cmpuint (n_messages, >=, 3);

  /* Messages 0-2: the handshake. The writer must produce the vector's bytes
   * exactly; the reader must recover the payload. */
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *m = json_array_get_object_element (messages, i);
      g_autoptr(GBytes) payload = member_bytes (m, "payload");
      g_autoptr(GBytes) ciphertext = member_bytes (m, "ciphertext");
      WavryNoiseHandshake *writer = i % 2 == 0 ? init : resp;
      WavryNoiseHandshake *reader = i % 2 == 0 ? resp : init;
      g_autofree guint8 *out = g_malloc (WAVRY_NOISE_MAX_MESSAGE);
      g_autofree guint8 *plain = g_malloc (WAVRY_NOISE_MAX_MESSAGE);
      g_autoptr(GError) error = NULL;
      gsize out_len = 0;
      gsize plain_len = 0;

      g_assert_true (wavry_noise_handshake_is_my_turn (writer));
      g_assert_false (wavry_noise_handshake_is_my_turn (reader));

      g_assert_true (wavry_noise_handshake_write_message (writer,
                                                          g_bytes_get_data (payload, NULL),
                                                          g_bytes_get_size (payload),
                                                          out, WAVRY_NOISE_MAX_MESSAGE,
                                                          &out_len, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (out, out_len,
                       g_bytes_get_data (ciphertext, NULL), g_bytes_get_size (ciphertext));

      g_assert_true (wavry_noise_handshake_read_message (reader,
                                                         g_bytes_get_data (ciphertext, NULL),
                                                         g_bytes_get_size (ciphertext),
                                                         plain, WAVRY_NOISE_MAX_MESSAGE,
                                                         &plain_len, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (plain, plain_len,
                       g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
    }

  g_assert_true (wavry_noise_handshake_is_complete (init));
  g_assert_true (wavry_noise_handshake_is_complete (resp));
  assert_public_of (wavry_noise_handshake_get_remote_static (init), resp_static);
  assert_public_of (wavry_noise_handshake_get_remote_static (resp), init_static);

  h_len = wavry_noise_handshake_get_hash (init, h_init);
  g_assert_cmpuint (h_len, ==, info->hash == WAVRY_NOISE_HASH_BLAKE2B ? 64 : 32);
  g_assert_cmpuint (wavry_noise_handshake_get_hash (resp, h_resp), ==, h_len);
  g_assert_cmpmem (h_init, h_len, h_resp, h_len);
  if (json_object_has_member (v, "handshake_hash"))
    {
      g_autoptr(GBytes) expected = member_bytes (v, "handshake_hash");

      g_assert_cmpmem (h_init, h_len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
    }

  /* Messages 3..: transport under Split(); c1 initiator → responder, c2 the
   * other way, each direction's nonce counting from 0, empty AD. */
  g_assert_true (wavry_noise_handshake_split (init, &init_send, &init_recv));
  g_assert_true (wavry_noise_handshake_split (resp, &resp_send, &resp_recv));
  g_assert_cmpmem (init_send.key, WAVRY_NOISE_KEY_LEN, resp_recv.key, WAVRY_NOISE_KEY_LEN);
  g_assert_cmpmem (init_recv.key, WAVRY_NOISE_KEY_LEN, resp_send.key, WAVRY_NOISE_KEY_LEN);

  for (guint i = 3; i < n_messages; i++)
    {
      JsonObject *m = json_array_get_object_element (messages, i);
      g_autoptr(GBytes) payload = member_bytes (m, "payload");
      g_autoptr(GBytes) ciphertext = member_bytes (m, "ciphertext");
      gboolean from_init = i % 2 == 0;
      const WavryNoiseCipher *send = from_init ? &init_send : &resp_send;
      const WavryNoiseCipher *recv = from_init ? &resp_recv : &init_recv;
      guint64 nonce = nonces[from_init ? 0 : 1]++;
      gsize plen = g_bytes_get_size (payload);
      g_autofree guint8 *out = g_malloc (plen + WAVRY_NOISE_TAG_LEN);
      g_autofree guint8 *plain = g_malloc (plen + 1);

      g_assert_true (wavry_noise_cipher_encrypt (send, nonce, NULL, 0,
                                                 g_bytes_get_data (payload, NULL), plen, out));
      g_assert_cmpmem (out, plen + WAVRY_NOISE_TAG_LEN,
                       g_bytes_get_data (ciphertext, NULL), g_bytes_get_size (ciphertext));
      g_assert_true (wavry_noise_cipher_decrypt (recv, nonce, NULL, 0,
                                                 g_bytes_get_data (ciphertext, NULL),
                                                 g_bytes_get_size (ciphertext), plain));
      g_assert_cmpmem (plain, plen, g_bytes_get_data (payload, NULL), plen);
    }

  wavry_noise_cipher_clear (&init_send);
  wavry_noise_cipher_clear (&init_recv);
  wavry_noise_cipher_clear (&resp_send);
  wavry_noise_cipher_clear (&resp_recv);
}

static void
test_vectors (gconstpointer data)
{
  const char *file = data;
  g_autofree char *path = g_strdup_printf ("testdata/noise/%s", file);
  g_autoptr(JsonNode) root = wavry_test_load_shared_json (path);
  JsonArray *vectors;
  guint n_passed = 0;
  guint n_unsupported = 0;
  guint per_hash[3] = { 0, 0, 0 };
  guint n_psk = 0;

  if (root == NULL)
    return;

  vectors = json_object_get_array_member (json_node_get_object (root), "vectors");
  g_assert_cmpuint (json_array_get_length (vectors), >, 0);

  for (guint i = 0; i < json_array_get_length (vectors); i++)
    {
      JsonObject *v = json_array_get_object_element (vectors, i);
      const char *name = json_object_get_string_member (v, "protocol_name");
      g_autofree char *unsupported = NULL;
      ProtocolInfo info;

      unsupported = parse_protocol_name (name, &info);
      if (unsupported != NULL)
        {
          /* Every vector in these files must run: a skip is a failure. */
          g_test_fail_printf ("%s vector %u (%s) is not supported: %s", file, i, name, unsupported);
          n_unsupported++;
          continue;
        }

      g_test_message ("%s vector %u: %s", file, i, name);
      run_vector (v, &info);
      n_passed++;
      per_hash[info.hash]++;
      if (info.n_positions > 0)
        n_psk++;
    }

  g_test_message ("%s: %u of %u vectors passed (BLAKE2s %u, SHA256 %u, BLAKE2b %u; "
                  "%u with psk modifiers), %u unsupported",
                  file, n_passed, json_array_get_length (vectors),
                  per_hash[WAVRY_NOISE_HASH_BLAKE2S], per_hash[WAVRY_NOISE_HASH_SHA256],
                  per_hash[WAVRY_NOISE_HASH_BLAKE2B], n_psk, n_unsupported);
  g_assert_cmpuint (n_unsupported, ==, 0);
  g_assert_cmpuint (n_passed, ==, json_array_get_length (vectors));
}

/* ---- RIFT: two in-memory peers (RIFT §3.1) ------------------------------ */

typedef struct
{
  guint8               client_secret[WAVRY_NOISE_KEY_LEN];
  guint8               host_secret[WAVRY_NOISE_KEY_LEN];
  WavryNoiseHandshake *client;
  WavryNoiseHandshake *host;
} Peers;

static const guint8 host_info[] = "host: device_name=studio platform=linux";
static const guint8 client_info[] = "client: device_name=laptop platform=linux";

static void
peers_init_with_prologue (Peers        *p,
                          const guint8 *host_prologue,
                          gsize         host_prologue_len)
{
  randombytes_buf (p->client_secret, sizeof p->client_secret);
  randombytes_buf (p->host_secret, sizeof p->host_secret);
  p->client = wavry_noise_handshake_new (WAVRY_NOISE_HASH_BLAKE2S, TRUE,
                                         WAVRY_RIFT_NOISE_PROLOGUE, WAVRY_RIFT_NOISE_PROLOGUE_LEN,
                                         p->client_secret);
  p->host = wavry_noise_handshake_new (WAVRY_NOISE_HASH_BLAKE2S, FALSE,
                                       host_prologue, host_prologue_len, p->host_secret);
  g_assert_nonnull (p->client);
  g_assert_nonnull (p->host);
}

static void
peers_init (Peers *p)
{
  peers_init_with_prologue (p, WAVRY_RIFT_NOISE_PROLOGUE, WAVRY_RIFT_NOISE_PROLOGUE_LEN);
}

static void
peers_clear (Peers *p)
{
  g_clear_pointer (&p->client, wavry_noise_handshake_free);
  g_clear_pointer (&p->host, wavry_noise_handshake_free);
  sodium_memzero (p, sizeof *p);
}

static gsize
write_ok (WavryNoiseHandshake *hs,
          const guint8        *payload,
          gsize                payload_len,
          guint8              *out)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_true (wavry_noise_handshake_write_message (hs, payload, payload_len,
                                                      out, MSG_CAP, &len, &error));
  g_assert_no_error (error);
  return len;
}

static void
read_ok (WavryNoiseHandshake *hs,
         const guint8        *message,
         gsize                len,
         const guint8        *expected_payload,
         gsize                expected_len)
{
  g_autoptr(GError) error = NULL;
  guint8 payload[MSG_CAP];
  gsize payload_len = G_MAXSIZE;

  g_assert_true (wavry_noise_handshake_read_message (hs, message, len, payload, sizeof payload,
                                                     &payload_len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (payload, payload_len, expected_payload, expected_len);
}

/* What a failed call must leave untouched, as far as the API shows it. */
typedef struct
{
  guint8   h[WAVRY_NOISE_MAX_HASH_LEN];
  gsize    h_len;
  gboolean my_turn;
  gboolean complete;
  gboolean has_rs;
} Snapshot;

static void
snapshot_take (WavryNoiseHandshake *hs,
               Snapshot            *snap)
{
  memset (snap, 0, sizeof *snap);
  snap->h_len = wavry_noise_handshake_get_hash (hs, snap->h);
  snap->my_turn = wavry_noise_handshake_is_my_turn (hs);
  snap->complete = wavry_noise_handshake_is_complete (hs);
  snap->has_rs = wavry_noise_handshake_get_remote_static (hs) != NULL;
}

static void
snapshot_assert_same (WavryNoiseHandshake *hs,
                      const Snapshot      *before)
{
  Snapshot now;

  snapshot_take (hs, &now);
  g_assert_cmpmem (now.h, now.h_len, before->h, before->h_len);
  g_assert_cmpint (now.my_turn, ==, before->my_turn);
  g_assert_cmpint (now.complete, ==, before->complete);
  g_assert_cmpint (now.has_rs, ==, before->has_rs);
}

/* A read that must fail with a WAVRY_RIFT_ERROR and change nothing. */
static void
read_fails (WavryNoiseHandshake *hs,
            const guint8        *message,
            gsize                len)
{
  g_autoptr(GError) error = NULL;
  guint8 payload[MSG_CAP];
  gsize payload_len = 12345;
  Snapshot before;

  snapshot_take (hs, &before);
  g_assert_false (wavry_noise_handshake_read_message (hs, message, len, payload, sizeof payload,
                                                      &payload_len, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == WAVRY_RIFT_ERROR);
  g_assert_true (error->code == WAVRY_RIFT_ERROR_MALFORMED ||
                 error->code == WAVRY_RIFT_ERROR_DECRYPT ||
                 error->code == WAVRY_RIFT_ERROR_HANDSHAKE);
  g_assert_cmpuint (payload_len, ==, 12345);
  snapshot_assert_same (hs, &before);
}

static void
assert_public_of_secret (const guint8 *public_key,
                         const guint8 *secret)
{
  guint8 expected[WAVRY_NOISE_KEY_LEN];

  g_assert_nonnull (public_key);
  g_assert_cmpint (crypto_scalarmult_base (expected, secret), ==, 0);
  g_assert_cmpmem (public_key, WAVRY_NOISE_KEY_LEN, expected, sizeof expected);
}

/* Both ways through the real packet path (RIFT §3.2): 18-byte header as AD,
 * the packet id as the nonce, a replay window on the receiver. */
static void
assert_packets_flow (const WavryNoiseCipher *send,
                     const WavryNoiseCipher *recv,
                     guint32                 alias)
{
  static const guint64 ids[] = { 0, 1, 2, 5, 4, 3, 1000, 999, 1001 };
  WavryRiftReplayWindow window;
  guint8 datagram[256];
  guint8 plain[256];

  wavry_rift_replay_window_init (&window);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *text = g_strdup_printf ("packet %" G_GUINT64_FORMAT, ids[i]);
      gsize text_len = strlen (text);
      WavryRiftHeader header;
      gsize len;
      gsize plain_len = 0;

      len = wavry_rift_packet_seal (send, alias, ids[i], (const guint8 *) text, text_len,
                                    datagram, sizeof datagram);
      g_assert_cmpuint (len, ==, text_len + WAVRY_RIFT_PACKET_OVERHEAD);
      g_assert_cmpint (wavry_rift_header_decode (datagram, len, &header), ==, WAVRY_RIFT_DROP_NONE);
      g_assert_cmpuint (header.packet_id, ==, ids[i]);
      g_assert_cmpint (wavry_rift_packet_open (recv, &window, &header, datagram, len,
                                               plain, &plain_len), ==, WAVRY_RIFT_DROP_NONE);
      g_assert_cmpmem (plain, plain_len, text, text_len);

      /* The same datagram again is a replay. */
      g_assert_cmpint (wavry_rift_packet_open (recv, &window, &header, datagram, len,
                                               plain, &plain_len), ==, WAVRY_RIFT_DROP_REPLAY);
    }
}

static void
test_rift_handshake (void)
{
  Peers p;
  guint8 msg[3][MSG_CAP];
  gsize len[3];
  guint8 h_client[WAVRY_NOISE_MAX_HASH_LEN];
  guint8 h_host[WAVRY_NOISE_MAX_HASH_LEN];
  WavryNoiseCipher client_send, client_recv, host_send, host_recv;
  guint8 header[WAVRY_RIFT_TRANSPORT_HEADER_LEN];
  guint8 buf[64 + WAVRY_NOISE_TAG_LEN];
  guint8 scratch[64];
  static const guint8 text[] = "ping";

  peers_init (&p);

  g_assert_true (wavry_noise_handshake_is_my_turn (p.client));
  g_assert_false (wavry_noise_handshake_is_my_turn (p.host));

  /* RIFT §3.1: msg1 has an empty payload; msg2 and msg3 carry HandshakeInfo. */
  len[0] = write_ok (p.client, NULL, 0, msg[0]);
  g_assert_cmpuint (len[0], ==, 32);
  g_assert_cmpmem (msg[0], 32, wavry_noise_handshake_get_local_ephemeral_public (p.client), 32);
  read_ok (p.host, msg[0], len[0], NULL, 0);
  g_assert_null (wavry_noise_handshake_get_remote_static (p.host));

  len[1] = write_ok (p.host, host_info, sizeof host_info, msg[1]);
  g_assert_cmpuint (len[1], ==, 32 + 48 + sizeof host_info + 16);
  read_ok (p.client, msg[1], len[1], host_info, sizeof host_info);
  /* The client knows the host's identity after msg2, before it reveals its own. */
  assert_public_of_secret (wavry_noise_handshake_get_remote_static (p.client), p.host_secret);
  g_assert_null (wavry_noise_handshake_get_remote_static (p.host));

  len[2] = write_ok (p.client, client_info, sizeof client_info, msg[2]);
  g_assert_cmpuint (len[2], ==, 48 + sizeof client_info + 16);
  read_ok (p.host, msg[2], len[2], client_info, sizeof client_info);
  assert_public_of_secret (wavry_noise_handshake_get_remote_static (p.host), p.client_secret);

  g_assert_true (wavry_noise_handshake_is_complete (p.client));
  g_assert_true (wavry_noise_handshake_is_complete (p.host));
  g_assert_false (wavry_noise_handshake_is_my_turn (p.client));
  g_assert_false (wavry_noise_handshake_is_my_turn (p.host));

  g_assert_cmpuint (wavry_noise_handshake_get_hash (p.client, h_client), ==, 32);
  g_assert_cmpuint (wavry_noise_handshake_get_hash (p.host, h_host), ==, 32);
  g_assert_cmpmem (h_client, 32, h_host, 32);

  /* RIFT §3.2: k1 client → host, k2 host → client. */
  g_assert_true (wavry_noise_handshake_split (p.client, &client_send, &client_recv));
  g_assert_true (wavry_noise_handshake_split (p.host, &host_send, &host_recv));
  g_assert_true (client_send.has_key && client_recv.has_key);
  g_assert_cmpmem (client_send.key, 32, host_recv.key, 32);
  g_assert_cmpmem (client_recv.key, 32, host_send.key, 32);
  g_assert_false (memcmp (client_send.key, client_recv.key, 32) == 0);

  assert_packets_flow (&client_send, &host_recv, WAVRY_RIFT_BOOTSTRAP_ALIAS);
  assert_packets_flow (&host_send, &client_recv, 0x12345678);

  /* The same by hand, in place: header as AD, packet id as nonce. */
  wavry_rift_header_encode_transport (header, 7, 42);
  memcpy (buf, text, sizeof text);
  g_assert_true (wavry_noise_cipher_encrypt (&client_send, 42, header, sizeof header,
                                             buf, sizeof text, buf));
  /* Wrong direction, wrong nonce, altered header: all rejected. */
  g_assert_false (wavry_noise_cipher_decrypt (&client_recv, 42, header, sizeof header,
                                              buf, sizeof text + 16, scratch));
  g_assert_false (wavry_noise_cipher_decrypt (&host_recv, 43, header, sizeof header,
                                              buf, sizeof text + 16, scratch));
  header[7] ^= 1;
  g_assert_false (wavry_noise_cipher_decrypt (&host_recv, 42, header, sizeof header,
                                              buf, sizeof text + 16, scratch));
  header[7] ^= 1;
  g_assert_true (wavry_noise_cipher_decrypt (&host_recv, 42, header, sizeof header,
                                             buf, sizeof text + 16, buf));
  g_assert_cmpmem (buf, sizeof text, text, sizeof text);

  wavry_noise_cipher_clear (&client_send);
  wavry_noise_cipher_clear (&client_recv);
  wavry_noise_cipher_clear (&host_send);
  wavry_noise_cipher_clear (&host_recv);
  peers_clear (&p);
}

/* Completes msg3 (if still due) and checks that both sides derived the same
 * transport keys: whatever failed before must not have left a trace. */
static void
peers_finish (Peers *p)
{
  WavryNoiseCipher client_send, client_recv, host_send, host_recv;

  if (!wavry_noise_handshake_is_complete (p->client))
    {
      guint8 msg[MSG_CAP];
      gsize len = write_ok (p->client, client_info, sizeof client_info, msg);

      read_ok (p->host, msg, len, client_info, sizeof client_info);
    }

  g_assert_true (wavry_noise_handshake_split (p->client, &client_send, &client_recv));
  g_assert_true (wavry_noise_handshake_split (p->host, &host_send, &host_recv));
  assert_packets_flow (&client_send, &host_recv, 1);
  assert_packets_flow (&host_send, &client_recv, 2);
  assert_public_of_secret (wavry_noise_handshake_get_remote_static (p->client), p->host_secret);
  assert_public_of_secret (wavry_noise_handshake_get_remote_static (p->host), p->client_secret);

  wavry_noise_cipher_clear (&client_send);
  wavry_noise_cipher_clear (&client_recv);
  wavry_noise_cipher_clear (&host_send);
  wavry_noise_cipher_clear (&host_recv);
}

static void
assert_each_byte_flip_fails (WavryNoiseHandshake *hs,
                             const guint8        *msg,
                             gsize                len)
{
  static const guint8 flips[] = { 0x01, 0x80, 0xff };
  guint8 copy[MSG_CAP];

  g_assert_cmpuint (len + 1, <=, sizeof copy);

  for (gsize pos = 0; pos < len; pos++)
    for (guint f = 0; f < G_N_ELEMENTS (flips); f++)
      {
        memcpy (copy, msg, len);
        copy[pos] ^= flips[f];
        read_fails (hs, copy, len);
      }

  /* One byte more is a different payload ciphertext, so the tag fails. */
  memcpy (copy, msg, len);
  copy[len] = 0;
  read_fails (hs, copy, len + 1);
}

static void
test_tamper_msg2 (void)
{
  Peers p;
  guint8 msg[2][MSG_CAP];
  gsize len[2];

  peers_init (&p);
  len[0] = write_ok (p.client, NULL, 0, msg[0]);
  read_ok (p.host, msg[0], len[0], NULL, 0);
  len[1] = write_ok (p.host, host_info, sizeof host_info, msg[1]);

  assert_each_byte_flip_fails (p.client, msg[1], len[1]);
  g_test_message ("msg2: %" G_GSIZE_FORMAT " positions x 3 flips rejected", len[1]);

  /* After all of that, the genuine msg2 still completes the handshake. */
  read_ok (p.client, msg[1], len[1], host_info, sizeof host_info);
  peers_finish (&p);
  peers_clear (&p);
}

static void
test_tamper_msg3 (void)
{
  Peers p;
  guint8 msg[3][MSG_CAP];
  gsize len[3];

  peers_init (&p);
  len[0] = write_ok (p.client, NULL, 0, msg[0]);
  read_ok (p.host, msg[0], len[0], NULL, 0);
  len[1] = write_ok (p.host, host_info, sizeof host_info, msg[1]);
  read_ok (p.client, msg[1], len[1], host_info, sizeof host_info);
  len[2] = write_ok (p.client, client_info, sizeof client_info, msg[2]);

  assert_each_byte_flip_fails (p.host, msg[2], len[2]);
  g_test_message ("msg3: %" G_GSIZE_FORMAT " positions x 3 flips rejected", len[2]);

  read_ok (p.host, msg[2], len[2], client_info, sizeof client_info);
  peers_finish (&p);
  peers_clear (&p);
}

static void
assert_truncations_fail (WavryNoiseHandshake *hs,
                         const guint8        *msg,
                         gsize                len,
                         gsize                min_len)
{
  for (gsize l = 0; l < len; l++)
    {
      g_autoptr(GError) error = NULL;
      guint8 payload[MSG_CAP];
      gsize payload_len;
      Snapshot before;

      snapshot_take (hs, &before);
      g_assert_false (wavry_noise_handshake_read_message (hs, l > 0 ? msg : NULL, l,
                                                          payload, sizeof payload,
                                                          &payload_len, &error));
      /* Too short for the tokens: malformed; long enough: the tag fails. */
      g_assert_error (error, WAVRY_RIFT_ERROR,
                      (l < min_len ? WAVRY_RIFT_ERROR_MALFORMED : WAVRY_RIFT_ERROR_DECRYPT));
      snapshot_assert_same (hs, &before);
    }
}

static void
test_truncated (void)
{
  Peers p;
  guint8 msg[3][MSG_CAP];
  gsize len[3];
  g_autofree guint8 *huge = g_malloc0 (WAVRY_NOISE_MAX_MESSAGE + 1);
  g_autoptr(GError) error = NULL;
  guint8 payload[16];
  gsize payload_len;

  peers_init (&p);

  /* msg1 is "e" plus a cleartext payload: anything under 32 bytes is short. */
  len[0] = write_ok (p.client, NULL, 0, msg[0]);
  for (gsize l = 0; l < 32; l++)
    {
      g_assert_false (wavry_noise_handshake_read_message (p.host, msg[0], l, payload,
                                                          sizeof payload, &payload_len, &error));
      g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED);
      g_clear_error (&error);
    }
  /* Over the Noise limit of 65535 bytes. */
  g_assert_false (wavry_noise_handshake_read_message (p.host, huge, WAVRY_NOISE_MAX_MESSAGE + 1,
                                                      payload, sizeof payload, &payload_len,
                                                      &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED);
  g_clear_error (&error);
  read_ok (p.host, msg[0], len[0], NULL, 0);

  /* msg2: e (32) + encrypted s (48) + payload tag (16). */
  len[1] = write_ok (p.host, host_info, sizeof host_info, msg[1]);
  assert_truncations_fail (p.client, msg[1], len[1], 32 + 48 + 16);
  read_ok (p.client, msg[1], len[1], host_info, sizeof host_info);

  /* msg3: encrypted s (48) + payload tag (16). */
  len[2] = write_ok (p.client, client_info, sizeof client_info, msg[2]);
  assert_truncations_fail (p.host, msg[2], len[2], 48 + 16);
  read_ok (p.host, msg[2], len[2], client_info, sizeof client_info);

  peers_finish (&p);
  peers_clear (&p);
}

static void
test_wrong_turn (void)
{
  Peers p;
  guint8 msg[3][MSG_CAP];
  gsize len[3];
  guint8 out[MSG_CAP];
  guint8 payload[MSG_CAP];
  gsize out_len, payload_len;
  g_autoptr(GError) error = NULL;

  peers_init (&p);

  /* The client speaks first; the host cannot. */
  g_assert_false (wavry_noise_handshake_read_message (p.client, out, 32, payload, sizeof payload,
                                                      &payload_len, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE);
  g_clear_error (&error);
  g_assert_false (wavry_noise_handshake_write_message (p.host, NULL, 0, out, sizeof out,
                                                       &out_len, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE);
  g_clear_error (&error);

  len[0] = write_ok (p.client, NULL, 0, msg[0]);
  /* Twice in a row is out of turn too. */
  g_assert_false (wavry_noise_handshake_write_message (p.client, NULL, 0, out, sizeof out,
                                                       &out_len, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE);
  g_clear_error (&error);

  read_ok (p.host, msg[0], len[0], NULL, 0);
  /* A duplicate msg1 at the host is a read out of turn (RIFT answers it
   * from its msg2 cache, never through Noise). */
  g_assert_false (wavry_noise_handshake_read_message (p.host, msg[0], len[0], payload,
                                                      sizeof payload, &payload_len, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE);
  g_clear_error (&error);

  len[1] = write_ok (p.host, host_info, sizeof host_info, msg[1]);
  read_ok (p.client, msg[1], len[1], host_info, sizeof host_info);
  len[2] = write_ok (p.client, client_info, sizeof client_info, msg[2]);
  read_ok (p.host, msg[2], len[2], client_info, sizeof client_info);

  /* Complete: nothing more goes through the handshake on either side. */
  g_assert_false (wavry_noise_handshake_read_message (p.host, msg[2], len[2], payload,
                                                      sizeof payload, &payload_len, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE);
  g_clear_error (&error);
  g_assert_false (wavry_noise_handshake_write_message (p.client, NULL, 0, out, sizeof out,
                                                       &out_len, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE);
  g_clear_error (&error);
  g_assert_false (wavry_noise_handshake_write_message (p.host, NULL, 0, out, sizeof out,
                                                       &out_len, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE);
  g_clear_error (&error);

  peers_finish (&p);
  peers_clear (&p);
}

static void
test_prologue_mismatch (void)
{
  /* "RI" version 2: a peer speaking another protocol version. */
  static const guint8 other[] = { 0x52, 0x49, 0x00, 0x02 };
  const struct
  {
    const guint8 *prologue;
    gsize         len;
  } cases[] = {
    { other, sizeof other },
    { NULL, 0 },
    { WAVRY_RIFT_NOISE_PROLOGUE, WAVRY_RIFT_NOISE_PROLOGUE_LEN - 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      Peers p;
      guint8 msg[2][MSG_CAP];
      gsize len[2];
      guint8 payload[MSG_CAP];
      gsize payload_len;
      Snapshot before;

      peers_init_with_prologue (&p, cases[i].prologue, cases[i].len);
      len[0] = write_ok (p.client, NULL, 0, msg[0]);
      /* msg1 authenticates nothing, so the host cannot tell yet. */
      read_ok (p.host, msg[0], len[0], NULL, 0);
      len[1] = write_ok (p.host, host_info, sizeof host_info, msg[1]);

      snapshot_take (p.client, &before);
      g_assert_false (wavry_noise_handshake_read_message (p.client, msg[1], len[1], payload,
                                                          sizeof payload, &payload_len, &error));
      g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_DECRYPT);
      snapshot_assert_same (p.client, &before);
      g_assert_null (wavry_noise_handshake_get_remote_static (p.client));
      peers_clear (&p);
    }
}

/* X25519 points of small order; DH with any of them gives all zeros. */
static const char * const low_order_points[] = {
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0100000000000000000000000000000000000000000000000000000000000000",
  "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
  "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
};

static void
test_low_order_points (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (low_order_points); i++)
    {
      g_autoptr(GBytes) point = wavry_test_hex_decode (low_order_points[i]);
      g_autoptr(GError) error = NULL;
      Peers p;
      guint8 msg[MSG_CAP];
      guint8 out[MSG_CAP];
      guint8 payload[MSG_CAP];
      gsize len, out_len, payload_len;
      Snapshot before;

      peers_init (&p);

      /* Host: msg1 carrying a low-order e is accepted (nothing to check yet),
       * but the ee step of msg2 refuses it and leaves the state alone. */
      read_ok (p.host, g_bytes_get_data (point, NULL), 32, NULL, 0);
      snapshot_take (p.host, &before);
      g_assert_false (wavry_noise_handshake_write_message (p.host, host_info, sizeof host_info,
                                                           out, sizeof out, &out_len, &error));
      g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE);
      g_clear_error (&error);
      snapshot_assert_same (p.host, &before);

      /* Client: a msg2 whose e is low-order fails at ee. */
      write_ok (p.client, NULL, 0, msg);
      memset (msg, 0xa5, 32 + 48 + 16);
      memcpy (msg, g_bytes_get_data (point, NULL), 32);
      len = 32 + 48 + 16;
      snapshot_take (p.client, &before);
      g_assert_false (wavry_noise_handshake_read_message (p.client, msg, len, payload,
                                                          sizeof payload, &payload_len, &error));
      g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_HANDSHAKE);
      snapshot_assert_same (p.client, &before);

      peers_clear (&p);
    }
}

static void
test_buffers (void)
{
  Peers p;
  guint8 msg2[MSG_CAP];
  gsize len2;
  guint8 small[64];
  guint8 payload[MSG_CAP];
  gsize out_len, payload_len;
  g_autofree guint8 *big = g_malloc0 (WAVRY_NOISE_MAX_MESSAGE);
  g_autofree guint8 *big_out = g_malloc0 (WAVRY_NOISE_MAX_MESSAGE + 64);
  g_autoptr(GError) error = NULL;
  Snapshot before;

  peers_init (&p);

  /* msg1 = 32 + payload, at most 65535 bytes. */
  snapshot_take (p.client, &before);
  g_assert_false (wavry_noise_handshake_write_message (p.client, big, WAVRY_NOISE_MAX_MESSAGE - 31,
                                                       big_out, WAVRY_NOISE_MAX_MESSAGE + 64,
                                                       &out_len, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_FAILED);
  g_clear_error (&error);
  snapshot_assert_same (p.client, &before);
  g_assert_true (wavry_noise_handshake_write_message (p.client, big, WAVRY_NOISE_MAX_MESSAGE - 32,
                                                      big_out, WAVRY_NOISE_MAX_MESSAGE + 64,
                                                      &out_len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (out_len, ==, WAVRY_NOISE_MAX_MESSAGE);

  /* The host reads it only into a buffer that can take the payload. */
  snapshot_take (p.host, &before);
  g_assert_false (wavry_noise_handshake_read_message (p.host, big_out, out_len, payload,
                                                      sizeof payload, &payload_len, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED);
  g_clear_error (&error);
  snapshot_assert_same (p.host, &before);
  g_assert_true (wavry_noise_handshake_read_message (p.host, big_out, out_len, big,
                                                     WAVRY_NOISE_MAX_MESSAGE, &payload_len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (payload_len, ==, WAVRY_NOISE_MAX_MESSAGE - 32);

  /* msg2 does not fit in 64 bytes: an error, and a retry with room works. */
  snapshot_take (p.host, &before);
  g_assert_false (wavry_noise_handshake_write_message (p.host, host_info, sizeof host_info,
                                                       small, sizeof small, &out_len, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_FAILED);
  g_clear_error (&error);
  snapshot_assert_same (p.host, &before);
  len2 = write_ok (p.host, host_info, sizeof host_info, msg2);

  /* A payload buffer one byte short at the client, then the right size. */
  snapshot_take (p.client, &before);
  g_assert_false (wavry_noise_handshake_read_message (p.client, msg2, len2, payload,
                                                      sizeof host_info - 1, &payload_len, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_MALFORMED);
  g_clear_error (&error);
  snapshot_assert_same (p.client, &before);
  g_assert_true (wavry_noise_handshake_read_message (p.client, msg2, len2, payload,
                                                     sizeof host_info, &payload_len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (payload, payload_len, host_info, sizeof host_info);

  peers_finish (&p);
  peers_clear (&p);
}

static void
test_psk_config (void)
{
  static const guint8 psk_a[1][WAVRY_NOISE_KEY_LEN] = { { 1 } };
  static const guint8 psk_b[1][WAVRY_NOISE_KEY_LEN] = { { 2 } };
  static const guint8 psks4[5][WAVRY_NOISE_KEY_LEN] = { { 0 } };
  static const guint bad_high[] = { 4 };
  static const guint bad_order[] = { 2, 1 };
  static const guint bad_dup[] = { 1, 1 };
  static const guint five[] = { 0, 1, 2, 3, 3 };
  static const guint pos3[] = { 3 };
  g_autoptr(GError) error = NULL;
  Peers p;
  guint8 msg[3][MSG_CAP];
  gsize len[3];
  guint8 payload[MSG_CAP];
  gsize payload_len;
  Snapshot before;

  peers_init (&p);

  /* XX has psk positions 0..3, each once, ascending. */
  g_assert_false (wavry_noise_handshake_set_psks (p.client, bad_high, psk_a, 1));
  g_assert_false (wavry_noise_handshake_set_psks (p.client, bad_order, psks4, 2));
  g_assert_false (wavry_noise_handshake_set_psks (p.client, bad_dup, psks4, 2));
  g_assert_false (wavry_noise_handshake_set_psks (p.client, five, psks4, 5));

  /* XXpsk3 with different keys: msg3's payload cannot authenticate. */
  g_assert_true (wavry_noise_handshake_set_psks (p.client, pos3, psk_a, 1));
  g_assert_true (wavry_noise_handshake_set_psks (p.host, pos3, psk_b, 1));

  len[0] = write_ok (p.client, NULL, 0, msg[0]);
  /* With a psk, e feeds the key, so even msg1's empty payload has a tag. */
  g_assert_cmpuint (len[0], ==, 32 + 16);
  read_ok (p.host, msg[0], len[0], NULL, 0);
  len[1] = write_ok (p.host, host_info, sizeof host_info, msg[1]);
  read_ok (p.client, msg[1], len[1], host_info, sizeof host_info);
  len[2] = write_ok (p.client, client_info, sizeof client_info, msg[2]);

  snapshot_take (p.host, &before);
  g_assert_false (wavry_noise_handshake_read_message (p.host, msg[2], len[2], payload,
                                                      sizeof payload, &payload_len, &error));
  g_assert_error (error, WAVRY_RIFT_ERROR, WAVRY_RIFT_ERROR_DECRYPT);
  snapshot_assert_same (p.host, &before);

  peers_clear (&p);
}

/* Random bytes, or a genuine message with random damage. */
static gsize
fuzz_input (const guint8 *genuine,
            gsize         genuine_len,
            guint8       *out,
            gsize         cap)
{
  gsize len;

  if (genuine == NULL || g_test_rand_bit ())
    {
      /* Mostly short, sometimes up to the buffer size. */
      len = g_test_rand_int_range (0, 8) == 0 ? (gsize) g_test_rand_int_range (0, cap + 1)
                                              : (gsize) g_test_rand_int_range (0, 200);
      for (gsize i = 0; i < len; i++)
        out[i] = g_test_rand_int_range (0, 256);
      return len;
    }

  memcpy (out, genuine, genuine_len);
  len = genuine_len;
  switch (g_test_rand_int_range (0, 3))
    {
    case 0:
      len = g_test_rand_int_range (0, genuine_len);
      break;
    case 1:
      len = genuine_len + g_test_rand_int_range (1, 32);
      for (gsize i = genuine_len; i < len; i++)
        out[i] = g_test_rand_int_range (0, 256);
      break;
    default:
      break;
    }
  /* At least one changed byte, so the input cannot be the genuine one. */
  if (len == genuine_len)
    {
      guint n = g_test_rand_int_range (1, 4);

      for (guint i = 0; i < n; i++)
        out[g_test_rand_int_range (0, len)] ^= g_test_rand_int_range (1, 256);
      /* two flips of one byte can cancel out: then change it for sure */
      if (memcmp (out, genuine, len) == 0)
        out[g_test_rand_int_range (0, len)] ^= 0x55;
    }

  return len;
}

static void
test_fuzz (void)
{
  guint8 input[2048];
  guint8 payload[MSG_CAP];
  guint8 msg[3][MSG_CAP];
  gsize len[3];
  gsize payload_len;
  guint n_msg1_accepted = 0;
  Peers p;

  peers_init (&p);

  /* msg1 is unauthenticated: the host accepts exactly those inputs whose
   * length is 32 plus at most payload_cap, and rejects the rest. */
  for (guint i = 0; i < 2000; i++)
    {
      gsize l = fuzz_input (NULL, 0, input, sizeof input);
      gboolean expect = l >= 32 && l - 32 <= 64;
      gboolean ok;

      ok = wavry_noise_handshake_read_message (p.host, input, l, payload, 64, &payload_len, NULL);
      g_assert_cmpint (ok, ==, expect);
      if (ok)
        {
          n_msg1_accepted++;
          g_clear_pointer (&p.host, wavry_noise_handshake_free);
          p.host = wavry_noise_handshake_new (WAVRY_NOISE_HASH_BLAKE2S, FALSE,
                                              WAVRY_RIFT_NOISE_PROLOGUE,
                                              WAVRY_RIFT_NOISE_PROLOGUE_LEN, p.host_secret);
        }
    }

  len[0] = write_ok (p.client, NULL, 0, msg[0]);
  read_ok (p.host, msg[0], len[0], NULL, 0);
  len[1] = write_ok (p.host, host_info, sizeof host_info, msg[1]);

  for (guint i = 0; i < 4000; i++)
    {
      gsize l = fuzz_input (msg[1], len[1], input, sizeof input);

      read_fails (p.client, input, l);
    }
  read_ok (p.client, msg[1], len[1], host_info, sizeof host_info);

  len[2] = write_ok (p.client, client_info, sizeof client_info, msg[2]);
  for (guint i = 0; i < 4000; i++)
    {
      gsize l = fuzz_input (msg[2], len[2], input, sizeof input);

      read_fails (p.host, input, l);
    }
  read_ok (p.host, msg[2], len[2], client_info, sizeof client_info);

  g_test_message ("10000 fuzzed reads: %u random msg1 accepted (as expected), "
                  "every bad msg2/msg3 rejected", n_msg1_accepted);
  peers_finish (&p);
  peers_clear (&p);
}

static void
test_new_free (void)
{
  static const WavryNoiseHash hashes[] = {
    WAVRY_NOISE_HASH_BLAKE2S, WAVRY_NOISE_HASH_SHA256, WAVRY_NOISE_HASH_BLAKE2B,
  };
  guint8 secret[WAVRY_NOISE_KEY_LEN];
  guint8 e[WAVRY_NOISE_KEY_LEN];

  randombytes_buf (secret, sizeof secret);
  randombytes_buf (e, sizeof e);

  for (guint i = 0; i < G_N_ELEMENTS (hashes); i++)
    for (guint role = 0; role < 2; role++)
      {
        g_autoptr(WavryNoiseHandshake) hs = NULL;
        guint8 h[WAVRY_NOISE_MAX_HASH_LEN];

        hs = wavry_noise_handshake_new (hashes[i], role == 0, WAVRY_RIFT_NOISE_PROLOGUE,
                                        WAVRY_RIFT_NOISE_PROLOGUE_LEN, secret);
        g_assert_nonnull (hs);
        g_assert_false (wavry_noise_handshake_is_complete (hs));
        g_assert_cmpint (wavry_noise_handshake_is_my_turn (hs), ==, role == 0);
        g_assert_null (wavry_noise_handshake_get_remote_static (hs));
        g_assert_nonnull (wavry_noise_handshake_get_local_ephemeral_public (hs));
        g_assert_cmpuint (wavry_noise_handshake_get_hash (hs, h), ==,
                          hashes[i] == WAVRY_NOISE_HASH_BLAKE2B ? 64 : 32);

        wavry_noise_handshake_set_ephemeral (hs, e);
        assert_public_of_secret (wavry_noise_handshake_get_local_ephemeral_public (hs), e);
      }

  /* Two handshakes never share an ephemeral key. */
  {
    WavryNoiseHandshake *a = wavry_noise_handshake_new (WAVRY_NOISE_HASH_BLAKE2S, TRUE, NULL, 0, secret);
    WavryNoiseHandshake *b = wavry_noise_handshake_new (WAVRY_NOISE_HASH_BLAKE2S, TRUE, NULL, 0, secret);

    g_assert_false (memcmp (wavry_noise_handshake_get_local_ephemeral_public (a),
                            wavry_noise_handshake_get_local_ephemeral_public (b), 32) == 0);
    wavry_noise_handshake_free (a);
    wavry_noise_handshake_free (b);
  }

  wavry_noise_handshake_free (NULL);
}

static void
test_cipher (void)
{
  /* PROTOCOL.md §13: the nonce for packet id 1. */
  static const guint8 nonce1[12] = { 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 };
  static const guint8 ad[] = "header";
  static const guint8 text[] = "the quick brown fox";
  WavryNoiseCipher cipher = { { 0 }, FALSE };
  guint8 expected[sizeof text + 16];
  guint8 buf[sizeof text + 16];
  guint8 plain[sizeof text];
  unsigned long long expected_len;

  randombytes_buf (cipher.key, sizeof cipher.key);
  cipher.has_key = TRUE;

  g_assert_cmpint (crypto_aead_chacha20poly1305_ietf_encrypt (expected, &expected_len,
                                                              text, sizeof text, ad, sizeof ad,
                                                              NULL, nonce1, cipher.key), ==, 0);
  g_assert_true (wavry_noise_cipher_encrypt (&cipher, 1, ad, sizeof ad, text, sizeof text, buf));
  g_assert_cmpmem (buf, sizeof buf, expected, expected_len);

  /* In place both ways. */
  memcpy (buf, text, sizeof text);
  g_assert_true (wavry_noise_cipher_encrypt (&cipher, 1, ad, sizeof ad, buf, sizeof text, buf));
  g_assert_cmpmem (buf, sizeof buf, expected, expected_len);
  g_assert_true (wavry_noise_cipher_decrypt (&cipher, 1, ad, sizeof ad, buf, sizeof buf, buf));
  g_assert_cmpmem (buf, sizeof text, text, sizeof text);

  /* Wrong nonce, wrong AD, any flipped bit, too short: rejected. */
  g_assert_false (wavry_noise_cipher_decrypt (&cipher, 2, ad, sizeof ad,
                                              expected, sizeof expected, plain));
  g_assert_false (wavry_noise_cipher_decrypt (&cipher, 1, ad, sizeof ad - 1,
                                              expected, sizeof expected, plain));
  for (gsize i = 0; i < sizeof expected; i++)
    {
      memcpy (buf, expected, sizeof buf);
      buf[i] ^= 0x10;
      g_assert_false (wavry_noise_cipher_decrypt (&cipher, 1, ad, sizeof ad, buf, sizeof buf, plain));
    }
  g_assert_false (wavry_noise_cipher_decrypt (&cipher, 1, ad, sizeof ad, expected, 15, plain));
  g_assert_true (wavry_noise_cipher_decrypt (&cipher, 1, ad, sizeof ad,
                                             expected, sizeof expected, plain));
  g_assert_cmpmem (plain, sizeof plain, text, sizeof text);

  /* An empty plaintext is just a tag; decrypting it needs no buffer. */
  g_assert_true (wavry_noise_cipher_encrypt (&cipher, 7, NULL, 0, NULL, 0, buf));
  g_assert_true (wavry_noise_cipher_decrypt (&cipher, 7, NULL, 0, buf, 16, NULL));

  /* Noise §5.1: nonce 2^64-1 is reserved. */
  g_assert_false (wavry_noise_cipher_encrypt (&cipher, G_MAXUINT64, NULL, 0, text, 4, buf));
  g_assert_true (wavry_noise_cipher_encrypt (&cipher, G_MAXUINT64 - 1, NULL, 0, text, 4, buf));

  wavry_noise_cipher_clear (&cipher);
  g_assert_false (cipher.has_key);
  g_assert_true (sodium_is_zero (cipher.key, sizeof cipher.key));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  g_test_add_data_func ("/wavry/core/noise/vectors/cacophony", "cacophony_xx.json", test_vectors);
  g_test_add_data_func ("/wavry/core/noise/vectors/noise-c", "noise-c_xx.json", test_vectors);
  g_test_add_data_func ("/wavry/core/noise/vectors/snow", "snow_xx.json", test_vectors);
  g_test_add_func ("/wavry/core/noise/new-free", test_new_free);
  g_test_add_func ("/wavry/core/noise/cipher", test_cipher);
  g_test_add_func ("/wavry/core/noise/rift-handshake", test_rift_handshake);
  g_test_add_func ("/wavry/core/noise/tamper-msg2", test_tamper_msg2);
  g_test_add_func ("/wavry/core/noise/tamper-msg3", test_tamper_msg3);
  g_test_add_func ("/wavry/core/noise/truncated", test_truncated);
  g_test_add_func ("/wavry/core/noise/wrong-turn", test_wrong_turn);
  g_test_add_func ("/wavry/core/noise/prologue-mismatch", test_prologue_mismatch);
  g_test_add_func ("/wavry/core/noise/low-order-points", test_low_order_points);
  g_test_add_func ("/wavry/core/noise/buffers", test_buffers);
  g_test_add_func ("/wavry/core/noise/psk-config", test_psk_config);
  g_test_add_func ("/wavry/core/noise/fuzz", test_fuzz);

  return g_test_run ();
}
