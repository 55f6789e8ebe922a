/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* mDNS discovery (PROTOCOL.md §12): service `_wavry._udp`, instance name =
 * the host's display name, TXT v=1, id=<Wavry ID>, name=<device name>,
 * codecs=h264,hevc,av1. */
#define WAVRY_MDNS_SERVICE_TYPE "_wavry._udp"

#define WAVRY_MDNS_ERROR (wavry_mdns_error_quark ())

typedef enum /*< prefix=WAVRY_MDNS_ERROR >*/
{
  WAVRY_MDNS_ERROR_FAILED,
  WAVRY_MDNS_ERROR_NO_DAEMON,    /* avahi-daemon is not running (or no system bus) */
  WAVRY_MDNS_ERROR_INVALID_TXT,  /* a TXT record that is not a Wavry host's */
  WAVRY_MDNS_ERROR_INVALID,      /* bad arguments to the publisher */
} WavryMdnsError;

GQuark wavry_mdns_error_quark (void);

/* A host found on the local network: immutable except for its addresses,
 * which grow as more interfaces/protocols resolve. */
#define WAVRY_TYPE_PEER (wavry_peer_get_type ())
G_DECLARE_FINAL_TYPE (WavryPeer, wavry_peer, WAVRY, PEER, GObject)

/* @codecs is a comma-separated list (may be NULL or empty); @device_name
 * NULL means "same as @name". */
WavryPeer          *wavry_peer_new             (const char *name,
                                                const char *host_name,
                                                const char *address,
                                                guint16     port,
                                                const char *wavry_id,
                                                const char *device_name,
                                                const char *codecs);

/* The mDNS instance name (the host's display name). */
const char         *wavry_peer_get_name        (WavryPeer  *self);
/* The mDNS host name (e.g. "desk.local"); may be NULL. */
const char         *wavry_peer_get_host_name   (WavryPeer  *self);
/* The preferred address (textual; IPv4 ones come before IPv6 ones, each in
 * the order resolved), and all of them. */
const char         *wavry_peer_get_address     (WavryPeer  *self);
const char * const *wavry_peer_get_addresses   (WavryPeer  *self);
guint16             wavry_peer_get_port        (WavryPeer  *self);
const char         *wavry_peer_get_wavry_id    (WavryPeer  *self);
/* The first 8 characters of the Wavry ID, for display. */
const char         *wavry_peer_get_short_id    (WavryPeer  *self);
const char         *wavry_peer_get_device_name (WavryPeer  *self);
/* NULL-terminated, lowercase, never NULL (empty when the host listed none). */
const char * const *wavry_peer_get_codecs      (WavryPeer  *self);
gboolean            wavry_peer_has_codec       (WavryPeer  *self,
                                                const char *codec);
/* "HOST:PORT" for the first address (IPv6 in brackets), for --connect. */
char               *wavry_peer_dup_connect_address (WavryPeer *self);

/* For the browser: records another resolved address (duplicates ignored).
 * Returns TRUE when it was new. */
gboolean            wavry_peer_add_address     (WavryPeer  *self,
                                                const char *address);

/* Parses the TXT strings of a `_wavry._udp` service (@n entries, each
 * "key=value" or "key"; keys compared case-insensitively; the first
 * occurrence of a key wins, RFC 6763 §6.4). Requires v=1 and an id= that
 * wavry_id_is_valid() accepts; fails with WAVRY_MDNS_ERROR_INVALID_TXT
 * otherwise. On success @id is the Wavry ID, @name the device name (NULL when
 * absent; made valid UTF-8 without control characters), @codecs the
 * comma-separated, lowercased list of well-formed codec tokens ("" when
 * absent). Any of the outputs may be NULL. */
gboolean            wavry_peer_parse_txt       (const char * const *txt,
                                                gsize               n,
                                                char              **id,
                                                char              **name,
                                                char              **codecs,
                                                GError            **error);

G_END_DECLS
