/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * The EGL side of DMA-BUF import, without EGL: attribute lists and what a
 * context must offer. */
#include "config.h"

#include <gio/gio.h>

#include "wavry-dmabuf-egl.h"

#define I915_Y_TILED_CCS ((G_GUINT64_CONSTANT (0x01) << 56) | 4)
#define AMD_DCC          ((G_GUINT64_CONSTANT (0x02) << 56) | G_GUINT64_CONSTANT (0x0000123400005678))

static const WavryDmabufPlane luma = {
  WAVRY_DRM_FORMAT_R8, 42, 0, 2048, WAVRY_DRM_FORMAT_MOD_LINEAR, 1920, 1080
};
static const WavryDmabufPlane chroma = {
  WAVRY_DRM_FORMAT_GR88, 43, 2048 * 1088, 2048, WAVRY_DRM_FORMAT_MOD_LINEAR, 960, 540
};

/* The value of @name in @attribs (EGL_NONE-terminated); asserts it is
 * there unless @absent is wanted. */
static EGLint
lookup (const EGLint *attribs, gsize n, EGLint name, gboolean *found)
{
  g_assert_cmpint (attribs[n - 1], ==, EGL_NONE);
  g_assert_cmpuint (n % 2, ==, 1);
  *found = FALSE;
  for (gsize i = 0; i + 1 < n; i += 2)
    if (attribs[i] == name)
      {
        *found = TRUE;
        return attribs[i + 1];
      }
  return 0;
}

static EGLint
value_of (const EGLint *attribs, gsize n, EGLint name)
{
  gboolean found;
  EGLint v = lookup (attribs, n, name, &found);

  g_assert_true (found);
  return v;
}

static gboolean
has (const EGLint *attribs, gsize n, EGLint name)
{
  gboolean found;

  lookup (attribs, n, name, &found);
  return found;
}

static void
test_linear (void)
{
  EGLint a[32];
  gsize n;
  g_autoptr(GError) error = NULL;

  /* with the modifiers extension: LINEAR is passed, as 0/0 */
  n = wavry_dmabuf_egl_attribs (&luma, TRUE, a, G_N_ELEMENTS (a), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 17);
  g_assert_cmpint (value_of (a, n, EGL_WIDTH), ==, 1920);
  g_assert_cmpint (value_of (a, n, EGL_HEIGHT), ==, 1080);
  g_assert_cmpint (value_of (a, n, EGL_LINUX_DRM_FOURCC_EXT), ==, (EGLint) WAVRY_DRM_FORMAT_R8);
  g_assert_cmpint (value_of (a, n, EGL_DMA_BUF_PLANE0_FD_EXT), ==, 42);
  g_assert_cmpint (value_of (a, n, EGL_DMA_BUF_PLANE0_OFFSET_EXT), ==, 0);
  g_assert_cmpint (value_of (a, n, EGL_DMA_BUF_PLANE0_PITCH_EXT), ==, 2048);
  g_assert_cmpint (value_of (a, n, EGL_DMA_BUF_PLANE0_MODIFIER_LO_EXT), ==, 0);
  g_assert_cmpint (value_of (a, n, EGL_DMA_BUF_PLANE0_MODIFIER_HI_EXT), ==, 0);
  g_assert_false (has (a, n, EGL_DMA_BUF_PLANE1_FD_EXT));

  /* without it: a linear buffer is imported with its implicit layout */
  n = wavry_dmabuf_egl_attribs (&chroma, FALSE, a, G_N_ELEMENTS (a), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 13);
  g_assert_cmpint (value_of (a, n, EGL_WIDTH), ==, 960);
  g_assert_cmpint (value_of (a, n, EGL_HEIGHT), ==, 540);
  g_assert_cmpint (value_of (a, n, EGL_LINUX_DRM_FOURCC_EXT), ==, (EGLint) WAVRY_DRM_FORMAT_GR88);
  g_assert_cmpint (value_of (a, n, EGL_DMA_BUF_PLANE0_FD_EXT), ==, 43);
  g_assert_cmpint (value_of (a, n, EGL_DMA_BUF_PLANE0_OFFSET_EXT), ==, 2048 * 1088);
  g_assert_false (has (a, n, EGL_DMA_BUF_PLANE0_MODIFIER_LO_EXT));
  g_assert_false (has (a, n, EGL_DMA_BUF_PLANE0_MODIFIER_HI_EXT));
}

static void
test_tiled (void)
{
  WavryDmabufPlane p = luma;
  EGLint a[32];
  gsize n;
  g_autoptr(GError) error = NULL;

  /* the 64-bit modifier split into its low and high 32 bits */
  p.modifier = AMD_DCC;
  n = wavry_dmabuf_egl_attribs (&p, TRUE, a, G_N_ELEMENTS (a), &error);
  g_assert_no_error (error);
  g_assert_cmphex ((guint32) value_of (a, n, EGL_DMA_BUF_PLANE0_MODIFIER_LO_EXT), ==, 0x00005678);
  g_assert_cmphex ((guint32) value_of (a, n, EGL_DMA_BUF_PLANE0_MODIFIER_HI_EXT), ==, 0x02001234);

  p.modifier = I915_Y_TILED_CCS;
  n = wavry_dmabuf_egl_attribs (&p, TRUE, a, G_N_ELEMENTS (a), &error);
  g_assert_no_error (error);
  g_assert_cmphex ((guint32) value_of (a, n, EGL_DMA_BUF_PLANE0_MODIFIER_LO_EXT), ==, 4);
  g_assert_cmphex ((guint32) value_of (a, n, EGL_DMA_BUF_PLANE0_MODIFIER_HI_EXT), ==, 0x01000000);

  /* a tiled buffer without the modifiers extension would be read as rows */
  n = wavry_dmabuf_egl_attribs (&p, FALSE, a, G_N_ELEMENTS (a), &error);
  g_assert_cmpuint (n, ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* INVALID (the exporter did not say): implicit, with or without the extension */
  p.modifier = WAVRY_DRM_FORMAT_MOD_INVALID;
  for (guint with = 0; with < 2; with++)
    {
      n = wavry_dmabuf_egl_attribs (&p, with, a, G_N_ELEMENTS (a), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, 13);
      g_assert_false (has (a, n, EGL_DMA_BUF_PLANE0_MODIFIER_LO_EXT));
    }
}

static void
test_bad (void)
{
  WavryDmabufPlane p;
  EGLint a[32];
  g_autoptr(GError) error = NULL;

  p = luma;
  p.fd = -1;
  g_assert_cmpuint (wavry_dmabuf_egl_attribs (&p, TRUE, a, G_N_ELEMENTS (a), &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  p = luma;
  p.pitch = 0;
  g_assert_cmpuint (wavry_dmabuf_egl_attribs (&p, TRUE, a, G_N_ELEMENTS (a), &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  p = luma;
  p.width = 0;
  g_assert_cmpuint (wavry_dmabuf_egl_attribs (&p, TRUE, a, G_N_ELEMENTS (a), &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  p = luma;
  p.offset = 0x80000000u;   /* does not fit an EGLint */
  g_assert_cmpuint (wavry_dmabuf_egl_attribs (&p, TRUE, a, G_N_ELEMENTS (a), &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* too small a list: nothing half-written is handed back */
  g_assert_cmpuint (wavry_dmabuf_egl_attribs (&luma, TRUE, a, 16, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (wavry_dmabuf_egl_attribs (&luma, FALSE, a, 13, &error), ==, 13);
  g_assert_no_error (error);
}

static void
test_unavailable (void)
{
  const char *full = "EGL_KHR_image_base EGL_EXT_image_dma_buf_import EGL_EXT_image_dma_buf_import_modifiers";
  char *reason;

  g_assert_null (wavry_dmabuf_egl_unavailable_reason (TRUE, full, TRUE));

  reason = wavry_dmabuf_egl_unavailable_reason (FALSE, NULL, TRUE);
  g_assert_nonnull (strstr (reason, "GLX"));
  g_free (reason);

  /* what Mesa's llvmpipe offers on X11 (Debian 12): no DMA-BUF import */
  reason = wavry_dmabuf_egl_unavailable_reason (TRUE, "EGL_KHR_image_base EGL_KHR_gl_texture_2D_image "
                                                      "EGL_MESA_drm_image", TRUE);
  g_assert_cmpstr (reason, ==, "EGL has no EGL_EXT_image_dma_buf_import");
  g_free (reason);

  /* a longer name that only starts with the one needed does not count */
  reason = wavry_dmabuf_egl_unavailable_reason (TRUE, "EGL_KHR_image_base EGL_EXT_image_dma_buf_import_modifiers", TRUE);
  g_assert_cmpstr (reason, ==, "EGL has no EGL_EXT_image_dma_buf_import");
  g_free (reason);

  reason = wavry_dmabuf_egl_unavailable_reason (TRUE, "EGL_EXT_image_dma_buf_import", TRUE);
  g_assert_cmpstr (reason, ==, "EGL has no EGL_KHR_image_base");
  g_free (reason);

  reason = wavry_dmabuf_egl_unavailable_reason (TRUE, full, FALSE);
  g_assert_cmpstr (reason, ==, "GL has no GL_OES_EGL_image");
  g_free (reason);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/ui/dmabuf-egl/linear", test_linear);
  g_test_add_func ("/wavry/ui/dmabuf-egl/tiled", test_tiled);
  g_test_add_func ("/wavry/ui/dmabuf-egl/bad", test_bad);
  g_test_add_func ("/wavry/ui/dmabuf-egl/unavailable", test_unavailable);
  return g_test_run ();
}
