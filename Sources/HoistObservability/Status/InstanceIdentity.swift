import Foundation
import HoistCore
public import Logging
import Synchronization

/// The stable id of this Hoist instance (status `labels.id`, decision-log `labels.id`), kept in
/// `<meta.state_directory>/instance.json` as `{"id":"<UUID v4>"}` so it survives restarts.
///
/// Separate from telemetry's `telemetry.json`: the instance id identifies the server to the user's
/// own control plane, the telemetry id is anonymous. Created on first use (mode 0600, directory
/// 0700); when the directory cannot be written the id lives for this process only (logged once).
public final class InstanceIdentity: Sendable {
    public static let fileName = "instance.json"

    let directory: String
    let logger: Logger
    let cached = Mutex<String?>(nil)

    public init(directory: String, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    /// The instance id, read from or written to the state directory on first call.
    public var id: String {
        cached.withLock { cached in
            if let cached { return cached }
            let made = loadOrCreate()
            cached = made
            return made
        }
    }

    var path: String { (directory as NSString).appendingPathComponent(Self.fileName) }

    func loadOrCreate() -> String {
        if let data = FileManager.default.contents(atPath: path),
            let value = try? JSONParser.parse(Array(data)), let id = value["id"]?.stringValue,
            UUID(uuidString: id) != nil
        {
            return id
        }
        let id = UUID().uuidString.lowercased()
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var w = JSONWriter()
            w.raw("{\"id\":")
            w.string(id)
            w.raw("}\n")
            guard FileManager.default.createFile(atPath: path, contents: Data(w.bytes), attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            logger.warning(
                "cannot store the instance id; it will change at the next start",
                metadata: ["hoist.state_directory": "\(directory)", "error": "\(error)"])
        }
        return id
    }
}
