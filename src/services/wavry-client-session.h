/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-client-media.h"
#include "wavry-connection.h"
#include "wavry-known-hosts.h"

G_BEGIN_DECLS

/* One connection to a host as the Connect page makes it: resolve the
 * address, handshake (checking the host's Wavry ID against the one mDNS
 * announced, the user typed, or the one pinned in the known hosts), pin it
 * on first use, and start receiving. "stage" (a sentence for the progress
 * view) is emitted as it goes; "closed" (GError or NULL) when the session
 * ends after connecting. Runs on the calling thread's main context. */
#define WAVRY_TYPE_CLIENT_SESSION (wavry_client_session_get_type ())
G_DECLARE_FINAL_TYPE (WavryClientSession, wavry_client_session, WAVRY, CLIENT_SESSION, GObject)

WavryClientSession *wavry_client_session_new            (WavryIdentity       *identity,
                                                         WavryKnownHosts     *known_hosts);
void                wavry_client_session_connect_async  (WavryClientSession  *self,
                                                         const char          *address,
                                                         const char          *expected_id,
                                                         const char          *host_name,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean            wavry_client_session_connect_finish (WavryClientSession  *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
WavryConnection    *wavry_client_session_get_connection (WavryClientSession  *self);
WavryClientMedia   *wavry_client_session_get_media      (WavryClientSession  *self);
const char         *wavry_client_session_get_address    (WavryClientSession  *self);
void                wavry_client_session_close          (WavryClientSession  *self);

G_END_DECLS
