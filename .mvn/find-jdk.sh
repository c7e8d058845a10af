# Finds a JDK 25 (or newer) and exports JAVA_HOME; sourced by ./mvnw and ./xsched (POSIX sh).
#
# Why: Maven must itself run on JDK 25 (its jar tool reads our class files), while the default
# `java` on many machines is older. Search order: $XSCHED_JAVA_HOME, $JAVA_HOME, the `java` on
# PATH, then the standard install folders below. The first JDK of major version >= 25 wins.

xsched_jdk_major() {
  # Prints the major version of the JDK at $1, or nothing.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
  fi
}

xsched_find_jdk() {
  # mvnw runs under `set -f`; the search needs globbing, so switch it on here and restore it after.
  case $- in *f*) xsched_noglob=1; set +f ;; *) xsched_noglob=0 ;; esac
  xsched_search
  xsched_status=$?
  [ "$xsched_noglob" = 1 ] && set -f
  return $xsched_status
}

xsched_try() {
  # Exports JAVA_HOME=$1 and succeeds if $1 is a JDK 25 or newer. One folder at a time, quoted, so
  # that a path with a space (a $HOME, a JDK folder) is tried whole.
  [ -n "$1" ] && [ -d "$1" ] || return 1
  xsched_major=$(xsched_jdk_major "$1")
  [ -n "$xsched_major" ] && [ "$xsched_major" -ge 25 ] || return 1
  JAVA_HOME="$1"
  export JAVA_HOME
}

xsched_search() {
  xsched_try "${XSCHED_JAVA_HOME-}" && return 0
  xsched_try "${JAVA_HOME-}" && return 0
  if command -v java >/dev/null 2>&1; then
    xsched_java=$(command -v java)
    xsched_java=$(readlink -f "$xsched_java" 2>/dev/null || printf %s "$xsched_java")
    xsched_try "${xsched_java%/bin/java}" && return 0
  fi
  for xsched_dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.jdks/* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    xsched_try "$xsched_dir" && return 0
  done
  cat >&2 <<'MSG'
error: no JDK 25 or newer was found.
Looked at $XSCHED_JAVA_HOME, $JAVA_HOME, the java on PATH, /usr/lib/jvm/*, /usr/java/*, /opt/java/*,
/opt/jdk*, ~/.jdks/*, ~/.sdkman/candidates/java/*.
Fix: install a JDK 25, for example Debian/Ubuntu `apt-get install temurin-25-jdk` (Adoptium's
apt repository) or an archive from https://jdk.java.net/25/ unpacked under /opt, then run again
or set XSCHED_JAVA_HOME=/path/to/jdk-25.
MSG
  return 1
}
