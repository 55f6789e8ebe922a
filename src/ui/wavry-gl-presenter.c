/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <epoxy/gl.h>
#include <glib/gi18n.h>
#include <string.h>

#include "wavry-gl-presenter.h"

/* The GL side runs on the main thread only (realize, render, unrealize, the
 * tick callback); push_frame is the only entry point from other threads and
 * touches nothing but the mutex-protected pending slot and counters. */

struct _WavryGlPresenter
{
  GtkGLArea parent_instance;

  GMutex           lock;
  WavryVideoFrame *pending;        /* newest pushed frame, not taken by a tick yet */
  gint64           pending_push_us;
  guint64          pushed;
  guint64          refused;

  /* main thread */
  WavryVideoFrame *current;        /* the frame on screen (or about to be) */
  gint64           current_push_us;
  gboolean         needs_upload;
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
  glBindTexture (GL_TEXTURE_2D, 0);
  /* a new context has empty textures: upload the current frame again */
  self->needs_upload = self->current != NULL;
}

static void
wavry_gl_presenter_unrealize (GtkWidget *widget)
{
  WavryGlPresenter *self = WAVRY_GL_PRESENTER (widget);

  gtk_gl_area_make_current (GTK_GL_AREA (self));
  if (gtk_gl_area_get_error (GTK_GL_AREA (self)) == NULL)
    {
      if (self->textures[0] != 0)
        glDeleteTextures (3, self->textures);
      if (self->vao != 0)
        glDeleteVertexArrays (1, &self->vao);
      if (self->program != 0)
        glDeleteProgram (self->program);
    }
  memset (self->textures, 0, sizeof self->textures);
  self->vao = 0;
  self->program = 0;

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

static gboolean
wavry_gl_presenter_render (GtkGLArea    *area,
                           GdkGLContext *context)
{
  WavryGlPresenter *self = WAVRY_GL_PRESENTER (area);
  GtkWidget *widget = GTK_WIDGET (area);
  int scale = gtk_widget_get_scale_factor (widget);
  int area_w = gtk_widget_get_width (widget) * scale;
  int area_h = gtk_widget_get_height (widget) * scale;
  gboolean nv12;
  graphene_rect_t rect;

  glClearColor (0, 0, 0, 1);
  glClear (GL_COLOR_BUFFER_BIT);
  if (self->current == NULL || self->program == 0)
    return TRUE;

  nv12 = wavry_video_frame_get_format (self->current) == WAVRY_PIXEL_FORMAT_NV12;
  if (self->needs_upload)
    {
      upload_plane (self, self->current, 0, GL_R8, GL_RED, 1);
      if (nv12)
        upload_plane (self, self->current, 1, GL_RG8, GL_RG, 2);
      else
        {
          upload_plane (self, self->current, 1, GL_R8, GL_RED, 1);
          upload_plane (self, self->current, 2, GL_R8, GL_RED, 1);
        }
    }

  /* GL's viewport origin is the bottom left corner; the fit is symmetric */
  wavry_gl_presenter_fit (self->frame_width, self->frame_height, area_w, area_h, &rect);
  glViewport ((GLint) (rect.origin.x + 0.5), (GLint) (rect.origin.y + 0.5),
              (GLsizei) (rect.size.width + 0.5), (GLsizei) (rect.size.height + 0.5));
  glUseProgram (self->program);
  glUniform1i (self->u_nv12, nv12);
  for (guint i = 0; i < 3; i++)
    {
      glActiveTexture (GL_TEXTURE0 + i);
      glBindTexture (GL_TEXTURE_2D, self->textures[i]);
    }
  glBindVertexArray (self->vao);
  glDrawArrays (GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray (0);
  glUseProgram (0);
  glActiveTexture (GL_TEXTURE0);
  glViewport (0, 0, area_w, area_h);

  if (self->needs_upload)
    {
      gint64 now = g_get_monotonic_time ();

      self->needs_upload = FALSE;
      self->presented++;
      self->last_present_us = now;
      self->last_latency_us = now - self->current_push_us;
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
      g_clear_pointer (&self->current, wavry_video_frame_unref);
      self->current = frame;
      self->current_push_us = push_us;
      self->frame_width = wavry_video_frame_get_width (frame);
      self->frame_height = wavry_video_frame_get_height (frame);
      self->needs_upload = TRUE;
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
  g_clear_pointer (&self->current, wavry_video_frame_unref);
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
  widget_class->realize = wavry_gl_presenter_realize;
  widget_class->unrealize = wavry_gl_presenter_unrealize;
  area_class->render = wavry_gl_presenter_render;
}

static void
wavry_gl_presenter_init (WavryGlPresenter *self)
{
  g_mutex_init (&self->lock);
  self->last_latency_us = -1;
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
