import Foundation
import HoistAPI
import HoistCore
public import HoistObservability
public import Logging
import ServiceLifecycle

extension HoistApplication {
    /// The anonymous telemetry reporter, or nil when telemetry must not run. In order:
    /// 1. opted out — `meta.telemetry_enabled: false`, `FLIPT_META_TELEMETRY_ENABLED=false`,
    ///    `FLIPT_TELEMETRY_ENABLED=false`, `DO_NOT_TRACK` or `CI` = `true`/`1` (``TelemetryOptOut``);
    /// 2. no receiver — `meta.telemetry_url` unset (Hoist has no collector of its own);
    /// 3. no usable state directory (`meta.state_directory`, default `<user config dir>/hoist`).
    /// Each case is logged once at debug, and nothing is sent or written.
    public static func makeTelemetry(
        configuration: HoistConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger
    ) -> TelemetryReporter? {
        var logger = logger
        logger[metadataKey: "component"] = "telemetry"
        let meta = configuration.meta
        if let reason = TelemetryOptOut.reason(telemetryEnabled: meta.telemetryEnabled, environment: environment) {
            logger.debug("telemetry disabled", metadata: ["reason": "\(reason)"])
            return nil
        }
        guard let url = meta.telemetryURL else {
            logger.debug("telemetry not sent: meta.telemetry_url is not set")
            return nil
        }
        guard let directory = meta.resolvedStateDirectory(environment: environment) else {
            logger.debug("telemetry disabled: no state directory (set meta.state_directory)")
            return nil
        }
        let stateFile = TelemetryStateFile(directory: directory)
        do {
            try stateFile.prepareDirectory()
        } catch {
            logger.debug("telemetry disabled: state directory unusable", metadata: ["error": "\(error)"])
            return nil
        }
        return TelemetryReporter(
            stateFile: stateFile, facts: telemetryFacts(configuration: configuration), logger: logger,
            now: { HoistAPI.now() }, send: TelemetryReporter.post(to: url))
    }

    /// What the report says about this configuration (kinds only, never names or addresses).
    public static func telemetryFacts(configuration: HoistConfiguration) -> TelemetryFacts {
        var sinks: [String] = []
        if configuration.audit.logEnabled { sinks.append("log") }
        if configuration.audit.webhookEnabled { sinks.append("webhook") }
        return TelemetryFacts(
            storageType: configuration.storage.type.rawValue,
            database: configuration.storage.type == .database ? "sqlite" : nil, cache: "memory",
            authenticationMethods: [], auditSinks: sinks,
            tracingExporter: configuration.tracing.enabled ? configuration.tracing.exporter.name : nil,
            analyticsStorage: configuration.analytics.storageName)
    }
}

/// Runs the telemetry reporter in the service group; it may end early (after three failed reports
/// in a row) without stopping the server.
struct TelemetryService: Service {
    let reporter: TelemetryReporter

    func run() async throws {
        _ = await cancelWhenGracefulShutdown {
            await reporter.run()
        }
    }

    var configuration: ServiceGroupConfiguration.ServiceConfiguration {
        .init(service: self, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore)
    }
}
