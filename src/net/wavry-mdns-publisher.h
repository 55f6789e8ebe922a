/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-peer.h"

G_BEGIN_DECLS

/* Publishes this host as `_wavry._udp` through avahi-daemon (PROTOCOL.md
 * §12): instance name = @display_name (made unique with
 * avahi_alternative_service_name () on a collision: "Desk #2"), @port, TXT
 * v=1, id=@wavry_id, name=@device_name, codecs=@codecs joined with ','.
 * Runs on the thread-default main context of the caller of _start (), where
 * its signals are emitted:
 *   "established" ()                the service is announced (again)
 *   "failed"      (GError *error)   publishing stopped for good
 * When avahi-daemon restarts, the service is published again once it is
 * back. */
#define WAVRY_TYPE_MDNS_PUBLISHER (wavry_mdns_publisher_get_type ())
G_DECLARE_FINAL_TYPE (WavryMdnsPublisher, wavry_mdns_publisher, WAVRY, MDNS_PUBLISHER, GObject)

/* @display_name is cut to 63 bytes (a DNS label) and @device_name so that
 * its TXT entry fits in 255 bytes, both on a UTF-8 character boundary;
 * @device_name NULL means @display_name; @codecs may be NULL. */
WavryMdnsPublisher *wavry_mdns_publisher_new      (const char         *display_name,
                                                   guint16             port,
                                                   const char         *wavry_id,
                                                   const char         *device_name,
                                                   const char * const *codecs);
/* Fails with WAVRY_MDNS_ERROR_NO_DAEMON when avahi-daemon is not running,
 * WAVRY_MDNS_ERROR_INVALID for an invalid Wavry ID, name or port. */
gboolean            wavry_mdns_publisher_start    (WavryMdnsPublisher  *self,
                                                   GError             **error);
/* Withdraws the service (avahi sends the goodbye packets). */
void                wavry_mdns_publisher_stop     (WavryMdnsPublisher  *self);
/* The instance name in use (changes after a collision). */
const char         *wavry_mdns_publisher_get_name (WavryMdnsPublisher  *self);
gboolean            wavry_mdns_publisher_is_established (WavryMdnsPublisher *self);

G_END_DECLS
