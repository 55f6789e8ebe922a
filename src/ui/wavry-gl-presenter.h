/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <gtk/gtk.h>

#include "wavry-video-frame.h"

G_BEGIN_DECLS

/* Presents decoded frames (I420 or NV12) in a GtkGLArea: the planes are
 * uploaded as GL_R8 / GL_RG8 textures, converted from BT.709 limited range
 * to RGB in a fragment shader and aspect-fitted (black bars) in the area.
 * Frames may be pushed from any thread; only the newest one pushed before a
 * frame-clock tick is presented, the others are dropped. */
typedef enum
{
  WAVRY_GL_PRESENTER_PATH_NONE,        /* nothing shown yet */
  WAVRY_GL_PRESENTER_PATH_CPU_UPLOAD,  /* planes in memory, uploaded */
  WAVRY_GL_PRESENTER_PATH_GPU_IMPORT,  /* DMA-BUF planes imported as EGLImages, no copy */
} WavryGlPresenterPath;

#define WAVRY_TYPE_GL_PRESENTER (wavry_gl_presenter_get_type ())
G_DECLARE_FINAL_TYPE (WavryGlPresenter, wavry_gl_presenter, WAVRY, GL_PRESENTER, GtkGLArea)

GtkWidget *wavry_gl_presenter_new                (void);
/* Thread-safe. Keeps a reference to @frame until a newer one replaces it
 * (a DMA-BUF frame: until the one after, as GL may still read it).
 * Frames in another format (BGRX, RGBX) are refused and counted. A
 * DMA-BUF frame that cannot be imported is dropped (the last picture
 * stays) and turns "dmabuf-import" off. The
 * caller keeps @self alive while another thread may push (e.g. detach the
 * WavryClientMedia whose frame func pushes before destroying the window). */
void       wavry_gl_presenter_push_frame         (WavryGlPresenter *self,
                                                  WavryVideoFrame  *frame);
/* Frames drawn on screen, counted on the render that uploads them (the last
 * frame, uploaded again into a new context after a re-realize, counts again). */
guint64    wavry_gl_presenter_get_presented_count (WavryGlPresenter *self);
/* Frames pushed, and frames refused (wrong format) by push_frame. Thread-safe. */
guint64    wavry_gl_presenter_get_pushed_count   (WavryGlPresenter *self);
guint64    wavry_gl_presenter_get_refused_count  (WavryGlPresenter *self);
/* g_get_monotonic_time() of the last render that drew a new frame; 0 = none. */
gint64     wavry_gl_presenter_get_last_present_time (WavryGlPresenter *self);
/* Push → present of the last presented frame (µs; -1 = none yet): the
 * decode-to-present latency when frames are pushed as they are decoded. */
gint64     wavry_gl_presenter_get_last_latency   (WavryGlPresenter *self);
/* Size of the last presented frame; FALSE when none was presented yet. */
gboolean   wavry_gl_presenter_get_frame_size     (WavryGlPresenter *self,
                                                  guint            *width,
                                                  guint            *height);
/* The picture's rectangle inside the widget (widget coordinates) for the
 * last presented frame; FALSE when none was presented yet. */
gboolean   wavry_gl_presenter_get_picture_rect   (WavryGlPresenter *self,
                                                  graphene_rect_t  *rect);

/* How the picture on screen got there. Main thread. */
WavryGlPresenterPath wavry_gl_presenter_get_path  (WavryGlPresenter *self);
/* "GPU import", "CPU upload" (translated), "–" for none. */
const char *wavry_gl_presenter_path_to_string     (WavryGlPresenterPath path);
/* The "dmabuf-import" property: whether DMA-BUF frames may be pushed (an
 * EGL context with EGL_EXT_image_dma_buf_import and GL_OES_EGL_image, and
 * no import failed). Main thread. */
gboolean   wavry_gl_presenter_get_dmabuf_import  (WavryGlPresenter *self);
/* Why DMA-BUFs are not imported (the line logged once); NULL while they
 * are, or before the first realize. Main thread. */
const char *wavry_gl_presenter_get_dmabuf_unavailable_reason (WavryGlPresenter *self);

/* Aspect fit of a @frame_width × @frame_height picture, centred in an
 * @area_width × @area_height area (the rest are the black bars). */
void       wavry_gl_presenter_fit                (guint            frame_width,
                                                  guint            frame_height,
                                                  double           area_width,
                                                  double           area_height,
                                                  graphene_rect_t *rect);

G_END_DECLS
