/// The initial schema (spec §2.12). Portable SQL: plain `CREATE TABLE` with explicit foreign keys, quoted
/// identifiers for the words some engines reserve (`key`, `type`, `rank`, `value`), `BIGINT` microsecond
/// timestamps, `REAL` percentages and `BOOLEAN` flags.
///
/// The only SQLite-specific liberty is the forward reference `flags.default_variant_id → variants(id)`
/// (the two tables reference each other); a PostgreSQL migration adds that constraint with
/// `ALTER TABLE … ADD CONSTRAINT` after creating `variants`.
enum Migration0001Initial {
    static let identifier = "0001_initial"

    static let schema = """
        CREATE TABLE namespaces (
            "key" VARCHAR(255) NOT NULL PRIMARY KEY,
            name VARCHAR(255) NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            protected BOOLEAN NOT NULL DEFAULT FALSE,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            state_modified_at BIGINT NOT NULL
        );
        CREATE INDEX namespaces_created_at ON namespaces (created_at);

        CREATE TABLE flags (
            namespace_key VARCHAR(255) NOT NULL REFERENCES namespaces ("key") ON DELETE CASCADE,
            "key" VARCHAR(255) NOT NULL,
            name VARCHAR(255) NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            enabled BOOLEAN NOT NULL DEFAULT FALSE,
            "type" INTEGER NOT NULL DEFAULT 0,
            metadata TEXT,
            default_variant_id VARCHAR(255) REFERENCES variants (id) ON DELETE SET NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (namespace_key, "key")
        );
        CREATE INDEX flags_namespace_created_at ON flags (namespace_key, created_at);
        CREATE INDEX flags_default_variant ON flags (default_variant_id);

        CREATE TABLE variants (
            id VARCHAR(255) NOT NULL PRIMARY KEY,
            namespace_key VARCHAR(255) NOT NULL,
            flag_key VARCHAR(255) NOT NULL,
            "key" VARCHAR(255) NOT NULL,
            name VARCHAR(255) NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            attachment TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            UNIQUE (namespace_key, flag_key, "key"),
            FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, "key") ON DELETE CASCADE
        );

        CREATE TABLE segments (
            namespace_key VARCHAR(255) NOT NULL REFERENCES namespaces ("key") ON DELETE CASCADE,
            "key" VARCHAR(255) NOT NULL,
            name VARCHAR(255) NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            match_type INTEGER NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (namespace_key, "key")
        );
        CREATE INDEX segments_namespace_created_at ON segments (namespace_key, created_at);

        CREATE TABLE constraints (
            id VARCHAR(255) NOT NULL PRIMARY KEY,
            namespace_key VARCHAR(255) NOT NULL,
            segment_key VARCHAR(255) NOT NULL,
            "type" INTEGER NOT NULL DEFAULT 0,
            property VARCHAR(255) NOT NULL,
            operator VARCHAR(255) NOT NULL,
            "value" TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, "key") ON DELETE CASCADE
        );
        CREATE INDEX constraints_segment ON constraints (namespace_key, segment_key);

        CREATE TABLE rules (
            id VARCHAR(255) NOT NULL PRIMARY KEY,
            namespace_key VARCHAR(255) NOT NULL,
            flag_key VARCHAR(255) NOT NULL,
            "rank" INTEGER NOT NULL DEFAULT 1,
            segment_operator INTEGER NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, "key") ON DELETE CASCADE
        );
        CREATE INDEX rules_flag_rank ON rules (namespace_key, flag_key, "rank");

        CREATE TABLE rule_segments (
            rule_id VARCHAR(255) NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
            namespace_key VARCHAR(255) NOT NULL,
            segment_key VARCHAR(255) NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            UNIQUE (rule_id, namespace_key, segment_key),
            FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, "key") ON DELETE RESTRICT
        );
        CREATE INDEX rule_segments_segment ON rule_segments (namespace_key, segment_key);

        CREATE TABLE distributions (
            id VARCHAR(255) NOT NULL PRIMARY KEY,
            rule_id VARCHAR(255) NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
            variant_id VARCHAR(255) NOT NULL REFERENCES variants (id) ON DELETE CASCADE,
            rollout REAL NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        );
        CREATE INDEX distributions_rule ON distributions (rule_id);
        CREATE INDEX distributions_variant ON distributions (variant_id);

        CREATE TABLE rollouts (
            id VARCHAR(255) NOT NULL PRIMARY KEY,
            namespace_key VARCHAR(255) NOT NULL,
            flag_key VARCHAR(255) NOT NULL,
            "type" INTEGER NOT NULL DEFAULT 0,
            "rank" INTEGER NOT NULL DEFAULT 1,
            description TEXT NOT NULL DEFAULT '',
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, "key") ON DELETE CASCADE
        );
        CREATE INDEX rollouts_flag_rank ON rollouts (namespace_key, flag_key, "rank");

        CREATE TABLE rollout_thresholds (
            id VARCHAR(255) NOT NULL PRIMARY KEY,
            rollout_id VARCHAR(255) NOT NULL UNIQUE REFERENCES rollouts (id) ON DELETE CASCADE,
            percentage REAL NOT NULL DEFAULT 0,
            "value" BOOLEAN NOT NULL DEFAULT FALSE
        );

        CREATE TABLE rollout_segments (
            id VARCHAR(255) NOT NULL PRIMARY KEY,
            rollout_id VARCHAR(255) NOT NULL UNIQUE REFERENCES rollouts (id) ON DELETE CASCADE,
            "value" BOOLEAN NOT NULL DEFAULT FALSE,
            segment_operator INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE rollout_segment_references (
            rollout_segment_id VARCHAR(255) NOT NULL REFERENCES rollout_segments (id) ON DELETE CASCADE,
            namespace_key VARCHAR(255) NOT NULL,
            segment_key VARCHAR(255) NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            UNIQUE (rollout_segment_id, namespace_key, segment_key),
            FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, "key") ON DELETE RESTRICT
        );
        CREATE INDEX rollout_segment_references_segment ON rollout_segment_references (namespace_key, segment_key);
        """

    /// The built-in namespace; `:now` is bound to the migration time in microseconds.
    static let seed = """
        INSERT INTO namespaces ("key", name, description, protected, created_at, updated_at, state_modified_at)
        VALUES ('default', 'Default', 'Default namespace', TRUE, :now, :now, :now);
        """
}
