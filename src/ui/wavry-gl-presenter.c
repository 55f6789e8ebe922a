/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <epoxy/egl.h>
#include <epoxy/gl.h>
#include <glib/gi18n.h>
#include <string.h>

#include "wavry-dmabuf-egl.h"
#include "wavry-gl-presenter.h"

/* The GL side runs on the main thread only (realize, render, unrealize, the
 * tick callback); push_frame is the only entry point from other threads and
 * touches nothing but the mutex-protected pending slot and counters.
 *
 * Two ways in: a frame in memory is uploaded (glTexSubImage2D per plane);
 * a DMA-BUF frame (VA-API NV12 left on the GPU) is imported without a copy,
 * each plane as an EGLImage (R8 luma, GR88 chroma) bound to a texture, and
 * drawn by the same shader. Import needs an EGL context with
 * EGL_EXT_image_dma_buf_import and GL_OES_EGL_image; "dmabuf-import" says
 * whether the producer may send DMA-BUFs. When it may not, or an import
 * fails, the reason is logged once and the property goes FALSE for good, so
 * the producer sends frames in memory from then on. */

enum
{
  PROP_0,
  PROP_DMABUF_IMPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _WavryGlPresenter
{
  GtkGLArea parent_instance;

  GMutex           lock;
  WavryVideoFrame *pending;        /* newest pushed frame, not taken by a tick yet */
  gint64           pending_push_us;
  guint64          pushed;
  guint64          refused;

  /* main thread */
  WavryVideoFrame *next;           /* taken by a tick, shown by the next render */
  gint64           next_push_us;
  WavryVideoFrame *current;        /* the frame on screen */
  WavryVideoFrame *retired;        /* the one before: GL may still read its DMA-BUFs */
  WavryGlPresenterPath path;       /* how current got into the textures */
  gboolean         current_nv12;
  guint            tick_id;
  guint64          presented;
  gint64           last_present_us;
  gint64           last_latency_us;
  guint            frame_width;
  guint            frame_height;

  /* GL objects, valid between realize and unrealize */
  GLuint  program;
  GLuint  vao;
  GLuint  textures[3];
  guint   tex_width[3];
  guint   tex_height[3];
  GLenum  tex_format[3];
  GLint   u_nv12;

  /* DMA-BUF import, probed at realize */
  gboolean     dmabuf_import;      /* property: the producer may send DMA-BUFs */
  gboolean     import_failed;      /* an import failed: never again */
  char        *import_unavailable; /* why not; NULL while import works */
  gboolean     reason_logged;
  EGLDisplay   egl_display;
  gboolean     egl_modifiers;
  GLuint       import_textures[WAVRY_VIDEO_FRAME_MAX_DMABUF_PLANES];
  EGLImageKHR  images[WAVRY_VIDEO_FRAME_MAX_DMABUF_PLANES];
};

G_DEFINE_FINAL_TYPE (WavryGlPresenter, wavry_gl_presenter, GTK_TYPE_GL_AREA)

static const char vertex_body[] =
  "out vec2 v_uv;\n"
  "void main () {\n"
  "  vec2 pos = vec2 (float (gl_VertexID & 1), float ((gl_VertexID >> 1) & 1));\n"
  "  v_uv = vec2 (pos.x, 1.0 - pos.y);\n"   /* row 0 of the frame at the top */
  "  gl_Position = vec4 (pos * 2.0 - 1.0, 0.0, 1.0);\n"
  "}\n";

/* BT.709, limited ("TV") range: Y 16…235, Cb/Cr 16…240. */
static const char fragment_body[] =
  "in vec2 v_uv;\n"
  "out vec4 color;\n"
  "uniform sampler2D tex_y;\n"
  "uniform sampler2D tex_u;\n"
  "uniform sampler2D tex_v;\n"
  "uniform int nv12;\n"
  "void main () {\n"
  "  float y = texture (tex_y, v_uv).r;\n"
  "  vec2 uv;\n"
  "  if (nv12 != 0)\n"
  "    uv = texture (tex_u, v_uv).rg;\n"
  "  else\n"
  "    uv = vec2 (texture (tex_u, v_uv).r, texture (tex_v, v_uv).r);\n"
  "  y = (y - 16.0 / 255.0) * (255.0 / 219.0);\n"
  "  uv = (uv - 128.0 / 255.0) * (255.0 / 224.0);\n"
  "  vec3 rgb = vec3 (y + 1.5748 * uv.y,\n"
  "                   y - 0.1873 * uv.x - 0.4681 * uv.y,\n"
  "                   y + 1.8556 * uv.x);\n"
  "  color = vec4 (clamp (rgb, 0.0, 1.0), 1.0);\n"
  "}\n";

void
wavry_gl_presenter_fit (guint            frame_width,
                        guint            frame_height,
                        double           area_width,
                        double           area_height,
                        graphene_rect_t *rect)
{
  double scale;
  double w, h;

  g_return_if_fail (rect != NULL);

  if (frame_width == 0 || frame_height == 0 || area_width <= 0 || area_height <= 0)
    {
      graphene_rect_init (rect, 0, 0, 0, 0);
      return;
    }
  scale = MIN (area_width / frame_width, area_height / frame_height);
  w = frame_width * scale;
  h = frame_height * scale;
  graphene_rect_init (rect, (area_width - w) / 2, (area_height - h) / 2, w, h);
}

static GLuint
compile_shader (GLenum       type,
                const char  *header,
                const char  *body,
                GError     **error)
{
  const char *sources[2] = { header, body };
  GLuint shader = glCreateShader (type);
  GLint ok = 0;

  glShaderSource (shader, 2, sources, NULL);
  glCompileShader (shader);
  glGetShaderiv (shader, GL_COMPILE_STATUS, &ok);
  if (!ok)
    {
      char log[1024] = "";

      glGetShaderInfoLog (shader, sizeof log, NULL, log);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not compile the video shader: %s"), log);
      glDeleteShader (shader);
      return 0;
    }
  return shader;
}

static gboolean
create_program (WavryGlPresenter  *self,
                gboolean           use_es,
                GError           **error)
{
  const char *header = use_es ? "#version 300 es\nprecision mediump float;\n"
                              : "#version 150 core\n";
  GLuint vs, fs;
  GLint ok = 0;

  vs = compile_shader (GL_VERTEX_SHADER, header, vertex_body, error);
  if (vs == 0)
    return FALSE;
  fs = compile_shader (GL_FRAGMENT_SHADER, header, fragment_body, error);
  if (fs == 0)
    {
      glDeleteShader (vs);
      return FALSE;
    }

  self->program = glCreateProgram ();
  glAttachShader (self->program, vs);
  glAttachShader (self->program, fs);
  glLinkProgram (self->program);
  glDeleteShader (vs);
  glDeleteShader (fs);
  glGetProgramiv (self->program, GL_LINK_STATUS, &ok);
  if (!ok)
    {
      char log[1024] = "";

      glGetProgramInfoLog (self->program, sizeof log, NULL, log);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not link the video shader: %s"), log);
      glDeleteProgram (self->program);
      self->program = 0;
      return FALSE;
    }

  glUseProgram (self->program);
  glUniform1i (glGetUniformLocation (self->program, "tex_y"), 0);
  glUniform1i (glGetUniformLocation (self->program, "tex_u"), 1);
  glUniform1i (glGetUniformLocation (self->program, "tex_v"), 2);
  self->u_nv12 = glGetUniformLocation (self->program, "nv12");
  glUseProgram (0);
  return TRUE;
}

static void
set_dmabuf_import (WavryGlPresenter *self,
                   gboolean          enabled)
{
  if (self->dmabuf_import == enabled)
    return;
  self->dmabuf_import = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DMABUF_IMPORT]);
}

/* Logged once per presenter: the fallback is otherwise invisible. */
static void
log_unavailable (WavryGlPresenter *self)
{
  if (self->reason_logged || self->import_unavailable == NULL)
    return;
  self->reason_logged = TRUE;
  g_debug ("video frames are uploaded from memory, not imported as DMA-BUFs: %s",
           self->import_unavailable);
}

/* After make_current: can this context import DMA-BUFs? */
static void
probe_dmabuf_import (WavryGlPresenter *self)
{
  EGLDisplay display = EGL_NO_DISPLAY;
  g_autofree char *reason = NULL;
  gboolean egl;

  /* GTK 4.8 on X11 may use GLX (and does under Xvfb): then no EGL context
   * is current. libepoxy loads libEGL only when asked. */
  egl = epoxy_has_egl () && eglGetCurrentContext () != EGL_NO_CONTEXT &&
        (display = eglGetCurrentDisplay ()) != EGL_NO_DISPLAY;

  reason = wavry_dmabuf_egl_unavailable_reason (egl, egl ? eglQueryString (display, EGL_EXTENSIONS) : NULL,
                                                epoxy_has_gl_extension ("GL_OES_EGL_image"));
  self->egl_display = reason == NULL ? display : EGL_NO_DISPLAY;
  self->egl_modifiers = reason == NULL &&
                        epoxy_has_egl_extension (display, "EGL_EXT_image_dma_buf_import_modifiers");
  /* an import failed in an earlier context: that stays the reason */
  if (self->import_failed)
    return;
  g_free (self->import_unavailable);
  self->import_unavailable = g_steal_pointer (&reason);
  log_unavailable (self);
  set_dmabuf_import (self, self->import_unavailable == NULL);
}

static void
release_images (WavryGlPresenter *self,
                EGLImageKHR      *images)
{
  for (guint i = 0; i < WAVRY_VIDEO_FRAME_MAX_DMABUF_PLANES; i++)
    {
      if (images[i] != EGL_NO_IMAGE_KHR)
        eglDestroyImageKHR (self->egl_display, images[i]);
      images[i] = EGL_NO_IMAGE_KHR;
    }
}

static void
wavry_gl_presenter_realize (GtkWidget *widget)
{
  WavryGlPresenter *self = WAVRY_GL_PRESENTER (widget);
  GdkGLContext *context;
  g_autoptr(GError) error = NULL;

  GTK_WIDGET_CLASS (wavry_gl_presenter_parent_class)->realize (widget);

  gtk_gl_area_make_current (GTK_GL_AREA (self));
  if (gtk_gl_area_get_error (GTK_GL_AREA (self)) != NULL)
    return;
  context = gtk_gl_area_get_context (GTK_GL_AREA (self));

  if (!create_program (self, gdk_gl_context_get_use_es (context), &error))
    {
      gtk_gl_area_set_error (GTK_GL_AREA (self), error);
      return;
    }
  glGenVertexArrays (1, &self->vao);
  glGenTextures (3, self->textures);
  for (guint i = 0; i < 3; i++)
    {
      glBindTexture (GL_TEXTURE_2D, self->textures[i]);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
      self->tex_width[i] = self->tex_height[i] = 0;
      self->tex_format[i] = 0;
    }
  glGenTextures (G_N_ELEMENTS (self->import_textures), self->import_textures);
  for (guint i = 0; i < G_N_ELEMENTS (self->import_textures); i++)
    {
      glBindTexture (GL_TEXTURE_2D, self->import_textures[i]);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    }
  glBindTexture (GL_TEXTURE_2D, 0);
  probe_dmabuf_import (self);

  /* a new context has empty textures: show the current frame again */
  if (self->current != NULL && self->next == NULL)
    {
      self->next = wavry_video_frame_ref (self->current);
      self->next_push_us = g_get_monotonic_time ();
    }
  self->path = WAVRY_GL_PRESENTER_PATH_NONE;
}

static void
wavry_gl_presenter_unrealize (GtkWidget *widget)
{
  WavryGlPresenter *self = WAVRY_GL_PRESENTER (widget);

  gtk_gl_area_make_current (GTK_GL_AREA (self));
  if (gtk_gl_area_get_error (GTK_GL_AREA (self)) == NULL)
    {
      release_images (self, self->images);
      if (self->import_textures[0] != 0)
        glDeleteTextures (G_N_ELEMENTS (self->import_textures), self->import_textures);
      if (self->textures[0] != 0)
        glDeleteTextures (3, self->textures);
      if (self->vao != 0)
        glDeleteVertexArrays (1, &self->vao);
      if (self->program != 0)
        glDeleteProgram (self->program);
    }
  memset (self->textures, 0, sizeof self->textures);
  memset (self->import_textures, 0, sizeof self->import_textures);
  self->vao = 0;
  self->program = 0;
  self->egl_display = EGL_NO_DISPLAY;
  self->path = WAVRY_GL_PRESENTER_PATH_NONE;
  /* without a context nothing can be imported; realize probes again */
  set_dmabuf_import (self, FALSE);

  GTK_WIDGET_CLASS (wavry_gl_presenter_parent_class)->unrealize (widget);
}

static void
upload_plane (WavryGlPresenter *self,
              WavryVideoFrame  *frame,
              guint             plane,
              GLenum            internal_format,
              GLenum            format,
              guint             bytes_per_pixel)
{
  guint width = wavry_video_frame_get_row_bytes (frame, plane) / bytes_per_pixel;
  guint height = wavry_video_frame_get_rows (frame, plane);

  glActiveTexture (GL_TEXTURE0 + plane);
  glBindTexture (GL_TEXTURE_2D, self->textures[plane]);
  if (self->tex_width[plane] != width || self->tex_height[plane] != height ||
      self->tex_format[plane] != internal_format)
    {
      glTexImage2D (GL_TEXTURE_2D, 0, internal_format, width, height, 0, format,
                    GL_UNSIGNED_BYTE, NULL);
      self->tex_width[plane] = width;
      self->tex_height[plane] = height;
      self->tex_format[plane] = internal_format;
    }
  glPixelStorei (GL_UNPACK_ALIGNMENT, 1);
  glPixelStorei (GL_UNPACK_ROW_LENGTH,
                 wavry_video_frame_get_stride (frame, plane) / bytes_per_pixel);
  glTexSubImage2D (GL_TEXTURE_2D, 0, 0, 0, width, height, format, GL_UNSIGNED_BYTE,
                   wavry_video_frame_get_data (frame, plane));
  glPixelStorei (GL_UNPACK_ROW_LENGTH, 0);
}

/* Binds the DMA-BUF planes of @frame to the import textures. On failure
 * nothing changed (the previous picture's textures stay as they were). */
static gboolean
import_frame (WavryGlPresenter  *self,
              WavryVideoFrame   *frame,
              GError           **error)
{
  EGLImageKHR images[WAVRY_VIDEO_FRAME_MAX_DMABUF_PLANES] = { EGL_NO_IMAGE_KHR, EGL_NO_IMAGE_KHR };
  const WavryDmabufPlane *planes;
  guint n_planes;
  GLenum gl_error;

  if (self->import_unavailable != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, self->import_unavailable);
      return FALSE;
    }

  planes = wavry_video_frame_get_dmabuf_planes (frame, &n_planes);
  g_assert (n_planes <= G_N_ELEMENTS (images));
  for (guint i = 0; i < n_planes; i++)
    {
      EGLint attribs[32];

      if (wavry_dmabuf_egl_attribs (&planes[i], self->egl_modifiers, attribs,
                                    G_N_ELEMENTS (attribs), error) == 0)
        goto fail;
      images[i] = eglCreateImageKHR (self->egl_display, EGL_NO_CONTEXT, EGL_LINUX_DMA_BUF_EXT,
                                     NULL, attribs);
      if (images[i] == EGL_NO_IMAGE_KHR)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "eglCreateImageKHR failed for plane %u (%.4s, %u×%u, modifier 0x%016"
                       G_GINT64_MODIFIER "x): EGL error 0x%x", i, (const char *) &planes[i].fourcc,
                       planes[i].width, planes[i].height, planes[i].modifier, eglGetError ());
          goto fail;
        }
    }

  while (glGetError () != GL_NO_ERROR)
    ;
  for (guint i = 0; i < n_planes; i++)
    {
      glActiveTexture (GL_TEXTURE0 + i);
      glBindTexture (GL_TEXTURE_2D, self->import_textures[i]);
      glEGLImageTargetTexture2DOES (GL_TEXTURE_2D, images[i]);
    }
  glActiveTexture (GL_TEXTURE0);
  gl_error = glGetError ();
  if (gl_error != GL_NO_ERROR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "glEGLImageTargetTexture2DOES failed: GL error 0x%x", gl_error);
      goto fail;
    }

  /* the textures hold the new images now; the old ones can go */
  release_images (self, self->images);
  memcpy (self->images, images, sizeof images);
  return TRUE;

fail:
  release_images (self, images);
  return FALSE;
}

/* Puts @frame into textures. FALSE when a DMA-BUF frame cannot be imported:
 * import is then off for good, and the producer is told (notify). */
static gboolean
show_frame (WavryGlPresenter *self,
            WavryVideoFrame  *frame)
{
  g_autoptr(GError) error = NULL;

  if (wavry_video_frame_is_dmabuf (frame))
    {
      if (self->import_failed || !import_frame (self, frame, &error))
        {
          if (!self->import_failed)
            {
              self->import_failed = TRUE;
              if (self->import_unavailable == NULL)
                self->import_unavailable = g_strdup (error->message);
              log_unavailable (self);
            }
          set_dmabuf_import (self, FALSE);
          return FALSE;
        }
      self->path = WAVRY_GL_PRESENTER_PATH_GPU_IMPORT;
      self->current_nv12 = TRUE;
      return TRUE;
    }

  self->current_nv12 = wavry_video_frame_get_format (frame) == WAVRY_PIXEL_FORMAT_NV12;
  upload_plane (self, frame, 0, GL_R8, GL_RED, 1);
  if (self->current_nv12)
    upload_plane (self, frame, 1, GL_RG8, GL_RG, 2);
  else
    {
      upload_plane (self, frame, 1, GL_R8, GL_RED, 1);
      upload_plane (self, frame, 2, GL_R8, GL_RED, 1);
    }
  /* an upload replaces an imported picture: its surfaces can go back */
  release_images (self, self->images);
  self->path = WAVRY_GL_PRESENTER_PATH_CPU_UPLOAD;
  return TRUE;
}

static gboolean
wavry_gl_presenter_render (GtkGLArea    *area,
                           GdkGLContext *context)
{
  WavryGlPresenter *self = WAVRY_GL_PRESENTER (area);
  GtkWidget *widget = GTK_WIDGET (area);
  int scale = gtk_widget_get_scale_factor (widget);
  int area_w = gtk_widget_get_width (widget) * scale;
  int area_h = gtk_widget_get_height (widget) * scale;
  g_autoptr(WavryVideoFrame) next = g_steal_pointer (&self->next);
  gboolean shown = FALSE;
  graphene_rect_t rect;
  const GLuint *textures;

  glClearColor (0, 0, 0, 1);
  glClear (GL_COLOR_BUFFER_BIT);
  if (self->program == 0)
    return TRUE;

  if (next != NULL && show_frame (self, next))
    {
      /* GL may still read the previous picture's DMA-BUFs for the frame
       * being drawn: release it one picture later. */
      g_clear_pointer (&self->retired, wavry_video_frame_unref);
      self->retired = g_steal_pointer (&self->current);
      self->current = g_steal_pointer (&next);
      self->frame_width = wavry_video_frame_get_width (self->current);
      self->frame_height = wavry_video_frame_get_height (self->current);
      shown = TRUE;
    }
  if (self->path == WAVRY_GL_PRESENTER_PATH_NONE)
    return TRUE;

  /* GL's viewport origin is the bottom left corner; the fit is symmetric */
  wavry_gl_presenter_fit (self->frame_width, self->frame_height, area_w, area_h, &rect);
  glViewport ((GLint) (rect.origin.x + 0.5), (GLint) (rect.origin.y + 0.5),
              (GLsizei) (rect.size.width + 0.5), (GLsizei) (rect.size.height + 0.5));
  glUseProgram (self->program);
  glUniform1i (self->u_nv12, self->current_nv12);
  textures = self->path == WAVRY_GL_PRESENTER_PATH_GPU_IMPORT ? self->import_textures : self->textures;
  for (guint i = 0; i < 3; i++)
    {
      glActiveTexture (GL_TEXTURE0 + i);
      /* the imported picture has two planes; tex_v is unused for NV12 */
      glBindTexture (GL_TEXTURE_2D, i < 2 ? textures[i] : self->textures[i]);
    }
  glBindVertexArray (self->vao);
  glDrawArrays (GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray (0);
  glUseProgram (0);
  glActiveTexture (GL_TEXTURE0);
  glViewport (0, 0, area_w, area_h);

  if (shown)
    {
      gint64 now = g_get_monotonic_time ();

      self->presented++;
      self->last_present_us = now;
      self->last_latency_us = now - self->next_push_us;
    }
  return TRUE;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  WavryGlPresenter *self = WAVRY_GL_PRESENTER (widget);
  WavryVideoFrame *frame;
  gint64 push_us;

  g_mutex_lock (&self->lock);
  frame = g_steal_pointer (&self->pending);
  push_us = self->pending_push_us;
  g_mutex_unlock (&self->lock);

  if (frame != NULL)
    {
      g_clear_pointer (&self->next, wavry_video_frame_unref);
      self->next = frame;
      self->next_push_us = push_us;
      gtk_gl_area_queue_render (GTK_GL_AREA (self));
    }
  return G_SOURCE_CONTINUE;
}

void
wavry_gl_presenter_push_frame (WavryGlPresenter *self,
                               WavryVideoFrame  *frame)
{
  WavryPixelFormat format;
  WavryVideoFrame *old;

  g_return_if_fail (WAVRY_IS_GL_PRESENTER (self));
  g_return_if_fail (frame != NULL);

  format = wavry_video_frame_get_format (frame);
  g_mutex_lock (&self->lock);
  if (format != WAVRY_PIXEL_FORMAT_I420 && format != WAVRY_PIXEL_FORMAT_NV12)
    {
      self->refused++;
      g_mutex_unlock (&self->lock);
      return;
    }
  old = g_steal_pointer (&self->pending);
  self->pending = wavry_video_frame_ref (frame);
  self->pending_push_us = g_get_monotonic_time ();
  self->pushed++;
  g_mutex_unlock (&self->lock);

  g_clear_pointer (&old, wavry_video_frame_unref);
}

guint64
wavry_gl_presenter_get_presented_count (WavryGlPresenter *self)
{
  g_return_val_if_fail (WAVRY_IS_GL_PRESENTER (self), 0);
  return self->presented;
}

guint64
wavry_gl_presenter_get_pushed_count (WavryGlPresenter *self)
{
  guint64 n;

  g_return_val_if_fail (WAVRY_IS_GL_PRESENTER (self), 0);
  g_mutex_lock (&self->lock);
  n = self->pushed;
  g_mutex_unlock (&self->lock);
  return n;
}

guint64
wavry_gl_presenter_get_refused_count (WavryGlPresenter *self)
{
  guint64 n;

  g_return_val_if_fail (WAVRY_IS_GL_PRESENTER (self), 0);
  g_mutex_lock (&self->lock);
  n = self->refused;
  g_mutex_unlock (&self->lock);
  return n;
}

gint64
wavry_gl_presenter_get_last_present_time (WavryGlPresenter *self)
{
  g_return_val_if_fail (WAVRY_IS_GL_PRESENTER (self), 0);
  return self->last_present_us;
}

gint64
wavry_gl_presenter_get_last_latency (WavryGlPresenter *self)
{
  g_return_val_if_fail (WAVRY_IS_GL_PRESENTER (self), -1);
  return self->last_latency_us;
}

gboolean
wavry_gl_presenter_get_frame_size (WavryGlPresenter *self,
                                   guint            *width,
                                   guint            *height)
{
  g_return_val_if_fail (WAVRY_IS_GL_PRESENTER (self), FALSE);

  if (width != NULL)
    *width = self->frame_width;
  if (height != NULL)
    *height = self->frame_height;
  return self->frame_width > 0;
}

gboolean
wavry_gl_presenter_get_picture_rect (WavryGlPresenter *self,
                                     graphene_rect_t  *rect)
{
  g_return_val_if_fail (WAVRY_IS_GL_PRESENTER (self), FALSE);
  g_return_val_if_fail (rect != NULL, FALSE);

  wavry_gl_presenter_fit (self->frame_width, self->frame_height,
                          gtk_widget_get_width (GTK_WIDGET (self)),
                          gtk_widget_get_height (GTK_WIDGET (self)), rect);
  return self->frame_width > 0;
}

WavryGlPresenterPath
wavry_gl_presenter_get_path (WavryGlPresenter *self)
{
  g_return_val_if_fail (WAVRY_IS_GL_PRESENTER (self), WAVRY_GL_PRESENTER_PATH_NONE);
  return self->path;
}

const char *
wavry_gl_presenter_path_to_string (WavryGlPresenterPath path)
{
  switch (path)
    {
    case WAVRY_GL_PRESENTER_PATH_CPU_UPLOAD:
      /* Translators: how a video frame reaches the screen: copied from memory */
      return _("CPU upload");
    case WAVRY_GL_PRESENTER_PATH_GPU_IMPORT:
      /* Translators: how a video frame reaches the screen: used where the
       * GPU decoded it, without a copy */
      return _("GPU import");
    case WAVRY_GL_PRESENTER_PATH_NONE:
    default:
      return "–";
    }
}

gboolean
wavry_gl_presenter_get_dmabuf_import (WavryGlPresenter *self)
{
  g_return_val_if_fail (WAVRY_IS_GL_PRESENTER (self), FALSE);
  return self->dmabuf_import;
}

const char *
wavry_gl_presenter_get_dmabuf_unavailable_reason (WavryGlPresenter *self)
{
  g_return_val_if_fail (WAVRY_IS_GL_PRESENTER (self), NULL);
  return self->import_unavailable;
}

static void
wavry_gl_presenter_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  WavryGlPresenter *self = WAVRY_GL_PRESENTER (object);

  switch (prop_id)
    {
    case PROP_DMABUF_IMPORT:
      g_value_set_boolean (value, self->dmabuf_import);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wavry_gl_presenter_dispose (GObject *object)
{
  WavryGlPresenter *self = WAVRY_GL_PRESENTER (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  G_OBJECT_CLASS (wavry_gl_presenter_parent_class)->dispose (object);
}

static void
wavry_gl_presenter_finalize (GObject *object)
{
  WavryGlPresenter *self = WAVRY_GL_PRESENTER (object);

  g_clear_pointer (&self->pending, wavry_video_frame_unref);
  g_clear_pointer (&self->next, wavry_video_frame_unref);
  g_clear_pointer (&self->current, wavry_video_frame_unref);
  g_clear_pointer (&self->retired, wavry_video_frame_unref);
  g_free (self->import_unavailable);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (wavry_gl_presenter_parent_class)->finalize (object);
}

static void
wavry_gl_presenter_class_init (WavryGlPresenterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkGLAreaClass *area_class = GTK_GL_AREA_CLASS (klass);

  object_class->dispose = wavry_gl_presenter_dispose;
  object_class->finalize = wavry_gl_presenter_finalize;
  object_class->get_property = wavry_gl_presenter_get_property;
  widget_class->realize = wavry_gl_presenter_realize;
  widget_class->unrealize = wavry_gl_presenter_unrealize;
  area_class->render = wavry_gl_presenter_render;

  /* Whether frames may be pushed as DMA-BUFs: TRUE once realized in a
   * context that imports them, FALSE before, after unrealize, and for good
   * after an import failed. A producer follows it (notify, main thread). */
  properties[PROP_DMABUF_IMPORT] =
    g_param_spec_boolean ("dmabuf-import", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wavry_gl_presenter_init (WavryGlPresenter *self)
{
  g_mutex_init (&self->lock);
  self->last_latency_us = -1;
  self->egl_display = EGL_NO_DISPLAY;
  gtk_gl_area_set_auto_render (GTK_GL_AREA (self), FALSE);
  gtk_gl_area_set_has_depth_buffer (GTK_GL_AREA (self), FALSE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

GtkWidget *
wavry_gl_presenter_new (void)
{
  return g_object_new (WAVRY_TYPE_GL_PRESENTER, NULL);
}
