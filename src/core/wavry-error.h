/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WAVRY_RIFT_ERROR (wavry_rift_error_quark ())

/**
 * WavryRiftError:
 * @WAVRY_RIFT_ERROR_FAILED: generic failure
 * @WAVRY_RIFT_ERROR_MALFORMED: input did not parse (header, message, key file)
 * @WAVRY_RIFT_ERROR_DECRYPT: authentication or decryption failed
 * @WAVRY_RIFT_ERROR_HANDSHAKE: the Noise handshake failed
 * @WAVRY_RIFT_ERROR_IDENTITY_MISMATCH: the peer proved a different Wavry ID than expected
 * @WAVRY_RIFT_ERROR_REFUSED: the peer refused the session (reason in the message)
 * @WAVRY_RIFT_ERROR_VERSION: the peer speaks another protocol version
 * @WAVRY_RIFT_ERROR_TIMED_OUT: no answer in time
 * @WAVRY_RIFT_ERROR_INVALID_KEY: a key is malformed or of the wrong kind
 * @WAVRY_RIFT_ERROR_CLOSED: the session is closed
 */
typedef enum /*< prefix=WAVRY_RIFT_ERROR >*/
{
  WAVRY_RIFT_ERROR_FAILED,
  WAVRY_RIFT_ERROR_MALFORMED,
  WAVRY_RIFT_ERROR_DECRYPT,
  WAVRY_RIFT_ERROR_HANDSHAKE,
  WAVRY_RIFT_ERROR_IDENTITY_MISMATCH,
  WAVRY_RIFT_ERROR_REFUSED,
  WAVRY_RIFT_ERROR_VERSION,
  WAVRY_RIFT_ERROR_TIMED_OUT,
  WAVRY_RIFT_ERROR_INVALID_KEY,
  WAVRY_RIFT_ERROR_CLOSED,
} WavryRiftError;

GQuark wavry_rift_error_quark (void);

G_END_DECLS
