#!/usr/bin/env python3
"""What a coordinator with a script would do instead of Rollcall: read a Zoom participants report with
the csv module and record it in SQLite with sqlite3, find-or-create per row, in one transaction.

Usage: python_import.py REPORT.csv DATABASE.sqlite3   (prints rows per second on stdout as JSON)"""

import csv
import json
import sqlite3
import sys
import time


def main(report, database):
    started = time.perf_counter()
    db = sqlite3.connect(database)
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE);
        CREATE TABLE IF NOT EXISTS attendance (person_id INTEGER NOT NULL, minutes INTEGER NOT NULL,
                                               PRIMARY KEY (person_id));
        """
    )
    rows = 0
    with open(report, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        for record in reader:
            if record and record[0].startswith("Name"):
                break
        with db:
            for record in reader:
                if len(record) < 5:
                    continue
                rows += 1
                name = record[0].strip()
                email = record[1].strip().lower() or None
                minutes = int(record[4] or 0)
                if email:
                    found = db.execute("SELECT id FROM people WHERE email = ?", (email,)).fetchone()
                else:
                    found = db.execute("SELECT id FROM people WHERE name = ? AND email IS NULL", (name,)).fetchone()
                if found:
                    person = found[0]
                else:
                    person = db.execute("INSERT INTO people (name, email) VALUES (?, ?)", (name, email)).lastrowid
                db.execute(
                    "INSERT INTO attendance (person_id, minutes) VALUES (?, ?) "
                    "ON CONFLICT (person_id) DO UPDATE SET minutes = minutes + excluded.minutes",
                    (person, minutes),
                )
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": rows, "seconds": seconds, "rows_per_second": rows / seconds}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
