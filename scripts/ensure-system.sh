#!/bin/sh
# Installs the Debian packages the tests need (headless Chromium, the flac encoder, ffmpeg) when they are missing.
set -e
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
# The FLAC decoder is tested against the reference encoder.
[ -x /usr/bin/flac ] || missing="$missing flac"
# The watermark tests encode MP3 and resample through ffmpeg.
[ -x /usr/bin/ffmpeg ] || missing="$missing ffmpeg"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Missing:$missing. Install them with: sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "Installing$missing…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
