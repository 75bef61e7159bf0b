import AsyncHTTPClient
import Foundation
public import HoistCore
import HoistDocuments
import HoistStorage
import NIOCore
import NIOHTTP1

/// Import and export through a running server's REST API (`--address`, `--token`), exactly the
/// requests Flipt's CLI makes, so it also works against Flipt itself.
///
/// Over HTTP an import is **not atomic**: every entity is its own request, and the first failure
/// stops the import with the earlier entities left in place (as with `flipt import`). Re-run with
/// `--skip-existing` to finish a partial import, or with `--drop` to start over.
public final class HTTPTransfer: ImportTarget, ExportSource {
    let client: HTTPClient
    let baseURL: String
    let token: String?
    /// Page size of list requests (Flipt's exporter uses 25).
    let pageSize = 25

    /// - Parameter address: `http://host:port` or `https://…` (a path prefix is kept).
    public init(address: String, token: String?) throws {
        guard address.hasPrefix("http://") || address.hasPrefix("https://") else {
            if address.hasPrefix("grpc://") {
                throw TransferError("grpc:// addresses are not supported: use the HTTP address (http://host:8080)")
            }
            throw TransferError("address must start with http:// or https://: \(address)")
        }
        baseURL = address.hasSuffix("/") ? String(address.dropLast()) : address
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(60)))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func shutdown() async throws { try await client.shutdown() }

    /// A failed API call: the HTTP status and Flipt's error message.
    struct APIError: Error, CustomStringConvertible {
        var status: Int
        var message: String
        var description: String { message }

        var hoistError: HoistError {
            switch status {
            case 400: HoistError(.invalid, message)
            case 401: HoistError(.unauthenticated, message)
            case 403: HoistError(.permissionDenied, message)
            case 404: HoistError(.notFound, message)
            default: HoistError(.internal, "HTTP \(status): \(message)")
            }
        }
    }

    static func escape(_ component: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        return component.addingPercentEncoding(withAllowedCharacters: allowed) ?? component
    }

    func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: DocumentEncoder.jsonText(body)))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 256 * 1024 * 1024)
        let status = Int(response.status.code)
        let json = try? JSONParser.parse(Array(buffer: bytes))
        guard status == 200 else {
            let message = json?["message"]?.stringValue ?? String(buffer: bytes)
            throw APIError(status: status, message: message.isEmpty ? "HTTP \(status)" : message)
        }
        guard let json else { throw TransferError("\(method) \(path): response is not JSON") }
        return json
    }

    /// Follows `nextPageToken` until it is empty. Stops with an error if a server returns the same
    /// token twice (the loop Flipt's exporter falls into), so the export can never run forever.
    func listAll(_ path: String, arrayKey: String, paged: Bool = true) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var token = ""
        var seen = Set<String>()
        repeat {
            var query = paged ? "?limit=\(pageSize)" : ""
            if !token.isEmpty { query += "&pageToken=\(Self.escape(token))" }
            let page = try await send(.GET, path + query)
            items += WireEntities.array(page, arrayKey)
            token = paged ? WireEntities.string(page, "nextPageToken") : ""
            if !token.isEmpty && !seen.insert(token).inserted {
                throw TransferError("\(path): the server returned page token \(token) twice; stopping")
            }
        } while !token.isEmpty
        return items
    }

    static let namespacesPath = "/api/v1/namespaces"

    static func namespacePath(_ key: String) -> String { "\(namespacesPath)/\(escape(key))" }

    // MARK: ExportSource

    public func allNamespaces() async throws -> [Namespace] {
        try await listAll(Self.namespacesPath, arrayKey: "namespaces").map(WireEntities.namespace)
    }

    public func namespace(key: String) async throws -> Namespace {
        do {
            return WireEntities.namespace(try await send(.GET, Self.namespacePath(key)))
        } catch let error as APIError {
            throw error.hoistError
        }
    }

    public func contents(of namespaceKey: String) async throws -> NamespaceContents {
        do {
            let ns = Self.namespacePath(namespaceKey)
            let flags = try await listAll("\(ns)/flags", arrayKey: "flags").map(WireEntities.flag)
            var rules: [String: [Rule]] = [:]
            var rollouts: [String: [Rollout]] = [:]
            for flag in flags {
                let flagPath = "\(ns)/flags/\(Self.escape(flag.key))"
                rules[flag.key] = try await listAll("\(flagPath)/rules", arrayKey: "rules", paged: false)
                    .map(WireEntities.rule)
                rollouts[flag.key] = try await listAll("\(flagPath)/rollouts", arrayKey: "rules", paged: false)
                    .map(WireEntities.rollout)
            }
            let segments = try await listAll("\(ns)/segments", arrayKey: "segments").map(WireEntities.segment)
            return NamespaceContents(flags: flags, rules: rules, rollouts: rollouts, segments: segments)
        } catch let error as APIError {
            throw error.hoistError
        }
    }
}

/// A problem of the transfer itself (bad address, unexpected response).
public struct TransferError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
