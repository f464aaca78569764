#!/usr/bin/env python3
"""tls_front.py CERT KEY UPSTREAM_PORT - a TLS front for tests.

Listens on 127.0.0.1 (an ephemeral port, printed alone on the first line of
standard output), completes a TLS handshake with CERT and KEY, and relays the
decrypted bytes to 127.0.0.1:UPSTREAM_PORT (a real ccond) and back. On
standard error, per connection: "handshake failed: REASON", or "handshake
ok" and, at its end, "relayed N bytes" (from the client), so a test can
tell a refused certificate from a relayed request (a client may refuse the
certificate's name after the handshake, then sends nothing).
Runs until killed."""
import socket
import ssl
import sys
import threading


def pump(src, dst):
    """Copies src to dst until either ends; returns the bytes copied."""
    n = 0
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
            n += len(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    return n


def serve(ctx, conn, upstream_port):
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
    except (ssl.SSLError, OSError) as e:
        print("handshake failed: %s" % e, file=sys.stderr, flush=True)
        conn.close()
        return
    print("handshake ok", file=sys.stderr, flush=True)
    up = socket.create_connection(("127.0.0.1", upstream_port))
    back = threading.Thread(target=pump, args=(up, tls), daemon=True)
    back.start()
    n = pump(tls, up)
    back.join()
    print("relayed %d bytes" % n, file=sys.stderr, flush=True)
    tls.close()
    up.close()


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[1], sys.argv[2])
    upstream_port = int(sys.argv[3])
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("127.0.0.1", 0))
    lst.listen(16)
    print(lst.getsockname()[1], flush=True)
    while True:
        conn, _ = lst.accept()
        threading.Thread(target=serve, args=(ctx, conn, upstream_port), daemon=True).start()


if __name__ == "__main__":
    main()
