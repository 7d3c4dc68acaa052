"""Drives the real Homeward app through the accessibility bus (AT-SPI), as a person would.

Run under Xvfb with a session bus (see run.sh). Each test launches the built app on a
prepared database, finds controls by role and accessible name, acts, and polls for the
result: nothing here sleeps a fixed time to wait for the app.
"""
import os
import subprocess
import sys
import time

import pyatspi

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("HOMEWARD_BUILD_DIR", os.path.join(ROOT, ".build", "debug"))
OUTPUT = os.environ.get("HOMEWARD_TEST_OUTPUT", os.path.join(ROOT, "test-output", "gui"))


class Failure(Exception):
    pass


def tool(*args):
    """Runs homeward-tool and returns its standard output."""
    done = subprocess.run([os.path.join(BUILD, "homeward-tool"), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise Failure(f"homeward-tool {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def wait_for(what, predicate, timeout=15.0, interval=0.1):
    """Polls `predicate` until it returns something truthy; fails naming `what`."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as error:  # the tree changes under us while the app works
            last_error = error
        time.sleep(interval)
    raise Failure(f"timed out after {timeout:.0f} s waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))


def walk(node, depth=0, max_depth=40):
    if node is None or depth > max_depth:
        return
    yield node
    try:
        count = node.childCount
    except Exception:
        return
    for index in range(count):
        try:
            child = node.getChildAtIndex(index)
        except Exception:
            continue
        yield from walk(child, depth + 1, max_depth)


def find(root, role=None, name=None, showing=False):
    for node in walk(root):
        try:
            if role is not None and node.getRoleName() != role:
                continue
            if name is not None and node.name != name:
                continue
            if showing and not node.getState().contains(pyatspi.STATE_SHOWING):
                continue
            return node
        except Exception:
            continue
    return None


def text_of(node):
    text = node.queryText()
    return text.getText(0, text.characterCount)


class App:
    """The launched app and its accessible tree."""

    def __init__(self, *args, name="homeward"):
        os.makedirs(OUTPUT, exist_ok=True)
        env = dict(os.environ, GTK_A11Y="atspi", GSK_RENDERER=os.environ.get("GSK_RENDERER", "cairo"), NO_AT_BRIDGE="0")
        self.log_path = os.path.join(OUTPUT, "app.log")
        self.log = open(self.log_path, "a")
        self.process = subprocess.Popen([os.path.join(BUILD, "homeward"), *args], stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.name = name
        self.root = wait_for("the app on the accessibility bus", self._find_app, timeout=30)
        self.frame = wait_for("the main window", lambda: find(self.root, role="frame"))

    def _find_app(self):
        if self.process.poll() is not None:
            raise Failure(f"the app exited with status {self.process.returncode}; see {self.log_path}")
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            app = desktop.getChildAtIndex(index)
            if app is not None and app.name == self.name:
                return app
        return None

    def find(self, role=None, name=None):
        return wait_for(f"{role or 'control'} '{name}'", lambda: find(self.frame, role=role, name=name))

    def type_into(self, node, text):
        """Replaces the text of an editable control, as typing or an input method would."""
        editable = find_editable(node)
        if editable is None:
            raise Failure(f"'{node.name}' has no editable text")
        editable.queryEditableText().setTextContents(text)

    def press_enter(self):
        pyatspi.Registry.generateKeyboardEvent(0xFF0D, None, pyatspi.KEY_SYM)

    def labels_in(self, node):
        return [n.name for n in walk(node) if safe_role(n) == "label" and n.name]

    def screenshot(self, name):
        path = os.path.join(OUTPUT, f"{name}.png")
        subprocess.run(["import", "-window", "root", path], check=False, capture_output=True)
        return path

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def safe_role(node):
    try:
        return node.getRoleName()
    except Exception:
        return None


def find_editable(node):
    for candidate in walk(node):
        try:
            candidate.queryEditableText()
            return candidate
        except Exception:
            continue
    return None


def run(tests):
    """Runs test functions, prints one line each and a closing 'N passed, N failed' line."""
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
    print(f"gui: {passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1
