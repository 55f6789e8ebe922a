# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by build-aux/run and build-aux/test (sourced, not run).

wavry_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Progress messages go to stderr, so that they never mix with a command's output.
wavry_say ()
{
  printf '==> %s\n' "$*" >&2
}

# wavry_configure_build DIR [MESON SETUP ARGS...]
# Sets up DIR (absolute, or relative to the source root) or reconfigures it when it exists,
# wiping it only when that fails, then builds it. Compilers come from CC as usual.
wavry_configure_build ()
{
  local dir=$1; shift
  case $dir in
    /*) ;;
    *) dir=$wavry_root/$dir ;;
  esac

  if [ -f "$dir/meson-private/coredata.dat" ]; then
    wavry_say "Reconfiguring ${dir#"$wavry_root"/}${*:+ ($*)}"
    if ! meson setup --reconfigure "$dir" "$wavry_root" "$@"; then
      wavry_say "Reconfiguring failed; wiping ${dir#"$wavry_root"/} and configuring it again"
      meson setup --wipe "$dir" "$wavry_root" "$@" || return 1
    fi
  else
    wavry_say "Configuring ${dir#"$wavry_root"/}${*:+ ($*)}"
    if ! meson setup "$dir" "$wavry_root" "$@"; then
      [ -d "$dir" ] || return 1
      wavry_say "Configuring failed; wiping ${dir#"$wavry_root"/} and trying again"
      meson setup --wipe "$dir" "$wavry_root" "$@" || return 1
    fi
  fi

  wavry_say "Building ${dir#"$wavry_root"/}"
  ninja -C "$dir"
}
