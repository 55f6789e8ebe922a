/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-test-avahi.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define AVAHI_SERVER_RUNNING 2   /* AvahiServerState */

struct _WavryTestAvahi
{
  char     *dir;
  char     *bus_dir;
  char     *bus_address;
  char     *avahi_conf;
  GPid      dbus_pid;
  GPid      avahi_pid;
  char     *saved_address;
  gboolean  saved_set;
};

static void
child_setup (gpointer user_data)
{
  /* Don't outlive a test that aborts. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
spawn (const char * const *argv,
       GPid               *out_pid,
       GError            **error)
{
  GSpawnFlags flags = G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD;

  if (g_getenv ("WAVRY_TEST_AVAHI_VERBOSE") == NULL)
    flags |= G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL;
  return g_spawn_async (NULL, (char **) argv, NULL, flags, child_setup, NULL, out_pid, error);
}

GPid
wavry_test_avahi_spawn (const char * const *argv,
                        GError           **error)
{
  GPid pid = 0;

  if (!spawn (argv, &pid, error))
    return 0;
  return pid;
}

void
wavry_test_avahi_kill (GPid pid)
{
  int status;

  if (pid <= 0)
    return;
  kill (pid, SIGTERM);
  for (guint i = 0; i < 40; i++)
    {
      if (waitpid (pid, &status, WNOHANG) == pid)
        goto done;
      g_usleep (50 * 1000);
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
done:
  g_spawn_close_pid (pid);
}

/* Runs a short command to completion; its stderr goes into the error. */
static gboolean
run (const char * const *argv,
     GError            **error)
{
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "“%s” failed: %s", command, g_strstrip (err));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_file (const char  *path,
            const char  *contents,
            GError     **error)
{
  return g_file_set_contents (path, contents, -1, error);
}

/* Waits until avahi-daemon owns its name on the bus and says it is running. */
static gboolean
wait_for_avahi (WavryTestAvahi  *avahi,
                GError         **error)
{
  g_autoptr(GDBusConnection) bus = NULL;

  bus = g_dbus_connection_new_for_address_sync (avahi->bus_address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, error);
  if (bus == NULL)
    return FALSE;
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GVariant) reply = NULL;
      int status;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.Avahi", "/",
                                           "org.freedesktop.Avahi.Server", "GetState", NULL,
                                           G_VARIANT_TYPE ("(i)"), G_DBUS_CALL_FLAGS_NONE,
                                           500, NULL, NULL);
      if (reply != NULL)
        {
          gint32 state;

          g_variant_get (reply, "(i)", &state);
          if (state == AVAHI_SERVER_RUNNING)
            return TRUE;
        }
      if (waitpid (avahi->avahi_pid, &status, WNOHANG) == avahi->avahi_pid)
        {
          g_spawn_close_pid (avahi->avahi_pid);
          avahi->avahi_pid = 0;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "avahi-daemon exited at start (WAVRY_TEST_AVAHI_VERBOSE=1 shows why)");
          return FALSE;
        }
      g_usleep (50 * 1000);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "avahi-daemon was not running after 5 s");
  return FALSE;
}

gboolean
wavry_test_avahi_start_daemon (WavryTestAvahi  *avahi,
                               GError         **error)
{
  /* A new network namespace (only lo, brought up) and mount namespace (a
   * private /run/avahi-daemon for the pid and socket files, so another
   * avahi on this machine is never disturbed), both made for this daemon
   * and gone with it, even when the test aborts. */
  g_autofree char *script =
    g_strdup_printf ("ip link set lo up && mkdir -p /run/avahi-daemon && "
                     "mount -t tmpfs tmpfs /run/avahi-daemon && "
                     "exec avahi-daemon --no-drop-root --no-chroot --no-rlimits -f '%s'",
                     avahi->avahi_conf);
  const char * const argv[] = { "unshare", "--net", "--mount", "--propagation", "private",
                                "sh", "-c", script, NULL };

  g_return_val_if_fail (avahi->avahi_pid == 0, FALSE);
  if (!spawn (argv, &avahi->avahi_pid, error))
    return FALSE;
  return wait_for_avahi (avahi, error);
}

void
wavry_test_avahi_stop_daemon (WavryTestAvahi *avahi)
{
  wavry_test_avahi_kill (avahi->avahi_pid);
  avahi->avahi_pid = 0;
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));
          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

void
wavry_test_avahi_stop (WavryTestAvahi *avahi)
{
  if (avahi == NULL)
    return;

  wavry_test_avahi_stop_daemon (avahi);
  wavry_test_avahi_kill (avahi->dbus_pid);
  if (avahi->bus_dir != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (avahi->bus_dir);
      remove_tree (dir);
    }
  if (avahi->saved_set)
    g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", avahi->saved_address, TRUE);
  else
    g_unsetenv ("DBUS_SYSTEM_BUS_ADDRESS");
  if (avahi->dir != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (avahi->dir);
      remove_tree (dir);
    }
  g_free (avahi->saved_address);
  g_free (avahi->avahi_conf);
  g_free (avahi->bus_address);
  g_free (avahi->bus_dir);
  g_free (avahi->dir);
  g_free (avahi);
}

WavryTestAvahi *
wavry_test_avahi_start (gboolean   with_daemon,
                        GError   **error)
{
  /* The bus alone (no daemon) needs only dbus-daemon. */
  static const char * const programs[] = { "dbus-daemon", "avahi-daemon", "ip", "unshare" };
  guint n_programs = with_daemon ? G_N_ELEMENTS (programs) : 1;
  WavryTestAvahi *avahi;
  g_autofree char *socket = NULL;
  g_autofree char *bus_conf = NULL;
  g_autofree char *bus_xml = NULL;
  g_autofree char *avahi_ini = NULL;
  g_autofree char *name = NULL;

  for (guint i = 0; i < n_programs; i++)
    {
      g_autofree char *path = g_find_program_in_path (programs[i]);

      if (path == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "“%s” is not installed", programs[i]);
          return NULL;
        }
    }
  if (with_daemon && getuid () != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           "network namespaces (unshare --net) need root");
      return NULL;
    }

  avahi = g_new0 (WavryTestAvahi, 1);
  avahi->saved_address = g_strdup (g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"));
  avahi->saved_set = avahi->saved_address != NULL;
  avahi->dir = g_dir_make_tmp ("wavry-mdns-XXXXXX", error);
  if (avahi->dir == NULL)
    goto fail;

  /* The private system bus: permissive, on a socket of its own. */
  /* One bus address for the whole test process: libdbus (under
   * avahi-client) remembers the first one it used. */
  avahi->bus_dir = g_strdup_printf ("%s/wavry-test-avahi-bus-%d", g_get_tmp_dir (), (int) getpid ());
  if (g_mkdir_with_parents (avahi->bus_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot make %s", avahi->bus_dir);
      goto fail;
    }
  socket = g_build_filename (avahi->bus_dir, "system_bus_socket", NULL);
  avahi->bus_address = g_strconcat ("unix:path=", socket, NULL);
  bus_conf = g_build_filename (avahi->dir, "bus.conf", NULL);
  bus_xml = g_strdup_printf (
    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
    "<busconfig>\n"
    "  <type>system</type>\n"
    "  <listen>unix:path=%s</listen>\n"
    "  <auth>EXTERNAL</auth>\n"
    "  <policy context=\"default\">\n"
    "    <allow user=\"*\"/>\n"
    "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
    "    <allow eavesdrop=\"true\"/>\n"
    "    <allow receive_sender=\"*\"/>\n"
    "    <allow own=\"*\"/>\n"
    "  </policy>\n"
    "</busconfig>\n", socket);
  if (!write_file (bus_conf, bus_xml, error))
    goto fail;
  {
    g_autofree char *config_arg = g_strconcat ("--config-file=", bus_conf, NULL);
    const char * const argv[] = { "dbus-daemon", config_arg, "--nofork", NULL };

    if (!spawn (argv, &avahi->dbus_pid, error))
      goto fail;
    for (guint i = 0; i < 100 && !g_file_test (socket, G_FILE_TEST_EXISTS); i++)
      g_usleep (50 * 1000);
    if (!g_file_test (socket, G_FILE_TEST_EXISTS))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                     "dbus-daemon did not create %s within 5 s", socket);
        goto fail;
      }
  }
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", avahi->bus_address, TRUE);

  /* Checks now that namespaces can be made here (skip otherwise). */
  {
    const char * const argv[] = { "unshare", "--net", "--mount", "true", NULL };

    if (with_daemon && !run (argv, error))
      goto fail;
  }
  name = g_path_get_basename (avahi->dir);

  avahi->avahi_conf = g_build_filename (avahi->dir, "avahi-daemon.conf", NULL);
  avahi_ini = g_strdup_printf ("[server]\n"
                               "host-name=%s\n"
                               "use-ipv4=yes\n"
                               "use-ipv6=yes\n"
                               "enable-dbus=yes\n"
                               "ratelimit-interval-usec=0\n"
                               "[wide-area]\n"
                               "enable-wide-area=no\n"
                               "[publish]\n"
                               "publish-hinfo=no\n"
                               "publish-workstation=no\n", name);
  if (!write_file (avahi->avahi_conf, avahi_ini, error))
    goto fail;
  if (with_daemon && !wavry_test_avahi_start_daemon (avahi, error))
    goto fail;
  return avahi;

fail:
  wavry_test_avahi_stop (avahi);
  return NULL;
}

WavryTestAvahi *
wavry_test_avahi_start_or_skip (gboolean with_daemon)
{
  g_autoptr(GError) error = NULL;
  WavryTestAvahi *avahi = wavry_test_avahi_start (with_daemon, &error);

  if (avahi == NULL && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
                        g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED)))
    {
      g_autofree char *message = g_strdup_printf ("needs avahi in a network namespace: %s",
                                                  error->message);
      g_test_skip (message);
      return NULL;
    }
  g_assert_no_error (error);
  return avahi;
}

const char *
wavry_test_avahi_get_bus_address (WavryTestAvahi *avahi)
{
  g_return_val_if_fail (avahi != NULL, NULL);
  return avahi->bus_address;
}
