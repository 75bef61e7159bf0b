import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where finished log lines go. Implementations must be thread-safe; lines arrive complete
/// (newline included) and must not interleave.
public protocol LogLineWriter: Sendable {
    func write(_ line: String)
}

/// Writes lines to a file descriptor (standard output, or a file opened for appending),
/// one `write(2)` sequence per line under a lock.
public final class FileDescriptorLogWriter: LogLineWriter {
    private let descriptor: Mutex<Int32>
    private let ownsDescriptor: Bool

    /// Standard output.
    public static let standardOutput = FileDescriptorLogWriter(descriptor: STDOUT_FILENO, owns: false)

    private init(descriptor: Int32, owns: Bool) {
        self.descriptor = Mutex(descriptor)
        self.ownsDescriptor = owns
    }

    /// Opens `path` for appending, creating it (mode 0666 before umask) if missing, as zap does.
    /// The parent directory must exist. Throws ``ConfigurationError`` for key `log.file`.
    public convenience init(appendingTo path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            throw ConfigurationError(key: "log.file", "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        self.init(descriptor: fd, owns: true)
    }

    deinit {
        if ownsDescriptor { descriptor.withLock { _ = close($0) } }
    }

    public func write(_ line: String) {
        var line = line
        line.withUTF8 { buffer in
            descriptor.withLock { fd in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc_write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // Nowhere to report a failing log sink; drop the line.
                    }
                }
            }
        }
    }
}

@inline(__always)
private func Glibc_write(_ fd: Int32, _ pointer: UnsafePointer<UInt8>, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.write(fd, pointer, count)
    #elseif canImport(Musl)
    return Musl.write(fd, pointer, count)
    #else
    return Glibc.write(fd, pointer, count)
    #endif
}

/// Collects lines in memory (tests, diagnostics).
public final class LogBuffer: LogLineWriter {
    private let storage = Mutex<[String]>([])

    public init() {}

    public func write(_ line: String) {
        storage.withLock { $0.append(line) }
    }

    /// Every line written so far, newlines included.
    public var lines: [String] { storage.withLock { $0 } }

    /// Everything written so far.
    public var text: String { lines.joined() }
}
