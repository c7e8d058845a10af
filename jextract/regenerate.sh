#!/usr/bin/env bash
# Regenerates the committed FFM bindings with jextract, or checks that they are up to date.
#
#   jextract/regenerate.sh [--check] [TARGET...]     TARGET: hip, comgr, cuda, nvrtc, cublas, hipblas (default: all)
#
# Each target is a folder beside this script holding:
#   target.conf   where the headers come from, the package, clang arguments (sourced); optional:
#                 HEADER_VERSION_COMMAND (run in the include folder, prints the header version
#                 where no Debian package records it) and INCLUDE_DIR_LABEL (how the include folder
#                 is written in the recorded command)
#   *_bindings.h  the header jextract parses
#   includes.txt  the --include-* list (only what the Java code calls is bound)
# The output goes to the package named in target.conf under hip-ffm/src/main/java, with a
# package-info.java that records the jextract version, the header package and the command.
# Generated sources are never edited by hand: change the inputs and run this script.
#
# --check regenerates into a temporary folder and fails on any difference from the committed
# sources (use it in review and before release; CI machines have no jextract).
#
# jextract is taken from $JEXTRACT, else from PATH. Every failure says what went wrong (the steps
# that can fail have their own message; anything else is reported by the ERR trap below).
set -euo pipefail
trap 'echo "error: jextract/regenerate.sh line $LINENO: \`$BASH_COMMAND\` failed (exit $?)" >&2' ERR

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
java_src="$root/hip-ffm/src/main/java"

check=0
targets=()
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "unknown option: $arg" >&2; exit 2 ;;
    *) targets+=("$arg") ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  for conf in "$here"/*/target.conf; do targets+=("$(basename "$(dirname "$conf")")"); done
fi

jextract_bin="${JEXTRACT:-$(command -v jextract || true)}"
if [ -z "$jextract_bin" ] || [ ! -x "$jextract_bin" ]; then
  cat >&2 <<'MSG'
error: jextract was not found ($JEXTRACT is unset and no jextract is on PATH).
Get a jextract build for JDK 25 from https://jdk.java.net/jextract/ (or build openjdk/jextract
against a libclang), then run: JEXTRACT=/path/to/jextract/bin/jextract jextract/regenerate.sh
MSG
  exit 3
fi
if ! version_out=$("$jextract_bin" --version 2>&1); then
  cat >&2 <<MSG
error: \`$jextract_bin --version\` failed; its output:
$version_out
The version goes into the provenance of the generated sources, so it must print. A jextract run
from the class path cannot (it has no module version), nor can one whose libclang does not load:
build it as jextract/README.md describes (javac on the module path with --module-version 25, a
wrapper that sets -Djava.library.path to the folder of libclang.so).
MSG
  exit 3
fi
jextract_version=$(printf '%s' "$version_out" | tr '\n' ' ' | sed 's/ *$//')
case "$jextract_version" in
  "jextract 25 "*) ;;
  *) echo "warning: $jextract_bin reports \"$jextract_version\"; the committed bindings come from jextract 25 (--check will differ on the provenance line)" >&2 ;;
esac

status=0
for target in "${targets[@]}"; do
  dir="$here/$target"
  [ -f "$dir/target.conf" ] || { echo "no such target: $target" >&2; exit 2; }
  HEADER_VERSION_COMMAND=""
  INCLUDE_DIR_LABEL=""
  # shellcheck disable=SC1091
  . "$dir/target.conf"
  for required in TARGET_DESCRIPTION HEADER_PACKAGE HEADER_PACKAGE_VERSION_EXPECTED INCLUDE_DIR REQUIRED_HEADERS HEADER_CLASS PACKAGE; do
    if [ -z "${!required:-}" ]; then
      echo "error: $dir/target.conf does not set $required (see the comment at the top of jextract/regenerate.sh)" >&2
      exit 2
    fi
  done
  CLANG_ARGS="${CLANG_ARGS:-}"
  # A relative include folder is relative to the repository root (jextract runs there).
  include_abs="$INCLUDE_DIR"
  case "$include_abs" in /*) ;; *) include_abs="$root/$INCLUDE_DIR" ;; esac
  for h in $REQUIRED_HEADERS; do
    if [ ! -f "$include_abs/$h" ]; then
      echo "error: $include_abs/$h not found; install $HEADER_PACKAGE $HEADER_PACKAGE_VERSION_EXPECTED (see jextract/README.md)" >&2
      exit 4
    fi
  done
  header_version="$HEADER_PACKAGE_VERSION_EXPECTED"
  headers_line="$HEADER_PACKAGE $header_version ($REQUIRED_HEADERS)"
  if [ -n "$HEADER_VERSION_COMMAND" ]; then
    if ! header_version=$(cd "$include_abs" && bash -c "$HEADER_VERSION_COMMAND") || [ -z "$header_version" ]; then
      echo "error: $target: could not read the header version in $include_abs with: $HEADER_VERSION_COMMAND" >&2
      exit 4
    fi
    headers_line="$HEADER_PACKAGE $header_version"
    case "$header_version" in
      "$HEADER_PACKAGE_VERSION_EXPECTED"*) ;;
      *) echo "warning: the headers in $include_abs are $HEADER_PACKAGE $header_version, the committed bindings come from $HEADER_PACKAGE_VERSION_EXPECTED" >&2 ;;
    esac
  elif command -v dpkg-query >/dev/null 2>&1 && dpkg-query -W "$HEADER_PACKAGE" >/dev/null 2>&1; then
    header_version=$(dpkg-query -W -f='${Version}' "$HEADER_PACKAGE")
    case "$header_version" in
      "$HEADER_PACKAGE_VERSION_EXPECTED"*) ;;
      *) echo "warning: $HEADER_PACKAGE is $header_version, the committed bindings come from $HEADER_PACKAGE_VERSION_EXPECTED" >&2 ;;
    esac
    headers_line="$HEADER_PACKAGE $header_version ($REQUIRED_HEADERS)"
  fi

  pkg_path="${PACKAGE//.//}"
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  header_file=$(ls "$dir"/*_bindings.h 2>/dev/null | head -1 || true)
  [ -n "$header_file" ] || { echo "error: $target: no *_bindings.h in $dir" >&2; exit 2; }
  # Paths in the command are relative to the repository so the output does not depend on the checkout.
  rel_header="jextract/$target/$(basename "$header_file")"
  cmd=(jextract $CLANG_ARGS -I "${INCLUDE_DIR_LABEL:-$INCLUDE_DIR}" --target-package "$PACKAGE" --header-class-name "$HEADER_CLASS"
       "@jextract/$target/includes.txt" "$rel_header")
  if ! (cd "$root" && "$jextract_bin" $CLANG_ARGS -I "$INCLUDE_DIR" --target-package "$PACKAGE" \
      --header-class-name "$HEADER_CLASS" --output "$out" "@jextract/$target/includes.txt" "$rel_header"); then
    echo "error: $target: jextract failed on $rel_header (its messages are above; the command was: ${cmd[*]})" >&2
    exit 5
  fi
  if [ ! -d "$out/$pkg_path" ]; then
    echo "error: $target: jextract wrote nothing for $PACKAGE (is includes.txt empty or wrong?)" >&2
    exit 5
  fi
  cat > "$out/$pkg_path/package-info.java" <<INFO
/**
 * Generated FFM bindings: $TARGET_DESCRIPTION. Do not edit; regenerate with
 * {@code jextract/regenerate.sh $target}.
 *
 * <p>Provenance:
 * <ul>
 *   <li>generator: $jextract_version</li>
 *   <li>headers: $headers_line</li>
 *   <li>command: {@code ${cmd[*]}}</li>
 * </ul>
 */
package $PACKAGE;
INFO

  dest="$java_src/$pkg_path"
  if [ "$check" = 1 ]; then
    if diff -ru "$dest" "$out/$pkg_path" >"$out/diff.txt"; then
      echo "$target: committed bindings match a fresh jextract run ($PACKAGE)"
    else
      echo "$target: committed bindings differ from a fresh jextract run:" >&2
      head -50 "$out/diff.txt" >&2
      status=1
    fi
  else
    rm -rf "$dest"
    mkdir -p "$(dirname "$dest")"
    cp -r "$out/$pkg_path" "$dest"
    echo "$target: regenerated $dest"
  fi
  rm -rf "$out"
  trap - EXIT
done
exit $status
