"""The database schema: migrations applied in order on start (``PRAGMA user_version``)."""

from __future__ import annotations

#: Schema migrations, applied in order on start. Never edit one that has shipped: add a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: users and their place in the trees.
    """
    CREATE TABLE users (
        user_id     INTEGER PRIMARY KEY,
        lang        TEXT    NOT NULL,
        lang_chosen INTEGER NOT NULL DEFAULT 0,
        node        TEXT,
        stack       TEXT    NOT NULL DEFAULT '[]',
        created_at  TEXT    NOT NULL,
        last_seen   TEXT    NOT NULL
    );
    """,
    # 2: hand-off to operators: cases, the outbox of messages to deliver, message mapping, notes.
    """
    ALTER TABLE users ADD COLUMN handoff TEXT;
    CREATE TABLE cases (
        case_id       INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id       INTEGER NOT NULL,
        status        TEXT    NOT NULL DEFAULT 'open',   -- open | claimed | closed
        lang          TEXT    NOT NULL,
        citizenship   TEXT,
        topic         TEXT    NOT NULL,
        path          TEXT    NOT NULL,                  -- JSON list of node ids
        urgent        INTEGER NOT NULL DEFAULT 0,
        description   TEXT,
        kind          TEXT    NOT NULL,
        thread_id     INTEGER,                           -- forum topic in the operators' group
        card_id       INTEGER,                           -- the case card's message id there
        operator_id   INTEGER,
        operator_name TEXT,
        rating        INTEGER,
        user_blocked  INTEGER NOT NULL DEFAULT 0,
        created_at    TEXT    NOT NULL,
        claimed_at    TEXT,
        closed_at     TEXT,
        closed_by     TEXT,
        pinged_at     TEXT
    );
    CREATE INDEX cases_user ON cases (user_id, status);
    CREATE INDEX cases_thread ON cases (thread_id);
    CREATE TABLE outbox (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id      INTEGER NOT NULL REFERENCES cases (case_id),
        target       TEXT    NOT NULL,                   -- ops | user
        kind         TEXT    NOT NULL,                   -- card | copy | text
        payload      TEXT    NOT NULL,                   -- JSON
        created_at   TEXT    NOT NULL,
        next_try_at  TEXT    NOT NULL,
        attempts     INTEGER NOT NULL DEFAULT 0,
        delivered_at TEXT,
        failed       TEXT
    );
    CREATE INDEX outbox_due ON outbox (delivered_at, failed, next_try_at);
    CREATE TABLE case_messages (
        chat_id    INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        case_id    INTEGER NOT NULL REFERENCES cases (case_id),
        PRIMARY KEY (chat_id, message_id)
    );
    CREATE TABLE case_notes (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id     INTEGER NOT NULL REFERENCES cases (case_id),
        operator_id INTEGER NOT NULL,
        text        TEXT    NOT NULL,
        created_at  TEXT    NOT NULL
    );
    """,
    # 3: personal deadlines (the form and answers, JSON), blocked users, reminders to send.
    """
    ALTER TABLE users ADD COLUMN deadlines TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE users ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE reminders (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id   INTEGER NOT NULL,
        kind      TEXT    NOT NULL,                 -- reg | stay | permit | contract
        due       TEXT    NOT NULL,                 -- the deadline (ISO date)
        days_before INTEGER NOT NULL,               -- days before the deadline
        send_at   TEXT    NOT NULL,                 -- UTC, ISO
        sent_at   TEXT,
        dropped   TEXT                              -- why it will never be sent
    );
    CREATE INDEX reminders_due ON reminders (sent_at, dropped, send_at);
    CREATE INDEX reminders_user ON reminders (user_id);
    """,
    # 4: typed questions nothing matched, for editors. No user ids: only the words and a count.
    """
    CREATE TABLE unmatched (
        text       TEXT    NOT NULL,
        lang       TEXT    NOT NULL,
        count      INTEGER NOT NULL DEFAULT 1,
        first_seen TEXT    NOT NULL,
        last_seen  TEXT    NOT NULL,
        PRIMARY KEY (text, lang)
    );
    """,
    # 5: durable intake and one outbox for everything the bot sends.
    # inbox: every update is written here before Telegram is told it arrived (polling offset or the
    # webhook's HTTP answer), and marked done (its payload emptied) in the same transaction as its
    # effects. Done rows are kept a while, so an update Telegram sends again is not processed twice.
    # outbox: case messages as before, plus replies to a chat (case_id NULL, chat_id set), reminders
    # and notices; ``lane`` is the destination chat ("ops" for the operators' group).
    """
    CREATE TABLE inbox (
        update_id   INTEGER PRIMARY KEY,
        lane        TEXT    NOT NULL,          -- whose updates must stay in order (a user, a group)
        payload     TEXT    NOT NULL,          -- the update as Telegram sent it (JSON)
        received_at TEXT    NOT NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,
        done        INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX inbox_lane ON inbox (done, lane, update_id);
    CREATE TABLE outbox_v5 (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id      INTEGER REFERENCES cases (case_id),
        target       TEXT    NOT NULL,         -- ops | user
        chat_id      INTEGER,                  -- the user's chat (target user); NULL for ops
        lane         TEXT    NOT NULL,         -- "ops" or the user's chat id
        kind         TEXT    NOT NULL,         -- card | copy | text | relay | say | answer
        payload      TEXT    NOT NULL,         -- JSON
        created_at   TEXT    NOT NULL,
        next_try_at  TEXT    NOT NULL,
        attempts     INTEGER NOT NULL DEFAULT 0,
        delivered_at TEXT,
        failed       TEXT
    );
    INSERT INTO outbox_v5 (id, case_id, target, chat_id, lane, kind, payload, created_at, next_try_at,
                           attempts, delivered_at, failed)
        SELECT o.id, o.case_id, o.target,
               CASE WHEN o.target = 'user' THEN c.user_id END,
               CASE WHEN o.target = 'user' THEN CAST(c.user_id AS TEXT) ELSE 'ops' END,
               o.kind, o.payload, o.created_at, o.next_try_at, o.attempts, o.delivered_at, o.failed
        FROM outbox o JOIN cases c ON c.case_id = o.case_id;
    DROP TABLE outbox;
    ALTER TABLE outbox_v5 RENAME TO outbox;
    CREATE INDEX outbox_due ON outbox (delivered_at, failed, next_try_at);
    CREATE INDEX outbox_lane ON outbox (lane, id);
    """,
    # 6: privacy. Typed questions nothing matched are kept with the user's id, so /forget and
    # retention can delete them; editors still see them grouped by text. Anonymous counters (no
    # text, no user id) outlive the texts. The old table could not be tied to anyone: its counts
    # move to the counters and its texts are dropped.
    """
    CREATE TABLE unmatched_texts (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id    INTEGER NOT NULL,
        text       TEXT    NOT NULL,
        lang       TEXT    NOT NULL,
        created_at TEXT    NOT NULL
    );
    CREATE INDEX unmatched_texts_user ON unmatched_texts (user_id);
    CREATE INDEX unmatched_texts_created ON unmatched_texts (created_at);
    CREATE TABLE unmatched_counts (
        month TEXT    NOT NULL,                    -- YYYY-MM
        lang  TEXT    NOT NULL,
        count INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (month, lang)
    );
    INSERT INTO unmatched_counts (month, lang, count)
        SELECT substr(last_seen, 1, 7), lang, SUM(count) FROM unmatched GROUP BY 1, 2;
    DROP TABLE unmatched;
    """,
    # 7: usage without personal data (issue 14). Counters per day (Kazakhstan time), node and
    # language; edges count moves between screens. Nothing here names a user. "stops" are people
    # whose last screen (so far) is this one: +1 on arrival, -1 when they move on, on the day they
    # arrived there (users.arrived_on keeps that day with the user's own state, never in a counter).
    """
    CREATE TABLE usage_nodes (
        day       TEXT    NOT NULL,                 -- YYYY-MM-DD, Asia/Almaty
        node      TEXT    NOT NULL,
        lang      TEXT    NOT NULL,
        visits    INTEGER NOT NULL DEFAULT 0,
        stops     INTEGER NOT NULL DEFAULT 0,
        backs     INTEGER NOT NULL DEFAULT 0,
        handoffs  INTEGER NOT NULL DEFAULT 0,
        reminders INTEGER NOT NULL DEFAULT 0,
        typed     INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, node, lang)
    );
    CREATE TABLE usage_edges (
        day   TEXT    NOT NULL,
        src   TEXT    NOT NULL,
        dst   TEXT    NOT NULL,
        lang  TEXT    NOT NULL,
        count INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, src, dst, lang)
    );
    ALTER TABLE users ADD COLUMN arrived_on TEXT;
    """,
    # 8: when an operator first answered a case (the weekly report's time to first reply).
    """
    ALTER TABLE cases ADD COLUMN first_reply_at TEXT;
    """,
    # 9: law-change alerts (issue 14). watches: who asked to be told when a topic (tree) changes.
    # alerts: each change of the content (its editor-given id) once announced, with how many were
    # told. alert_sends: one row per change and user, written with the user's outbox row in the same
    # transaction, so a reload or a restart never queues a change twice for anyone.
    """
    CREATE TABLE watches (
        user_id    INTEGER NOT NULL,
        tree       TEXT    NOT NULL,
        created_at TEXT    NOT NULL,
        PRIMARY KEY (user_id, tree)
    );
    CREATE INDEX watches_tree ON watches (tree);
    CREATE TABLE alerts (
        alert_id     TEXT    PRIMARY KEY,           -- the change's id in the content (changed.id)
        node         TEXT    NOT NULL,
        tree         TEXT    NOT NULL,
        on_date      TEXT    NOT NULL,              -- the change's date (YYYY-MM-DD, Asia/Almaty)
        announced_at TEXT    NOT NULL,
        queued       INTEGER NOT NULL DEFAULT 0,    -- messages queued
        skipped      INTEGER NOT NULL DEFAULT 0     -- watchers who had blocked the bot
    );
    CREATE TABLE alert_sends (
        alert_id  TEXT    NOT NULL REFERENCES alerts (alert_id),
        user_id   INTEGER NOT NULL,
        queued_at TEXT    NOT NULL,
        PRIMARY KEY (alert_id, user_id)
    );
    CREATE INDEX alert_sends_user ON alert_sends (user_id);
    """,
    # 10: safe publishing and new languages (issue 14). users.tree: the topic of the user's screen,
    # so a user whose screen was removed from the content is taken to the start of that topic;
    # users.preview: a language an admin previews before it is offered to everyone (/preview).
    """
    ALTER TABLE users ADD COLUMN tree TEXT;
    ALTER TABLE users ADD COLUMN preview TEXT;
    """,
    # 11: wage claims (issue 15): the claim questionnaire's step and answers (JSON), deleted when the
    # documents are made or the user stops, unless given to an operator (then in the case).
    """
    ALTER TABLE users ADD COLUMN claim TEXT NOT NULL DEFAULT '{}';
    """,
)
