/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "wavry-dmabuf-egl.h"

#define N_ATTRIBS_MAX 17   /* 8 pairs and EGL_NONE */

gsize
wavry_dmabuf_egl_attribs (const WavryDmabufPlane  *plane,
                          gboolean                 with_modifiers,
                          EGLint                  *attribs,
                          gsize                    n_attribs,
                          GError                 **error)
{
  EGLint list[N_ATTRIBS_MAX];
  gsize n = 0;
  gboolean explicit_modifier;

  g_return_val_if_fail (plane != NULL, 0);
  g_return_val_if_fail (attribs != NULL || n_attribs == 0, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (plane->fd < 0 || plane->width == 0 || plane->height == 0 || plane->pitch == 0 ||
      plane->width > G_MAXINT32 || plane->height > G_MAXINT32 ||
      plane->pitch > G_MAXINT32 || plane->offset > G_MAXINT32)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "DMA-BUF plane with fd %d, %u×%u, pitch %u, offset %u cannot be imported",
                   plane->fd, plane->width, plane->height, plane->pitch, plane->offset);
      return 0;
    }

  explicit_modifier = plane->modifier != WAVRY_DRM_FORMAT_MOD_INVALID;
  if (explicit_modifier && !with_modifiers && plane->modifier != WAVRY_DRM_FORMAT_MOD_LINEAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "DMA-BUF plane with modifier 0x%016" G_GINT64_MODIFIER "x, and EGL has no "
                   "EGL_EXT_image_dma_buf_import_modifiers", plane->modifier);
      return 0;
    }

  list[n++] = EGL_WIDTH;
  list[n++] = (EGLint) plane->width;
  list[n++] = EGL_HEIGHT;
  list[n++] = (EGLint) plane->height;
  list[n++] = EGL_LINUX_DRM_FOURCC_EXT;
  list[n++] = (EGLint) plane->fourcc;
  list[n++] = EGL_DMA_BUF_PLANE0_FD_EXT;
  list[n++] = plane->fd;
  list[n++] = EGL_DMA_BUF_PLANE0_OFFSET_EXT;
  list[n++] = (EGLint) plane->offset;
  list[n++] = EGL_DMA_BUF_PLANE0_PITCH_EXT;
  list[n++] = (EGLint) plane->pitch;
  if (explicit_modifier && with_modifiers)
    {
      list[n++] = EGL_DMA_BUF_PLANE0_MODIFIER_LO_EXT;
      list[n++] = (EGLint) (plane->modifier & 0xffffffff);
      list[n++] = EGL_DMA_BUF_PLANE0_MODIFIER_HI_EXT;
      list[n++] = (EGLint) (plane->modifier >> 32);
    }
  list[n++] = EGL_NONE;
  g_assert (n <= N_ATTRIBS_MAX);

  if (n > n_attribs)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%lu attributes do not fit in %lu", (gulong) n, (gulong) n_attribs);
      return 0;
    }
  memcpy (attribs, list, n * sizeof *list);
  return n;
}

static gboolean
has_word (const char *list,
          const char *word)
{
  gsize len = strlen (word);

  for (const char *p = list; p != NULL && (p = strstr (p, word)) != NULL; p += len)
    if ((p == list || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' '))
      return TRUE;
  return FALSE;
}

char *
wavry_dmabuf_egl_unavailable_reason (gboolean    egl,
                                     const char *egl_extensions,
                                     gboolean    gl_oes_egl_image)
{
  static const char * const needed[] = {
    "EGL_KHR_image_base",
    "EGL_EXT_image_dma_buf_import",
  };

  if (!egl)
    return g_strdup ("the GL context is not an EGL one (GLX)");
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    if (!has_word (egl_extensions, needed[i]))
      return g_strdup_printf ("EGL has no %s", needed[i]);
  if (!gl_oes_egl_image)
    return g_strdup ("GL has no GL_OES_EGL_image");
  return NULL;
}
