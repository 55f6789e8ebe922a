/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <math.h>

#include "wavry-fuzz.h"

#include "wavry-input-injector.h"
#include "wavry-rift-proto.h"

/* §5 InputMessage as the host takes it off the wire: whatever the bytes,
 * a backend only ever sees a keyboard key, one of the five buttons, a
 * position within 0..1 and a finite scroll of at most
 * WAVRY_INPUT_SCROLL_MAX detents; everything else is refused with an
 * error before it reaches the backend. */

#define FUZZ_TYPE_INJECTOR (fuzz_injector_get_type ())
G_DECLARE_FINAL_TYPE (FuzzInjector, fuzz_injector, FUZZ, INJECTOR, WavryInputInjector)

struct _FuzzInjector
{
  WavryInputInjector parent_instance;
  guint              calls;
};

G_DEFINE_FINAL_TYPE (FuzzInjector, fuzz_injector, WAVRY_TYPE_INPUT_INJECTOR)

static gboolean
fuzz_key (WavryInputInjector *injector, guint32 code, gboolean pressed, GError **error)
{
  g_assert (code >= 1 && code <= WAVRY_INPUT_KEY_MAX && (code < 0x100 || code >= 0x160));
  FUZZ_INJECTOR (injector)->calls++;
  return TRUE;
}

static gboolean
fuzz_pointer_move (WavryInputInjector *injector, double x, double y, GError **error)
{
  g_assert (x >= 0 && x <= 1 && y >= 0 && y <= 1);
  FUZZ_INJECTOR (injector)->calls++;
  return TRUE;
}

static gboolean
fuzz_button (WavryInputInjector *injector, guint32 button, gboolean pressed, GError **error)
{
  g_assert (button >= WAVRY_INPUT_BTN_LEFT && button <= WAVRY_INPUT_BTN_EXTRA);
  FUZZ_INJECTOR (injector)->calls++;
  return TRUE;
}

static gboolean
fuzz_scroll (WavryInputInjector *injector, double dx, double dy, GError **error)
{
  g_assert (isfinite (dx) && isfinite (dy));
  g_assert (fabs (dx) <= WAVRY_INPUT_SCROLL_MAX && fabs (dy) <= WAVRY_INPUT_SCROLL_MAX);
  FUZZ_INJECTOR (injector)->calls++;
  return TRUE;
}

static void
fuzz_injector_class_init (FuzzInjectorClass *klass)
{
  WavryInputInjectorClass *injector_class = WAVRY_INPUT_INJECTOR_CLASS (klass);

  injector_class->key = fuzz_key;
  injector_class->pointer_move = fuzz_pointer_move;
  injector_class->button = fuzz_button;
  injector_class->scroll = fuzz_scroll;
}

static void
fuzz_injector_init (FuzzInjector *self)
{
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(Rift__Message) message = wavry_rift_message_unpack (data, size);
  g_autoptr(FuzzInjector) injector = NULL;
  g_autoptr(GError) error = NULL;
  const Rift__InputMessage *input;
  gboolean ok;

  if (message == NULL || message->content_case != RIFT__MESSAGE__CONTENT_INPUT)
    return 0;
  input = message->input;
  injector = g_object_new (FUZZ_TYPE_INJECTOR, NULL);

  switch (input->event_case)
    {
    case RIFT__INPUT_MESSAGE__EVENT_KEY:
      ok = wavry_input_injector_key (WAVRY_INPUT_INJECTOR (injector), input->key->keycode,
                                     input->key->pressed, &error);
      g_assert (ok == wavry_input_key_is_valid (input->key->keycode));
      break;
    case RIFT__INPUT_MESSAGE__EVENT_MOUSE_MOVE:
      ok = wavry_input_injector_pointer_move (WAVRY_INPUT_INJECTOR (injector),
                                              input->mouse_move->x, input->mouse_move->y,
                                              &error);
      break;
    case RIFT__INPUT_MESSAGE__EVENT_MOUSE_BUTTON:
      ok = wavry_input_injector_button (WAVRY_INPUT_INJECTOR (injector),
                                        input->mouse_button->button,
                                        input->mouse_button->pressed, &error);
      break;
    case RIFT__INPUT_MESSAGE__EVENT_SCROLL:
      ok = wavry_input_injector_scroll (WAVRY_INPUT_INJECTOR (injector), input->scroll->dx,
                                        input->scroll->dy, &error);
      break;
    case RIFT__INPUT_MESSAGE__EVENT_GAMEPAD:
    case RIFT__INPUT_MESSAGE__EVENT__NOT_SET:
    case _RIFT__INPUT_MESSAGE__EVENT__CASE_IS_INT_SIZE:
    default:
      return 0;
    }
  /* Refused: an error and no call; accepted: exactly one call. */
  g_assert (ok == (error == NULL));
  g_assert (injector->calls == (ok ? 1u : 0u));
  return 0;
}
