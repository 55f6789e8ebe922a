/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

#include "wavry-host-daemon.h"
#include "wavry-host-media.h"
#include "wavry-trusted-clients.h"

G_BEGIN_DECLS

/* A client connected to this host, for the Host page's list. */
#define WAVRY_TYPE_HOST_CLIENT (wavry_host_client_get_type ())
G_DECLARE_FINAL_TYPE (WavryHostClient, wavry_host_client, WAVRY, HOST_CLIENT, GObject)

guint32      wavry_host_client_get_alias        (WavryHostClient *self);
const char  *wavry_host_client_get_wavry_id     (WavryHostClient *self);
/* The first 8 characters of the ID, as people compare them. */
const char  *wavry_host_client_get_short_id     (WavryHostClient *self);
const char  *wavry_host_client_get_name         (WavryHostClient *self);
const char  *wavry_host_client_get_address      (WavryHostClient *self);
guint        wavry_host_client_get_bitrate_kbps (WavryHostClient *self);
/* FALSE once nothing came from the client for 3 s: it probably closed
 * (RIFT has no goodbye; the host drops it after 30 s of silence).
 * Updated every second ("notify::responding"). */
gboolean     wavry_host_client_get_responding   (WavryHostClient *self);

typedef enum /*< prefix=WAVRY_APPROVAL >*/
{
  WAVRY_APPROVAL_DENY,
  WAVRY_APPROVAL_ALLOW_ONCE,
  WAVRY_APPROVAL_ALWAYS,   /* also adds the client to the trusted list */
} WavryApproval;

/* "Share this screen": runs the host in-process (the same WavryHostDaemon
 * and WavryHostMedia as `wavry --service=host`) on the calling thread's
 * main context, keeps a live list of the connected clients, and turns an
 * untrusted client into "approval-requested" instead of a refusal. */
#define WAVRY_TYPE_HOST_CONTROLLER (wavry_host_controller_get_type ())
G_DECLARE_FINAL_TYPE (WavryHostController, wavry_host_controller, WAVRY, HOST_CONTROLLER, GObject)

WavryHostController *wavry_host_controller_new              (WavryIdentity              *identity,
                                                             WavryTrustedClients        *trusted,
                                                             const char                 *device_name);
/* Starts hosting @media_config's source on @address (NULL: all
 * interfaces, a free port). */
gboolean             wavry_host_controller_start            (WavryHostController        *self,
                                                             const WavryHostMediaConfig *media_config,
                                                             GInetSocketAddress         *address,
                                                             GError                    **error);
/* The same without blocking: with the portal capture (`pipewire`), the
 * desktop's dialog for the screen and remote control is answered on a
 * worker thread while this thread's main context runs; @callback runs on
 * it. Cancelling @cancellable withdraws the dialog and fails with
 * G_IO_ERROR_CANCELLED, as does the user refusing it. A bad configuration
 * fails before any dialog. */
void                 wavry_host_controller_start_async      (WavryHostController        *self,
                                                             const WavryHostMediaConfig *media_config,
                                                             GInetSocketAddress         *address,
                                                             GCancellable               *cancellable,
                                                             GAsyncReadyCallback         callback,
                                                             gpointer                    user_data);
gboolean             wavry_host_controller_start_finish     (WavryHostController        *self,
                                                             GAsyncResult               *result,
                                                             GError                    **error);
void                 wavry_host_controller_stop             (WavryHostController        *self);
gboolean             wavry_host_controller_get_active       (WavryHostController        *self);
/* NULL when stopped. */
GInetSocketAddress  *wavry_host_controller_get_local_address (WavryHostController       *self);
WavryHostDaemon     *wavry_host_controller_get_daemon       (WavryHostController        *self);
/* WavryHostClient items, updated live. */
GListModel          *wavry_host_controller_get_clients      (WavryHostController        *self);
void                 wavry_host_controller_disconnect       (WavryHostController        *self,
                                                             guint32                     alias);
/* The owner's answer to "approval-requested" (client_id, client_name). */
void                 wavry_host_controller_resolve_approval (WavryHostController        *self,
                                                             const char                 *client_id,
                                                             WavryApproval               decision);

/* How clients' keyboard and mouse reach this machine ("XTest on :99"), or
 * why they cannot; NULL before the first start. */
const char          *wavry_host_controller_get_input_description (WavryHostController *self);
/* What "Share this screen" captures: GNOME on Wayland through the
 * desktop portal (one dialog asks which monitor, and whether remote
 * devices may control it), an X11 session its X
 * display. WAVRY_CAPTURE overrides it (tests, or a user who knows better). */
const char          *wavry_host_controller_default_capture  (void);
/* The desktop portal's restore token ("restore-token", notified): set the
 * one saved from the last time before starting, so that a desktop which
 * remembered the answer shares without its dialog; after a start with the
 * portal it holds the token for the next time (NULL: none). Keep it
 * private: it lets this app share the screen without asking. */
void                 wavry_host_controller_set_restore_token (WavryHostController      *self,
                                                              const char               *token);
const char          *wavry_host_controller_get_restore_token (WavryHostController      *self);
/* Whether the running host is announced on the local network (mDNS). */
gboolean             wavry_host_controller_is_announced     (WavryHostController        *self);
/* Sessions of @client_id, those connected now and later ones, may watch
 * but not send keyboard or mouse input ("view only" in the approval
 * dialog); FALSE gives them control back. */
void                 wavry_host_controller_set_view_only    (WavryHostController        *self,
                                                             const char                 *client_id,
                                                             gboolean                    view_only);

G_END_DECLS
