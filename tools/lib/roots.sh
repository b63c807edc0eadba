# Debian roots made with debootstrap and entered with unshare + chroot. Sourced by
# tools/dev (the cached build root) and tools/package (a fresh root per check that
# installs the built .deb like a user would).
#
# Every mount a command needs is made inside a private mount namespace and vanishes
# when the command exits; so does every process it started (PID namespace). A root is
# never deleted while anything is mounted in it.
#
# The caller defines log() and die().

roots_suite=trixie

host_mirror() {
    [ -n "${GATESCOPE_MIRROR:-}" ] && { echo "$GATESCOPE_MIRROR"; return; }
    local f uri
    # deb822 sources first, then one-line sources; the first URI that serves Debian's
    # main archive (not the security archive) wins.
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        uri=$(awk 'tolower($1)=="uris:" { for (i = 2; i <= NF; i++) print $i }' "$f" |
            grep -v -e security -e '^$' | grep -i debian | head -n1 || true)
        [ -n "$uri" ] && { echo "$uri"; return; }
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        uri=$(awk '$1=="deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f" |
            grep -v security | grep -i debian | head -n1 || true)
        [ -n "$uri" ] && { echo "$uri"; return; }
    done
}

# Refuse to touch a directory that has anything mounted below it: deleting it would
# go through the mount into the host's files.
assert_nothing_mounted() {
    local dir=$1
    if awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
        die "something is still mounted under $dir; not touching it (see /proc/self/mountinfo)"
    fi
}

remove_root() {
    local dir=$1
    [ -e "$dir" ] || return 0
    assert_nothing_mounted "$dir"
    rm -rf --one-file-system "$dir"
}

# bootstrap_root DIR LOG: a minimal Debian root in DIR, ready for apt-get (name
# resolution and the host's CA bundle copied in).
bootstrap_root() {
    local dir=$1 logfile=$2
    local mirror
    mirror=$(host_mirror)
    command -v debootstrap >/dev/null 2>&1 || {
        [ "$(id -u)" = 0 ] || die "debootstrap is missing; as root: apt-get install debootstrap"
        log "installing debootstrap on the host"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    }
    # debootstrap mounts proc/sys inside the target; a private mount namespace makes
    # sure those mounts vanish with it even if it fails half-way.
    unshare --mount --fork debootstrap --variant=minbase "$roots_suite" "$dir" ${mirror:+"$mirror"} \
        >"$logfile" 2>&1 || { tail -n 30 "$logfile" >&2; die "debootstrap failed (log: $logfile)"; }
    cp /etc/resolv.conf "$dir/etc/resolv.conf"
    cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/host-ca-certificates.crt" 2>/dev/null || true
}

# in_root ROOT WORKDIR CMD...: run CMD inside ROOT. With IN_ROOT_BIND set to a
# directory, that directory is bind-mounted at its own path inside the root.
in_root() {
    local root=$1 workdir=$2
    shift 2
    local inner
    inner=$(cat <<'INNER'
set -e
root=$1 bind=$2 workdir=$3
shift 3
mount --make-rprivate /
mount --rbind /dev "$root/dev"
mount -t sysfs sysfs "$root/sys" 2>/dev/null || true
mount -t tmpfs tmpfs "$root/tmp"
if [ -n "$bind" ]; then
    mkdir -p "$root$bind"
    mount --bind "$bind" "$root$bind"
fi
exec chroot "$root" /usr/bin/env -C "$workdir" "$@"
INNER
)
    local envs=(
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM="${TERM:-dumb}"
        DEBIAN_FRONTEND=noninteractive
        SSL_CERT_FILE=/etc/host-ca-certificates.crt
        NODE_EXTRA_CA_CERTS=/etc/host-ca-certificates.crt
    )
    local v
    for v in CI CTEST_OUTPUT_ON_FAILURE CTEST_PARALLEL_LEVEL CMAKE_BUILD_PARALLEL_LEVEL \
        QT_QPA_PLATFORM QT_LOGGING_RULES ASAN_OPTIONS UBSAN_OPTIONS $(compgen -v GATESCOPE_ || true); do
        [ -n "${!v+x}" ] && envs+=("$v=${!v}")
    done
    unshare --mount --pid --fork --mount-proc="$root/proc" \
        bash -c "$inner" inner "$root" "${IN_ROOT_BIND:-}" "$workdir" /usr/bin/env -i "${envs[@]}" "$@"
}
