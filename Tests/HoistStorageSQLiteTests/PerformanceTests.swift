import Foundation
import HoistCore
import HoistStorage
import HoistStorageSQLite
import Testing

/// Opt-in (HOIST_PERF=1): a 10,000-flag namespace loads quickly in one read transaction.
@Suite struct PerformanceTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HOIST_PERF"] != nil))
    func largeNamespaceState() async throws {
        try await withStore { store, database in
            try await store.makeSegment("s")
            let clock = ContinuousClock()
            let build = try await clock.measure {
                for i in 0..<10_000 {
                    try await store.makeFlag("f\(i)")
                    let v = try await store.makeVariant("a", flag: "f\(i)", attachment: "{\"i\":\(i)}")
                    try await store.makeVariant("b", flag: "f\(i)")
                    let rule = try await store.makeRule(flag: "f\(i)", segments: ["s"], rank: 1)
                    _ = try await store.createDistribution(DistributionRequest(
                        namespaceKey: "default", flagKey: "f\(i)", ruleId: rule.id, variantId: v.id, rollout: 50))
                }
            }
            var state: NamespaceState?
            let load = try await clock.measure { state = try await store.namespaceState(key: "default") }
            let again = try await clock.measure { state = try await store.namespaceState(key: "default") }
            let list = try await clock.measure {
                _ = try await store.listFlags(namespaceKey: "default", page: PageRequest(limit: 25, offset: 9_000))
            }
            if let keep = ProcessInfo.processInfo.environment["HOIST_PERF_KEEP"] {
                try? FileManager.default.removeItem(atPath: keep)
                try FileManager.default.copyItem(atPath: database.path, toPath: keep)
                try? FileManager.default.copyItem(atPath: database.path + "-wal", toPath: keep + "-wal")
            }
            print("build \(build), namespaceState \(load) then \(again), listFlags page \(list)")
            #expect(state?.flags.count == 10_000)
            #expect(state?.rules.count == 10_000)
        }
    }
}

extension PerformanceTests {
    /// Opt-in (HOIST_PERF_DB=<file>): loads an existing database's `default` namespace repeatedly, for profiling.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HOIST_PERF_DB"] != nil))
    func repeatedStateLoads() async throws {
        let store = try SQLiteFlagStore(path: ProcessInfo.processInfo.environment["HOIST_PERF_DB"]!)
        let clock = ContinuousClock()
        for _ in 0..<5 {
            let elapsed = try await clock.measure { _ = try await store.namespaceState(key: "default") }
            print("namespaceState \(elapsed)")
        }
    }
}
