/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-peer.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wavry-identity.h"

#define SHORT_ID_LEN     8
#define MAX_CODEC_TOKEN  16
#define MAX_CODECS       16

G_DEFINE_QUARK (wavry-mdns-error-quark, wavry_mdns_error)

struct _WavryPeer
{
  GObject    parent_instance;

  char      *name;
  char      *host_name;
  GPtrArray *addresses;   /* of char*, NULL-terminated */
  guint16    port;
  char      *wavry_id;
  char      *short_id;
  char      *device_name;
  GStrv      codecs;
};

G_DEFINE_FINAL_TYPE (WavryPeer, wavry_peer, G_TYPE_OBJECT)

static void
wavry_peer_finalize (GObject *object)
{
  WavryPeer *self = WAVRY_PEER (object);

  g_free (self->name);
  g_free (self->host_name);
  g_ptr_array_unref (self->addresses);
  g_free (self->wavry_id);
  g_free (self->short_id);
  g_free (self->device_name);
  g_strfreev (self->codecs);

  G_OBJECT_CLASS (wavry_peer_parent_class)->finalize (object);
}

static void
wavry_peer_class_init (WavryPeerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wavry_peer_finalize;
}

static void
wavry_peer_init (WavryPeer *self)
{
  self->addresses = g_ptr_array_new_null_terminated (2, g_free, TRUE);
}

/* Well-formed codec token: [a-z0-9] only, 1…16 characters (lowercased). */
static char *
normalize_codec (const char *token)
{
  gsize len = strlen (token);

  if (len == 0 || len > MAX_CODEC_TOKEN)
    return NULL;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (token[i]))
      return NULL;
  return g_ascii_strdown (token, len);
}

/* Splits, normalizes and deduplicates a comma-separated codec list. */
static GStrv
split_codecs (const char *list)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  if (list == NULL)
    return g_strv_builder_end (builder);
  tokens = g_strsplit (list, ",", MAX_CODECS + 1);
  for (guint i = 0; tokens[i] != NULL && seen->len < MAX_CODECS; i++)
    {
      char *codec = normalize_codec (g_strstrip (tokens[i]));

      if (codec == NULL)
        continue;
      if (g_ptr_array_find_with_equal_func (seen, codec, g_str_equal, NULL))
        {
          g_free (codec);
          continue;
        }
      g_strv_builder_add (builder, codec);
      g_ptr_array_add (seen, codec);
    }
  return g_strv_builder_end (builder);
}

WavryPeer *
wavry_peer_new (const char *name,
                const char *host_name,
                const char *address,
                guint16     port,
                const char *wavry_id,
                const char *device_name,
                const char *codecs)
{
  WavryPeer *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (wavry_id != NULL, NULL);

  self = g_object_new (WAVRY_TYPE_PEER, NULL);
  self->name = g_strdup (name);
  self->host_name = g_strdup (host_name);
  if (address != NULL)
    wavry_peer_add_address (self, address);
  self->port = port;
  self->wavry_id = g_strdup (wavry_id);
  self->short_id = g_utf8_substring (wavry_id, 0, MIN (SHORT_ID_LEN, g_utf8_strlen (wavry_id, -1)));
  self->device_name = g_strdup (device_name != NULL ? device_name : name);
  self->codecs = split_codecs (codecs);
  return self;
}

const char *
wavry_peer_get_name (WavryPeer *self)
{
  g_return_val_if_fail (WAVRY_IS_PEER (self), NULL);
  return self->name;
}

const char *
wavry_peer_get_host_name (WavryPeer *self)
{
  g_return_val_if_fail (WAVRY_IS_PEER (self), NULL);
  return self->host_name;
}

const char *
wavry_peer_get_address (WavryPeer *self)
{
  g_return_val_if_fail (WAVRY_IS_PEER (self), NULL);
  return self->addresses->len > 0 ? g_ptr_array_index (self->addresses, 0) : NULL;
}

const char * const *
wavry_peer_get_addresses (WavryPeer *self)
{
  g_return_val_if_fail (WAVRY_IS_PEER (self), NULL);
  return (const char * const *) self->addresses->pdata;
}

guint16
wavry_peer_get_port (WavryPeer *self)
{
  g_return_val_if_fail (WAVRY_IS_PEER (self), 0);
  return self->port;
}

const char *
wavry_peer_get_wavry_id (WavryPeer *self)
{
  g_return_val_if_fail (WAVRY_IS_PEER (self), NULL);
  return self->wavry_id;
}

const char *
wavry_peer_get_short_id (WavryPeer *self)
{
  g_return_val_if_fail (WAVRY_IS_PEER (self), NULL);
  return self->short_id;
}

const char *
wavry_peer_get_device_name (WavryPeer *self)
{
  g_return_val_if_fail (WAVRY_IS_PEER (self), NULL);
  return self->device_name;
}

const char * const *
wavry_peer_get_codecs (WavryPeer *self)
{
  g_return_val_if_fail (WAVRY_IS_PEER (self), NULL);
  return (const char * const *) self->codecs;
}

gboolean
wavry_peer_has_codec (WavryPeer  *self,
                      const char *codec)
{
  g_return_val_if_fail (WAVRY_IS_PEER (self), FALSE);
  return codec != NULL && g_strv_contains ((const char * const *) self->codecs, codec);
}

char *
wavry_peer_dup_connect_address (WavryPeer *self)
{
  const char *address = wavry_peer_get_address (self);

  if (address == NULL)
    return NULL;
  if (strchr (address, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", address, self->port);
  return g_strdup_printf ("%s:%u", address, self->port);
}

gboolean
wavry_peer_add_address (WavryPeer  *self,
                        const char *address)
{
  g_return_val_if_fail (WAVRY_IS_PEER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  for (guint i = 0; i < self->addresses->len; i++)
    if (g_str_equal (g_ptr_array_index (self->addresses, i), address))
      return FALSE;
  /* IPv4 first: hosts usually listen on IPv4 (0.0.0.0), and IPv6
   * link-local addresses would need a scope to be usable. */
  if (strchr (address, ':') == NULL)
    {
      for (guint i = 0; i < self->addresses->len; i++)
        if (strchr (g_ptr_array_index (self->addresses, i), ':') != NULL)
          {
            g_ptr_array_insert (self->addresses, i, g_strdup (address));
            return TRUE;
          }
    }
  g_ptr_array_add (self->addresses, g_strdup (address));
  return TRUE;
}

/* A device name for display: valid UTF-8, control characters replaced by
 * spaces, surrounding white space removed; NULL when nothing is left. */
static char *
sanitize_name (const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  g_strstrip (out->str);
  out->len = strlen (out->str);
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* Looks up @key (case-insensitive); the first occurrence wins. Sets @value
 * to the text after '=' (NULL for a "key" without '=' ). */
static gboolean
txt_lookup (const char * const *txt,
            gsize               n,
            const char         *key,
            const char        **value)
{
  gsize key_len = strlen (key);

  for (gsize i = 0; i < n; i++)
    {
      const char *entry = txt[i];

      if (entry == NULL || entry[0] == '=' || entry[0] == '\0')
        continue;   /* empty key: RFC 6763 §6.4 says ignore */
      if (g_ascii_strncasecmp (entry, key, key_len) != 0)
        continue;
      if (entry[key_len] == '\0')
        {
          *value = NULL;
          return TRUE;
        }
      if (entry[key_len] == '=')
        {
          *value = entry + key_len + 1;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
wavry_peer_parse_txt (const char * const *txt,
                      gsize               n,
                      char              **id,
                      char              **name,
                      char              **codecs,
                      GError            **error)
{
  const char *version = NULL, *wavry_id = NULL, *device = NULL, *codec_list = NULL;

  g_return_val_if_fail (txt != NULL || n == 0, FALSE);

  if (!txt_lookup (txt, n, "v", &version) || g_strcmp0 (version, "1") != 0)
    {
      g_set_error (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_INVALID_TXT,
                   _("Not a Wavry host: its TXT record has no “v=1” (version %s)"),
                   version != NULL && g_utf8_validate (version, -1, NULL) &&
                   strlen (version) <= 8 ? version : "unknown");
      return FALSE;
    }
  if (!txt_lookup (txt, n, "id", &wavry_id) || wavry_id == NULL ||
      !wavry_id_is_valid (wavry_id))
    {
      g_set_error_literal (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_INVALID_TXT,
                           _("Not a Wavry host: its TXT record has no valid Wavry ID (id=)"));
      return FALSE;
    }
  if (!txt_lookup (txt, n, "name", &device))
    device = NULL;
  if (!txt_lookup (txt, n, "codecs", &codec_list))
    codec_list = NULL;

  if (id != NULL)
    *id = g_strdup (wavry_id);
  if (name != NULL)
    *name = device != NULL ? sanitize_name (device) : NULL;
  if (codecs != NULL)
    {
      g_auto(GStrv) list = split_codecs (codec_list);

      *codecs = g_strjoinv (",", list);
    }
  return TRUE;
}
