/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-identity.h"
#include "wavry-service-error.h"
#include "wavry-trusted-clients.h"

G_DEFINE_QUARK (wavry-service-error-quark, wavry_service_error)

struct _WavryTrustedClients
{
  GObject       parent_instance;

  GHashTable   *explicit_ids;   /* from --allow-client */
  GHashTable   *file_ids;       /* from the file, replaced on reload */
  char         *path;
  GFileMonitor *monitor;
};

G_DEFINE_FINAL_TYPE (WavryTrustedClients, wavry_trusted_clients, G_TYPE_OBJECT)

static void
wavry_trusted_clients_dispose (GObject *object)
{
  WavryTrustedClients *self = WAVRY_TRUSTED_CLIENTS (object);

  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (wavry_trusted_clients_parent_class)->dispose (object);
}

static void
wavry_trusted_clients_finalize (GObject *object)
{
  WavryTrustedClients *self = WAVRY_TRUSTED_CLIENTS (object);

  g_hash_table_unref (self->explicit_ids);
  g_hash_table_unref (self->file_ids);
  g_free (self->path);

  G_OBJECT_CLASS (wavry_trusted_clients_parent_class)->finalize (object);
}

static void
wavry_trusted_clients_class_init (WavryTrustedClientsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wavry_trusted_clients_dispose;
  object_class->finalize = wavry_trusted_clients_finalize;
}

static void
wavry_trusted_clients_init (WavryTrustedClients *self)
{
  self->explicit_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->file_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

WavryTrustedClients *
wavry_trusted_clients_new (void)
{
  return g_object_new (WAVRY_TYPE_TRUSTED_CLIENTS, NULL);
}

void
wavry_trusted_clients_add (WavryTrustedClients *self,
                           const char          *wavry_id)
{
  g_return_if_fail (WAVRY_IS_TRUSTED_CLIENTS (self));
  g_return_if_fail (wavry_id_is_valid (wavry_id));

  g_hash_table_add (self->explicit_ids, g_strdup (wavry_id));
}

void
wavry_trusted_clients_remove (WavryTrustedClients *self,
                              const char          *wavry_id)
{
  g_return_if_fail (WAVRY_IS_TRUSTED_CLIENTS (self));
  g_return_if_fail (wavry_id != NULL);

  g_hash_table_remove (self->explicit_ids, wavry_id);
}

GPtrArray *
wavry_trusted_clients_parse (const char  *contents,
                             gsize        length,
                             const char  *path,
                             GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = g_strndup (contents, length);
  g_auto(GStrv) lines = NULL;

  if (!g_utf8_validate (text, -1, NULL) || strlen (text) != length)
    {
      g_set_error (error, WAVRY_SERVICE_ERROR, WAVRY_SERVICE_ERROR_INVALID_CONFIG,
                   "%s: not a text file", path);
      return NULL;
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autoptr(GError) id_error = NULL;
      guint8 key[WAVRY_ED25519_PUBLIC_LEN];
      char *end;

      if (*line == '\0' || *line == '#')
        continue;

      /* The ID is the first word; the rest of the line is a free-form name. */
      end = line + strcspn (line, " \t#");
      *end = '\0';
      if (!wavry_id_decode (line, key, &id_error))
        {
          g_set_error (error, WAVRY_SERVICE_ERROR, WAVRY_SERVICE_ERROR_INVALID_CONFIG,
                       "%s:%u: %s", path, i + 1, id_error->message);
          return NULL;
        }
      g_ptr_array_add (ids, g_strdup (line));
    }

  return g_steal_pointer (&ids);
}

static gboolean
reload (WavryTrustedClients  *self,
        GError              **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  gsize length = 0;

  if (!g_file_get_contents (self->path, &contents, &length, error))
    return FALSE;

  ids = wavry_trusted_clients_parse (contents, length, self->path, error);
  if (ids == NULL)
    return FALSE;

  g_hash_table_remove_all (self->file_ids);
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (self->file_ids, g_strdup (g_ptr_array_index (ids, i)));

  return TRUE;
}

static void
on_file_changed (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other_file,
                 GFileMonitorEvent  event,
                 gpointer           user_data)
{
  WavryTrustedClients *self = user_data;
  g_autoptr(GError) error = NULL;

  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT &&
      event != G_FILE_MONITOR_EVENT_CREATED &&
      event != G_FILE_MONITOR_EVENT_DELETED)
    return;

  /* A broken edit keeps the previous list rather than locking everyone out
   * (or letting everyone in). */
  if (!reload (self, &error))
    g_warning ("Keeping the previous trusted clients: %s", error->message);
  else
    g_message ("Reloaded %u trusted client(s) from %s",
               g_hash_table_size (self->file_ids), self->path);
}

gboolean
wavry_trusted_clients_load_file (WavryTrustedClients  *self,
                                 const char           *path,
                                 gboolean              watch,
                                 GError              **error)
{
  g_return_val_if_fail (WAVRY_IS_TRUSTED_CLIENTS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  g_free (self->path);
  self->path = g_strdup (path);

  if (!reload (self, error))
    return FALSE;

  if (watch)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      g_clear_object (&self->monitor);
      self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, NULL);
      if (self->monitor != NULL)
        g_signal_connect_object (self->monitor, "changed",
                                 G_CALLBACK (on_file_changed), self, 0);
    }

  return TRUE;
}

gboolean
wavry_trusted_clients_contains (WavryTrustedClients *self,
                                const char          *wavry_id)
{
  g_return_val_if_fail (WAVRY_IS_TRUSTED_CLIENTS (self), FALSE);

  return wavry_id != NULL &&
         (g_hash_table_contains (self->explicit_ids, wavry_id) ||
          g_hash_table_contains (self->file_ids, wavry_id));
}

guint
wavry_trusted_clients_get_size (WavryTrustedClients *self)
{
  g_return_val_if_fail (WAVRY_IS_TRUSTED_CLIENTS (self), 0);

  return g_hash_table_size (self->explicit_ids) + g_hash_table_size (self->file_ids);
}

const char *
wavry_trusted_clients_get_path (WavryTrustedClients *self)
{
  return self->path;
}
