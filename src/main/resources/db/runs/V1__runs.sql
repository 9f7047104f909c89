-- Run statistics (the seed's dashboard_store): one row per run of one table of a job, and one row per destination
-- the run wrote to. Instants are UTC, to the millisecond. The placeholder timestamp is the database's
-- timestamp-without-time-zone type with microseconds: TIMESTAMP(6), or DATETIME(6) on MariaDB/MySQL (whose
-- TIMESTAMP ends in 2038 and converts to the session's time zone).
CREATE TABLE caravan_run (
    run_id        VARCHAR(64)      NOT NULL,
    job_name      VARCHAR(200)     NOT NULL,
    table_name    VARCHAR(400)     NOT NULL,
    started_at    ${timestamp}     NOT NULL,
    ended_at      ${timestamp},
    status        VARCHAR(20)      NOT NULL,
    attempt       INTEGER          NOT NULL,
    rows_read     BIGINT           NOT NULL,
    bytes_read    BIGINT           NOT NULL,
    seconds       DOUBLE PRECISION NOT NULL,
    cursor_before VARCHAR(1000),
    cursor_after  VARCHAR(1000),
    error         TEXT,
    PRIMARY KEY (run_id)
);

-- the listing's orders: newest first, for one job (and table) or for all
CREATE INDEX caravan_run_job ON caravan_run (job_name, table_name, started_at);
CREATE INDEX caravan_run_started ON caravan_run (started_at);

-- ordinal: the destination's place in the run's order (the order destinations first wrote), from 0
CREATE TABLE caravan_run_destination (
    run_id       VARCHAR(64)      NOT NULL,
    ordinal      INTEGER          NOT NULL,
    destination  VARCHAR(200)     NOT NULL,
    rows_written BIGINT           NOT NULL,
    rows_deleted BIGINT           NOT NULL,
    bytes        BIGINT           NOT NULL,
    seconds      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, ordinal),
    FOREIGN KEY (run_id) REFERENCES caravan_run (run_id) ON DELETE CASCADE
);
