/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <adwaita.h>

#include "wavry-client-session.h"
#include "wavry-identity.h"
#include "wavry-mdns-browser.h"

G_BEGIN_DECLS

#define WAVRY_TYPE_CONNECT_PAGE (wavry_connect_page_get_type ())
G_DECLARE_FINAL_TYPE (WavryConnectPage, wavry_connect_page, WAVRY, CONNECT_PAGE, GtkWidget)

GtkWidget          *wavry_connect_page_new          (void);
/* The identity this device connects as (NULL: connecting is disabled). */
void                wavry_connect_page_set_identity (WavryConnectPage *self,
                                                     WavryIdentity    *identity);
/* Discovery (started when the page is mapped; NULL before). */
WavryMdnsBrowser   *wavry_connect_page_get_browser  (WavryConnectPage *self);
/* Connects to @address as a person does from the page (the progress row
 * shows the stages; the stream window opens when connected). */
void                wavry_connect_page_connect      (WavryConnectPage *self,
                                                     const char       *address,
                                                     const char       *expected_id,
                                                     const char       *host_name);
/* The session of the last stream window opened (NULL: none). */
WavryClientSession *wavry_connect_page_get_session  (WavryConnectPage *self);
GtkWindow          *wavry_connect_page_get_stream_window (WavryConnectPage *self);

G_END_DECLS
