import Foundation
public import HoistCore

/// `telemetry.json` in the state directory (`meta.state_directory`): the anonymous id and when
/// the last report went out, `{"version":"1.5","uuid":"<uuid v4>","lastTimestamp":"<RFC 3339>"}`.
public struct TelemetryStateFile: Sendable {
    public struct State: Sendable, Equatable {
        public var version: String
        public var uuid: String
        /// RFC 3339 UTC time of the last successful report, `""` before the first.
        public var lastTimestamp: String

        public init(version: String = TelemetryReport.schemaVersion, uuid: String, lastTimestamp: String = "") {
            self.version = version
            self.uuid = uuid
            self.lastTimestamp = lastTimestamp
        }
    }

    public let directory: String
    public var path: String { directory + "/telemetry.json" }

    public init(directory: String) {
        self.directory = directory
    }

    /// Creates the directory (mode 0700) when missing.
    /// - Throws: ``TelemetryError`` when it cannot be created or is not a directory.
    public func prepareDirectory() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw TelemetryError("state directory \(directory) is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw TelemetryError("creating state directory \(directory): \(error.localizedDescription)")
        }
    }

    /// The stored state; nil when the file is missing, empty or has no uuid.
    /// - Throws: ``TelemetryError`` when the file is not valid JSON (the report then fails, as in Flipt).
    public func load() throws -> State? {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return nil }
        let json: JSONValue
        do {
            json = try JSONParser.parse(Array(data))
        } catch {
            throw TelemetryError("reading state \(path): \(error)")
        }
        guard let uuid = json["uuid"]?.stringValue, !uuid.isEmpty else { return nil }
        return State(
            version: json["version"]?.stringValue ?? TelemetryReport.schemaVersion, uuid: uuid,
            lastTimestamp: json["lastTimestamp"]?.stringValue ?? "")
    }

    /// The stored state, or a new one with a fresh UUID v4, written at once so the id stays the
    /// same even when the first report fails.
    public func loadOrCreate() throws -> State {
        if let state = try load() { return state }
        let state = State(uuid: UUID().uuidString.lowercased())
        try save(state)
        return state
    }

    /// Rewrites the file (mode 0644).
    public func save(_ state: State) throws {
        var w = JSONWriter()
        w.raw("{")
        w.field("version", first: true); w.string(state.version)
        w.field("uuid"); w.string(state.uuid)
        w.field("lastTimestamp"); w.string(state.lastTimestamp)
        w.raw("}\n")
        let written = FileManager.default.createFile(
            atPath: path, contents: Data(w.bytes), attributes: [.posixPermissions: 0o644])
        guard written else { throw TelemetryError("writing state \(path) failed") }
    }
}

/// A telemetry failure (state directory or file, or the report's delivery).
public struct TelemetryError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
