/// The file `hoist config init` writes: every key Hoist reads, commented out at its default.
enum DefaultConfigurationFile {
    static let text = """
        # Hoist configuration (Flipt v1 format). Every setting is shown commented out at its default.
        # Uncomment and edit what you need. Environment variables override this file:
        # FLIPT_ + the key path in upper case with _ (server.http_port -> FLIPT_SERVER_HTTP_PORT).
        # Durations take Go syntax (15s, 1h30m). A value of exactly ${NAME} reads environment variable NAME.

        version: "1.0"

        log:
          # level: INFO                # DEBUG, INFO, WARN, ERROR
          # encoding: console          # console or json
          # file: ""                   # log file; empty = stdout

        server:
          # host: 0.0.0.0
          # http_port: 8080

        db:
          # SQLite database file. Empty = $XDG_DATA_HOME/hoist/hoist.db, else ~/.local/share/hoist/hoist.db
          # url: file:/var/lib/hoist/hoist.db
          # max_idle_conn: 2
          # max_open_conn: 0           # 0 = unlimited
          # conn_max_lifetime: 0       # 0 = forever

        storage:
          # type: database
          # read_only: false           # true rejects every write through the API

        meta:
          # check_for_updates: true
          # telemetry_enabled: true

        metrics:
          # enabled: true              # false drops the flipt_* families; /metrics stays
          # exporter: prometheus

        tracing:
          # enabled: false
          # exporter: jaeger           # jaeger, zipkin or otlp
          # sampling_ratio: 1
          # propagators: [tracecontext, baggage]
          # jaeger:
          #   host: localhost
          #   port: 6831
          # zipkin:
          #   endpoint: http://localhost:9411/api/v2/spans
          # otlp:
          #   endpoint: localhost:4317

        audit:
          # events: ["*:*"]
          # buffer:
          #   capacity: 100
          #   flush_period: 1s
          # retention: 168h
          # backlog_warn_threshold: 1000
          sinks:
            log:
              # enabled: false
              # file: /var/log/hoist/audit.log
            webhook:
              # enabled: false
              # url: https://example.com/flipt-audit
              # signing_secret: ""
              # max_backoff_duration: 15s

        """
}
