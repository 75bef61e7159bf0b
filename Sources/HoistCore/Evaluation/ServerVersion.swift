extension ClientSnapshotDocument {
    /// The `X-Flipt-Accept-Server-Version` a client sends: the newest server behaviour it understands.
    /// Parsed like `semver.ParseTolerant` (blang/semver) and ordered by semver precedence.
    public struct ServerVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
        /// Major version number.
        public var major: UInt64
        /// Minor version number.
        public var minor: UInt64
        /// Patch version number.
        public var patch: UInt64
        /// Pre-release identifiers (`rc`, `1` for `-rc.1`); a pre-release sorts before its release.
        public var prerelease: [String]

        /// Creates a version.
        public init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: [String] = []) {
            self.major = major
            self.minor = minor
            self.patch = patch
            self.prerelease = prerelease
        }

        /// What Flipt assumes when the header is missing or unparsable.
        public static let assumedWhenMissing = ServerVersion(major: 1, minor: 37, patch: 1)
        /// From this version on, ENTITY_ID constraints keep their type.
        public static let entityIdConstraints = ServerVersion(major: 1, minor: 38, patch: 0)
        /// From this version on, `defaultVariant` is included.
        public static let defaultVariant = ServerVersion(major: 1, minor: 47, patch: 0)

        /// The version for a header value; `nil`, empty or unparsable gives `assumedWhenMissing`.
        public static func fromHeader(_ header: String?) -> ServerVersion {
            guard let header, !header.isEmpty, let version = parseTolerant(header) else { return assumedWhenMissing }
            return version
        }

        /// blang/semver `ParseTolerant`: trims white space, drops a leading `v`, strips leading zeros and
        /// fills a missing minor or patch with 0 (`v1.47` is 1.47.0).
        public static func parseTolerant(_ text: String) -> ServerVersion? {
            var text = Substring(GoStrings.trimSpace(text))
            if text.utf8.first == UInt8(ascii: "v") { text = text.dropFirst() }
            var parts = splitN(String(text), maxParts: 3).map { part -> String in
                guard part.utf8.count > 1 else { return part }
                let trimmed = part.drop { $0 == "0" }
                guard let first = trimmed.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
                    return "0" + trimmed
                }
                return String(trimmed)
            }
            if parts.count < 3 {
                if parts[parts.count - 1].contains(where: { $0 == "+" || $0 == "-" }) { return nil }
                while parts.count < 3 { parts.append("0") }
            }
            return parseStrict(parts)
        }

        /// Go's `strings.SplitN(s, ".", n)`.
        static func splitN(_ text: String, maxParts: Int) -> [String] {
            var parts: [String] = []
            var rest = Substring(text)
            while parts.count < maxParts - 1, let dot = rest.firstIndex(of: ".") {
                parts.append(String(rest[..<dot]))
                rest = rest[rest.index(after: dot)...]
            }
            parts.append(String(rest))
            return parts
        }

        /// blang/semver `Parse` on `major.minor.patch[-pre][+build]`.
        static func parseStrict(_ parts: [String]) -> ServerVersion? {
            guard parts.count == 3, let major = number(parts[0]), let minor = number(parts[1]) else { return nil }
            var patchText = Substring(parts[2])
            var build: [Substring] = []
            var prerelease: [Substring] = []
            if let plus = patchText.firstIndex(of: "+") {
                build = patchText[patchText.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false)
                patchText = patchText[..<plus]
            }
            if let dash = patchText.firstIndex(of: "-") {
                prerelease = patchText[patchText.index(after: dash)...]
                    .split(separator: ".", omittingEmptySubsequences: false)
                patchText = patchText[..<dash]
            }
            guard let patch = number(String(patchText)) else { return nil }
            for identifier in prerelease {
                guard !identifier.isEmpty, identifier.allSatisfy(isAlphanumericOrHyphen) else { return nil }
                if identifier.allSatisfy(isDigit), identifier.count > 1, identifier.first == "0" { return nil }
            }
            for identifier in build where identifier.isEmpty || !identifier.allSatisfy(isAlphanumericOrHyphen) {
                return nil
            }
            return ServerVersion(major: major, minor: minor, patch: patch, prerelease: prerelease.map(String.init))
        }

        /// Digits only, no leading zero (unless `0`), fitting in UInt64.
        static func number(_ text: String) -> UInt64? {
            guard !text.isEmpty, text.allSatisfy(isDigit), text.count == 1 || text.first != "0" else { return nil }
            return UInt64(text)
        }

        static func isDigit(_ character: Character) -> Bool {
            character.isASCII && character >= "0" && character <= "9"
        }

        static func isAlphanumericOrHyphen(_ character: Character) -> Bool {
            guard character.isASCII else { return false }
            return isDigit(character) || character == "-" || (character >= "a" && character <= "z")
                || (character >= "A" && character <= "Z")
        }

        /// Semver precedence (build metadata is ignored, a pre-release precedes its release).
        public static func < (lhs: ServerVersion, rhs: ServerVersion) -> Bool {
            if lhs.major != rhs.major { return lhs.major < rhs.major }
            if lhs.minor != rhs.minor { return lhs.minor < rhs.minor }
            if lhs.patch != rhs.patch { return lhs.patch < rhs.patch }
            if lhs.prerelease.isEmpty || rhs.prerelease.isEmpty { return !lhs.prerelease.isEmpty && rhs.prerelease.isEmpty }
            for (left, right) in zip(lhs.prerelease, rhs.prerelease) where left != right {
                switch (UInt64(left), UInt64(right)) {
                case let (l?, r?): return l < r
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return left.utf8.lexicographicallyPrecedes(right.utf8)
                }
            }
            return lhs.prerelease.count < rhs.prerelease.count
        }

        /// `major.minor.patch[-pre]`.
        public var description: String {
            "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease.joined(separator: "."))
        }
    }
}
