#!/bin/sh
# Renders the app icon's PNGs from build/icon.svg. Run by hand after editing the SVG, and
# commit the PNGs: packaging and CI only read them (electron-builder makes the .icns and .ico).
# Needs rsvg-convert (Debian/Ubuntu: apt-get install librsvg2-bin; macOS: brew install librsvg).
set -eu
cd "$(dirname "$0")/.."
rsvg-convert --width 1024 --height 1024 --output build/icon.png build/icon.svg
rsvg-convert --width 512 --height 512 --output build/icons/512x512.png build/icon.svg
# The tray (menu-bar) icons: a black-and-alpha template for macOS, the app icon elsewhere.
rsvg-convert --width 16 --height 16 --output build/tray/trayTemplate.png build/tray.svg
rsvg-convert --width 32 --height 32 --output build/tray/trayTemplate@2x.png build/tray.svg
rsvg-convert --width 16 --height 16 --output build/tray/tray.png build/icon.svg
rsvg-convert --width 32 --height 32 --output build/tray/tray@2x.png build/icon.svg
rsvg-convert --width 32 --height 32 --output build/tray/tray-linux.png build/icon.svg
