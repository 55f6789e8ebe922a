/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WAVRY_NET_ERROR (wavry_net_error_quark ())

typedef enum /*< prefix=WAVRY_NET_ERROR >*/
{
  WAVRY_NET_ERROR_FAILED,
  WAVRY_NET_ERROR_INVALID_ADDRESS,  /* not HOST:PORT */
  WAVRY_NET_ERROR_RESOLVE,          /* the name does not resolve */
  WAVRY_NET_ERROR_BIND,             /* cannot listen there */
  WAVRY_NET_ERROR_SEND,
} WavryNetError;

GQuark wavry_net_error_quark (void);

G_END_DECLS
