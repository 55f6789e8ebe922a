/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <glib/gi18n.h>

#include "wavry-dmabuf.h"
#include "wavry-media-error.h"

static char *
fourcc_to_string (guint32 fourcc)
{
  char s[5];

  for (guint i = 0; i < 4; i++)
    {
      char c = (char) ((fourcc >> (8 * i)) & 0xff);

      s[i] = g_ascii_isprint (c) ? c : '?';
    }
  s[4] = '\0';
  return g_strdup (s);
}

/* Fills @out from plane @p of @desc, checking it against the object it
 * lives in. */
static gboolean
take_plane (const AVDRMFrameDescriptor *desc,
            const AVDRMPlaneDescriptor *p,
            guint32                     fourcc,
            guint                       width,
            guint                       height,
            guint                       bytes_per_pixel,
            WavryDmabufPlane           *out,
            GError                    **error)
{
  const AVDRMObjectDescriptor *object;

  if (p->object_index < 0 || p->object_index >= desc->nb_objects)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("DMA-BUF plane refers to object %d of %d"), p->object_index, desc->nb_objects);
      return FALSE;
    }
  object = &desc->objects[p->object_index];
  if (object->fd < 0)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                           _("DMA-BUF object without a file descriptor"));
      return FALSE;
    }
  if (p->offset < 0 || p->offset > G_MAXUINT32 || p->pitch <= 0 || p->pitch > G_MAXUINT32 ||
      (guint64) p->pitch < (guint64) width * bytes_per_pixel)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("DMA-BUF plane with offset %ld and pitch %ld cannot hold %u pixels a row"),
                   (long) p->offset, (long) p->pitch, width);
      return FALSE;
    }
  /* size 0: the exporter did not say; with a size, the plane must fit
   * (the last row only needs its pixels, tiled layouts pad further). */
  if (object->size != 0 &&
      (guint64) p->offset + (guint64) p->pitch * (height - 1) + (guint64) width * bytes_per_pixel >
        (guint64) object->size)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                   _("DMA-BUF plane runs past the end of its object (%lu bytes)"),
                   (gulong) object->size);
      return FALSE;
    }

  out->fourcc = fourcc;
  out->fd = object->fd;
  out->offset = (guint32) p->offset;
  out->pitch = (guint32) p->pitch;
  out->modifier = object->format_modifier;
  out->width = width;
  out->height = height;
  return TRUE;
}

gboolean
wavry_dmabuf_planes_from_drm (const AVDRMFrameDescriptor *desc,
                              guint                       width,
                              guint                       height,
                              WavryDmabufPlane            planes[2],
                              GError                    **error)
{
  g_return_val_if_fail (planes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (desc == NULL || desc->nb_objects < 1 || desc->nb_objects > AV_DRM_MAX_PLANES ||
      desc->nb_layers < 1 || desc->nb_layers > AV_DRM_MAX_PLANES)
    {
      g_set_error_literal (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED,
                           _("Empty or oversized DMA-BUF description"));
      return FALSE;
    }
  if (width == 0 || height == 0 || (width & 1) || (height & 1) ||
      width > WAVRY_VIDEO_FRAME_MAX_DIMENSION || height > WAVRY_VIDEO_FRAME_MAX_DIMENSION)
    {
      g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                   _("A DMA-BUF picture of %u×%u cannot be shown (even sizes up to %u only)"),
                   width, height, WAVRY_VIDEO_FRAME_MAX_DIMENSION);
      return FALSE;
    }

  if (desc->nb_layers == 2 &&
      desc->layers[0].format == WAVRY_DRM_FORMAT_R8 && desc->layers[0].nb_planes == 1 &&
      desc->layers[1].format == WAVRY_DRM_FORMAT_GR88 && desc->layers[1].nb_planes == 1)
    {
      return take_plane (desc, &desc->layers[0].planes[0], WAVRY_DRM_FORMAT_R8,
                         width, height, 1, &planes[0], error) &&
             take_plane (desc, &desc->layers[1].planes[0], WAVRY_DRM_FORMAT_GR88,
                         width / 2, height / 2, 2, &planes[1], error);
    }
  if (desc->nb_layers == 1 &&
      desc->layers[0].format == WAVRY_DRM_FORMAT_NV12 && desc->layers[0].nb_planes == 2)
    {
      /* the same memory seen as two single-plane images */
      return take_plane (desc, &desc->layers[0].planes[0], WAVRY_DRM_FORMAT_R8,
                         width, height, 1, &planes[0], error) &&
             take_plane (desc, &desc->layers[0].planes[1], WAVRY_DRM_FORMAT_GR88,
                         width / 2, height / 2, 2, &planes[1], error);
    }

  {
    g_autofree char *first = fourcc_to_string (desc->layers[0].format);

    g_set_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED,
                 _("DMA-BUF picture of %d layer(s), the first “%s” with %d plane(s): only NV12 "
                   "(R8 + GR88, or one NV12 layer) is imported"),
                 desc->nb_layers, first, desc->layers[0].nb_planes);
    return FALSE;
  }
}
