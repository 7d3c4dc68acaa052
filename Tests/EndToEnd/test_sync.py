"""End-to-end sync journeys against a real server, with faults injected."""
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import TOOL, Client, Failure, FaultProxy, Server, run_tests, wait_for  # noqa: E402

WARD = "CARD-1"


def make_wav(path, seconds, tone=440):
    import math
    import struct
    rate = 8000
    samples = int(rate * seconds)
    with open(path, "wb") as out:
        out.write(b"RIFF" + struct.pack("<I", 36 + samples * 2) + b"WAVEfmt " +
                  struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", samples * 2))
        out.write(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * tone * i / rate))) for i in range(samples)))


class World:
    """A server with nurses of one ward and the central office, and a proxy in front."""

    def __init__(self, patients=200):
        self.server = Server(patients=patients)
        self.clients = []
        self.proxy = None
        try:
            self.server.add_ward(WARD, "心内科一病区")
            self.server.add_user("nurse.a", "ward-nurse", [WARD])
            self.server.add_user("nurse.b", "ward-nurse", [WARD])
            self.server.add_user("office", "central-office")
            self.proxy = FaultProxy(self.server.port)
        except Exception:
            self.server.close()  # never leave a server running behind a failed setup
            raise

    def client(self, name, user, through_proxy=True):
        client = Client(name, self.proxy.port if through_proxy else self.server.port, user)
        self.clients.append(client)
        return client

    def close(self):
        for client in self.clients:
            client.close()
        if self.proxy:
            self.proxy.close()
        self.server.close()


def test_edits_on_both_sides_converge():
    world = World()
    try:
        a, b = world.client("a", "nurse.a"), world.client("b", "nurse.b")
        a.sync(); b.sync()
        patients = a.patients()
        if not patients or any(row[5] != WARD for row in patients.values()):
            raise Failure(f"a ward nurse must receive exactly her ward's patients, got {len(patients)}")
        if set(patients) != set(b.patients()):
            raise Failure("the two nurses of one ward received different patients")
        patient = sorted(patients)[0]
        a.tool("edit", "--patient", patient, "--bed", "12A")
        b.tool("edit", "--patient", patient, "--phone", "13800000001", "--add-allergy", "青霉素")
        a.sync(); b.sync(); a.sync()
        if a.state_hash() != b.state_hash():
            raise Failure("the replicas did not converge")
        row = a.patients()[patient]
        if row[6] != "12A":
            raise Failure(f"a's own edit is missing: bed {row[6]}")
        if "0 conflicts" not in a.conflicts()[-1]:
            raise Failure(f"edits of different fields must not conflict: {a.conflicts()}")
    finally:
        world.close()


def test_concurrent_same_field_edits_conflict_on_both():
    world = World()
    try:
        a, b = world.client("a", "nurse.a"), world.client("b", "nurse.b")
        a.sync(); b.sync()
        patient = sorted(a.patients())[1]
        a.tool("edit", "--patient", patient, "--bed", "7")
        b.tool("edit", "--patient", patient, "--bed", "9")
        a.sync(); b.sync(); a.sync()
        for client in (a, b):
            listing = client.conflicts()
            if listing[-1] != "1 conflict" or not any("field bed" in line for line in listing):
                raise Failure(f"{client.name} should list the bed conflict, got {listing}")
            if not any(" \"7\"" in line or "7" in line.split()[1:2] for line in listing) or not any("9" in line for line in listing):
                raise Failure(f"{client.name} should keep both values, got {listing}")
        if a.state_hash() != b.state_hash():
            raise Failure("the replicas did not converge on the conflict")
    finally:
        world.close()


def test_cut_mid_push_loses_nothing_and_resumes():
    world = World()
    try:
        a, b = world.client("a", "nurse.a"), world.client("b", "nurse.b")
        a.sync(); b.sync()
        edited = sorted(a.patients())[:40]
        for index, patient in enumerate(edited):
            a.tool("edit", "--patient", patient, "--address", f"北京市朝阳区测试路{index}号")
        world.proxy.set("cut_upload", 3000)
        a.sync(expect_failure=True)
        if world.proxy.cuts != 1:
            raise Failure("the proxy did not cut the push")
        a.sync(); b.sync()
        if a.state_hash() != b.state_hash():
            raise Failure("after the cut the replicas did not converge")
        if "changes waiting" in a.status():
            raise Failure(f"edits still waiting after a clean sync: {a.status()}")
    finally:
        world.close()


def test_cut_mid_pull_resumes_from_the_last_page():
    world = World(patients=600)
    try:
        office = world.client("office", "office")
        world.proxy.set("cut_download", 2_100_000)  # a 500-record page is ≈1.9 MB, all 600 ≈2.3 MB
        office.sync(expect_failure=True)
        partial = len(office.patients())
        cursor = office.query("SELECT sequence FROM sync_cursor")
        office.sync()
        everyone = len(office.patients())
        if everyone != 600:
            raise Failure(f"the central office should hold all 600 patients, has {everyone}")
        if not 0 < partial < 600:
            raise Failure(f"the cut should fall after the first page and before the last: {partial} of 600 arrived")
        if not cursor or cursor[0][0] == 0:
            raise Failure("the first page's cursor was not kept, so the pull would start over")
        if office.integrity() != "ok":
            raise Failure("the database is damaged after the cut")
    finally:
        world.close()


def test_cut_mid_upload_resumes_the_recording():
    world = World()
    try:
        a, b = world.client("a", "nurse.a"), world.client("b", "nurse.b")
        a.sync(); b.sync()
        patient = sorted(a.patients())[2]
        wav = os.path.join(a.data, "call.wav")
        make_wav(wav, seconds=200)  # ≈3.2 MB: four chunks
        sha = a.tool("attach-recording", "--patient", patient, wav).split()[1]
        world.proxy.set("cut_upload", 1_500_000)
        a.sync(expect_failure=True)
        uploaded_before = a.query(f"SELECT uploaded_bytes FROM attachment WHERE sha256 = '{sha}'")[0][0]
        a.sync()
        uploaded = a.query(f"SELECT uploaded_bytes, size FROM attachment WHERE sha256 = '{sha}'")[0]
        if uploaded[0] != uploaded[1]:
            raise Failure(f"upload incomplete after resuming: {uploaded}")
        if uploaded_before == 0:
            raise Failure("nothing was kept from before the cut: the upload restarted from zero")
        b.sync()
        stored = b.query(f"SELECT stored_bytes, size FROM attachment WHERE sha256 = '{sha}'")
        if not stored or stored[0][0] != stored[0][1]:
            raise Failure(f"b did not download the whole recording: {stored}")
    finally:
        world.close()


def test_server_killed_mid_push_loses_nothing_acknowledged():
    world = World(patients=400)
    try:
        office = world.client("office", "office")
        office.sync()
        patients = sorted(office.patients())
        for index, patient in enumerate(patients[:150]):
            office.tool("edit", "--patient", patient, "--bed", f"K{index}")
        # The link is slow, so the push is surely under way when the server dies.
        world.proxy.set("slow_upload", 150_000)
        started = world.proxy.bytes_up
        sync = subprocess.Popen([TOOL, "sync", "--quiet", "--data", office.data], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_for("the push to be under way", lambda: world.proxy.bytes_up - started > 60_000, timeout=60, interval=0.01)
        world.server.kill()
        sync.wait(timeout=60)
        if sync.returncode == 0:
            raise Failure("the push finished before the server was killed: the test did not test a crash mid-push")
        world.proxy.set("pass")
        world.server.start()
        office.sync()
        check = world.client("check", "office", through_proxy=False)
        check.sync()
        if check.state_hash() != office.state_hash():
            raise Failure("after the crash and a retry the server does not hold everything")
        beds = {row[6] for row in check.patients().values()}
        if not {f"K{index}" for index in range(150)}.issubset(beds):
            raise Failure("some of the 150 edits are missing on the server after the crash")
        if office.integrity() != "ok":
            raise Failure("client database damaged")
    finally:
        world.close()


def test_client_killed_mid_apply_restarts_intact():
    world = World(patients=1500)
    try:
        office = world.client("office", "office", through_proxy=False)
        sync = subprocess.Popen([TOOL, "sync", "--quiet", "--data", office.data], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_for("the first pages to arrive", lambda: os.path.exists(office.database() + "-wal")
                 and os.path.getsize(office.database() + "-wal") > 200_000, timeout=60, interval=0.02)
        if sync.poll() is not None:
            raise Failure("the sync finished before it could be killed: the test did not test a crash mid-apply")
        sync.send_signal(signal.SIGKILL)
        sync.wait()
        if len(office.patients()) == 1500:
            raise Failure("everything had arrived before the kill: the test did not test a crash mid-apply")
        if office.integrity() != "ok":
            raise Failure("the database is damaged after SIGKILL")
        office.sync()
        if len(office.patients()) != 1500:
            raise Failure(f"after restarting, the client holds {len(office.patients())} of 1500 patients")
    finally:
        world.close()


def test_unreachable_server_keeps_edits_waiting():
    world = World()
    try:
        a = world.client("a", "nurse.a")
        a.sync()
        patient = sorted(a.patients())[3]
        a.tool("edit", "--patient", patient, "--bed", "33")
        world.proxy.set("down")
        message = a.sync(expect_failure=True)
        if "network" not in message:
            raise Failure(f"an unreachable server should be reported as a network problem: {message}")
        if "1 change waiting" not in a.status():
            raise Failure(f"the edit should be waiting: {a.status()}")
        world.proxy.set("pass")
        a.sync()
        if "Up to date" not in a.status():
            raise Failure(f"after reconnecting the client should be up to date: {a.status()}")
    finally:
        world.close()


if __name__ == "__main__":
    sys.exit(run_tests([
        test_edits_on_both_sides_converge,
        test_concurrent_same_field_edits_conflict_on_both,
        test_cut_mid_push_loses_nothing_and_resumes,
        test_cut_mid_pull_resumes_from_the_last_page,
        test_cut_mid_upload_resumes_the_recording,
        test_server_killed_mid_push_loses_nothing_acknowledged,
        test_client_killed_mid_apply_restarts_intact,
        test_unreachable_server_keeps_edits_waiting,
    ]))
