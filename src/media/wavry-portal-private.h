/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* xdg-desktop-portal, shared by the ScreenCast capture and the
 * RemoteDesktop input injector. */
#define WAVRY_PORTAL_BUS_NAME    "org.freedesktop.portal.Desktop"
#define WAVRY_PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
/* How long the user may take to answer a portal dialog. */
#define WAVRY_PORTAL_TIMEOUT_US  (5 * 60 * G_USEC_PER_SEC)

typedef enum
{
  WAVRY_PORTAL_ANSWERED,       /* Response 0: the results are returned */
  WAVRY_PORTAL_CALL_FAILED,    /* the method call itself failed: @call_error says why */
  WAVRY_PORTAL_DENIED,         /* Response 1: the user cancelled the dialog */
  WAVRY_PORTAL_REFUSED,        /* another Response code */
  WAVRY_PORTAL_NO_ANSWER,      /* no Response before WAVRY_PORTAL_TIMEOUT_US */
  WAVRY_PORTAL_CANCELLED,      /* @cancellable was cancelled while waiting */
} WavryPortalOutcome;

/* Calls @iface.@method on the portal, a method that answers through a
 * Request object, and waits (iterating a private main context) for its
 * Response. The arguments are @options (handle_token is added here),
 * preceded by @session for methods other than CreateSession, and followed
 * for Start by the empty parent window. @counter makes the request tokens
 * unique per caller. A request left unanswered is closed (the dialog is
 * withdrawn). Returns the outcome; *results holds the results when
 * ANSWERED. */
WavryPortalOutcome wavry_portal_request (GDBusConnection  *bus,
                                         guint            *counter,
                                         const char       *iface,
                                         const char       *method,
                                         const char       *session,
                                         GVariantBuilder  *options,
                                         int               call_timeout_ms,
                                         GCancellable     *cancellable,
                                         GVariant        **results,
                                         GError          **call_error);

/* The portal's @iface.@name property (a u, such as "version" or
 * "AvailableCursorModes"), or @fallback when it has none. */
guint32 wavry_portal_get_uint_property (GDBusConnection *bus,
                                        const char      *iface,
                                        const char      *name,
                                        guint32          fallback);

G_END_DECLS
