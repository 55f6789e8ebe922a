/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry points. Every tests/fuzz/fuzz-<name>.c includes this header and
 * defines LLVMFuzzerTestOneInput(); it may also define LLVMFuzzerInitialize(). The same
 * file is linked with libFuzzer (-Dfuzzing=true) or with standalone-main.c, which replays
 * the corpus in ordinary builds. */
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);
