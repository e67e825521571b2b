-- Measures: plans per fiscal year, measures, actions with responsible divisions, progress with
-- evidence, last year's table, the steps table, accepted consistency warnings, reminders; and
-- in-app notifications (platform). Months are stored as BE year * 100 + month.

ALTER TABLE divisions ADD COLUMN short_name TEXT;

CREATE TABLE measure_plans (
    id                    BIGINT NOT NULL PRIMARY KEY,
    agency_id             BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    fiscal_year           BIGINT NOT NULL,
    status                TEXT NOT NULL,
    introduction          TEXT NOT NULL,
    review_intro          TEXT NOT NULL,
    announcement_preamble TEXT NOT NULL,
    announced_on          TEXT,
    signer_name           TEXT,
    signer_position       TEXT,
    approved_by           TEXT,
    approved_at           BIGINT,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    UNIQUE (agency_id, fiscal_year)
);
CREATE UNIQUE INDEX measure_plans_by_agency ON measure_plans (agency_id, id);

CREATE TABLE measures (
    id         BIGINT NOT NULL PRIMARY KEY,
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    plan_id    BIGINT NOT NULL,
    number     BIGINT NOT NULL,
    title      TEXT NOT NULL,
    weight     BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    FOREIGN KEY (agency_id, plan_id) REFERENCES measure_plans (agency_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX measures_by_agency ON measures (agency_id, id);
CREATE INDEX measures_of_plan ON measures (agency_id, plan_id, number);

-- The ITA indicators ('indicator', '1'..'10') and OIT items ('oit', 'O42') of a measure.
CREATE TABLE measure_links (
    agency_id  BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    measure_id BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    code       TEXT NOT NULL,
    PRIMARY KEY (agency_id, measure_id, kind, code),
    FOREIGN KEY (agency_id, measure_id) REFERENCES measures (agency_id, id) ON DELETE CASCADE
);

CREATE TABLE measure_actions (
    id             BIGINT NOT NULL PRIMARY KEY,
    agency_id      BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    measure_id     BIGINT NOT NULL,
    number         BIGINT NOT NULL,
    text           TEXT NOT NULL,
    all_divisions  BIGINT NOT NULL,
    period_start   BIGINT,
    period_end     BIGINT,
    recommendation TEXT,
    monitoring     TEXT,
    kpi            TEXT,
    target         TEXT,
    weight         BIGINT NOT NULL,
    status         TEXT NOT NULL,
    percent        BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    FOREIGN KEY (agency_id, measure_id) REFERENCES measures (agency_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX measure_actions_by_agency ON measure_actions (agency_id, id);
CREATE INDEX measure_actions_of_measure ON measure_actions (agency_id, measure_id, number);

CREATE TABLE measure_action_divisions (
    agency_id   BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    action_id   BIGINT NOT NULL,
    division_id BIGINT NOT NULL,
    position    BIGINT NOT NULL,
    PRIMARY KEY (agency_id, action_id, division_id),
    FOREIGN KEY (agency_id, action_id) REFERENCES measure_actions (agency_id, id) ON DELETE CASCADE,
    FOREIGN KEY (agency_id, division_id) REFERENCES divisions (agency_id, id)
);
CREATE INDEX measure_action_divisions_by_division ON measure_action_divisions (agency_id, division_id);

CREATE TABLE measure_progress (
    id                BIGINT NOT NULL PRIMARY KEY,
    agency_id         BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    action_id         BIGINT NOT NULL,
    reported_on       TEXT NOT NULL,
    status            TEXT NOT NULL,
    percent           BIGINT NOT NULL,
    narrative         TEXT NOT NULL,
    author_account_id BIGINT,
    author_label      TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    FOREIGN KEY (agency_id, action_id) REFERENCES measure_actions (agency_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX measure_progress_by_agency ON measure_progress (agency_id, id);
CREATE INDEX measure_progress_of_action ON measure_progress (agency_id, action_id, created_at);

CREATE TABLE measure_evidence (
    agency_id   BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    progress_id BIGINT NOT NULL,
    position    BIGINT NOT NULL,
    file_id     BIGINT,
    url         TEXT,
    label       TEXT NOT NULL,
    PRIMARY KEY (agency_id, progress_id, position),
    FOREIGN KEY (agency_id, progress_id) REFERENCES measure_progress (agency_id, id) ON DELETE CASCADE,
    FOREIGN KEY (agency_id, file_id) REFERENCES files (agency_id, id)
);

-- Last year's table, and the steps-and-monitoring table, as ordered rows.
CREATE TABLE measure_reviews (
    agency_id     BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    plan_id       BIGINT NOT NULL,
    position      BIGINT NOT NULL,
    indicator     TEXT NOT NULL,
    issues        TEXT NOT NULL,
    methods       TEXT NOT NULL,
    actions_taken TEXT NOT NULL,
    PRIMARY KEY (agency_id, plan_id, position),
    FOREIGN KEY (agency_id, plan_id) REFERENCES measure_plans (agency_id, id) ON DELETE CASCADE
);

CREATE TABLE measure_steps (
    agency_id   BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    plan_id     BIGINT NOT NULL,
    position    BIGINT NOT NULL,
    measure     TEXT NOT NULL,
    steps       TEXT NOT NULL,
    responsible TEXT NOT NULL,
    monitoring  TEXT NOT NULL,
    PRIMARY KEY (agency_id, plan_id, position),
    FOREIGN KEY (agency_id, plan_id) REFERENCES measure_plans (agency_id, id) ON DELETE CASCADE
);

CREATE TABLE measure_check_overrides (
    agency_id BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    plan_id   BIGINT NOT NULL,
    code      TEXT NOT NULL,
    subject   TEXT NOT NULL,
    reason    TEXT NOT NULL,
    by_label  TEXT NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (agency_id, plan_id, code, subject),
    FOREIGN KEY (agency_id, plan_id) REFERENCES measure_plans (agency_id, id) ON DELETE CASCADE
);

CREATE TABLE measure_reminders (
    agency_id BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    action_id BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    day       TEXT NOT NULL,
    PRIMARY KEY (agency_id, action_id, kind, day),
    FOREIGN KEY (agency_id, action_id) REFERENCES measure_actions (agency_id, id) ON DELETE CASCADE
);

CREATE TABLE notifications (
    id          BIGINT NOT NULL PRIMARY KEY,
    agency_id   BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    message_key TEXT NOT NULL,
    args        TEXT NOT NULL,
    link        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_for_account ON notifications (agency_id, account_id, created_at);
