/// A start-up configuration problem.
///
/// When the problem is tied to one setting, ``key`` is its dotted path (`server.http_port`) and the
/// description reads `server.http_port: invalid integer "abc"`, so an operator can find the setting
/// whichever source (file, `FLIPT_SERVER_HTTP_PORT`, `${NAME}` substitution) it came from.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Dotted key path of the offending setting, or `nil` for file-level problems.
    public var key: String?
    /// What is wrong, without the key prefix.
    public var message: String

    public init(key: String?, _ message: String) {
        self.key = key
        self.message = message
    }

    public var description: String {
        if let key { return "\(key): \(message)" }
        return message
    }
}
