"""A TCP proxy between sync clients and the server that injects faults on command.

Modes (set between or during client runs):
  pass                    forward everything
  down                    accept and immediately close every connection (server unreachable)
  cut_upload(n)           forward, but cut the connection once n bytes went client→server
  cut_download(n)         forward, but cut the connection once n bytes went server→client
  slow_upload(n)          forward client→server at about n bytes per second
Cuts fire once (the next connection after a cut passes normally), like a flaky link.
"""
import socket
import threading
import time


class FaultProxy:
    def __init__(self, upstream_port, host="127.0.0.1"):
        self.upstream = (host, upstream_port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((host, 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.mode = ("pass", 0)
        self.cuts = 0
        self.bytes_up = 0
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def set(self, mode, limit=0):
        with self.lock:
            self.mode = (mode, limit)

    def close(self):
        self.running = False
        try:
            self.listener.close()
        except OSError:
            pass

    def _accept(self):
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                mode, limit = self.mode
            if mode == "down":
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            state = {"sent_up": 0, "sent_down": 0, "closed": False}
            threading.Thread(target=self._pump, args=(client, server, "up", mode, limit, state), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, "down", mode, limit, state), daemon=True).start()

    def _pump(self, source, target, direction, mode, limit, state):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                key = "sent_up" if direction == "up" else "sent_down"
                cutting = (mode == "cut_upload" and direction == "up") or (mode == "cut_download" and direction == "down")
                if cutting and state[key] + len(data) >= limit:
                    target.sendall(data[: max(0, limit - state[key])])
                    with self.lock:
                        self.cuts += 1
                        if self.mode[0] == mode:
                            self.mode = ("pass", 0)  # one cut, then the link recovers
                    break
                if mode == "slow_upload" and direction == "up":
                    for start in range(0, len(data), 4096):
                        target.sendall(data[start:start + 4096])
                        with self.lock:
                            self.bytes_up += len(data[start:start + 4096])
                        time.sleep(4096 / limit)
                else:
                    target.sendall(data)
                    if direction == "up":
                        with self.lock:
                            self.bytes_up += len(data)
                state[key] += len(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()
