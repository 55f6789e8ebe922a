/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers
 *
 * DRM PRIME descriptions (what av_hwframe_map gives for a VA-API surface)
 * to the planes the presenter imports, and DMA-BUF video frames. */
#include "config.h"

#include "wavry-dmabuf.h"
#include "wavry-media-error.h"

#define I915_X_TILED ((G_GUINT64_CONSTANT (0x01) << 56) | 1)   /* I915_FORMAT_MOD_X_TILED */

/* 1920×1080 decoded into a 1920×1088 surface, as VA-API exports it with
 * separate layers: R8 and GR88, one object (one BO) for both. */
static AVDRMFrameDescriptor
two_layers (guint64 modifier)
{
  AVDRMFrameDescriptor d = { 0 };

  d.nb_objects = 1;
  d.objects[0].fd = 42;
  d.objects[0].size = 2048 * 1088 * 3 / 2;
  d.objects[0].format_modifier = modifier;
  d.nb_layers = 2;
  d.layers[0].format = WAVRY_DRM_FORMAT_R8;
  d.layers[0].nb_planes = 1;
  d.layers[0].planes[0].object_index = 0;
  d.layers[0].planes[0].offset = 0;
  d.layers[0].planes[0].pitch = 2048;
  d.layers[1].format = WAVRY_DRM_FORMAT_GR88;
  d.layers[1].nb_planes = 1;
  d.layers[1].planes[0].object_index = 0;
  d.layers[1].planes[0].offset = 2048 * 1088;
  d.layers[1].planes[0].pitch = 2048;
  return d;
}

static void
assert_plane (const WavryDmabufPlane *p,
              guint32                 fourcc,
              int                     fd,
              guint32                 offset,
              guint32                 pitch,
              guint64                 modifier,
              guint                   width,
              guint                   height)
{
  g_assert_cmphex (p->fourcc, ==, fourcc);
  g_assert_cmpint (p->fd, ==, fd);
  g_assert_cmpuint (p->offset, ==, offset);
  g_assert_cmpuint (p->pitch, ==, pitch);
  g_assert_cmphex (p->modifier, ==, modifier);
  g_assert_cmpuint (p->width, ==, width);
  g_assert_cmpuint (p->height, ==, height);
}

static void
test_two_layers (void)
{
  AVDRMFrameDescriptor linear = two_layers (WAVRY_DRM_FORMAT_MOD_LINEAR);
  AVDRMFrameDescriptor tiled = two_layers (I915_X_TILED);
  WavryDmabufPlane planes[2];
  g_autoptr(GError) error = NULL;

  g_assert_true (wavry_dmabuf_planes_from_drm (&linear, 1920, 1080, planes, &error));
  g_assert_no_error (error);
  assert_plane (&planes[0], WAVRY_DRM_FORMAT_R8, 42, 0, 2048, 0, 1920, 1080);
  assert_plane (&planes[1], WAVRY_DRM_FORMAT_GR88, 42, 2048 * 1088, 2048, 0, 960, 540);

  g_assert_true (wavry_dmabuf_planes_from_drm (&tiled, 1920, 1080, planes, &error));
  g_assert_no_error (error);
  assert_plane (&planes[0], WAVRY_DRM_FORMAT_R8, 42, 0, 2048, I915_X_TILED, 1920, 1080);
  assert_plane (&planes[1], WAVRY_DRM_FORMAT_GR88, 42, 2048 * 1088, 2048, I915_X_TILED, 960, 540);

  /* chroma in a second object (a BO per layer), with its own modifier */
  tiled.nb_objects = 2;
  tiled.objects[1].fd = 43;
  tiled.objects[1].size = 0;   /* unknown: not checked */
  tiled.objects[1].format_modifier = WAVRY_DRM_FORMAT_MOD_INVALID;
  tiled.layers[1].planes[0].object_index = 1;
  tiled.layers[1].planes[0].offset = 0;
  g_assert_true (wavry_dmabuf_planes_from_drm (&tiled, 1920, 1080, planes, &error));
  g_assert_no_error (error);
  assert_plane (&planes[1], WAVRY_DRM_FORMAT_GR88, 43, 0, 2048, WAVRY_DRM_FORMAT_MOD_INVALID, 960, 540);
}

static void
test_one_layer (void)
{
  AVDRMFrameDescriptor d = { 0 };
  WavryDmabufPlane planes[2];
  g_autoptr(GError) error = NULL;

  /* one NV12 layer with two planes (a composed export), 640×480 */
  d.nb_objects = 1;
  d.objects[0].fd = 7;
  d.objects[0].size = 0;
  d.objects[0].format_modifier = WAVRY_DRM_FORMAT_MOD_LINEAR;
  d.nb_layers = 1;
  d.layers[0].format = WAVRY_DRM_FORMAT_NV12;
  d.layers[0].nb_planes = 2;
  d.layers[0].planes[0].pitch = 640;
  d.layers[0].planes[1].offset = 640 * 480;
  d.layers[0].planes[1].pitch = 640;
  g_assert_true (wavry_dmabuf_planes_from_drm (&d, 640, 480, planes, &error));
  g_assert_no_error (error);
  assert_plane (&planes[0], WAVRY_DRM_FORMAT_R8, 7, 0, 640, 0, 640, 480);
  assert_plane (&planes[1], WAVRY_DRM_FORMAT_GR88, 7, 640 * 480, 640, 0, 320, 240);
}

static void
test_rejected (void)
{
  WavryDmabufPlane planes[2];
  g_autoptr(GError) error = NULL;
  AVDRMFrameDescriptor d;

  g_assert_false (wavry_dmabuf_planes_from_drm (NULL, 1920, 1080, planes, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);

  d = two_layers (0);
  d.nb_layers = 0;
  g_assert_false (wavry_dmabuf_planes_from_drm (&d, 1920, 1080, planes, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);

  d = two_layers (0);
  d.nb_objects = 5;
  g_assert_false (wavry_dmabuf_planes_from_drm (&d, 1920, 1080, planes, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);

  /* a plane in an object that is not there */
  d = two_layers (0);
  d.layers[1].planes[0].object_index = 1;
  g_assert_false (wavry_dmabuf_planes_from_drm (&d, 1920, 1080, planes, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);

  d = two_layers (0);
  d.objects[0].fd = -1;
  g_assert_false (wavry_dmabuf_planes_from_drm (&d, 1920, 1080, planes, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);

  /* rows narrower than the picture */
  d = two_layers (0);
  d.layers[0].planes[0].pitch = 1024;
  g_assert_false (wavry_dmabuf_planes_from_drm (&d, 1920, 1080, planes, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);

  /* chroma past the end of the object */
  d = two_layers (0);
  d.layers[1].planes[0].offset = 2048 * 1088 * 3 / 2 - 100;
  g_assert_false (wavry_dmabuf_planes_from_drm (&d, 1920, 1080, planes, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_MALFORMED);
  g_clear_error (&error);

  /* 10-bit (P010 as R16 + GR1616): not imported */
  d = two_layers (0);
  d.layers[0].format = WAVRY_DRM_FOURCC ('R', '1', '6', ' ');
  d.layers[1].format = WAVRY_DRM_FOURCC ('G', 'R', '3', '2');
  g_assert_false (wavry_dmabuf_planes_from_drm (&d, 1920, 1080, planes, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* layers swapped */
  d = two_layers (0);
  d.layers[0].format = WAVRY_DRM_FORMAT_GR88;
  d.layers[1].format = WAVRY_DRM_FORMAT_R8;
  g_assert_false (wavry_dmabuf_planes_from_drm (&d, 1920, 1080, planes, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* an NV12 layer that claims one plane */
  d = two_layers (0);
  d.nb_layers = 1;
  d.layers[0].format = WAVRY_DRM_FORMAT_NV12;
  g_assert_false (wavry_dmabuf_planes_from_drm (&d, 1920, 1080, planes, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* odd or empty sizes */
  d = two_layers (0);
  g_assert_false (wavry_dmabuf_planes_from_drm (&d, 1919, 1080, planes, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (wavry_dmabuf_planes_from_drm (&d, 0, 0, planes, &error));
  g_assert_error (error, WAVRY_MEDIA_ERROR, WAVRY_MEDIA_ERROR_UNSUPPORTED);
  g_clear_error (&error);
}

static void
count_release (gpointer data)
{
  (*(guint *) data)++;
}

static void
test_frame (void)
{
  AVDRMFrameDescriptor d = two_layers (I915_X_TILED);
  WavryDmabufPlane planes[2];
  const WavryDmabufPlane *got;
  WavryVideoFrame *frame;
  guint released = 0;
  guint n = 99;

  g_assert_true (wavry_dmabuf_planes_from_drm (&d, 1920, 1080, planes, NULL));
  frame = wavry_video_frame_new_dmabuf (WAVRY_PIXEL_FORMAT_NV12, 1920, 1080, planes, 2,
                                        &released, count_release);
  g_assert_nonnull (frame);
  g_assert_true (wavry_video_frame_is_dmabuf (frame));
  g_assert_cmpint (wavry_video_frame_get_format (frame), ==, WAVRY_PIXEL_FORMAT_NV12);
  g_assert_cmpuint (wavry_video_frame_get_width (frame), ==, 1920);
  g_assert_cmpuint (wavry_video_frame_get_height (frame), ==, 1080);
  g_assert_cmpuint (wavry_video_frame_get_n_planes (frame), ==, 0);
  got = wavry_video_frame_get_dmabuf_planes (frame, &n);
  g_assert_cmpuint (n, ==, 2);
  assert_plane (&got[1], WAVRY_DRM_FORMAT_GR88, 42, 2048 * 1088, 2048, I915_X_TILED, 960, 540);

  /* the owner (the mapped AVFrame) goes with the last reference */
  wavry_video_frame_ref (frame);
  wavry_video_frame_unref (frame);
  g_assert_cmpuint (released, ==, 0);
  wavry_video_frame_unref (frame);
  g_assert_cmpuint (released, ==, 1);

  /* descriptions that do not make an NV12 frame: refused, owner kept */
  g_assert_null (wavry_video_frame_new_dmabuf (WAVRY_PIXEL_FORMAT_I420, 1920, 1080, planes, 2,
                                               &released, count_release));
  g_assert_null (wavry_video_frame_new_dmabuf (WAVRY_PIXEL_FORMAT_NV12, 1920, 1080, planes, 1,
                                               &released, count_release));
  g_assert_null (wavry_video_frame_new_dmabuf (WAVRY_PIXEL_FORMAT_NV12, 1280, 720, planes, 2,
                                               &released, count_release));
  planes[1].fd = -1;
  g_assert_null (wavry_video_frame_new_dmabuf (WAVRY_PIXEL_FORMAT_NV12, 1920, 1080, planes, 2,
                                               &released, count_release));
  g_assert_cmpuint (released, ==, 1);

  /* a frame in memory is not one */
  {
    g_autoptr(WavryVideoFrame) memory = wavry_video_frame_new (WAVRY_PIXEL_FORMAT_NV12, 64, 64);

    g_assert_false (wavry_video_frame_is_dmabuf (memory));
    g_assert_null (wavry_video_frame_get_dmabuf_planes (memory, &n));
    g_assert_cmpuint (n, ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/media/dmabuf/two-layers", test_two_layers);
  g_test_add_func ("/wavry/media/dmabuf/one-layer", test_one_layer);
  g_test_add_func ("/wavry/media/dmabuf/rejected", test_rejected);
  g_test_add_func ("/wavry/media/dmabuf/frame", test_frame);
  return g_test_run ();
}
