# Sourced by the benchmark scripts: nginx serving a saved copy of a page as a static file, for
# the ratio against Prongsai in the same run. Needs $WORK (a scratch folder the caller removes).
#
# nginx_static HTML_FILE URL_PATH PORT: serves HTML_FILE at http://127.0.0.1:PORT/URL_PATH
# (a path ending in / gets index.html) with two workers and no access log; the caller's
# cleanup stops it with: [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")"
nginx_static() {
  local html=$1 path=$2 port=$3 file
  file="$WORK/static/${path#/}"
  case "$file" in */) file="${file}index.html" ;; esac
  mkdir -p "$(dirname "$file")" "$WORK/nginx-tmp"
  cp "$html" "$file"
  cat >"$WORK/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  client_body_temp_path $WORK/nginx-tmp;
  proxy_temp_path $WORK/nginx-tmp;
  fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp;
  scgi_temp_path $WORK/nginx-tmp;
  server {
    listen 127.0.0.1:$port;
    root $WORK/static;
  }
}
NGINX
  # nginx workers run as an unprivileged user: let them read the copy.
  chmod 755 "$WORK"
  chmod -R a+rX "$WORK/static"
  nginx -c "$WORK/nginx.conf"
  for _ in $(seq 1 200); do curl -fs -o /dev/null "http://127.0.0.1:$port$path" && return 0; sleep 0.01; done
  echo "nginx did not serve the copy:" >&2
  cat "$WORK/nginx-error.log" >&2
  return 1
}
