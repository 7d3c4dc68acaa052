"""End-to-end sync journeys: a real homeward-server process, real clients (homeward-tool
processes on their own profiles), and a fault-injecting proxy between them."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

from fault_proxy import FaultProxy

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL = os.path.join(ROOT, ".build", "debug", "homeward-tool")
SERVER = os.path.join(ROOT, "sync-server", ".build", "debug", "homeward-server")
PASSWORD = "correct horse battery staple"


class Failure(Exception):
    pass


def free_port():
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what, predicate, timeout=30.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise Failure(f"timed out waiting for {what}")


class Server:
    """homeward-server on a temporary data directory, with demo patients and users."""

    def __init__(self, patients=200, seed=11):
        self.data = tempfile.mkdtemp(prefix="homeward-e2e-server-")
        self.port = free_port()
        self.patients = patients
        self.seed = seed
        run([SERVER, "demo-data", "--data", self.data, "--patients", str(patients), "--seed", str(seed)])
        self.process = None
        self.log = None
        self.start()

    def start(self):
        self.log = open(os.path.join(self.data, "server.log"), "a")
        self.process = subprocess.Popen(
            [SERVER, "serve", "--data", self.data, "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_for("the server to answer /health", self.healthy)

    def healthy(self):
        if self.process.poll() is not None:
            raise Failure(f"the server exited with {self.process.returncode}; log: {self.data}/server.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1) as answer:
                return answer.status == 200
        except OSError:
            return False

    def add_ward(self, ward, name):
        run([SERVER, "ward", "add", "--data", self.data, ward, "--name", name])

    def add_user(self, name, role, wards=()):
        arguments = [SERVER, "user", "add", "--data", self.data, name, "--role", role]
        for ward in wards:
            arguments += ["--ward", ward]
        run(arguments, stdin=PASSWORD + "\n")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log:
            self.log.close()

    def wards(self):
        rows = run([TOOL, "patients", "--format", "tsv", "--data", self.scratch_client()]).splitlines()
        return sorted({line.split("\t")[5] for line in rows[1:]})

    def scratch_client(self):
        directory = tempfile.mkdtemp(prefix="homeward-e2e-wards-")
        run([TOOL, "demo-data", "--patients", str(self.patients), "--seed", str(self.seed), "--data", directory])
        return directory

    def close(self):
        self.stop()
        shutil.rmtree(self.data, ignore_errors=True)


class Client:
    """One client install: a profile directory driven through homeward-tool."""

    def __init__(self, name, server_port, user):
        self.name = name
        self.data = tempfile.mkdtemp(prefix=f"homeward-e2e-{name}-")
        self.login(server_port, user)

    def login(self, port, user):
        run([TOOL, "login", "--server", f"http://127.0.0.1:{port}", "--username", user, "--data", self.data],
            stdin=PASSWORD + "\n")

    def sync(self, expect_failure=False):
        done = subprocess.run([TOOL, "sync", "--quiet", "--data", self.data], capture_output=True, text=True)
        if expect_failure:
            if done.returncode == 0:
                raise Failure(f"{self.name}: sync should have failed but said: {done.stdout.strip()}")
            return done.stderr
        if done.returncode != 0:
            raise Failure(f"{self.name}: sync failed: {done.stderr.strip()}")
        return done.stdout

    def tool(self, *arguments, stdin=None):
        return run([TOOL, *arguments, "--data", self.data], stdin=stdin)

    def patients(self):
        rows = self.tool("patients", "--format", "tsv").strip().splitlines()
        return {line.split("\t")[0]: line.split("\t") for line in rows[1:]}

    def state_hash(self):
        return self.tool("state-hash").strip()

    def conflicts(self):
        return self.tool("conflicts").strip().splitlines()

    def status(self):
        return self.tool("status")

    def database(self):
        return os.path.join(self.data, "homeward.sqlite")

    def integrity(self):
        with sqlite3.connect(self.database()) as connection:
            return connection.execute("PRAGMA integrity_check").fetchone()[0]

    def query(self, sql):
        with sqlite3.connect(self.database()) as connection:
            return connection.execute(sql).fetchall()

    def close(self):
        shutil.rmtree(self.data, ignore_errors=True)


def run(arguments, stdin=None):
    done = subprocess.run(arguments, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise Failure(f"{os.path.basename(arguments[0])} {' '.join(arguments[1:3])} failed: {done.stderr.strip()}")
    return done.stdout


def run_tests(tests):
    passed = failed = 0
    for test in tests:
        started = time.monotonic()
        try:
            test()
            passed += 1
            print(f"PASS {test.__name__} ({time.monotonic() - started:.1f} s)", flush=True)
        except Exception as error:
            failed += 1
            print(f"FAIL {test.__name__}: {error}", flush=True)
    print(f"e2e: {passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1
