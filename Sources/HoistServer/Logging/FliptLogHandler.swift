import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler printing Flipt-style lines (see ``FliptLogFormatter``).
///
/// The line is built on the calling thread; only the write is serialised (inside the writer).
/// Metadata precedence: handler metadata < metadata provider < per-call metadata; an attached
/// error is added as field `error` (as zap's `zap.Error`). The swift-log label is not printed
/// (Flipt names no loggers).
public struct FliptLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public let formatter: FliptLogFormatter
    public let writer: any LogLineWriter
    /// Current time in seconds since the epoch (injectable for tests).
    public let clock: @Sendable () -> Int

    public init(
        formatter: FliptLogFormatter,
        writer: any LogLineWriter,
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        clock: @escaping @Sendable () -> Int = { Int(time(nil)) }
    ) {
        self.formatter = formatter
        self.writer = writer
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            fields.merge(provided) { _, new in new }
        }
        if let callMetadata = event.metadata, !callMetadata.isEmpty {
            fields.merge(callMetadata) { _, new in new }
        }
        if let error = event.error, fields["error"] == nil {
            fields["error"] = .string(String(describing: error))
        }
        let line = formatter.format(
            level: event.level, message: event.message.description, metadata: fields, time: clock())
        writer.write(line)
    }
}

/// A `LoggingSystem.bootstrap` factory for the `log` section:
/// `LoggingSystem.bootstrap(try makeLogHandlerFactory(configuration.log))`.
///
/// - Level: `log.level` mapped by ``FliptLogLevel`` (unknown → INFO; log
///   ``HoistConfiguration/warnings`` after bootstrapping).
/// - Output: `log.file` opened once for appending (shared by every logger), else standard output.
/// - Encoding and keys: `log.encoding`, `log.keys.*`; `console` colours the level as Flipt does
///   unless `colorLevels` says otherwise.
/// - Parameters:
///   - writer: overrides the output (tests pass a ``LogBuffer``).
/// - Throws: ``ConfigurationError`` (`log.file: cannot open …`).
public func makeLogHandlerFactory(
    _ config: HoistConfiguration.Log,
    colorLevels: Bool? = nil,
    writer: (any LogLineWriter)? = nil,
    metadataProvider: Logger.MetadataProvider? = nil
) throws -> @Sendable (String) -> any LogHandler {
    let output: any LogLineWriter
    if let writer {
        output = writer
    } else if let path = config.file {
        output = try FileDescriptorLogWriter(appendingTo: path)
    } else {
        output = FileDescriptorLogWriter.standardOutput
    }
    let formatter = FliptLogFormatter(
        encoding: config.encoding,
        keys: config.keys,
        colorLevels: colorLevels ?? (config.encoding == .console)
    )
    let level = config.swiftLogLevel
    return { _ in
        FliptLogHandler(formatter: formatter, writer: output, logLevel: level, metadataProvider: metadataProvider)
    }
}

extension HoistConfiguration.Log {
    /// The logger to use before the configuration is loaded: Flipt reads only `FLIPT_LOG_LEVEL`
    /// for it (console encoding, standard output, default keys).
    public static func bootstrap(environment: [String: String]) -> HoistConfiguration.Log {
        let name = environment["FLIPT_LOG_LEVEL"] ?? ""
        var log = HoistConfiguration.Log(level: FliptLogLevel(parsing: name) ?? .info)
        if !name.isEmpty { log.levelName = name }
        return log
    }
}
