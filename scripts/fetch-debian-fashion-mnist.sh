#!/usr/bin/env bash
# Provide Fashion-MNIST offline from Debian's `dataset-fashion-mnist` package and
# expose it as the workflow's default mirror folder ($1).
#   - already installed:   link the folder
#   - root with apt-get:   apt-get install it (apt-get update once if needed), then link
#   - otherwise:           apt-get download + dpkg-deb -x into resources/, no root needed
# If none works, the workflow falls back to the official URL at run time.
set -euo pipefail

dest=${1:-resources/mirror/fashion-mnist}
system_dir=/usr/share/datasets/fashion-mnist
files=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)

complete() { for f in "${files[@]}"; do [[ -s "$1/$f" ]] || return 1; done; }

if complete "$dest"; then
    echo "fashion-mnist mirror ready: $dest"
    exit 0
fi
mkdir -p "$(dirname "$dest")"

if ! complete "$system_dir" && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Debian package dataset-fashion-mnist"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null && apt-get install -y -q dataset-fashion-mnist >/dev/null; } ||
        echo "apt-get install failed; trying apt-get download"
fi

if complete "$system_dir"; then
    rm -rf "$dest"
    ln -s "$system_dir" "$dest"
    echo "fashion-mnist mirror ready: $dest -> $system_dir"
    exit 0
fi

if command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    if (cd "$work" && apt-get download -q dataset-fashion-mnist >/dev/null 2>&1); then
        dpkg-deb -x "$work"/dataset-fashion-mnist_*.deb "$work/root"
        mkdir -p "$dest.tmp"
        cp "$work/root$system_dir"/*.gz "$dest.tmp/"
        rm -rf "$dest"
        mv "$dest.tmp" "$dest"
        echo "fashion-mnist mirror ready: $dest (extracted from the Debian package)"
        exit 0
    fi
fi

echo "warning: no offline Fashion-MNIST (not Debian, or the package is unavailable);" \
    "the workflow will download it from the official URL" >&2
