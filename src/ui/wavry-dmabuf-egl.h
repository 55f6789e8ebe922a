/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <epoxy/egl.h>
#include <glib.h>

#include "wavry-video-frame.h"

G_BEGIN_DECLS

/* The attribute list for eglCreateImageKHR (…, EGL_LINUX_DMA_BUF_EXT, NULL,
 * attribs) that imports @plane as a single-plane image
 * (EGL_EXT_image_dma_buf_import). @with_modifiers: the display has
 * EGL_EXT_image_dma_buf_import_modifiers; the plane's modifier is then
 * passed as PLANE0_MODIFIER_LO/HI, except WAVRY_DRM_FORMAT_MOD_INVALID
 * (implicit layout), which is never passed. Without the extension only an
 * implicit or linear layout can be imported (linear: the buffer's own
 * layout is linear, so leaving it implicit is right); a tiled or compressed
 * modifier is refused, since the driver would read the tiles as rows.
 *
 * Writes at most @n_attribs entries, the last EGL_NONE, and returns how many;
 * 0 with G_IO_ERROR_NOT_SUPPORTED (that modifier without the extension) or
 * G_IO_ERROR_INVALID_ARGUMENT (a plane that cannot be right, or @n_attribs
 * too small). Pure: no EGL call. */
gsize wavry_dmabuf_egl_attribs (const WavryDmabufPlane  *plane,
                                gboolean                 with_modifiers,
                                EGLint                  *attribs,
                                gsize                    n_attribs,
                                GError                 **error);

/* Why a GL context cannot import DMA-BUFs, from what it offers: NULL when it
 * can. @egl: the context is an EGL one (not GLX). The extension lists are
 * space-separated as EGL and GL report them. Pure, for the presenter's
 * probe and for tests. */
char *wavry_dmabuf_egl_unavailable_reason (gboolean    egl,
                                           const char *egl_extensions,
                                           gboolean    gl_oes_egl_image);

G_END_DECLS
