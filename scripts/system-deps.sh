#!/bin/sh
# Install the Debian/Ubuntu packages Journeymap needs, only when something is missing.
# As root it runs apt-get; as a user it uses sudo if it can; otherwise it prints the command.
missing=""
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
command -v dot >/dev/null 2>&1 || case "$missing" in *graphviz*) ;; *) missing="$missing graphviz";; esac
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  command -v dot >/dev/null 2>&1 && exit 0
  echo "Journeymap needs Graphviz's 'dot' program: install Graphviz with your system's package manager (https://graphviz.org/download/)." >&2
  exit 1
fi
echo "Installing system packages:$missing"
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "Run as root: apt-get update && apt-get install -y$missing" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
  echo "Could not install:$missing. Run: sudo apt-get install$missing" >&2; exit 1; }
