/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include "wavry-test-pipewire.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

/* The environment variables this helper changes in the test process. */
static const char * const overridden[] = {
  "XDG_RUNTIME_DIR", "PIPEWIRE_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS",
};

struct _WavryTestPipewire
{
  char   *dir;           /* temporary root: runtime/, home/ */
  char   *runtime_dir;
  GPid    dbus_pid;
  GPid    pipewire_pid;
  GPid    wireplumber_pid;
  char   *saved_env[G_N_ELEMENTS (overridden)];
  gboolean saved_set[G_N_ELEMENTS (overridden)];
};

static void
child_setup (gpointer user_data)
{
  /* Don't outlive a test that aborts. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
spawn (char       **argv,
       char       **envp,
       GPid        *out_pid,
       GError     **error)
{
  GSpawnFlags flags = G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD;
  g_autofree char *path = g_find_program_in_path (argv[0]);

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "“%s” is not installed", argv[0]);
      return FALSE;
    }
  if (g_getenv ("WAVRY_TEST_PIPEWIRE_VERBOSE") == NULL)
    flags |= G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL;
  return g_spawn_async (NULL, argv, envp, flags, child_setup, NULL, out_pid, error);
}

static gboolean
wait_for_file (const char *path,
               GPid        pid,
               const char *what,
               GError    **error)
{
  for (guint i = 0; i < 100; i++)
    {
      int status;

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return TRUE;
      if (waitpid (pid, &status, WNOHANG) == pid)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s exited at start", what);
          return FALSE;
        }
      g_usleep (50 * 1000);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
               "%s did not create %s within 5 s", what, path);
  return FALSE;
}

static void
stop_pid (GPid *pid)
{
  int status;

  if (*pid <= 0)
    return;
  kill (*pid, SIGTERM);
  for (guint i = 0; i < 40; i++)
    {
      if (waitpid (*pid, &status, WNOHANG) == *pid)
        goto done;
      g_usleep (50 * 1000);
    }
  kill (*pid, SIGKILL);
  waitpid (*pid, &status, 0);
done:
  g_spawn_close_pid (*pid);
  *pid = 0;
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
wavry_test_pipewire_stop (WavryTestPipewire *pw)
{
  if (pw == NULL)
    return;

  stop_pid (&pw->wireplumber_pid);
  stop_pid (&pw->pipewire_pid);
  stop_pid (&pw->dbus_pid);

  for (guint i = 0; i < G_N_ELEMENTS (overridden); i++)
    {
      if (pw->saved_set[i])
        g_setenv (overridden[i], pw->saved_env[i], TRUE);
      else
        g_unsetenv (overridden[i]);
      g_free (pw->saved_env[i]);
    }

  if (pw->dir != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (pw->dir);
      remove_tree (dir);
    }
  g_free (pw->runtime_dir);
  g_free (pw->dir);
  g_free (pw);
}

WavryTestPipewire *
wavry_test_pipewire_start (GError **error)
{
  WavryTestPipewire *pw = g_new0 (WavryTestPipewire, 1);
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *home = NULL;
  g_autofree char *socket = NULL;
  const char *bus_address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  g_autofree char *own_bus_address = NULL;
  static const char * const programs[] = { "pipewire", "wireplumber", "dbus-daemon" };

  for (guint i = 0; i < G_N_ELEMENTS (overridden); i++)
    {
      pw->saved_set[i] = g_getenv (overridden[i]) != NULL;
      pw->saved_env[i] = g_strdup (g_getenv (overridden[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *path = g_find_program_in_path (programs[i]);

      if (path == NULL && (i < 2 || bus_address == NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "“%s” is not installed", programs[i]);
          goto fail;
        }
    }

  pw->dir = g_dir_make_tmp ("wavry-pipewire-XXXXXX", error);
  if (pw->dir == NULL)
    goto fail;
  pw->runtime_dir = g_build_filename (pw->dir, "runtime", NULL);
  home = g_build_filename (pw->dir, "home", NULL);
  if (g_mkdir (pw->runtime_dir, 0700) < 0 || g_mkdir (home, 0700) < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot create %s: %s", pw->runtime_dir, g_strerror (saved_errno));
      goto fail;
    }

  /* WirePlumber's logind monitor exits without these (HEADLESS.md). */
  g_mkdir_with_parents ("/run/systemd/seats", 0755);
  g_mkdir_with_parents ("/run/systemd/sessions", 0755);
  g_mkdir_with_parents ("/run/systemd/users", 0755);
  g_mkdir_with_parents ("/run/systemd/machines", 0755);

  envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", pw->runtime_dir, TRUE);
  envp = g_environ_setenv (envp, "PIPEWIRE_RUNTIME_DIR", pw->runtime_dir, TRUE);
  envp = g_environ_setenv (envp, "HOME", home, TRUE);
  envp = g_environ_unsetenv (envp, "XDG_CONFIG_HOME");
  envp = g_environ_unsetenv (envp, "XDG_STATE_HOME");
  envp = g_environ_unsetenv (envp, "PIPEWIRE_REMOTE");

  if (bus_address == NULL)
    {
      g_autofree char *bus_path = g_build_filename (pw->runtime_dir, "bus", NULL);
      g_autofree char *address_arg = NULL;
      char *argv[] = { (char *) "dbus-daemon", (char *) "--session", (char *) "--nofork",
                       (char *) "--nopidfile", NULL, NULL };

      own_bus_address = g_strdup_printf ("unix:path=%s", bus_path);
      address_arg = g_strdup_printf ("--address=%s", own_bus_address);
      argv[4] = address_arg;
      if (!spawn (argv, envp, &pw->dbus_pid, error) ||
          !wait_for_file (bus_path, pw->dbus_pid, "dbus-daemon", error))
        goto fail;
      envp = g_environ_setenv (envp, "DBUS_SESSION_BUS_ADDRESS", own_bus_address, TRUE);
    }

  {
    char *argv[] = { (char *) "pipewire", NULL };

    socket = g_build_filename (pw->runtime_dir, "pipewire-0", NULL);
    if (!spawn (argv, envp, &pw->pipewire_pid, error) ||
        !wait_for_file (socket, pw->pipewire_pid, "pipewire", error))
      goto fail;
  }

  /* WAVRY_TEST_PIPEWIRE_NO_SESSION_MANAGER=1: a bare pipewire, to check
   * what works without WirePlumber. */
  if (g_getenv ("WAVRY_TEST_PIPEWIRE_NO_SESSION_MANAGER") == NULL)
  {
    char *argv[] = { (char *) "wireplumber", NULL };
    int status;

    if (!spawn (argv, envp, &pw->wireplumber_pid, error))
      goto fail;
    g_usleep (200 * 1000);
    if (waitpid (pw->wireplumber_pid, &status, WNOHANG) == pw->wireplumber_pid)
      {
        g_spawn_close_pid (pw->wireplumber_pid);
        pw->wireplumber_pid = 0;
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "wireplumber exited at start");
        goto fail;
      }
  }

  g_setenv ("XDG_RUNTIME_DIR", pw->runtime_dir, TRUE);
  g_setenv ("PIPEWIRE_RUNTIME_DIR", pw->runtime_dir, TRUE);
  if (own_bus_address != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", own_bus_address, TRUE);
  return pw;

fail:
  wavry_test_pipewire_stop (pw);
  return NULL;
}

WavryTestPipewire *
wavry_test_pipewire_start_or_skip (void)
{
  g_autoptr(GError) error = NULL;
  WavryTestPipewire *pw = wavry_test_pipewire_start (&error);

  if (pw == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_autofree char *message = g_strdup_printf ("needs a PipeWire daemon: %s", error->message);
      g_test_skip (message);
      return NULL;
    }
  g_assert_no_error (error);
  return pw;
}

const char *
wavry_test_pipewire_get_runtime_dir (WavryTestPipewire *pw)
{
  g_return_val_if_fail (pw != NULL, NULL);
  return pw->runtime_dir;
}
