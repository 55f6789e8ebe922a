/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#pragma once

#include <glib.h>
#include <libavutil/hwcontext_drm.h>

#include "wavry-video-frame.h"

G_BEGIN_DECLS

/* What a DRM PRIME export of a decoded NV12 picture looks like, as the
 * planes to import one by one (R8 luma, GR88 chroma). Two shapes are
 * accepted: two layers R8 + GR88 of one plane each (VA-API's
 * VA_EXPORT_SURFACE_SEPARATE_LAYERS, what av_hwframe_map to DRM_PRIME
 * gives), or one NV12 layer with two planes (a composed export). Anything
 * else (10-bit, more planes, fds or pitches that cannot be right) is
 * refused with WAVRY_MEDIA_ERROR_UNSUPPORTED or _MALFORMED, and the caller
 * downloads the picture instead. @width × @height is the picture's size
 * (even). The fds are not duplicated: they stay the descriptor's. */
gboolean wavry_dmabuf_planes_from_drm (const AVDRMFrameDescriptor *desc,
                                       guint                       width,
                                       guint                       height,
                                       WavryDmabufPlane            planes[2],
                                       GError                    **error);

G_END_DECLS
