/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-fuzz.h"

#include <string.h>

#include "wavry-identity.h"
#include "wavry-rift-client.h"
#include "wavry-rift-host.h"

/* The RIFT handshake responder (WavryRiftHost) driven by a real client,
 * with the fuzz input deciding, datagram by datagram, whether to deliver,
 * drop, duplicate, corrupt or replace what is on the wire, and when time
 * moves on. Reaches every host state: awaiting msg3, bootstrap, session. */

static WavryIdentity *host_identity;
static WavryIdentity *client_identity;

static WavryRiftAdmission
admit (const char *client_id,
       const char *client_name,
       gpointer    user_data)
{
  return client_id[0] & 1 ? WAVRY_RIFT_ADMISSION_ADMIT : WAVRY_RIFT_ADMISSION_ASK;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const Rift__Codec codecs[] = { RIFT__CODEC__CODEC_H264 };
  WavryRiftHostConfig host_config = { .device_name = "fuzz", .codecs = codecs, .n_codecs = 1,
                                      .admit = admit, .max_handshakes = 4 };
  WavryRiftClientConfig client_config = { .device_name = "fuzz", .codecs = codecs, .n_codecs = 1 };
  g_autoptr(WavryRiftHost) host = NULL;
  g_autoptr(WavryRiftClient) client = NULL;
  WavryTime now = 1000000;
  WavryRiftAddr addr[2];
  guint32 ports[2] = { 1, 2 };
  gsize pos = 0;

  if (host_identity == NULL)
    {
      guint8 seed[32] = { 1 };

      wavry_identity_init_crypto (NULL);
      host_identity = wavry_identity_new_from_seed (seed);
      seed[0] = 2;
      client_identity = wavry_identity_new_from_seed (seed);
    }

  wavry_rift_addr_init (&addr[0], &ports[0], sizeof ports[0]);
  wavry_rift_addr_init (&addr[1], &ports[1], sizeof ports[1]);
  host = wavry_rift_host_new (host_identity, &host_config);
  client = wavry_rift_client_new (client_identity, &client_config);
  wavry_rift_client_start (client, now);

  while (pos < size)
    {
      guint8 op = data[pos++];
      WavryRiftDatagram *d;
      WavryRiftEvent event;

      switch (op & 7)
        {
        case 0: case 1: case 2:
          /* client → host: deliver (maybe twice, maybe corrupted) */
          if ((d = wavry_rift_client_poll_transmit (client)) != NULL)
            {
              if ((op & 7) == 2 && d->len > 0 && pos < size)
                d->data[data[pos++] % d->len] ^= 1 << (op >> 5);
              wavry_rift_host_handle_datagram (host, &addr[(op >> 3) & 1], d->data, d->len, now);
              if ((op & 7) == 1)
                wavry_rift_host_handle_datagram (host, &addr[0], d->data, d->len, now);
              wavry_rift_datagram_free (d);
            }
          break;
        case 3: case 4:
          /* host → client */
          if ((d = wavry_rift_host_poll_transmit (host)) != NULL)
            {
              if ((op & 7) == 4 && d->len > 0 && pos < size)
                d->data[data[pos++] % d->len] ^= 1 << (op >> 5);
              wavry_rift_client_handle_datagram (client, d->data, d->len, now);
              wavry_rift_datagram_free (d);
            }
          break;
        case 5:
          {
            /* raw bytes from the input as a datagram */
            gsize len = MIN ((gsize) (op >> 3) * 8, size - pos);

            wavry_rift_host_handle_datagram (host, &addr[op & 8 ? 1 : 0], data + pos, len, now);
            pos += len;
          }
          break;
        case 6:
          now += (op >> 3) * 50000;
          wavry_rift_client_handle_timeout (client, now);
          wavry_rift_host_handle_timeout (host, now);
          break;
        case 7:
        default:
          if (op & 8)
            wavry_rift_client_send_ping (client, now);
          else
            wavry_rift_host_resolve_approval (host, wavry_identity_get_id (client_identity), op & 16);
          break;
        }

      while (wavry_rift_client_poll_event (client, &event))
        wavry_rift_event_clear (&event);
      while (wavry_rift_host_poll_event (host, &event))
        wavry_rift_event_clear (&event);
    }

  return 0;
}
