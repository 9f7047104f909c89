-- One row per table of a job: the committed cursor and the last successful run's ceiling.
CREATE TABLE caravan_cursor (
    job_name             VARCHAR(200)  NOT NULL,
    table_name           VARCHAR(400)  NOT NULL,
    phase                VARCHAR(20),
    bookmark_value       VARCHAR(400),
    key_value            VARCHAR(400),
    initial_ceiling      VARCHAR(64),
    last_success_ceiling VARCHAR(64),
    updated_at           TIMESTAMP     NOT NULL,
    PRIMARY KEY (job_name, table_name)
);
