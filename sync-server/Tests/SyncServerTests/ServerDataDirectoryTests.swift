import Testing
@testable import SyncServer

@Suite struct ServerDataDirectoryTests {
    @Test func optionWinsOverEnvironment() {
        let environment = ["HOMEWARD_DATA_DIR": "/srv/env", "XDG_DATA_HOME": "/home/a/.data", "HOME": "/home/a"]
        #expect(ServerDataDirectory.resolve(explicit: "/srv/option", environment: environment) == "/srv/option")
        #expect(ServerDataDirectory.resolve(explicit: nil, environment: environment) == "/srv/env")
        #expect(ServerDataDirectory.resolve(explicit: "", environment: environment) == "/srv/env")
    }

    @Test func fallsBackToTheXDGDataDirectory() {
        #expect(ServerDataDirectory.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/home/a/.data", "HOME": "/home/a"])
            == "/home/a/.data/homeward-server")
        #expect(ServerDataDirectory.resolve(explicit: nil, environment: ["HOME": "/home/a"])
            == "/home/a/.local/share/homeward-server")
        // A relative XDG_DATA_HOME is invalid by the specification and ignored.
        #expect(ServerDataDirectory.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "data", "HOME": "/home/a"])
            == "/home/a/.local/share/homeward-server")
    }

    @Test func expandsATildeThatTheShellLeftAlone() {
        #expect(ServerDataDirectory.resolve(explicit: "~/server", environment: ["HOME": "/home/a"]) == "/home/a/server")
        #expect(ServerDataDirectory.resolve(explicit: "~other/x", environment: ["HOME": "/home/a"]) == "~other/x")
    }
}
