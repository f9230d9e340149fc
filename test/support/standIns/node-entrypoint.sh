#!/bin/sh
# The node stand-in's entrypoint, like the official image's: an option or a non-command first runs node with it.
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
