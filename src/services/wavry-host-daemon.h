/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-host-media.h"
#include "wavry-identity.h"
#include "wavry-rift-session.h"
#include "wavry-trusted-clients.h"

G_BEGIN_DECLS

#define WAVRY_TYPE_HOST_DAEMON (wavry_host_daemon_get_type ())
G_DECLARE_FINAL_TYPE (WavryHostDaemon, wavry_host_daemon, WAVRY, HOST_DAEMON, GObject)

/* The host side of Wavry over UDP: a WavryRiftHost driven from the
 * thread-default main context of the thread that calls start(). Clients not
 * in @trusted are refused with a reason they can read.
 *
 * Signals (on that context):
 *   "client-connected" (guint alias, const char *wavry_id)
 *   "client-refused"   (const char *wavry_id)
 *   "client-disconnected" (guint alias, const char *wavry_id, const GError *why) */
WavryHostDaemon      *wavry_host_daemon_new               (WavryIdentity       *identity,
                                                           WavryTrustedClients *trusted,
                                                           const char          *device_name);
void                  wavry_host_daemon_set_max_clients   (WavryHostDaemon     *self,
                                                           guint                max_clients);
gboolean              wavry_host_daemon_start             (WavryHostDaemon     *self,
                                                           GInetSocketAddress  *address,
                                                           GError             **error);
void                  wavry_host_daemon_stop              (WavryHostDaemon     *self);
GInetSocketAddress   *wavry_host_daemon_get_local_address (WavryHostDaemon     *self);
const WavryRiftStats *wavry_host_daemon_get_stats         (WavryHostDaemon     *self);
guint                 wavry_host_daemon_get_n_sessions    (WavryHostDaemon     *self);
WavryIdentity        *wavry_host_daemon_get_identity      (WavryHostDaemon     *self);

/* Where the host daemon keeps its identity when started without --key:
 * $STATE_DIRECTORY (systemd) or $XDG_STATE_HOME/wavry, file host.key. */
char                 *wavry_host_daemon_default_key_path  (void);

/* Streams video to the clients that ask for it (set before starting);
 * without, the host serves control-only sessions. */
void                  wavry_host_daemon_set_media         (WavryHostDaemon     *self,
                                                           WavryHostMedia      *media);
WavryHostMedia       *wavry_host_daemon_get_media         (WavryHostDaemon     *self);

/* Instead of refusing a client that is not trusted, ask: emit
 * "approval-requested" (client_id, client_name) and keep it waiting (§4.5)
 * until the owner answers. The GNOME app's "Allow … to view and control
 * this screen?" dialog; the service refuses (the default). */
void                  wavry_host_daemon_set_ask_untrusted (WavryHostDaemon     *self,
                                                           gboolean             ask);
/* The owner's answer: @admit lets the waiting client in (this once; to
 * always allow it, also add it to the trusted clients). */
void                  wavry_host_daemon_resolve_approval  (WavryHostDaemon     *self,
                                                           const char          *client_id,
                                                           gboolean             admit);
/* The device name and current address ("192.0.2.7:51234") of session
 * @alias; FALSE when there is no such session. */
gboolean              wavry_host_daemon_get_client_info   (WavryHostDaemon     *self,
                                                           guint32              alias,
                                                           char               **name,
                                                           char               **address);
/* How long (µs) the client of session @alias has been silent, or -1 when
 * there is no such session. */
gint64                wavry_host_daemon_get_client_silence (WavryHostDaemon    *self,
                                                            guint32             alias);
/* Ends the session @alias ("client-disconnected" follows). */
void                  wavry_host_daemon_disconnect        (WavryHostDaemon     *self,
                                                           guint32              alias);

G_END_DECLS
