import Foundation
public import HoistCore
import Prometheus

/// A reading of the process' resources, in the units of Prometheus' `process_*` families.
public struct ProcessSample: Sendable, Equatable {
    public var cpuSeconds: Double
    public var residentMemoryBytes: Double
    public var virtualMemoryBytes: Double
    public var virtualMemoryMaxBytes: Double
    public var openFDs: Double
    public var maxFDs: Double
    /// Unix time the process started, in seconds.
    public var startTimeSeconds: Double

    public init(
        cpuSeconds: Double, residentMemoryBytes: Double, virtualMemoryBytes: Double,
        virtualMemoryMaxBytes: Double, openFDs: Double, maxFDs: Double, startTimeSeconds: Double
    ) {
        self.cpuSeconds = cpuSeconds
        self.residentMemoryBytes = residentMemoryBytes
        self.virtualMemoryBytes = virtualMemoryBytes
        self.virtualMemoryMaxBytes = virtualMemoryMaxBytes
        self.openFDs = openFDs
        self.maxFDs = maxFDs
        self.startTimeSeconds = startTimeSeconds
    }

    /// Reads `/proc/self/stat`, `/proc/self/fd`, `/proc/stat` and the resource limits, as
    /// Prometheus' Go client does; `nil` where `/proc` is missing (non-Linux).
    public static func current() -> ProcessSample? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after "(comm)": state is field 3; utime 14, stime 15, starttime 22, vsize 23, rss 24.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 22,
            let utime = Double(fields[11]), let stime = Double(fields[12]),
            let startTicks = Double(fields[19]), let vsize = Double(fields[20]), let rssPages = Double(fields[21])
        else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let openFDs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        return ProcessSample(
            cpuSeconds: (utime + stime) / ticks,
            residentMemoryBytes: rssPages * pageSize,
            virtualMemoryBytes: vsize,
            virtualMemoryMaxBytes: limit(Int32(RLIMIT_AS.rawValue)),
            openFDs: Double(openFDs),
            maxFDs: limit(Int32(RLIMIT_NOFILE.rawValue)),
            startTimeSeconds: bootTime() + startTicks / ticks)
        #else
        return nil
        #endif
    }

    #if os(Linux)
    /// The soft limit; unlimited reads as 2^64 - 1, as in Go.
    static func limit(_ resource: Int32) -> Double {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(UInt32(resource)), &limit) == 0 else { return 0 }
        return Double(limit.rlim_cur)
    }

    static func bootTime() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }
    #endif
}

/// The `process_*` families (read at scrape time) and `hoist_build_info`, in the registry.
final class ProcessMetrics: Sendable {
    let cpu: Counter
    let resident: Gauge
    let virtual: Gauge
    let virtualMax: Gauge
    let openFDs: Gauge
    let maxFDs: Gauge
    let startTime: Gauge
    let source: @Sendable () -> ProcessSample?

    init(registry: PrometheusCollectorRegistry, buildInfo: BuildInfo, source: @escaping @Sendable () -> ProcessSample?) {
        self.source = source
        cpu = registry.counter("process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.")
        resident = registry.gauge("process_resident_memory_bytes", help: "Resident memory size in bytes.")
        virtual = registry.gauge("process_virtual_memory_bytes", help: "Virtual memory size in bytes.")
        virtualMax = registry.gauge("process_virtual_memory_max_bytes", help: "Maximum amount of virtual memory available in bytes.")
        openFDs = registry.gauge("process_open_fds", help: "Number of open file descriptors.")
        maxFDs = registry.gauge("process_max_fds", help: "Maximum number of open file descriptors.")
        startTime = registry.gauge("process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.")
        registry.gauge(
            "hoist_build_info",
            help: "A metric with a constant '1' value labeled by the Hoist version, commit and Swift compiler version.",
            labels: [("commit", buildInfo.commit), ("swift_version", buildInfo.swiftVersion), ("version", buildInfo.version)]
        ).set(to: 1.0)
    }

    /// Refreshes every family from a new sample. Callers serialise scrapes.
    func update() {
        guard let sample = source() else { return }
        cpu.reset()
        cpu.increment(by: sample.cpuSeconds)
        resident.set(sample.residentMemoryBytes)
        virtual.set(sample.virtualMemoryBytes)
        virtualMax.set(sample.virtualMemoryMaxBytes)
        openFDs.set(sample.openFDs)
        maxFDs.set(sample.maxFDs)
        startTime.set(sample.startTimeSeconds)
    }
}

/// What `hoist_build_info` reports.
public struct BuildInfo: Sendable, Equatable {
    public var version: String
    /// The git commit, or `unknown`.
    public var commit: String
    public var swiftVersion: String

    public init(version: String = HoistBuild.version, commit: String = HoistBuild.commit, swiftVersion: String = BuildInfo.compilerVersion) {
        self.version = version
        self.commit = commit.isEmpty ? "unknown" : commit
        self.swiftVersion = swiftVersion
    }

    /// The Swift compiler that built this binary (major.minor).
    public static var compilerVersion: String {
        #if compiler(>=6.5)
        "6.5+"
        #elseif compiler(>=6.4)
        "6.4"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #else
        "6.1"
        #endif
    }
}
