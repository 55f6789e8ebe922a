/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-peer.h"

G_BEGIN_DECLS

/* Browses `_wavry._udp` through avahi-daemon (avahi-client over the system
 * bus, driven by avahi-glib on the thread-default main context of the caller
 * of wavry_mdns_browser_start (), where every signal is emitted).
 *
 * Signals:
 *   "peer-added"   (WavryPeer *peer)  a host resolved (address, port, TXT)
 *   "peer-removed" (WavryPeer *peer)  it went away (or the daemon did)
 *   "failed"       (GError *error)    browsing stopped for good
 *
 * A service whose TXT record is not a Wavry host's (no v=1, no valid id=) is
 * ignored and counted; one that does not resolve (avahi gives up after 5 s)
 * is tried again after 1, 2 and 4 s, and each failure counted. The same instance name seen on several interfaces or
 * protocols is one peer, with all of its addresses; it is removed when the
 * last of them is. When avahi-daemon restarts, every peer is removed and
 * browsing resumes once it is back. */
#define WAVRY_TYPE_MDNS_BROWSER (wavry_mdns_browser_get_type ())
G_DECLARE_FINAL_TYPE (WavryMdnsBrowser, wavry_mdns_browser, WAVRY, MDNS_BROWSER, GObject)

WavryMdnsBrowser *wavry_mdns_browser_new               (void);
/* Fails with WAVRY_MDNS_ERROR_NO_DAEMON when avahi-daemon is not running. */
gboolean          wavry_mdns_browser_start             (WavryMdnsBrowser *self,
                                                        GError          **error);
/* Stops browsing and empties the peer list (without "peer-removed"). */
void              wavry_mdns_browser_stop              (WavryMdnsBrowser *self);
/* The peers found so far, of WavryPeer, kept up to date (live). */
GListModel       *wavry_mdns_browser_get_peers         (WavryMdnsBrowser *self);
/* How many resolved services were ignored for a bad TXT record (or for
 * another Wavry ID under a name already listed), and how many resolutions
 * failed. */
guint             wavry_mdns_browser_get_ignored_count (WavryMdnsBrowser *self);
guint             wavry_mdns_browser_get_resolve_failures (WavryMdnsBrowser *self);

G_END_DECLS
