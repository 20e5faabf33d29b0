#!/usr/bin/env bash
# make-captures.sh: regenerate the content-hint captures of this directory from real
# exchanges of the kernel's TCP stack on loopback (root, tcpdump, python3, openssl).
#
#   http-get.pcap   one HTTP/1.1 exchange, fixed bytes both ways (python3 sockets):
#                   the client sends a 48-byte request "GET /index.html HTTP/1.1", the
#                   server a 44-byte response "HTTP/1.1 200 OK" with a 6-byte body; port 42080.
#   tls-hello.pcap  a TLS 1.3 handshake (openssl s_client / s_server, throw-away key):
#                   ClientHello with SNI example.test and ALPN h2, http/1.1; port 42443.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK=$(mktemp -d /tmp/tfx-content.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
[[ $EUID -eq 0 ]] || { echo "make-captures: must run as root (tcpdump)" >&2; exit 1; }

capture() {  # FILE PORT CMD...: run CMD while tcpdump records PORT on lo
  local file=$1 port=$2; shift 2
  timeout 30 tcpdump -i lo --immediate-mode -U -s 0 -n -w "$file" "tcp port $port" 2>"$WORK/tcpdump.err" &
  local cap=$!
  for _ in $(seq 100); do grep -q "listening on" "$WORK/tcpdump.err" && break; sleep 0.05; done
  "$@"
  sleep 0.3
  kill -INT "$cap"
  wait "$cap" || true
}

http_exchange() {
  timeout 10 python3 - <<'PY'
import socket, threading
request = b"GET /index.html HTTP/1.1\r\nHost: example.test\r\n\r\n"
response = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello\n"
assert len(request) == 48 and len(response) == 44
listener = socket.create_server(("127.0.0.1", 42080))
def serve():
    conn, _ = listener.accept()
    got = b""
    while not got.endswith(b"\r\n\r\n"):
        got += conn.recv(4096)
    conn.sendall(response)
    conn.shutdown(socket.SHUT_WR)
    while conn.recv(4096):
        pass
    conn.close()
server = threading.Thread(target=serve)
server.start()
client = socket.create_connection(("127.0.0.1", 42080))
client.sendall(request)
got = b""
while len(got) < len(response):
    got += client.recv(4096)
client.shutdown(socket.SHUT_WR)
while client.recv(4096):
    pass
client.close()
server.join()
PY
}

tls_exchange() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=example.test \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 1 2>/dev/null
  timeout 10 openssl s_server -quiet -accept 42443 -key "$WORK/key.pem" -cert "$WORK/cert.pem" \
    -alpn http/1.1 -naccept 1 </dev/null >/dev/null 2>&1 &
  local server=$!
  sleep 0.5
  echo | timeout 10 openssl s_client -quiet -connect 127.0.0.1:42443 -servername example.test \
    -alpn h2,http/1.1 >/dev/null 2>&1 || true
  wait "$server" || true
}

capture "$DIR/http-get.pcap" 42080 http_exchange
capture "$DIR/tls-hello.pcap" 42443 tls_exchange
tcpdump -nr "$DIR/http-get.pcap" 2>/dev/null | wc -l
tcpdump -nr "$DIR/tls-hello.pcap" 2>/dev/null | wc -l
