import Foundation
public import HoistCore
public import HoistStorage

/// A webhook body template (spec observability §3.9): the Go `text/template` subset real configs use.
///
/// Supported: text; `{{ .Field.Sub }}` (event fields `.Version .Type .Action .Status .Timestamp
/// .Metadata.Actor.Authentication|IP|Email|Name|Picture .Payload.<key>`, and `.` itself);
/// `{{ toJson <field> }}`; `{{ if <field> }}…{{ else }}…{{ end }}`; `{{ range <field> }}…{{ end }}`
/// (dot is the element); `{{/* comments */}}`; `{{-`/`-}}` whitespace trimming. Anything else is
/// rejected when the configuration is loaded, naming the template and the action.
public struct AuditTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case print(path: [String], json: Bool)
        case conditional(path: [String], then: [Node], otherwise: [Node])
        case range(path: [String], body: [Node], otherwise: [Node])
    }

    public let name: String
    let nodes: [Node]

    /// Parses `source`; `name` appears in errors (`audit.sinks.webhook.templates[0]`).
    public init(name: String, source: String) throws(AuditConfigurationError) {
        self.name = name
        var parser = Parser(name: name, tokens: try Self.tokenize(name: name, source))
        nodes = try parser.parseNodes(terminators: [])
        if let extra = parser.next() {
            throw AuditConfigurationError("template \(name): unexpected \(extra)")
        }
    }

    enum Token: CustomStringConvertible {
        case text(String)
        case action(String)
        var description: String {
            switch self {
            case .text(let t): "text \(t)"
            case .action(let a): "{{\(a)}}"
            }
        }
    }

    static func tokenize(name: String, _ source: String) throws(AuditConfigurationError) -> [Token] {
        var tokens: [Token] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            var text = String(rest[..<open.lowerBound])
            rest = rest[open.upperBound...]
            if rest.hasPrefix("- ") || rest.hasPrefix("-\t") || rest.hasPrefix("-\n") {
                text = String(text.reversed().drop(while: \.isWhitespace).reversed())
                rest = rest.dropFirst()
            }
            if !text.isEmpty { tokens.append(.text(text)) }
            guard let close = rest.range(of: "}}") else {
                throw AuditConfigurationError("template \(name): unclosed action")
            }
            var action = String(rest[..<close.lowerBound])
            rest = rest[close.upperBound...]
            if action.hasSuffix(" -") || action.hasSuffix("\t-") || action.hasSuffix("\n-") {
                action.removeLast()
                rest = rest.drop(while: \.isWhitespace)
            }
            let trimmed = action.auditTemplateTrimmed
            if trimmed.hasPrefix("/*") && trimmed.hasSuffix("*/") { continue }
            tokens.append(.action(trimmed))
        }
        if !rest.isEmpty { tokens.append(.text(String(rest))) }
        return tokens
    }

    struct Parser {
        let name: String
        let tokens: [Token]
        var index = 0

        init(name: String, tokens: [Token]) {
            self.name = name
            self.tokens = tokens
        }

        mutating func next() -> Token? {
            guard index < tokens.count else { return nil }
            defer { index += 1 }
            return tokens[index]
        }

        func unsupported(_ action: String) -> AuditConfigurationError {
            AuditConfigurationError("template \(name): unsupported action {{\(action)}}")
        }

        func path(_ text: String, action: String) throws(AuditConfigurationError) -> [String] {
            if text == "." { return [] }
            guard text.hasPrefix("."), !text.contains(" ") else { throw unsupported(action) }
            let parts = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } })
            else { throw unsupported(action) }
            return parts
        }

        /// Parses until one of `terminators` (`end`, `else`) and returns the nodes; the terminator is
        /// left as the previous token.
        mutating func parseNodes(terminators: Set<String>) throws(AuditConfigurationError) -> [Node] {
            var nodes: [Node] = []
            while let token = next() {
                switch token {
                case .text(let text):
                    nodes.append(.text(text))
                case .action(let action):
                    if terminators.contains(action) { index -= 1; return nodes }
                    let words = action.split(whereSeparator: \.isWhitespace).map(String.init)
                    switch words.first {
                    case "if", "range":
                        guard words.count == 2 else { throw unsupported(action) }
                        let p = try path(words[1], action: action)
                        let body = try parseNodes(terminators: ["end", "else"])
                        var otherwise: [Node] = []
                        guard case .action(let closing)? = next() else {
                            throw AuditConfigurationError("template \(name): missing {{end}} for {{\(action)}}")
                        }
                        if closing == "else" {
                            otherwise = try parseNodes(terminators: ["end"])
                            guard case .action("end")? = next() else {
                                throw AuditConfigurationError("template \(name): missing {{end}} for {{\(action)}}")
                            }
                        }
                        nodes.append(words[0] == "if"
                            ? .conditional(path: p, then: body, otherwise: otherwise)
                            : .range(path: p, body: body, otherwise: otherwise))
                    case "toJson":
                        guard words.count == 2 else { throw unsupported(action) }
                        nodes.append(.print(path: try path(words[1], action: action), json: true))
                    case let first? where first.hasPrefix(".") && words.count == 1:
                        nodes.append(.print(path: try path(first, action: action), json: false))
                    default:
                        throw unsupported(action)
                    }
                }
            }
            if !terminators.isEmpty { throw AuditConfigurationError("template \(name): missing {{end}}") }
            return nodes
        }
    }
}

private extension String {
    var auditTemplateTrimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
