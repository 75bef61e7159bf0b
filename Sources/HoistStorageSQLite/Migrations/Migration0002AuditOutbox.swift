/// The durable audit outbox (issue 6). Events are inserted in the same transaction as the change
/// they describe; `sequence` (AUTOINCREMENT, never reused) is the commit order. Each sink keeps its
/// own cursor in `audit_cursors` (last delivered sequence); events every sink has delivered stay
/// for `audit.retention` as history, then are deleted. Deliveries a sink gave up on (non-retryable
/// answer) are kept in `audit_failures`.
enum Migration0002AuditOutbox {
    static let identifier = "0002_audit_outbox"

    static let schema = """
        CREATE TABLE audit_events (
            "sequence" INTEGER PRIMARY KEY AUTOINCREMENT,
            id VARCHAR(36) NOT NULL UNIQUE,
            "type" VARCHAR(32) NOT NULL,
            action VARCHAR(16) NOT NULL,
            namespace_key VARCHAR(255) NOT NULL DEFAULT '',
            actor TEXT NOT NULL,
            payload TEXT NOT NULL,
            "timestamp" VARCHAR(40) NOT NULL,
            created_at BIGINT NOT NULL
        );
        CREATE INDEX audit_events_created_at ON audit_events (created_at);

        CREATE TABLE audit_cursors (
            sink VARCHAR(255) NOT NULL PRIMARY KEY,
            "sequence" BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        );

        CREATE TABLE audit_failures (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_sequence BIGINT NOT NULL,
            event_id VARCHAR(36) NOT NULL,
            sink VARCHAR(255) NOT NULL,
            message TEXT NOT NULL,
            created_at BIGINT NOT NULL
        );
        """
}
