"""Journeys through the patient list: search by name, and clear messages for bad databases."""
import os
import shutil
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import App, Failure, find, run, text_of, tool, wait_for  # noqa: E402

PATIENTS = 300
SEED = 2026


def prepared_profile():
    directory = tempfile.mkdtemp(prefix="homeward-gui-")
    tool("demo-data", "--patients", str(PATIENTS), "--seed", str(SEED), "--data", directory)
    return directory


def patients_in(directory):
    """(display name, secondary name) of every patient, from the tool, not from the UI."""
    lines = tool("patients", "--data", directory, "--format", "tsv").strip().splitlines()
    return [line.split("\t") for line in lines[1:]]


def test_search_by_name_shows_that_patient_only():
    directory = prepared_profile()
    rows = patients_in(directory)
    names = [row[1] for row in rows]
    # A Chinese name that no other patient shares and that is not part of another name.
    target = next(n for n in names if any("\u4e00" <= c <= "\u9fff" for c in n)
                  and sum(1 for other in names if n in other) == 1)
    app = App("--data", directory)
    try:
        entry = app.find(name="Search patients")
        patient_list = app.find(name="Patients")
        wait_for("the full list", lambda: f"{PATIENTS} patients" in app.labels_in(app.frame))
        before = set(app.labels_in(patient_list))
        others_visible = [n for n in names if n != target and n in before]
        if not others_visible:
            raise Failure("the list showed no patient names before searching")
        app.screenshot("patient-list")

        app.type_into(entry, target)
        wait_for("the list to show only the patient",
                 lambda: target in app.labels_in(patient_list)
                 and not any(n in app.labels_in(patient_list) for n in others_visible))
        wait_for("the count line", lambda: f"1 of {PATIENTS} patients matches" in app.labels_in(app.frame))
        app.screenshot("search-by-name")

        # Enter opens the match: the summary shows the archive of that patient.
        app.press_enter()
        mrn = next(row[4] for row in rows if row[1] == target)
        wait_for("the patient summary", lambda: any(f"MRN {mrn}" in label for label in app.labels_in(app.frame)
                                                     if label.startswith(target) is False))
        wait_for("the diagnosis line", lambda: "Diagnosis" in app.labels_in(app.frame))
        app.screenshot("patient-summary")
    finally:
        app.close()
        shutil.rmtree(directory, ignore_errors=True)


def test_main_actor_await_resumes_inside_the_running_app():
    """The list is filled by a main-actor task that awaits a search running off the main
    thread. If GLib's loop did not drain the main queue (GtkKit's MainLoopBridge), the
    await would never resume and the list would stay empty."""
    directory = prepared_profile()
    app = App("--data", directory)
    try:
        wait_for("the list filled after the await", lambda: f"{PATIENTS} patients" in app.labels_in(app.frame), timeout=10)
        patient_list = app.find(name="Patients")
        if not app.labels_in(patient_list):
            raise Failure("the count line was set but the list shows no rows")
    finally:
        app.close()
        shutil.rmtree(directory, ignore_errors=True)


def test_pinyin_initials_find_the_patient():
    directory = prepared_profile()
    rows = patients_in(directory)
    app = App("--data", directory)
    try:
        # The tool lists pinyin initials in column 4; pick one shared by few patients.
        initials = [row[3] for row in rows if row[3]]
        target = min(set(initials), key=lambda i: (initials.count(i), i))
        expected = {row[1] for row in rows if row[3] == target}
        entry = app.find(name="Search patients")
        patient_list = app.find(name="Patients")
        app.type_into(entry, target)
        wait_for(f"patients with initials {target}",
                 lambda: expected.issubset(set(app.labels_in(patient_list))))
    finally:
        app.close()
        shutil.rmtree(directory, ignore_errors=True)


def test_newer_database_is_refused_with_a_clear_message():
    directory = prepared_profile()
    database = os.path.join(directory, "homeward.sqlite")
    with sqlite3.connect(database) as connection:
        connection.execute("INSERT INTO grdb_migrations (identifier) VALUES ('patients-v99-from-the-future')")
    app = App("--data", directory)
    try:
        wait_for("the refusal message",
                 lambda: find(app.frame, role="label", name="Patients cannot be shown") is not None)
        detail = [n for n in app.labels_in(app.frame) if "newer version of Homeward" in n]
        if not detail:
            raise Failure("the message does not say the database is from a newer Homeward")
        app.screenshot("newer-database")
    finally:
        app.close()
    # Refused means untouched: the unknown migration is still there, nothing was dropped.
    with sqlite3.connect(database) as connection:
        marks = connection.execute("SELECT count(*) FROM grdb_migrations WHERE identifier LIKE 'patients-v99%'").fetchone()[0]
        patients = connection.execute("SELECT count(*) FROM patient").fetchone()[0]
    if marks != 1 or patients != PATIENTS:
        raise Failure(f"the refused database was changed (marks={marks}, patients={patients})")
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(run([
        test_main_actor_await_resumes_inside_the_running_app,
        test_search_by_name_shows_that_patient_only,
        test_pinyin_initials_find_the_patient,
        test_newer_database_is_refused_with_a_clear_message,
    ]))
