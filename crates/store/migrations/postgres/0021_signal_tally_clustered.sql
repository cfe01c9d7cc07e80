-- SQLite makes its kept counts a clustered table in this step (see its 0021). PostgreSQL
-- reads them through the primary key from shared buffers and needs no change; the step
-- keeps both engines' migrations numbered alike.
SELECT 1;
