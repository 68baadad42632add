#!/bin/bash
# Builds the container image as a tarball, without a Docker daemon or a registry:
#   target/whereabouts-image-<version>.tar
# The tarball is an OCI image layout (oci-layout, index.json, blobs/) that also carries Docker's
# manifest.json, so both `docker load -i` and `skopeo copy oci-archive:...` / `ctr image import`
# accept it. Called by Maven in the package phase after package.sh; runnable by hand:
#   image.sh <target dir> <version> [image name]
#
# The image has one layer built from scratch: the plugin tree at /opt/whereabouts/plugin/whereabouts.d
# with /opt/whereabouts/plugin/whereabouts pointing at its launcher (the layout the DaemonSet's
# installer copies onto the node), plus bash, readlink and exactly the shared libraries that they and
# the jlink runtime load, taken from this build machine. No base image means nothing to pull and no
# package manager, shell tools or CVE surface beyond what the plugin itself runs.
set -euo pipefail
target=$1 version=$2
name=${3:-ghcr.io/whereabouts-java/whereabouts:$version}
tree=$(cd "$target/whereabouts" && pwd)
out=$target/whereabouts-image-$version.tar
[ -x "$tree/bin/whereabouts" ] || { echo "image.sh: no plugin tree at $tree" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
# /proc must exist as a mount point: the dynamic loader finds the runtime's own libraries through
# $ORIGIN, which it resolves with /proc/self/exe.
mkdir -p "$root/opt/whereabouts/plugin" "$root/tmp" "$root/etc" "$root/run" "$root/host" "$root/proc" \
    "$root/sys" "$root/dev"
chmod 1777 "$root/tmp"
cp -a "$tree" "$root/opt/whereabouts/plugin/whereabouts.d"
ln -s whereabouts.d/bin/whereabouts "$root/opt/whereabouts/plugin/whereabouts"
printf 'root:x:0:0:root:/root:/bin/bash\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"

# Host programs the image runs: bash for the launcher script (also /bin/sh for probes), readlink for
# its symlink resolution.
mkdir -p "$root/bin" "$root/usr/bin"
install -m 0755 "$(readlink -f "$(command -v bash)")" "$root/bin/bash"
ln -s bash "$root/bin/sh"
install -m 0755 "$(readlink -f "$(command -v readlink)")" "$root/usr/bin/readlink"

# Every shared library these need, at the path the dynamic loader resolved on this machine, plus
# the loader itself at its PT_INTERP path.
objects=("$root/bin/bash" "$root/usr/bin/readlink" "$tree/runtime/bin/java")
while IFS= read -r -d '' so; do objects+=("$so"); done < <(find "$tree/runtime/lib" -name '*.so' -print0)
for obj in "${objects[@]}"; do
  # ldd lines: "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
  ldd "$obj" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
done | sort -u | while read -r lib; do
  # libraries of the runtime itself resolve through $ORIGIN and are already in the tree
  case "$lib" in "$tree"/*) continue ;; esac
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

# One reproducible layer: sorted entries, fixed times and owners.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -C "$root" -cf "$work/layer.tar" .
blobs=$work/image/blobs/sha256
mkdir -p "$blobs"
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
diff_id=$(sha "$work/layer.tar")
gzip -n -6 -c "$work/layer.tar" > "$work/layer.tar.gz"
layer=$(sha "$work/layer.tar.gz")
mv "$work/layer.tar.gz" "$blobs/$layer"

cat > "$work/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Entrypoint":["/opt/whereabouts/plugin/whereabouts"],"Cmd":["daemon"],
  "Env":["PATH=/opt/whereabouts/plugin:/usr/bin:/bin"],"WorkingDir":"/",
  "Labels":{"org.opencontainers.image.title":"whereabouts-java","org.opencontainers.image.version":"$version"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"cni-launcher/src/main/packaging/image.sh"}]}
EOF
config=$(sha "$work/config.json")
mv "$work/config.json" "$blobs/$config"

cat > "$work/manifest.json" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$config","size":$(size "$blobs/$config")},
 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$layer","size":$(size "$blobs/$layer")}]}
EOF
manifest=$(sha "$work/manifest.json")
manifest_size=$(size "$work/manifest.json")
mv "$work/manifest.json" "$blobs/$manifest"

printf '{"imageLayoutVersion":"1.0.0"}' > "$work/image/oci-layout"
cat > "$work/image/index.json" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
 "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$manifest","size":$manifest_size,
  "annotations":{"io.containerd.image.name":"$name","org.opencontainers.image.ref.name":"$version"}}]}
EOF
# Docker's own format, read by `docker load` (it accepts gzip-compressed layers).
cat > "$work/image/manifest.json" <<EOF
[{"Config":"blobs/sha256/$config","RepoTags":["$name"],"Layers":["blobs/sha256/$layer"]}]
EOF

tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/image" -cf "$out" \
    oci-layout index.json manifest.json blobs
[ "${WHEREABOUTS_BUILD_VERBOSE:-false}" != true ] || echo "image $name: $out ($(du -h "$out" | cut -f1), layer sha256:$layer)"
