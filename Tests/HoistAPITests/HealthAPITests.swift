import HoistCore
import HoistObservability
import Hummingbird
import Synchronization
import Testing

/// A component whose state a test can change.
final class SwitchableComponent: Sendable {
    let status = Mutex(ComponentStatus.ok)
    func set(_ s: ComponentStatus) { status.withLock { $0 = s } }
    func read() -> ComponentStatus { status.withLock { $0 } }
}

@Suite struct HealthAPITests {
    @Test func fliptHealthIsServingUntilShutdown() async throws {
        let health = HealthRegistry()
        try await TestServer.run(health: health) { server in
            let serving = try await server.call(.get, "/health")
            #expect(serving.status == .ok)
            #expect(serving.body == #"{"status":"SERVING"}"#)
            #expect(serving.headers[.contentType] == "application/json")
            let unknown = try await server.call(.get, "/health?service=nope")
            #expect(unknown.status == .notFound)

            health.beginShutdown()
            let stopping = try await server.call(.get, "/health")
            #expect(stopping.status == .serviceUnavailable)
            #expect(stopping.body == #"{"code":14,"message":"unavailable","details":[]}"#)
            let ready = try await server.call(.get, "/health/ready")
            #expect(ready.status == .internalServerError)
            #expect(ready.body == #"{"error":"shutting down"}"#)
            #expect(try await server.call(.get, "/health/live").status == .ok)
        }
    }

    @Test func readinessNamesTheFailingComponent() async throws {
        let health = HealthRegistry()
        let storage = SwitchableComponent()
        health.register("storage") { storage.read() }
        health.register("tracing", requiredForReadiness: false) { ComponentStatus(.error, "exporter down") }
        try await TestServer.run(health: health) { server in
            let ready = try await server.call(.get, "/health/ready")
            #expect(ready.status == .ok)
            #expect(ready.body == "{}")

            storage.set(ComponentStatus(.error, "database unavailable: database is locked"))
            let failing = try await server.call(.get, "/health/ready")
            #expect(failing.status == .internalServerError)
            #expect(failing.body == #"{"error":"storage: database unavailable: database is locked"}"#)

            storage.set(.ok)
            #expect(try await server.call(.get, "/health/ready").status == .ok)
        }
    }

    @Test func pluginsReportEveryComponent() async throws {
        let health = HealthRegistry()
        let storage = SwitchableComponent()
        health.register("storage") { storage.read() }
        health.register("snapshots") { ComponentStatus(.warn, "slow rebuild") }
        try await TestServer.run(health: health) { server in
            let healthy = try await server.call(.get, "/health?plugins")
            #expect(healthy.status == .ok)
            #expect(healthy.body == #"{"plugins":{"storage":{"state":"OK"},"snapshots":{"state":"WARN","message":"slow rebuild"}}}"#)

            storage.set(ComponentStatus(.notReady))
            let unhealthy = try await server.call(.get, "/health?plugins")
            #expect(unhealthy.status == .internalServerError)
            #expect(unhealthy.body.hasPrefix(#"{"error":"not all plugins in OK state","plugins":{"storage":{"state":"NOT_READY"}"#))

            let excluded = try await server.call(.get, "/health?plugins&exclude-plugin=storage")
            #expect(excluded.status == .ok)
        }
    }

    @Test func hungChecksTimeOut() async throws {
        let health = HealthRegistry(checkTimeout: .milliseconds(100))
        health.register("storage") {
            try? await Task.sleep(for: .seconds(30))
            return .ok
        }
        try await TestServer.run(health: health) { server in
            let started = ContinuousClock.now
            let ready = try await server.call(.get, "/health/ready")
            #expect(ready.status == .internalServerError)
            #expect(ready.body.contains("storage check timed out"))
            // Well under the 30 s hang; loose because a loaded CI machine can starve the 100 ms timer.
            #expect(ContinuousClock.now - started < .seconds(25))
        }
    }
}
