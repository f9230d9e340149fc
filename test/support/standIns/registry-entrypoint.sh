#!/bin/sh
# The registry stand-in's entrypoint, like the official image's: a config file runs `registry serve` with it.
set -e
case "$1" in
  *.yaml | *.yml) set -- registry serve "$@" ;;
  serve | garbage-collect | help | -*) set -- registry "$@" ;;
esac
exec "$@"
