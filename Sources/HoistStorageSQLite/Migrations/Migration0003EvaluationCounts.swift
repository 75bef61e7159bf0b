/// Built-in evaluation analytics (issue 7): one row per UTC minute, namespace, flag, reason and
/// value, holding how many evaluations ended that way. Rows are added to (never rewritten) by the
/// analytics flusher, read by `GET /internal/v1/analytics/…`, and deleted after
/// `analytics.retention`. No foreign keys: counts outlive deleted flags, so "was this flag used"
/// still has an answer after the flag is gone.
enum Migration0003EvaluationCounts {
    static let identifier = "0003_evaluation_counts"

    static let schema = """
        CREATE TABLE evaluation_counts (
            minute BIGINT NOT NULL,
            namespace_key VARCHAR(255) NOT NULL,
            flag_key VARCHAR(255) NOT NULL,
            reason VARCHAR(64) NOT NULL,
            "value" VARCHAR(255) NOT NULL,
            "count" BIGINT NOT NULL,
            PRIMARY KEY (namespace_key, flag_key, minute, reason, "value")
        );
        CREATE INDEX evaluation_counts_minute ON evaluation_counts (minute);
        """
}
