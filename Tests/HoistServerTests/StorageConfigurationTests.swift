import HoistServer
import Testing

@Suite struct StorageConfigurationTests {
    @Test func localStorageReadsItsPathFromFileOrEnvironment() throws {
        let fromFile = try loadYAML("storage:\n  type: local\n  local:\n    path: /srv/flags\n")
        #expect(fromFile.storage.type == .local)
        #expect(fromFile.storage.localPath == "/srv/flags")

        let fromEnv = try loadYAML(nil, env: ["FLIPT_STORAGE_TYPE": "local", "FLIPT_STORAGE_LOCAL_PATH": "/env/flags"])
        #expect(fromEnv.storage.type == .local)
        #expect(fromEnv.storage.localPath == "/env/flags")

        #expect(try loadYAML("storage:\n  type: local\n").storage.localPath == ".")
        #expect(try loadYAML(nil).storage.type == .database)
    }

    @Test func emptyLocalPathNamesTheKey() {
        let error = configError { try loadYAML("storage:\n  type: local\n  local:\n    path: \"\"\n") }
        #expect(error?.key == "storage.local.path")
    }
}
