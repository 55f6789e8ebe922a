/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <string.h>

#include "wavry-rift-packetizer.h"
#include "wavry-rift-proto.h"

static guint8 *
pattern (gsize len)
{
  guint8 *data = g_malloc (MAX (len, 1));

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 131 + (i >> 8) * 7 + 3);
  return data;
}

/* Every chunk is a Message {media {video}} with the frame's fields
 * repeated, payloads of 1200 bytes but the last, concatenating to @data. */
static void
check_size (gsize len)
{
  g_autofree guint8 *data = pattern (len);
  g_autoptr(GPtrArray) chunks = NULL;
  g_autoptr(GByteArray) joined = g_byte_array_new ();
  gsize expect_count = (len + 1199) / 1200;

  chunks = wavry_rift_packetize_frame (42, data, len, 123456789, len % 2 == 1, 1500, 2500);
  g_assert_nonnull (chunks);
  g_assert_cmpuint (chunks->len, ==, expect_count);

  for (guint i = 0; i < chunks->len; i++)
    {
      gsize size;
      const guint8 *bytes = g_bytes_get_data (chunks->pdata[i], &size);
      g_autoptr(Rift__Message) message = wavry_rift_message_unpack (bytes, size);
      Rift__VideoChunk *chunk;

      g_assert_nonnull (message);
      g_assert_cmpint (message->content_case, ==, RIFT__MESSAGE__CONTENT_MEDIA);
      g_assert_cmpint (message->media->content_case, ==, RIFT__MEDIA_MESSAGE__CONTENT_VIDEO);
      chunk = message->media->video;
      g_assert_cmpuint (chunk->frame_id, ==, 42);
      g_assert_cmpuint (chunk->chunk_index, ==, i);
      g_assert_cmpuint (chunk->chunk_count, ==, expect_count);
      g_assert_cmpuint (chunk->timestamp_us, ==, 123456789);
      g_assert_cmpint (!!chunk->keyframe, ==, len % 2 == 1);
      g_assert_cmpuint (chunk->capture_us, ==, 1500);
      g_assert_cmpuint (chunk->encode_us, ==, 2500);
      if (i + 1 < chunks->len)
        g_assert_cmpuint (chunk->payload.len, ==, WAVRY_RIFT_VIDEO_CHUNK_MAX);
      else
        g_assert_cmpuint (chunk->payload.len, ==, len - i * 1200);
      /* A chunk plus the Message wrapping fits the 1452-byte datagram budget. */
      g_assert_cmpuint (size, <=, 1200 + 40);
      g_byte_array_append (joined, chunk->payload.data, chunk->payload.len);
    }

  g_assert_cmpuint (joined->len, ==, len);
  if (len > 0)
    g_assert_cmpmem (joined->data, joined->len, data, len);
}

static void
test_sizes (void)
{
  static const gsize sizes[] = { 0, 1, 1199, 1200, 1201, 2400, 3 * 1000 * 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    check_size (sizes[i]);
}

static void
test_max (void)
{
  gsize len = (gsize) WAVRY_RIFT_VIDEO_CHUNK_MAX * WAVRY_RIFT_VIDEO_CHUNKS_MAX;
  g_autofree guint8 *data = g_malloc0 (len + 1);
  g_autoptr(GPtrArray) chunks = wavry_rift_packetize_frame (0, data, len, 0, TRUE, 0, 0);

  g_assert_cmpuint (chunks->len, ==, WAVRY_RIFT_VIDEO_CHUNKS_MAX);

  if (g_test_undefined ())
    {
      GPtrArray *too_big;

      g_test_expect_message ("Wavry-Core", G_LOG_LEVEL_CRITICAL, "*len <=*");
      too_big = wavry_rift_packetize_frame (0, data, len + 1, 0, TRUE, 0, 0);
      g_test_assert_expected_messages ();
      g_assert_null (too_big);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wavry/core/packetizer/sizes", test_sizes);
  g_test_add_func ("/wavry/core/packetizer/max", test_max);
  return g_test_run ();
}
