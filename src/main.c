/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib.h>

int
main (int   argc,
      char *argv[])
{
  return 0;
}
