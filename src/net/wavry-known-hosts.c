/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wavry-identity.h"
#include "wavry-known-hosts.h"

G_DEFINE_QUARK (wavry-known-hosts-error-quark, wavry_known_hosts_error)

struct _WavryKnownHosts
{
  GObject   parent_instance;

  char     *path;
  GKeyFile *file;   /* one group per address: id, name, last-used */
};

G_DEFINE_FINAL_TYPE (WavryKnownHosts, wavry_known_hosts, G_TYPE_OBJECT)

/* Key file group names cannot hold '[' or ']' (IPv6 "[::1]:7878"). */
static char *
group_for (const char *address)
{
  char *group = g_strdup (address);

  g_strdelimit (group, "[", '{');
  g_strdelimit (group, "]", '}');
  return group;
}

static char *
address_for (const char *group)
{
  char *address = g_strdup (group);

  g_strdelimit (address, "{", '[');
  g_strdelimit (address, "}", ']');
  return address;
}

void
wavry_known_host_free (WavryKnownHost *host)
{
  if (host == NULL)
    return;
  g_free (host->address);
  g_free (host->wavry_id);
  g_free (host->name);
  g_free (host);
}

static void
wavry_known_hosts_finalize (GObject *object)
{
  WavryKnownHosts *self = WAVRY_KNOWN_HOSTS (object);

  g_free (self->path);
  g_key_file_unref (self->file);

  G_OBJECT_CLASS (wavry_known_hosts_parent_class)->finalize (object);
}

static void
wavry_known_hosts_class_init (WavryKnownHostsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wavry_known_hosts_finalize;
}

static void
wavry_known_hosts_init (WavryKnownHosts *self)
{
  self->file = g_key_file_new ();
}

/* Every pin must be a valid ID: a damaged pin must not become "no pin". */
static gboolean
validate (WavryKnownHosts  *self,
          const char       *where,
          GError          **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (self->file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *id = g_key_file_get_string (self->file, groups[i], "id", NULL);

      if (id == NULL || !wavry_id_is_valid (id))
        {
          g_autofree char *address = address_for (groups[i]);

          g_set_error (error, WAVRY_KNOWN_HOSTS_ERROR, WAVRY_KNOWN_HOSTS_ERROR_INVALID,
                       _("%s: the entry for %s has no valid Wavry ID. Fix or remove it."),
                       where, address);
          return FALSE;
        }
    }
  return TRUE;
}

WavryKnownHosts *
wavry_known_hosts_new (const char  *path,
                       GError     **error)
{
  g_autoptr(WavryKnownHosts) self = g_object_new (WAVRY_TYPE_KNOWN_HOSTS, NULL);
  g_autoptr(GError) local = NULL;

  self->path = path != NULL ? g_strdup (path)
                            : g_build_filename (g_get_user_config_dir (), "wavry", "known-hosts", NULL);

  if (!g_key_file_load_from_file (self->file, self->path, G_KEY_FILE_NONE, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&self);
      g_set_error (error, local->domain, local->code,
                   _("Cannot read the known hosts in %s: %s. Fix or remove that file."),
                   self->path, local->message);
      return NULL;
    }
  if (!validate (self, self->path, error))
    return NULL;
  return g_steal_pointer (&self);
}

WavryKnownHosts *
wavry_known_hosts_new_for_data (const char  *data,
                                gsize        len,
                                GError     **error)
{
  g_autoptr(WavryKnownHosts) self = g_object_new (WAVRY_TYPE_KNOWN_HOSTS, NULL);

  self->path = g_strdup ("(memory)");
  if (!g_key_file_load_from_data (self->file, data, len, G_KEY_FILE_NONE, error) ||
      !validate (self, self->path, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
wavry_known_hosts_get_path (WavryKnownHosts *self)
{
  g_return_val_if_fail (WAVRY_IS_KNOWN_HOSTS (self), NULL);
  return self->path;
}

char *
wavry_known_hosts_lookup (WavryKnownHosts *self,
                          const char      *address)
{
  g_autofree char *group = NULL;

  g_return_val_if_fail (WAVRY_IS_KNOWN_HOSTS (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  group = group_for (address);
  return g_key_file_get_string (self->file, group, "id", NULL);
}

gboolean
wavry_known_hosts_check (WavryKnownHosts  *self,
                         const char       *address,
                         const char       *proved_id,
                         GError          **error)
{
  g_autofree char *pinned = NULL;

  g_return_val_if_fail (WAVRY_IS_KNOWN_HOSTS (self), FALSE);
  g_return_val_if_fail (address != NULL && proved_id != NULL, FALSE);

  pinned = wavry_known_hosts_lookup (self, address);
  if (pinned == NULL || g_str_equal (pinned, proved_id))
    return TRUE;

  g_set_error (error, WAVRY_KNOWN_HOSTS_ERROR, WAVRY_KNOWN_HOSTS_ERROR_MISMATCH,
               _("The computer at %s is not the one you connected to before: it proved the "
                 "Wavry ID %s, but %s was expected. Someone may be impersonating it. If its "
                 "owner confirms that it has a new identity, forget the old one and connect "
                 "again."), address, proved_id, pinned);
  return FALSE;
}

static gboolean
save (WavryKnownHosts  *self,
      GError          **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *data = NULL;
  gsize len;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  data = g_key_file_to_data (self->file, &len, NULL);
  return g_file_set_contents_full (self->path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
wavry_known_hosts_remember (WavryKnownHosts  *self,
                            const char       *address,
                            const char       *wavry_id,
                            const char       *name,
                            GError          **error)
{
  g_autofree char *group = NULL;

  g_return_val_if_fail (WAVRY_IS_KNOWN_HOSTS (self), FALSE);
  g_return_val_if_fail (address != NULL && wavry_id != NULL, FALSE);

  if (*address == '\0' || strpbrk (address, "{}\n") != NULL)
    {
      g_set_error (error, WAVRY_KNOWN_HOSTS_ERROR, WAVRY_KNOWN_HOSTS_ERROR_INVALID,
                   _("Not a host address: “%s”"), address);
      return FALSE;
    }
  if (!wavry_id_is_valid (wavry_id))
    {
      g_set_error (error, WAVRY_KNOWN_HOSTS_ERROR, WAVRY_KNOWN_HOSTS_ERROR_INVALID,
                   _("Not a valid Wavry ID: %s"), wavry_id);
      return FALSE;
    }
  if (!wavry_known_hosts_check (self, address, wavry_id, error))
    return FALSE;

  group = group_for (address);
  g_key_file_set_string (self->file, group, "id", wavry_id);
  if (name != NULL)
    g_key_file_set_string (self->file, group, "name", name);
  g_key_file_set_int64 (self->file, group, "last-used", g_get_real_time () / G_USEC_PER_SEC);
  return save (self, error);
}

gboolean
wavry_known_hosts_forget (WavryKnownHosts  *self,
                          const char       *address,
                          GError          **error)
{
  g_autofree char *group = NULL;

  g_return_val_if_fail (WAVRY_IS_KNOWN_HOSTS (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  group = group_for (address);
  if (!g_key_file_remove_group (self->file, group, NULL))
    return TRUE;
  return save (self, error);
}

static gint
by_last_used (gconstpointer a,
              gconstpointer b)
{
  const WavryKnownHost *ha = *(WavryKnownHost * const *) a;
  const WavryKnownHost *hb = *(WavryKnownHost * const *) b;

  return ha->last_used < hb->last_used ? 1 : ha->last_used > hb->last_used ? -1 : 0;
}

GPtrArray *
wavry_known_hosts_list_recent (WavryKnownHosts *self,
                               guint            max)
{
  GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) wavry_known_host_free);
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (WAVRY_IS_KNOWN_HOSTS (self), hosts);

  groups = g_key_file_get_groups (self->file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      WavryKnownHost *host = g_new0 (WavryKnownHost, 1);

      host->address = address_for (groups[i]);
      host->wavry_id = g_key_file_get_string (self->file, groups[i], "id", NULL);
      host->name = g_key_file_get_string (self->file, groups[i], "name", NULL);
      host->last_used = g_key_file_get_int64 (self->file, groups[i], "last-used", NULL);
      g_ptr_array_add (hosts, host);
    }
  g_ptr_array_sort (hosts, by_last_used);
  if (hosts->len > max)
    g_ptr_array_set_size (hosts, max);
  return hosts;
}
