/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-proto.h"

Rift__Message *
wavry_rift_message_unpack (const guint8 *data,
                           gsize         len)
{
  Rift__Message *message;

  if (data == NULL || len == 0)
    return NULL;

  /* protobuf-c bounds-checks every field against @len and rejects
   * truncated or malformed encodings. */
  message = rift__message__unpack (NULL, len, data);
  if (message == NULL)
    return NULL;

  /* A Message that says nothing is not valid RIFT. */
  switch (message->content_case)
    {
    case RIFT__MESSAGE__CONTENT_CONTROL:
      if (message->control->content_case == RIFT__CONTROL_MESSAGE__CONTENT__NOT_SET)
        goto invalid;
      break;
    case RIFT__MESSAGE__CONTENT_INPUT:
      break;
    case RIFT__MESSAGE__CONTENT_MEDIA:
      if (message->media->content_case == RIFT__MEDIA_MESSAGE__CONTENT__NOT_SET)
        goto invalid;
      break;
    case RIFT__MESSAGE__CONTENT__NOT_SET:
    case _RIFT__MESSAGE__CONTENT__CASE_IS_INT_SIZE:
    default:
      goto invalid;
    }

  return message;

invalid:
  rift__message__free_unpacked (message, NULL);
  return NULL;
}

void
wavry_rift_message_free (Rift__Message *message)
{
  if (message != NULL)
    rift__message__free_unpacked (message, NULL);
}

gsize
wavry_rift_message_pack_to (const Rift__Message *message,
                            guint8              *out,
                            gsize                out_cap)
{
  gsize len = rift__message__get_packed_size (message);

  if (len > out_cap)
    return 0;

  return rift__message__pack (message, out);
}

GBytes *
wavry_rift_message_pack (const Rift__Message *message)
{
  gsize len = rift__message__get_packed_size (message);
  guint8 *buf = g_malloc (MAX (len, 1));

  rift__message__pack (message, buf);

  return g_bytes_new_take (buf, len);
}

const char *
wavry_rift_message_describe (const Rift__Message *message)
{
  const ProtobufCFieldDescriptor *field;

  if (message == NULL)
    return "(null)";

  switch (message->content_case)
    {
    case RIFT__MESSAGE__CONTENT_CONTROL:
      field = protobuf_c_message_descriptor_get_field (&rift__control_message__descriptor,
                                                       message->control->content_case);
      return field ? field->name : "control.?";
    case RIFT__MESSAGE__CONTENT_INPUT:
      return "input";
    case RIFT__MESSAGE__CONTENT_MEDIA:
      field = protobuf_c_message_descriptor_get_field (&rift__media_message__descriptor,
                                                       message->media->content_case);
      return field ? field->name : "media.?";
    case RIFT__MESSAGE__CONTENT__NOT_SET:
    case _RIFT__MESSAGE__CONTENT__CASE_IS_INT_SIZE:
    default:
      return "empty";
    }
}

Rift__HandshakeInfo *
wavry_rift_handshake_info_unpack (const guint8 *data,
                                  gsize         len)
{
  /* An empty payload is a valid (all-default) protobuf, but carries no
   * identity; callers check identity.len. */
  return rift__handshake_info__unpack (NULL, len, data);
}

void
wavry_rift_handshake_info_free (Rift__HandshakeInfo *info)
{
  if (info != NULL)
    rift__handshake_info__free_unpacked (info, NULL);
}
