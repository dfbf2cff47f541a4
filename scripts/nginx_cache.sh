#!/usr/bin/env bash
# Starts (or stops) an nginx that serves a directory as a Bazel-layout HTTP cache (GET/HEAD/PUT),
# the way a team would run one, for the remote-cache tests and for trying it by hand:
#   scripts/nginx_cache.sh start DIR PORT   → http://127.0.0.1:PORT/cache/
#   scripts/nginx_cache.sh stop DIR
# No systemd: nginx runs as a plain process with its pid, logs and temp files under DIR.
set -euo pipefail
action=$1 dir=$2
case "$action" in
start)
    port=$3
    mkdir -p "$dir/data/cache" "$dir/tmp"
    # Started as root, nginx's workers would run as another user that cannot write DIR.
    user_line=""
    [ "$(id -u)" = 0 ] && user_line="user root;"
    cat > "$dir/nginx.conf" <<CONF
$user_line
daemon on;
pid $dir/nginx.pid;
error_log $dir/error.log;
worker_processes 1;
events { worker_connections 64; }
http {
    access_log $dir/access.log;
    client_body_temp_path $dir/tmp;
    proxy_temp_path $dir/tmp;
    fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp;
    scgi_temp_path $dir/tmp;
    client_max_body_size 0;
    server {
        listen 127.0.0.1:$port;
        root $dir/data;
        location /cache/ {
            dav_methods PUT;
            create_full_put_path on;
            dav_access user:rw group:r all:r;
        }
    }
}
CONF
    # The daemon must not keep the caller's descriptors: a caller that waits for its pipes to
    # close (as Foundation's Process does) would wait for as long as nginx runs.
    for fd in /proc/$$/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null || true
    done
    nginx -c "$dir/nginx.conf" -p "$dir" </dev/null >>"$dir/nginx.out" 2>&1
    ;;
stop)
    [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" || true
    ;;
esac
