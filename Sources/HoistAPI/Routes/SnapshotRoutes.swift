import HoistCore
import HoistEngine
import HoistStorage
import Hummingbird
import HTTPTypes
import NIOCore

extension HoistAPI {
    /// `GET /internal/v1/evaluation/snapshot/namespace/{key}`: the document Flipt's client-side SDKs poll.
    func addSnapshotRoutes(to table: inout RouteTable) {
        table.add(.get, "/internal/v1/evaluation/snapshot/namespace/{key}") { input in
            let key = input.parameters["key"]
            guard let snapshot = engine.snapshot(for: key) else {
                // Flipt's SQL stores answer 200 with no flags for an unknown namespace.
                var w = JSONWriter()
                w.raw("{\"namespace\":{\"key\":")
                w.string(key)
                w.raw("},\"flags\":[]}")
                return HoistAPI.json(bytes: w.bytes)
            }
            var headers: HTTPFields = [.contentType: "application/json"]
            if !snapshot.etag.isEmpty {
                headers[.eTag] = snapshot.etag
                if input.request.headers[.ifNoneMatch] == snapshot.etag {
                    return Response(status: .notModified, headers: headers)
                }
            }
            let version = ClientSnapshotDocument.ServerVersion.fromHeader(
                input.request.headers[HTTPField.Name("X-Flipt-Accept-Server-Version")!])
            let bytes = version >= .defaultVariant
                ? snapshot.clientDocument
                : ClientSnapshotDocument.encode(state: snapshot.state, acceptServerVersion: version)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
