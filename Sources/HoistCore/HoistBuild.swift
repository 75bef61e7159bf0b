/// Build identity of this Hoist binary (`hoist --version`, `hoist_build_info`).
public enum HoistBuild {
    /// The release version.
    public static let version = "0.1.0"
    /// The git commit the binary was built from; `unknown` unless the build stamps it.
    /// The server also accepts it at run time from `HOIST_BUILD_COMMIT`.
    public static let commit = "unknown"
}
