public import HoistCore
public import Hummingbird
import NIOCore

/// Flipt's error body `{"code":…,"message":…,"details":[]}` with grpc-gateway's status mapping.
enum APIError {
    static func grpcCode(_ kind: HoistError.Kind) -> Int {
        switch kind {
        case .notFound: 5
        case .invalid: 3
        case .unauthenticated: 16
        case .permissionDenied: 7
        case .unimplemented: 12
        case .unavailable: 14
        case .internal: 13
        }
    }

    static func status(_ kind: HoistError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .notFound: .notFound
        case .invalid: .badRequest
        case .unauthenticated: .unauthorized
        case .permissionDenied: .forbidden
        case .unimplemented: .notImplemented
        case .unavailable: .serviceUnavailable
        case .internal: .internalServerError
        }
    }

    static func body(_ error: HoistError) -> [UInt8] {
        var w = JSONWriter(capacity: 64 + error.message.utf8.count)
        w.raw("{\"code\":")
        w.int(grpcCode(error.kind))
        w.raw(",\"message\":")
        w.string(error.message)
        w.raw(",\"details\":[]}")
        return w.bytes
    }

    static func response(_ error: HoistError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if error.kind == .unauthenticated { headers[.wwwAuthenticate] = error.message }
        return Response(status: status(error.kind), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body(error))))
    }
}
