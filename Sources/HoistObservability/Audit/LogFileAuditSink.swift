import Dispatch
import Foundation
public import HoistStorage
import Synchronization

/// The log-file sink (spec observability §3.7): one JSON object per line.
///
/// Config: `audit.sinks.log.enabled` (`FLIPT_AUDIT_SINKS_LOG_ENABLED`, default false),
/// `audit.sinks.log.file` (`FLIPT_AUDIT_SINKS_LOG_FILE`, default `""` = stdout; parent directory
/// created with mode 0755), `audit.sinks.log.encoding` (`FLIPT_AUDIT_SINKS_LOG_ENCODING`, `json` or
/// `console`, default `""` = `log.encoding`).
///
/// Durability: the file is opened `O_APPEND` and `fsync`ed after each delivered batch, before the
/// dispatcher moves the sink's cursor; so after a crash a line may be repeated, never lost.
/// Rotation: on `SIGHUP` the file is reopened at its path before the next batch (logrotate's
/// `postrotate kill -HUP`, or `copytruncate`).
public final class LogFileAuditSink: AuditSink {
    public let name = "log"
    let path: String?
    let encoding: AuditEventEncoder.Encoding
    /// The open descriptor (1 for stdout).
    let descriptor: Mutex<Int32>
    let reopenRequested: ReopenFlag
    /// The SIGHUP watcher; only cancelled in ``shutdown()`` (DispatchSource is thread-safe).
    nonisolated(unsafe) let signalSource: (any DispatchSourceSignal)?

    /// Opens (creating) the file; `path` nil or empty means stdout.
    public init(path: String?, encoding: AuditEventEncoder.Encoding) throws(AuditConfigurationError) {
        let path = (path?.isEmpty ?? true) ? nil : path
        self.path = path
        self.encoding = encoding
        descriptor = Mutex(try path.map(Self.open) ?? 1)
        let flag = ReopenFlag()
        reopenRequested = flag
        signalSource = path == nil ? nil : Self.watchHangup(flag)
    }

    static func open(_ path: String) throws(AuditConfigurationError) -> Int32 {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw AuditConfigurationError("opening audit log file \(path): \(String(cString: strerror(errno)))")
        }
        return fd
    }

    static func watchHangup(_ flag: ReopenFlag) -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { flag.value.store(true, ordering: .releasing) }
        source.resume()
        return source
    }

    /// Reopens the file at its path (what SIGHUP triggers); no-op on stdout.
    public func reopen() throws(AuditConfigurationError) {
        guard let path else { return }
        let fd = try Self.open(path)
        let old = descriptor.withLock { d in
            let old = d
            d = fd
            return old
        }
        close(old)
    }

    public func deliver(_ events: [AuditRecord]) async throws -> [AuditSinkFailure] {
        if reopenRequested.value.exchange(false, ordering: .acquiringAndReleasing) { try? reopen() }
        var bytes: [UInt8] = []
        let now = path == nil ? LocalTime.rfc3339(Date()) : ""
        for event in events {
            bytes += AuditEventEncoder.logLine(event, encoding: encoding, toFile: path != nil, now: now)
        }
        var delay: Duration = .milliseconds(100)
        while true {
            try Task.checkCancellation()
            if let error = writeAll(bytes) {
                // Disk full, file removed under us…: keep the cursor, retry (reopening) with backoff.
                FileHandle.standardError.write(Data("audit log sink: \(error)\n".utf8))
                try? reopen()
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
                continue
            }
            return []
        }
    }

    /// Writes and syncs; returns an error description on failure.
    func writeAll(_ bytes: [UInt8]) -> String? {
        descriptor.withLock { fd -> String? in
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            if fd != 1 && fsync(fd) != 0 { return String(cString: strerror(errno)) }
            return nil
        }
    }

    public func shutdown() async {
        signalSource?.cancel()
        descriptor.withLock { fd in
            if fd != 1 { fsync(fd); close(fd) }
        }
    }
}

/// RFC 3339 with seconds in the local time zone (Go's `time.RFC3339`).
enum LocalTime {
    static func rfc3339(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        func pad(_ v: Int, _ width: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var text = "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1))-\(pad(Int(parts.tm_mday)))T"
            + "\(pad(Int(parts.tm_hour))):\(pad(Int(parts.tm_min))):\(pad(Int(parts.tm_sec)))"
        let offset = Int(parts.tm_gmtoff)
        if offset == 0 { return text + "Z" }
        let minutes = abs(offset) / 60
        text += (offset < 0 ? "-" : "+") + pad(minutes / 60) + ":" + pad(minutes % 60)
        return text
    }
}

/// Set by the SIGHUP handler, consumed before the next batch.
final class ReopenFlag: Sendable {
    let value = Atomic<Bool>(false)
}
