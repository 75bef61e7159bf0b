import Foundation
public import HoistAPI
import HoistCore
import HoistObservability

extension HoistApplication {
    /// The bodies of `GET /meta/info` and `GET /meta/config` for this configuration.
    public static func makeMetaDocuments(
        configuration: HoistConfiguration, analyticsEnabled: Bool,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> MetaDocuments {
        var commit = HoistBuild.commit
        if commit == "unknown", let stamped = environment["HOIST_BUILD_COMMIT"], !stamped.isEmpty { commit = stamped }
        return MetaDocuments(
            info: metaInfoJSON(configuration: configuration, analyticsEnabled: analyticsEnabled, commit: commit),
            config: configuration.metaConfigJSON())
    }

    /// Flipt's `/meta/info` shape (`internal/info/flipt.go`): `version`, `commit` (when known),
    /// `updateAvailable` (always false: Hoist does not check for releases), `isRelease`, `os`,
    /// `arch`, `authentication.required`, `storage.{type, readOnly?}`, `analytics.{enabled?}`,
    /// `ui.{theme}`. Flipt's Go-specific `goVersion` and the `latestVersion*` fields are omitted.
    static func metaInfoJSON(configuration: HoistConfiguration, analyticsEnabled: Bool, commit: String) -> [UInt8] {
        let version = HoistBuild.version
        let isRelease = !(version.hasSuffix("dev") || version.hasSuffix("snapshot") || version.contains("rc"))
        var w = JSONWriter()
        w.raw("{")
        w.field("version", first: true); w.string(version)
        if commit != "unknown" && !commit.isEmpty { w.field("commit"); w.string(commit) }
        w.field("updateAvailable"); w.bool(false)
        w.field("isRelease"); w.bool(isRelease)
        w.field("os"); w.string(TelemetryReport.platform.os)
        w.field("arch"); w.string(TelemetryReport.platform.arch)
        w.field("authentication"); w.raw("{\"required\":false}")
        w.field("storage"); w.raw("{")
        w.field("type", first: true); w.string(configuration.storage.type.rawValue)
        if configuration.storage.readOnly { w.field("readOnly"); w.bool(true) }
        w.raw("}")
        w.field("analytics"); w.raw(analyticsEnabled ? "{\"enabled\":true}" : "{}")
        w.field("ui"); w.raw("{\"theme\":\"system\"}")
        w.raw("}")
        return w.bytes
    }
}
