/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include "wavry-capture.h"

G_BEGIN_DECLS

/**
 * WavryCapturePipewire:
 *
 * Captures a PipeWire video node (a screen cast from Mutter or the portal, a
 * camera, any "Video/Source"). It runs its own pw_thread_loop, negotiates
 * BGRx, RGBx, NV12 or I420 at whatever size and rate the node offers, copies
 * each buffer (mapped SHM/MemFd, or a linear DMA-BUF) into a WavryVideoFrame
 * and pushes it. The node going away or the stream failing ends the capture
 * with an error.
 */
#define WAVRY_TYPE_CAPTURE_PIPEWIRE (wavry_capture_pipewire_get_type ())
G_DECLARE_FINAL_TYPE (WavryCapturePipewire, wavry_capture_pipewire, WAVRY, CAPTURE_PIPEWIRE, WavryCapture)

/* @target is the argument of "pipewire:TARGET": a decimal node id (as
 * pw-dump, pw-cli or Mutter's PipeWireStreamAdded give it), else a node's
 * object.serial when no node has that id, or a node name (node.name). Nothing connects before wavry_capture_start(), which fails
 * with "cannot connect to PipeWire: …" without a daemon and within about 2 s
 * when no such node exists. NULL with @error set when @target is empty. */
WavryCapture *wavry_capture_pipewire_new (const char  *target,
                                          GError     **error);

/* The xdg-desktop-portal ScreenCast flow ("pipewire" alone): start() asks
 * the portal for a session (CreateSession, SelectSources for one monitor
 * with the cursor embedded when offered, Start — the user picks the screen
 * in the desktop's dialog, so start() may block for minutes —
 * OpenPipeWireRemote) and captures the node it names over the fd it gives.
 * stop() closes the portal session. */
WavryCapture *wavry_capture_pipewire_new_portal (void);

/* Captures @node_id over @fd, a PipeWire connection that a portal session
 * owned by someone else gave (the RemoteDesktop portal injector's
 * OpenPipeWireRemote): one dialog for screen and input. Takes @fd, which
 * serves one start(); the session stays its owner's to close. */
WavryCapture *wavry_capture_pipewire_new_for_remote (int     fd,
                                                    guint32 node_id);

/* One spa_data of a buffer as the producer described it: the mapped memory
 * (@maxsize bytes) and its chunk (@offset, @size, @stride). Untrusted: the
 * copy checks every plane against @maxsize. */
typedef struct
{
  const guint8 *data;
  gsize         maxsize;
  guint32       offset;
  guint32       size;
  gint32        stride;
} WavryPipewirePlane;

/* Copies a buffer of @n_datas spa_datas into a new frame. Multi-planar
 * formats come either as one data per plane or as one data holding all
 * planes one after the other (chroma stride derived from the luma stride).
 * NULL with WAVRY_MEDIA_ERROR_MALFORMED when a stride is too small or a
 * plane lies outside its memory. */
WavryVideoFrame *wavry_capture_pipewire_copy_frame (WavryPixelFormat          format,
                                                    guint                     width,
                                                    guint                     height,
                                                    const WavryPipewirePlane *datas,
                                                    guint                     n_datas,
                                                    GError                  **error);

G_END_DECLS
