/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <sys/wait.h>
#include <string.h>

#include "wavry-identity.h"
#include "wavry-mdns-browser.h"
#include "wavry-mdns-publisher.h"
#include "wavry-peer.h"
#include "wavry-test-avahi.h"

/* mDNS discovery: the TXT parser on its own, then the browser and the
 * publisher against a real avahi-daemon in a network namespace (see
 * wavry-test-avahi.h), and the real `wavry --service=host --mdns`. */

static char *
new_id (void)
{
  g_autoptr(WavryIdentity) identity = wavry_identity_generate ();

  return g_strdup (wavry_identity_get_id (identity));
}

static gboolean
parse (const char * const *txt,
       char              **id,
       char              **name,
       char              **codecs,
       GError            **error)
{
  return wavry_peer_parse_txt (txt, g_strv_length ((char **) txt), id, name, codecs, error);
}

static void
test_txt_valid (void)
{
  g_autofree char *wavry_id = new_id ();
  g_autofree char *id_entry = g_strconcat ("id=", wavry_id, NULL);
  const char *txt[] = { "v=1", id_entry, "name=Living room", "codecs=h264,HEVC, av1", NULL };
  g_autofree char *id = NULL, *name = NULL, *codecs = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (parse (txt, &id, &name, &codecs, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, wavry_id);
  g_assert_cmpstr (name, ==, "Living room");
  g_assert_cmpstr (codecs, ==, "h264,hevc,av1");
}

static void
test_txt_rules (void)
{
  g_autofree char *wavry_id = new_id ();
  g_autofree char *other_id = new_id ();
  g_autofree char *id_entry = g_strconcat ("ID=", wavry_id, NULL);
  g_autofree char *other_entry = g_strconcat ("id=", other_id, NULL);
  g_autofree char *bad_id = g_strconcat ("id=", wavry_id, "x", NULL);
  g_autofree char *short_id = g_strndup (id_entry, 20);

  /* Keys are case-insensitive, the first occurrence wins, unknown keys and
   * empty keys are ignored, name/codecs are optional. */
  {
    const char *txt[] = { "=junk", "V=1", "extra", id_entry, other_entry, "v=2", NULL };
    g_autofree char *id = NULL, *name = NULL, *codecs = NULL;

    g_assert_true (parse (txt, &id, &name, &codecs, NULL));
    g_assert_cmpstr (id, ==, wavry_id);
    g_assert_null (name);
    g_assert_cmpstr (codecs, ==, "");
  }
  /* Codec tokens: lowercased, deduplicated, malformed ones dropped. */
  {
    const char *txt[] = { "v=1", id_entry, "codecs=H264,,h264,x y,vp9,averyveryverylongcodecname", NULL };
    g_autofree char *codecs = NULL;

    g_assert_true (parse (txt, NULL, NULL, &codecs, NULL));
    g_assert_cmpstr (codecs, ==, "h264,vp9");
  }
  /* A device name is made printable: invalid UTF-8 replaced, control
   * characters turned into spaces, trimmed; blank means none. */
  {
    const char *txt[] = { "v=1", id_entry, "name= Desk\x01\xff\n", NULL };
    const char *blank[] = { "v=1", id_entry, "name=\t ", NULL };
    g_autofree char *name = NULL, *none = NULL;

    g_assert_true (parse (txt, NULL, &name, NULL, NULL));
    g_assert_cmpstr (name, ==, "Desk \xef\xbf\xbd");
    g_assert_true (parse (blank, NULL, &none, NULL, NULL));
    g_assert_null (none);
  }
  /* Refused: no v, another version, v without a value, no id, a bad id. */
  {
    const char *no_version[] = { id_entry, NULL };
    const char *version_2[] = { "v=2", id_entry, NULL };
    const char *version_flag[] = { "v", id_entry, NULL };
    const char *no_id[] = { "v=1", "name=x", NULL };
    const char *id_flag[] = { "v=1", "id", NULL };
    const char *id_bad[] = { "v=1", bad_id, NULL };
    const char *id_short[] = { "v=1", short_id, NULL };
    const char *id_empty[] = { "v=1", "id=", NULL };
    const char * const *cases[] = { no_version, version_2, version_flag, no_id, id_flag,
                                    id_bad, id_short, id_empty };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *id = NULL;

        g_assert_false (parse (cases[i], &id, NULL, NULL, &error));
        g_assert_error (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_INVALID_TXT);
        g_assert_null (id);
      }
  }
  /* Nothing at all. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (wavry_peer_parse_txt (NULL, 0, NULL, NULL, NULL, &error));
    g_assert_error (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_INVALID_TXT);
  }
}

static void
test_peer (void)
{
  g_autofree char *wavry_id = new_id ();
  g_autoptr(WavryPeer) peer = wavry_peer_new ("Desk", "desk.local", "192.0.2.7", 4242,
                                              wavry_id, NULL, "hevc,H264");
  g_autofree char *connect = NULL;
  g_autofree char *connect6 = NULL;
  g_autoptr(WavryPeer) peer6 = NULL;
  g_autofree char *prefix = g_strndup (wavry_id, 8);

  g_assert_cmpstr (wavry_peer_get_name (peer), ==, "Desk");
  g_assert_cmpstr (wavry_peer_get_device_name (peer), ==, "Desk");
  g_assert_cmpstr (wavry_peer_get_short_id (peer), ==, prefix);
  g_assert_cmpuint (strlen (wavry_peer_get_short_id (peer)), ==, 8);
  g_assert_cmpuint (wavry_peer_get_port (peer), ==, 4242);
  g_assert_true (wavry_peer_has_codec (peer, "h264"));
  g_assert_true (wavry_peer_has_codec (peer, "hevc"));
  g_assert_false (wavry_peer_has_codec (peer, "av1"));
  connect = wavry_peer_dup_connect_address (peer);
  g_assert_cmpstr (connect, ==, "192.0.2.7:4242");
  g_assert_false (wavry_peer_add_address (peer, "192.0.2.7"));
  g_assert_true (wavry_peer_add_address (peer, "2001:db8::7"));
  g_assert_cmpuint (g_strv_length ((char **) wavry_peer_get_addresses (peer)), ==, 2);
  g_assert_cmpstr (wavry_peer_get_address (peer), ==, "192.0.2.7");

  peer6 = wavry_peer_new ("Desk", NULL, "2001:db8::7", 1, wavry_id, "Desk PC", NULL);
  connect6 = wavry_peer_dup_connect_address (peer6);
  g_assert_cmpstr (connect6, ==, "[2001:db8::7]:1");
  /* An IPv4 address resolved later still comes first. */
  g_assert_true (wavry_peer_add_address (peer6, "fe80::1"));
  g_assert_true (wavry_peer_add_address (peer6, "198.51.100.1"));
  g_assert_true (wavry_peer_add_address (peer6, "198.51.100.2"));
  g_assert_cmpstr (wavry_peer_get_address (peer6), ==, "198.51.100.1");
  g_assert_cmpstr (wavry_peer_get_addresses (peer6)[1], ==, "198.51.100.2");
  g_assert_cmpstr (wavry_peer_get_addresses (peer6)[2], ==, "2001:db8::7");
  g_assert_cmpstr (wavry_peer_get_addresses (peer6)[3], ==, "fe80::1");
  g_assert_null (wavry_peer_get_addresses (peer6)[4]);
  g_assert_cmpstr (wavry_peer_get_device_name (peer6), ==, "Desk PC");
  g_assert_cmpuint (g_strv_length ((char **) wavry_peer_get_codecs (peer6)), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&peer6));
  g_assert_finalize_object (g_steal_pointer (&peer));
}

/* ---- against avahi-daemon ---- */

typedef struct
{
  GPtrArray *added;     /* of WavryPeer */
  GPtrArray *removed;   /* of WavryPeer */
  GError    *failed;
  guint      established;
} Events;

static void
on_added (WavryMdnsBrowser *browser,
          WavryPeer        *peer,
          Events           *events)
{
  g_test_message ("peer-added: “%s” %s port %u id %s", wavry_peer_get_name (peer),
                  wavry_peer_get_address (peer), wavry_peer_get_port (peer),
                  wavry_peer_get_short_id (peer));
  g_ptr_array_add (events->added, g_object_ref (peer));
}

static void
on_removed (WavryMdnsBrowser *browser,
            WavryPeer        *peer,
            Events           *events)
{
  g_test_message ("peer-removed: “%s”", wavry_peer_get_name (peer));
  g_ptr_array_add (events->removed, g_object_ref (peer));
}

static void
on_failed (GObject *object,
           GError  *error,
           Events  *events)
{
  g_test_message ("failed: %s", error->message);
  g_clear_error (&events->failed);
  events->failed = g_error_copy (error);
}

static void
on_established (WavryMdnsPublisher *publisher,
                Events             *events)
{
  events->established++;
}

static void
events_init (Events *events)
{
  events->added = g_ptr_array_new_with_free_func (g_object_unref);
  events->removed = g_ptr_array_new_with_free_func (g_object_unref);
  events->failed = NULL;
  events->established = 0;
}

static void
events_clear (Events *events)
{
  g_ptr_array_unref (events->added);
  g_ptr_array_unref (events->removed);
  g_clear_error (&events->failed);
}

static void
connect_browser (WavryMdnsBrowser *browser,
                 Events           *events)
{
  g_signal_connect (browser, "peer-added", G_CALLBACK (on_added), events);
  g_signal_connect (browser, "peer-removed", G_CALLBACK (on_removed), events);
  g_signal_connect (browser, "failed", G_CALLBACK (on_failed), events);
}

static WavryPeer *
find_peer (GPtrArray  *peers,
           const char *name)
{
  for (guint i = 0; i < peers->len; i++)
    if (g_str_equal (wavry_peer_get_name (g_ptr_array_index (peers, i)), name))
      return g_ptr_array_index (peers, i);
  return NULL;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until a peer named @name is in @peers or
 * @timeout_ms passes; returns it (or NULL). */
static WavryPeer *
wait_for_peer (GPtrArray  *peers,
               const char *name,
               guint       timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);
  WavryPeer *peer;

  while ((peer = find_peer (peers, name)) == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return peer;
}

/* Runs the main context for @ms milliseconds. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
wait_for_flag (guint   *counter,
               guint    at_least,
               guint    timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (*counter < at_least && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *counter >= at_least;
}

static void
test_publish_browse (void)
{
  WavryTestAvahi *avahi = wavry_test_avahi_start_or_skip (TRUE);
  g_autofree char *wavry_id = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(WavryMdnsBrowser) browser = NULL;
  g_autoptr(WavryMdnsPublisher) publisher = NULL;
  g_autoptr(GError) error = NULL;
  const char *codecs[] = { "h264", "hevc", NULL };
  Events events;
  WavryPeer *peer;
  gint64 start;

  if (avahi == NULL)
    return;
  events_init (&events);
  wavry_id = new_id ();
  prefix = g_strndup (wavry_id, 8);

  browser = wavry_mdns_browser_new ();
  connect_browser (browser, &events);
  g_assert_true (wavry_mdns_browser_start (browser, &error));
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  publisher = wavry_mdns_publisher_new ("Wavry Test Host", 40123, wavry_id, "Test Device",
                                        codecs);
  g_signal_connect (publisher, "established", G_CALLBACK (on_established), &events);
  g_signal_connect (publisher, "failed", G_CALLBACK (on_failed), &events);
  g_assert_true (wavry_mdns_publisher_start (publisher, &error));
  g_assert_no_error (error);

  peer = wait_for_peer (events.added, "Wavry Test Host", 2000);
  g_assert_nonnull (peer);
  g_test_message ("seen after %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (wavry_mdns_publisher_is_established (publisher));
  g_assert_cmpuint (events.established, ==, 1);
  g_assert_cmpuint (wavry_peer_get_port (peer), ==, 40123);
  g_assert_cmpstr (wavry_peer_get_wavry_id (peer), ==, wavry_id);
  g_assert_cmpstr (wavry_peer_get_short_id (peer), ==, prefix);
  g_assert_cmpstr (wavry_peer_get_device_name (peer), ==, "Test Device");
  g_assert_cmpstr (wavry_peer_get_address (peer), ==, "127.0.0.1");
  g_assert_true (wavry_peer_has_codec (peer, "h264"));
  g_assert_true (wavry_peer_has_codec (peer, "hevc"));
  g_assert_cmpuint (g_strv_length ((char **) wavry_peer_get_codecs (peer)), ==, 2);
  g_assert_nonnull (wavry_peer_get_host_name (peer));
  /* The list model holds it too, once. */
  g_assert_cmpuint (g_list_model_get_n_items (wavry_mdns_browser_get_peers (browser)), ==, 1);
  {
    g_autoptr(WavryPeer) listed = g_list_model_get_item (wavry_mdns_browser_get_peers (browser), 0);

    g_assert_true (listed == peer);
  }
  g_assert_cmpuint (wavry_mdns_browser_get_ignored_count (browser), ==, 0);
  g_assert_null (events.failed);

  /* Unpublish: the goodbye reaches the browser within a few seconds. */
  start = g_get_monotonic_time ();
  wavry_mdns_publisher_stop (publisher);
  g_assert_nonnull (wait_for_peer (events.removed, "Wavry Test Host", 5000));
  g_test_message ("removed after %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (g_list_model_get_n_items (wavry_mdns_browser_get_peers (browser)), ==, 0);
  g_assert_cmpuint (events.added->len, ==, 1);

  /* Dropping them while running stops them (dispose). */
  events_clear (&events);
  g_assert_finalize_object (g_steal_pointer (&publisher));
  g_assert_finalize_object (g_steal_pointer (&browser));
  wavry_test_avahi_stop (avahi);
}

/* Services of this type that are not Wavry hosts are ignored and counted;
 * a valid one published next to them still shows. */
static void
test_foreign_ignored (void)
{
  WavryTestAvahi *avahi = wavry_test_avahi_start_or_skip (TRUE);
  g_autofree char *wavry_id = NULL;
  g_autofree char *id_entry = NULL;
  g_autoptr(WavryMdnsBrowser) browser = NULL;
  g_autoptr(WavryMdnsPublisher) publisher = NULL;
  g_autoptr(GError) error = NULL;
  Events events;
  GPid bad_id = 0, bad_version = 0;
  g_autofree char *publish_found = g_find_program_in_path ("avahi-publish");

  if (avahi == NULL)
    return;
  if (!publish_found)
    {
      wavry_test_avahi_stop (avahi);
      g_test_skip ("needs avahi-publish (avahi-utils)");
      return;
    }
  events_init (&events);
  wavry_id = new_id ();
  id_entry = g_strconcat ("id=", wavry_id, NULL);

  {
    const char * const argv1[] = { "avahi-publish", "-s", "Foreign Bad ID", "_wavry._udp",
                                   "4001", "v=1", "id=not-a-wavry-id", "name=x", NULL };
    const char * const argv2[] = { "avahi-publish", "-s", "Foreign Version", "_wavry._udp",
                                   "4002", "v=2", id_entry, NULL };

    bad_id = wavry_test_avahi_spawn (argv1, &error);
    g_assert_no_error (error);
    bad_version = wavry_test_avahi_spawn (argv2, &error);
    g_assert_no_error (error);
  }

  browser = wavry_mdns_browser_new ();
  connect_browser (browser, &events);
  wavry_mdns_browser_start (browser, &error);
  g_assert_no_error (error);
  publisher = wavry_mdns_publisher_new ("Real Host", 4003, wavry_id, NULL, NULL);
  g_assert_true (wavry_mdns_publisher_start (publisher, &error));
  g_assert_no_error (error);

  g_assert_nonnull (wait_for_peer (events.added, "Real Host", 2000));
  /* Both foreign services resolve and are refused (avahi-publish needs a
   * moment to register them). */
  {
    gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

    while (wavry_mdns_browser_get_ignored_count (browser) < 2 &&
           g_get_monotonic_time () < deadline)
      run_for (50);
  }
  /* (Each resolves once per interface and protocol it is seen on.) */
  g_assert_cmpuint (wavry_mdns_browser_get_ignored_count (browser), >=, 2);
  g_assert_cmpuint (events.added->len, ==, 1);
  g_assert_null (find_peer (events.added, "Foreign Bad ID"));
  g_assert_null (find_peer (events.added, "Foreign Version"));
  g_assert_cmpuint (g_list_model_get_n_items (wavry_mdns_browser_get_peers (browser)), ==, 1);

  /* A foreign service going away is no event. */
  wavry_test_avahi_kill (bad_id);
  run_for (500);
  g_assert_cmpuint (events.removed->len, ==, 0);

  wavry_test_avahi_kill (bad_version);
  wavry_mdns_publisher_stop (publisher);
  wavry_mdns_browser_stop (browser);
  events_clear (&events);
  wavry_test_avahi_stop (avahi);
}

/* A host whose address does not resolve at first (avahi gives up after
 * 5 s) is resolved again and shows once its address is published. */
static void
test_resolve_retry (void)
{
  WavryTestAvahi *avahi = wavry_test_avahi_start_or_skip (TRUE);
  g_autofree char *publish_found = g_find_program_in_path ("avahi-publish");
  g_autofree char *wavry_id = NULL;
  g_autofree char *id_entry = NULL;
  g_autoptr(WavryMdnsBrowser) browser = NULL;
  g_autoptr(GError) error = NULL;
  Events events;
  GPid service_pid, address_pid;
  WavryPeer *peer;

  if (avahi == NULL)
    return;
  if (!publish_found)
    {
      wavry_test_avahi_stop (avahi);
      g_test_skip ("needs avahi-publish (avahi-utils)");
      return;
    }
  events_init (&events);
  wavry_id = new_id ();
  id_entry = g_strconcat ("id=", wavry_id, NULL);
  browser = wavry_mdns_browser_new ();
  connect_browser (browser, &events);
  g_assert_true (wavry_mdns_browser_start (browser, &error));
  g_assert_no_error (error);

  /* The service names a host that has no address record yet. */
  {
    const char * const argv[] = { "avahi-publish", "-s", "-H", "ghost.local", "Ghost",
                                  "_wavry._udp", "4100", "v=1", id_entry, NULL };

    service_pid = wavry_test_avahi_spawn (argv, &error);
    g_assert_no_error (error);
  }
  {
    gint64 deadline = g_get_monotonic_time () + 8 * G_USEC_PER_SEC;

    while (wavry_mdns_browser_get_resolve_failures (browser) == 0 &&
           g_get_monotonic_time () < deadline)
      run_for (50);
  }
  g_assert_cmpuint (wavry_mdns_browser_get_resolve_failures (browser), >=, 1);
  g_assert_cmpuint (events.added->len, ==, 0);

  /* Now the address appears: the next try finds it. */
  {
    const char * const argv[] = { "avahi-publish", "-a", "-R", "ghost.local", "127.0.0.2",
                                  NULL };

    address_pid = wavry_test_avahi_spawn (argv, &error);
    g_assert_no_error (error);
  }
  peer = wait_for_peer (events.added, "Ghost", 4000);
  g_assert_nonnull (peer);
  g_assert_cmpstr (wavry_peer_get_address (peer), ==, "127.0.0.2");
  g_assert_cmpuint (wavry_peer_get_port (peer), ==, 4100);
  g_assert_cmpstr (wavry_peer_get_wavry_id (peer), ==, wavry_id);

  wavry_test_avahi_kill (service_pid);
  g_assert_nonnull (wait_for_peer (events.removed, "Ghost", 5000));
  wavry_test_avahi_kill (address_pid);
  wavry_mdns_browser_stop (browser);
  events_clear (&events);
  wavry_test_avahi_stop (avahi);
}

/* Two hosts with one display name: the second takes "NAME #2"; both show. */
static void
test_collision (void)
{
  WavryTestAvahi *avahi = wavry_test_avahi_start_or_skip (TRUE);
  g_autofree char *id1 = NULL, *id2 = NULL;
  g_autoptr(WavryMdnsBrowser) browser = NULL;
  g_autoptr(WavryMdnsPublisher) first = NULL, second = NULL;
  g_autoptr(GError) error = NULL;
  Events events;
  WavryPeer *peer;

  if (avahi == NULL)
    return;
  events_init (&events);
  id1 = new_id ();
  id2 = new_id ();
  browser = wavry_mdns_browser_new ();
  connect_browser (browser, &events);
  g_assert_true (wavry_mdns_browser_start (browser, &error));

  first = wavry_mdns_publisher_new ("Twin", 5001, id1, NULL, NULL);
  second = wavry_mdns_publisher_new ("Twin", 5002, id2, NULL, NULL);
  g_assert_true (wavry_mdns_publisher_start (first, &error));
  g_assert_no_error (error);
  g_assert_nonnull (wait_for_peer (events.added, "Twin", 2000));
  g_assert_true (wavry_mdns_publisher_start (second, &error));
  g_assert_no_error (error);
  peer = wait_for_peer (events.added, "Twin #2", 3000);
  g_assert_nonnull (peer);
  g_assert_cmpstr (wavry_mdns_publisher_get_name (second), ==, "Twin #2");
  g_assert_cmpstr (wavry_mdns_publisher_get_name (first), ==, "Twin");
  g_assert_cmpstr (wavry_peer_get_wavry_id (peer), ==, id2);
  g_assert_cmpuint (wavry_peer_get_port (peer), ==, 5002);
  g_assert_cmpstr (wavry_peer_get_wavry_id (find_peer (events.added, "Twin")), ==, id1);

  wavry_mdns_publisher_stop (first);
  wavry_mdns_publisher_stop (second);
  wavry_mdns_browser_stop (browser);
  events_clear (&events);
  wavry_test_avahi_stop (avahi);
}

/* avahi-daemon restarts: the browser drops its peers, the publisher
 * publishes again once the daemon is back, the browser finds it again. */
static void
test_daemon_restart (void)
{
  WavryTestAvahi *avahi = wavry_test_avahi_start_or_skip (TRUE);
  g_autofree char *wavry_id = NULL;
  g_autoptr(WavryMdnsBrowser) browser = NULL;
  g_autoptr(WavryMdnsPublisher) publisher = NULL;
  g_autoptr(GError) error = NULL;
  Events events;

  if (avahi == NULL)
    return;
  events_init (&events);
  wavry_id = new_id ();
  browser = wavry_mdns_browser_new ();
  connect_browser (browser, &events);
  g_assert_true (wavry_mdns_browser_start (browser, &error));
  publisher = wavry_mdns_publisher_new ("Phoenix", 6000, wavry_id, NULL, NULL);
  g_signal_connect (publisher, "established", G_CALLBACK (on_established), &events);
  g_signal_connect (publisher, "failed", G_CALLBACK (on_failed), &events);
  g_assert_true (wavry_mdns_publisher_start (publisher, &error));
  g_assert_no_error (error);
  g_assert_nonnull (wait_for_peer (events.added, "Phoenix", 2000));

  wavry_test_avahi_stop_daemon (avahi);
  g_assert_nonnull (wait_for_peer (events.removed, "Phoenix", 3000));
  g_assert_cmpuint (g_list_model_get_n_items (wavry_mdns_browser_get_peers (browser)), ==, 0);
  g_assert_false (wavry_mdns_publisher_is_established (publisher));

  g_assert_true (wavry_test_avahi_start_daemon (avahi, &error));
  g_assert_no_error (error);
  g_ptr_array_set_size (events.added, 0);
  g_assert_nonnull (wait_for_peer (events.added, "Phoenix", 5000));
  g_assert_true (wait_for_flag (&events.established, 2, 1000));
  g_assert_null (events.failed);

  wavry_mdns_publisher_stop (publisher);
  wavry_mdns_browser_stop (browser);
  events_clear (&events);
  wavry_test_avahi_stop (avahi);
}

/* A system bus without avahi-daemon: both refuse to start, saying why. */
static void
test_no_daemon (void)
{
  WavryTestAvahi *avahi = wavry_test_avahi_start_or_skip (FALSE);
  g_autoptr(WavryMdnsBrowser) browser = NULL;
  g_autoptr(WavryMdnsPublisher) publisher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) publish_error = NULL;
  g_autofree char *wavry_id = NULL;

  if (avahi == NULL)
    return;
  wavry_id = new_id ();
  browser = wavry_mdns_browser_new ();
  g_assert_false (wavry_mdns_browser_start (browser, &error));
  g_assert_error (error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_NO_DAEMON);
  g_assert_cmpstr (error->message, ==,
                   "The avahi daemon is not running (mDNS discovery needs avahi-daemon)");
  g_assert_cmpuint (g_list_model_get_n_items (wavry_mdns_browser_get_peers (browser)), ==, 0);

  publisher = wavry_mdns_publisher_new ("Nobody", 7000, wavry_id, NULL, NULL);
  g_assert_false (wavry_mdns_publisher_start (publisher, &publish_error));
  g_assert_error (publish_error, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_NO_DAEMON);
  g_assert_nonnull (strstr (publish_error->message, "avahi daemon is not running"));
  g_assert_finalize_object (g_steal_pointer (&publisher));
  g_assert_finalize_object (g_steal_pointer (&browser));
  wavry_test_avahi_stop (avahi);
}

/* The publisher refuses what it cannot announce. */
static void
test_publisher_invalid (void)
{
  g_autofree char *wavry_id = new_id ();
  g_autoptr(WavryMdnsPublisher) bad_id = wavry_mdns_publisher_new ("x", 1, "nope", NULL, NULL);
  g_autoptr(WavryMdnsPublisher) no_port = wavry_mdns_publisher_new ("x", 0, wavry_id, NULL, NULL);
  g_autoptr(WavryMdnsPublisher) no_name = wavry_mdns_publisher_new ("", 1, wavry_id, NULL, NULL);
  g_autoptr(WavryMdnsPublisher) long_name = NULL;
  g_autofree char *name = g_strnfill (40, 'a');
  g_autofree char *utf8_name = g_strconcat (name, "ééééééééééééé", NULL);   /* 66 bytes */
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;

  g_assert_false (wavry_mdns_publisher_start (bad_id, &e1));
  g_assert_error (e1, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_INVALID);
  g_assert_false (wavry_mdns_publisher_start (no_port, &e2));
  g_assert_error (e2, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_INVALID);
  g_assert_false (wavry_mdns_publisher_start (no_name, &e3));
  g_assert_error (e3, WAVRY_MDNS_ERROR, WAVRY_MDNS_ERROR_INVALID);

  /* A display name longer than a DNS label is cut on a character boundary. */
  long_name = wavry_mdns_publisher_new (utf8_name, 1, wavry_id, NULL, NULL);
  g_assert_cmpuint (strlen (wavry_mdns_publisher_get_name (long_name)), ==, 62);
  g_assert_true (g_utf8_validate (wavry_mdns_publisher_get_name (long_name), -1, NULL));
}

static GSubprocess *
spawn_host (const char  *tmp,
            GError     **error,
            const char  *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *state = g_build_filename (tmp, "state", NULL);
  g_autofree char *config = g_build_filename (tmp, "config", NULL);

  g_subprocess_launcher_setenv (launcher, "HOME", tmp, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "STATE_DIRECTORY");
  /* In ASan builds: the host's encoder probe opens libx265, which leaks a
   * few blocks of its own on every open; the publisher's memory is checked
   * in this process, so the host's exit is not made to fail for x265. */
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  return g_subprocess_launcher_spawn (launcher, error, g_getenv ("WAVRY_BINARY"),
                                      "--service=host", "--listen", "127.0.0.1:0",
                                      "--name", "E2E Host", "--capture", "test-pattern",
                                      extra, NULL);
}

/* Reads the host's start-up lines up to the one starting with @last. */
static void
read_host_lines (GDataInputStream  *out,
                 const char        *last,
                 char             **address,
                 char             **wavry_id)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_test_message ("host: %s", line);
      if (g_str_has_prefix (line, "Wavry host listening on "))
        *address = g_strdup (line + strlen ("Wavry host listening on "));
      else if (g_str_has_prefix (line, "Wavry ID: "))
        *wavry_id = g_strdup (line + strlen ("Wavry ID: "));
      if (g_str_has_prefix (line, last))
        return;
    }
}

static void
stop_host (GSubprocess *host)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (host, SIGTERM);
  g_subprocess_wait (host, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (host));
  g_assert_cmpint (g_subprocess_get_exit_status (host), ==, 0);
}

/* End to end: the real binary, `wavry --service=host --listen 127.0.0.1:0
 * --mdns`, appears within 2 s and disappears once stopped by its PID;
 * without --mdns a loopback host is not announced. */
static void
test_host_service (void)
{
  WavryTestAvahi *avahi = wavry_test_avahi_start_or_skip (TRUE);
  g_autoptr(GSubprocess) host = NULL;
  g_autoptr(GSubprocess) quiet = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(WavryMdnsBrowser) browser = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *wavry_id = NULL;
  g_autofree char *address = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *quiet_id = NULL;
  g_autofree char *quiet_address = NULL;
  Events events;
  WavryPeer *peer;
  gint64 start;

  if (avahi == NULL)
    return;
  if (g_getenv ("WAVRY_BINARY") == NULL)
    {
      wavry_test_avahi_stop (avahi);
      g_test_skip ("needs WAVRY_BINARY (run through meson test)");
      return;
    }
  events_init (&events);
  browser = wavry_mdns_browser_new ();
  connect_browser (browser, &events);
  g_assert_true (wavry_mdns_browser_start (browser, &error));

  tmp = g_dir_make_tmp ("wavry-test-mdns-host-XXXXXX", &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  host = spawn_host (tmp, &error, "--mdns");
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (host));
  read_host_lines (out, "Announcing this host", &address, &wavry_id);
  g_assert_nonnull (address);
  g_assert_nonnull (wavry_id);

  peer = wait_for_peer (events.added, "E2E Host", 2000);
  g_assert_nonnull (peer);
  g_test_message ("host seen %.0f ms after it was started",
                  (g_get_monotonic_time () - start) / 1000.0);
  {
    g_autofree char *connect = wavry_peer_dup_connect_address (peer);

    g_assert_cmpstr (connect, ==, address);
  }
  g_assert_cmpstr (wavry_peer_get_wavry_id (peer), ==, wavry_id);
  g_assert_cmpstr (wavry_peer_get_device_name (peer), ==, "E2E Host");
  g_assert_cmpuint (g_strv_length ((char **) wavry_peer_get_codecs (peer)), ==, 1);

  /* Stop it by its PID: it unpublishes on the way out. */
  start = g_get_monotonic_time ();
  stop_host (host);
  g_assert_nonnull (wait_for_peer (events.removed, "E2E Host", 5000));
  g_test_message ("host gone %.0f ms after SIGTERM", (g_get_monotonic_time () - start) / 1000.0);
  g_clear_object (&out);

  /* The default on loopback: not announced. */
  quiet = spawn_host (tmp, &error, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (quiet));
  read_host_lines (out, "No trusted clients yet", &quiet_address, &quiet_id);
  run_for (1500);
  stop_host (quiet);
  rest = g_data_input_stream_read_upto (out, "", 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (rest != NULL ? rest : "", "Announcing"));
  g_assert_cmpuint (events.added->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (wavry_mdns_browser_get_peers (browser)), ==, 0);

  wavry_mdns_browser_stop (browser);
  events_clear (&events);
  wavry_test_avahi_stop (avahi);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmp);

    g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  }
}

/* --mdns and --no-mdns together are a usage error. */
static void
test_host_flags (void)
{
  const char *binary = g_getenv ("WAVRY_BINARY");
  const char *argv[] = { binary, "--service=host", "--mdns", "--no-mdns", NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (binary == NULL)
    {
      g_test_skip ("needs WAVRY_BINARY (run through meson test)");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "--mdns and --no-mdns"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (wavry_identity_init_crypto (NULL));

  g_test_add_func ("/wavry/net/mdns/txt/valid", test_txt_valid);
  g_test_add_func ("/wavry/net/mdns/txt/rules", test_txt_rules);
  g_test_add_func ("/wavry/net/mdns/peer", test_peer);
  g_test_add_func ("/wavry/net/mdns/publisher/invalid", test_publisher_invalid);
  g_test_add_func ("/wavry/net/mdns/no-daemon", test_no_daemon);
  g_test_add_func ("/wavry/net/mdns/publish-browse", test_publish_browse);
  g_test_add_func ("/wavry/net/mdns/foreign-ignored", test_foreign_ignored);
  g_test_add_func ("/wavry/net/mdns/collision", test_collision);
  g_test_add_func ("/wavry/net/mdns/resolve-retry", test_resolve_retry);
  g_test_add_func ("/wavry/net/mdns/daemon-restart", test_daemon_restart);
  g_test_add_func ("/wavry/net/mdns/host-service", test_host_service);
  g_test_add_func ("/wavry/net/mdns/host-flags", test_host_flags);

  return g_test_run ();
}
