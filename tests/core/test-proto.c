/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-rift-proto.h"
#include <string.h>

#include "wavry-test-util.h"

/* PROTOCOL.md §5 field numbers are the wire contract: check them through
 * the bytes protobuf-c produces, not through the generated names. */

static GBytes *
pack (const Rift__Message *message)
{
  return wavry_rift_message_pack (message);
}

static void
assert_packed_hex (const Rift__Message *message,
                   const char          *hex)
{
  g_autoptr(GBytes) bytes = pack (message);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  wavry_test_assert_bytes_hex (data, len, hex);
}

static void
test_ping_vector (void)
{
  Rift__Message message = RIFT__MESSAGE__INIT;
  Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
  Rift__Ping ping = RIFT__PING__INIT;
  g_autoptr(Rift__Message) back = NULL;
  static const guint8 vector[] = { 0x0a, 0x04, 0x1a, 0x02, 0x08, 0x01 };

  /* §13: Message{control{ping{1}}} = 0a 04 1a 02 08 01 */
  ping.timestamp_us = 1;
  control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_PING;
  control.ping = &ping;
  message.content_case = RIFT__MESSAGE__CONTENT_CONTROL;
  message.control = &control;
  assert_packed_hex (&message, "0a041a020801");

  back = wavry_rift_message_unpack (vector, sizeof vector);
  g_assert_nonnull (back);
  g_assert_cmpint (back->control->content_case, ==, RIFT__CONTROL_MESSAGE__CONTENT_PING);
  g_assert_cmpuint (back->control->ping->timestamp_us, ==, 1);
  g_assert_cmpstr (wavry_rift_message_describe (back), ==, "ping");
}

static void
test_oneof_numbers (void)
{
  /* Each control oneof member: tag byte = (field << 3) | 2 inside field 1. */
  static const struct { guint field; ProtobufCMessageDescriptor const *desc; } members[] = {
    { 1, &rift__hello__descriptor }, { 2, &rift__hello_ack__descriptor },
    { 3, &rift__ping__descriptor }, { 4, &rift__pong__descriptor },
    { 5, &rift__stats_report__descriptor }, { 6, &rift__congestion_control__descriptor },
    { 7, &rift__reference_invalidation__descriptor }, { 8, &rift__monitor_list__descriptor },
    { 9, &rift__select_monitor__descriptor }, { 10, &rift__nack__descriptor },
    { 11, &rift__encoder_control__descriptor }, { 12, &rift__pose_update__descriptor },
    { 13, &rift__vr_timing__descriptor }, { 14, &rift__hand_pose_update__descriptor },
    { 15, &rift__clipboard_message__descriptor }, { 16, &rift__file_header__descriptor },
    { 17, &rift__file_status__descriptor }, { 18, &rift__latency_stats__descriptor },
  };
  static const struct { guint field; ProtobufCMessageDescriptor const *desc; } media[] = {
    { 1, &rift__video_chunk__descriptor }, { 2, &rift__fec_packet__descriptor },
    { 3, &rift__audio_packet__descriptor }, { 4, &rift__file_chunk__descriptor },
  };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field (&rift__control_message__descriptor, members[i].field);

      g_assert_nonnull (f);
      g_assert_true (f->descriptor == members[i].desc);
    }
  for (guint i = 0; i < G_N_ELEMENTS (media); i++)
    {
      const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field (&rift__media_message__descriptor, media[i].field);

      g_assert_nonnull (f);
      g_assert_true (f->descriptor == media[i].desc);
    }
  g_assert_true (protobuf_c_message_descriptor_get_field (&rift__message__descriptor, 1)->descriptor ==
                 &rift__control_message__descriptor);
  g_assert_true (protobuf_c_message_descriptor_get_field (&rift__message__descriptor, 2)->descriptor ==
                 &rift__input_message__descriptor);
  g_assert_true (protobuf_c_message_descriptor_get_field (&rift__message__descriptor, 3)->descriptor ==
                 &rift__media_message__descriptor);
}

static void
assert_field (const ProtobufCMessageDescriptor *desc,
              guint                             number,
              const char                       *name,
              ProtobufCType                     type)
{
  const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field (desc, number);

  g_assert_nonnull (f);
  g_assert_cmpstr (f->name, ==, name);
  g_assert_cmpint (f->type, ==, type);
}

static void
test_field_numbers (void)
{
  const ProtobufCMessageDescriptor *d;

  d = &rift__hello__descriptor;
  assert_field (d, 1, "client_name", PROTOBUF_C_TYPE_STRING);
  assert_field (d, 2, "platform", PROTOBUF_C_TYPE_ENUM);
  assert_field (d, 3, "supported_codecs", PROTOBUF_C_TYPE_ENUM);
  assert_field (d, 4, "max_resolution", PROTOBUF_C_TYPE_MESSAGE);
  assert_field (d, 5, "max_fps", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 6, "input_caps", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 7, "protocol_version", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 8, "public_addr", PROTOBUF_C_TYPE_STRING);
  assert_field (d, 9, "resume_token", PROTOBUF_C_TYPE_BYTES);

  d = &rift__handshake_info__descriptor;
  assert_field (d, 1, "device_name", PROTOBUF_C_TYPE_STRING);
  assert_field (d, 2, "platform", PROTOBUF_C_TYPE_ENUM);
  assert_field (d, 3, "identity", PROTOBUF_C_TYPE_BYTES);

  d = &rift__hello_ack__descriptor;
  assert_field (d, 1, "accepted", PROTOBUF_C_TYPE_BOOL);
  assert_field (d, 2, "selected_codec", PROTOBUF_C_TYPE_ENUM);
  assert_field (d, 3, "stream_resolution", PROTOBUF_C_TYPE_MESSAGE);
  assert_field (d, 4, "fps", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 5, "initial_bitrate_kbps", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 6, "keyframe_interval_ms", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 7, "session_id", PROTOBUF_C_TYPE_BYTES);
  assert_field (d, 8, "session_alias", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 9, "public_addr", PROTOBUF_C_TYPE_STRING);
  assert_field (d, 10, "resumed", PROTOBUF_C_TYPE_BOOL);
  assert_field (d, 11, "resume_token", PROTOBUF_C_TYPE_BYTES);
  assert_field (d, 12, "reject_reason", PROTOBUF_C_TYPE_STRING);
  assert_field (d, 13, "pending_approval", PROTOBUF_C_TYPE_BOOL);

  d = &rift__stats_report__descriptor;
  assert_field (d, 1, "period_ms", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 2, "received_packets", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 3, "lost_packets", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 4, "rtt_us", PROTOBUF_C_TYPE_UINT64);
  assert_field (d, 5, "jitter_us", PROTOBUF_C_TYPE_UINT32);

  d = &rift__video_chunk__descriptor;
  assert_field (d, 1, "frame_id", PROTOBUF_C_TYPE_UINT64);
  assert_field (d, 2, "chunk_index", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 3, "chunk_count", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 4, "timestamp_us", PROTOBUF_C_TYPE_UINT64);
  assert_field (d, 5, "keyframe", PROTOBUF_C_TYPE_BOOL);
  assert_field (d, 6, "payload", PROTOBUF_C_TYPE_BYTES);
  assert_field (d, 7, "capture_us", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 8, "encode_us", PROTOBUF_C_TYPE_UINT32);

  d = &rift__fec_packet__descriptor;
  assert_field (d, 1, "group_id", PROTOBUF_C_TYPE_UINT64);
  assert_field (d, 2, "first_packet_id", PROTOBUF_C_TYPE_UINT64);
  assert_field (d, 3, "shard_count", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 4, "parity_index", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 5, "payload", PROTOBUF_C_TYPE_BYTES);
  assert_field (d, 6, "shard_lengths", PROTOBUF_C_TYPE_UINT32);

  d = &rift__input_message__descriptor;
  assert_field (d, 1, "timestamp_us", PROTOBUF_C_TYPE_UINT64);
  assert_field (d, 2, "mouse_move", PROTOBUF_C_TYPE_MESSAGE);
  assert_field (d, 3, "mouse_button", PROTOBUF_C_TYPE_MESSAGE);
  assert_field (d, 4, "key", PROTOBUF_C_TYPE_MESSAGE);
  assert_field (d, 5, "scroll", PROTOBUF_C_TYPE_MESSAGE);
  assert_field (d, 6, "gamepad", PROTOBUF_C_TYPE_MESSAGE);

  d = &rift__file_header__descriptor;
  assert_field (d, 1, "file_id", PROTOBUF_C_TYPE_UINT64);
  assert_field (d, 2, "filename", PROTOBUF_C_TYPE_STRING);
  assert_field (d, 3, "file_size", PROTOBUF_C_TYPE_UINT64);
  assert_field (d, 4, "checksum_sha256", PROTOBUF_C_TYPE_STRING);
  assert_field (d, 5, "chunk_size", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 6, "total_chunks", PROTOBUF_C_TYPE_UINT32);

  d = &rift__hand_pose_update__descriptor;
  assert_field (d, 2, "hand_id", PROTOBUF_C_TYPE_UINT32);
  assert_field (d, 15, "angular_velocity_z", PROTOBUF_C_TYPE_FLOAT);
  d = &rift__vr_timing__descriptor;
  assert_field (d, 2, "vsync_offset_us", PROTOBUF_C_TYPE_INT64);
  d = &rift__latency_stats__descriptor;
  assert_field (d, 7, "total_us", PROTOBUF_C_TYPE_UINT32);

  /* Enum values (§5) */
  g_assert_cmpint (RIFT__CODEC__CODEC_HEVC, ==, 0);
  g_assert_cmpint (RIFT__CODEC__CODEC_H264, ==, 1);
  g_assert_cmpint (RIFT__CODEC__CODEC_AV1, ==, 2);
  g_assert_cmpint (RIFT__PLATFORM__PLATFORM_LINUX, ==, 0);
  g_assert_cmpint (RIFT__PLATFORM__PLATFORM_QUEST, ==, 4);
  g_assert_cmpint (RIFT__FILE_STATUS__STATUS__ERROR, ==, 3);
}

static void
test_hello_ack_round_trip (void)
{
  Rift__Message message = RIFT__MESSAGE__INIT;
  Rift__ControlMessage control = RIFT__CONTROL_MESSAGE__INIT;
  Rift__HelloAck ack = RIFT__HELLO_ACK__INIT;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(Rift__Message) back = NULL;

  ack.accepted = FALSE;
  ack.pending_approval = TRUE;
  ack.reject_reason = (char *) "waiting";
  ack.session_alias = 77;
  control.content_case = RIFT__CONTROL_MESSAGE__CONTENT_HELLO_ACK;
  control.hello_ack = &ack;
  message.content_case = RIFT__MESSAGE__CONTENT_CONTROL;
  message.control = &control;

  bytes = pack (&message);
  back = wavry_rift_message_unpack (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (back);
  g_assert_true (back->control->hello_ack->pending_approval);
  g_assert_cmpstr (back->control->hello_ack->reject_reason, ==, "waiting");
  g_assert_cmpuint (back->control->hello_ack->session_alias, ==, 77);
  /* field 13, varint: tag 0x68 */
  g_assert_nonnull (memchr (g_bytes_get_data (bytes, NULL), 0x68, g_bytes_get_size (bytes)));
}

static void
test_rejects (void)
{
  static const guint8 empty_control[] = { 0x0a, 0x00 };        /* control{} */
  static const guint8 empty_media[] = { 0x1a, 0x00 };          /* media{} */
  static const guint8 truncated[] = { 0x0a, 0x04, 0x1a, 0x02, 0x08 };
  static const guint8 bad_wire[] = { 0x0f, 0x01 };             /* wire type 7 */
  static const guint8 input_only[] = { 0x12, 0x02, 0x08, 0x05 };  /* input{ts 5}: valid */

  g_assert_null (wavry_rift_message_unpack (NULL, 0));
  g_assert_null (wavry_rift_message_unpack (empty_control, 0));
  g_assert_null (wavry_rift_message_unpack (empty_control, sizeof empty_control));
  g_assert_null (wavry_rift_message_unpack (empty_media, sizeof empty_media));
  g_assert_null (wavry_rift_message_unpack (truncated, sizeof truncated));
  g_assert_null (wavry_rift_message_unpack (bad_wire, sizeof bad_wire));

  {
    g_autoptr(Rift__Message) ok = wavry_rift_message_unpack (input_only, sizeof input_only);

    g_assert_nonnull (ok);
    g_assert_cmpuint (ok->input->timestamp_us, ==, 5);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wavry/core/proto/ping-vector", test_ping_vector);
  g_test_add_func ("/wavry/core/proto/oneof-numbers", test_oneof_numbers);
  g_test_add_func ("/wavry/core/proto/field-numbers", test_field_numbers);
  g_test_add_func ("/wavry/core/proto/hello-ack-round-trip", test_hello_ack_round_trip);
  g_test_add_func ("/wavry/core/proto/rejects", test_rejects);

  return g_test_run ();
}
