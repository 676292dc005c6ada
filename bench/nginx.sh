# Sourced by the benchmark scripts: one static nginx (Debian's nginx-light)
# on 127.0.0.1, on a free port, answering every request with the same fixed
# OpenAI chat completion. Needs `apt-get install -y nginx-light wrk`.
#
#   . bench/nginx.sh; start_nginx DIR     -> sets NGINX_URL, NGINX_PID
#   stop_nginx
#
# One worker process, access log off, keep-alive without a request limit:
# the server is the same for wrk (the limit) and for hcl.

NGINX_ANSWER='{"id":"chatcmpl-bench","object":"chat.completion","created":0,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}'

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_nginx() { # dir
  local dir=$1 port
  port=$(free_port)
  mkdir -p "$dir/nginx"
  cat > "$dir/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_buffer_size 64k;
  client_body_temp_path $dir/nginx/body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  server {
    listen 127.0.0.1:$port;
    location / {
      default_type application/json;
      return 200 '$NGINX_ANSWER';
    }
  }
}
EOF
  nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" &
  NGINX_PID=$!
  NGINX_URL=http://127.0.0.1:$port
  for _ in $(seq 100); do
    curl -s -o /dev/null -X POST "$NGINX_URL/v1/chat/completions" && return 0
    sleep 0.05
  done
  echo "nginx did not start; see $dir/nginx/error.log" >&2
  return 1
}

stop_nginx() {
  if [ -n "${NGINX_PID:-}" ]; then
    kill "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=
  fi
}
