import Foundation
public import Hummingbird

/// Path parameters captured by a route template such as `/api/v1/namespaces/{namespaceKey}/flags/{key}`.
public struct RouteParameters: Sendable {
    var names: [String] = []
    var values: [Substring] = []

    public subscript(name: String) -> String {
        guard let index = names.firstIndex(of: name) else { return "" }
        return String(values[index])
    }
}

/// Everything a route handler gets besides the request.
public struct RouteInput: Sendable {
    public var request: Request
    public var context: HoistRequestContext
    public var parameters: RouteParameters
    /// The matched template, e.g. `/api/v1/namespaces/{key}` (bounded cardinality, for metrics and spans).
    public var template: String
}

public typealias RouteHandler = @Sendable (RouteInput) async throws -> Response

/// A method + template routing table. Static paths resolve with one dictionary lookup; templated paths
/// are matched segment by segment, literal segments winning over parameters.
public struct RouteTable: Sendable {
    struct Template: Sendable {
        var text: String
        /// nil for a parameter segment, holding its name in `parameterNames`.
        var segments: [String?]
        var parameterNames: [String]
        var handlers: [HTTPRequest.Method: RouteHandler]
    }

    var staticRoutes: [String: Template] = [:]
    var templates: [Template] = []

    public init() {}

    public mutating func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping RouteHandler) {
        let parts = path.split(separator: "/").map(String.init)
        if !parts.contains(where: { $0.hasPrefix("{") }) {
            staticRoutes[path, default: Template(text: path, segments: parts, parameterNames: [], handlers: [:])]
                .handlers[method] = handler
            return
        }
        if let index = templates.firstIndex(where: { $0.text == path }) {
            templates[index].handlers[method] = handler
            return
        }
        var segments: [String?] = []
        var names: [String] = []
        for part in parts {
            if part.hasPrefix("{") && part.hasSuffix("}") {
                segments.append(nil)
                names.append(String(part.dropFirst().dropLast()))
            } else {
                segments.append(part)
            }
        }
        templates.append(Template(text: path, segments: segments, parameterNames: names, handlers: [method: handler]))
        // Literal segments beat parameters (e.g. `rules/order` over `rules/{id}`): sort by specificity.
        templates.sort { a, b in
            for (x, y) in zip(a.segments, b.segments) where (x == nil) != (y == nil) {
                return x != nil
            }
            return false
        }
    }

    public enum Match {
        case found(RouteHandler, RouteParameters, template: String)
        /// The path exists but not for this method.
        case methodNotAllowed
        case notFound
    }

    /// Resolves a path that has already had its trailing slash removed.
    public func match(method: HTTPRequest.Method, path: String) -> Match {
        if let route = staticRoutes[path] {
            if let handler = route.handlers[method] { return .found(handler, RouteParameters(), template: route.text) }
            return .methodNotAllowed
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var pathExists = false
        for template in templates where template.segments.count == parts.count {
            var values: [Substring] = []
            var matched = true
            for (segment, part) in zip(template.segments, parts) {
                if let literal = segment {
                    if literal != part {
                        matched = false
                        break
                    }
                } else {
                    if part.isEmpty {
                        matched = false
                        break
                    }
                    values.append(part)
                }
            }
            guard matched else { continue }
            guard let handler = template.handlers[method] else {
                pathExists = true
                continue
            }
            let decoded = values.map { Substring(Self.percentDecode($0)) }
            return .found(handler, RouteParameters(names: template.parameterNames, values: decoded), template: template.text)
        }
        return pathExists ? .methodNotAllowed : .notFound
    }

    static func percentDecode(_ s: Substring) -> String {
        guard s.contains("%") else { return String(s) }
        // A decoded NUL would be truncated by the database; keep such a segment as sent (it matches nothing).
        guard let decoded = String(s).removingPercentEncoding, !decoded.utf8.contains(0) else { return String(s) }
        return decoded
    }
}
