import ArgumentParser
import Testing
@testable import homeward_server

/// Argument validation: every bad value is refused before anything opens a database or
/// a socket, with a message that names the option.
@Suite struct CommandLineTests {
    func message(_ arguments: [String]) -> String? {
        do {
            _ = try HomewardServerCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return HomewardServerCommand.message(for: error)
        }
    }

    @Test func serveIsTheDefaultCommand() throws {
        let command = try HomewardServerCommand.parseAsRoot(["--data", "/tmp/x", "--port", "9000"])
        let serve = try #require(command as? Serve)
        #expect(serve.port == 9000)
        #expect(serve.host == "127.0.0.1")
        #expect(serve.common.resolvedDataDirectory == "/tmp/x")
        #expect(serve.demoPatients == 0)
    }

    @Test func serveTakesDemoOptions() throws {
        let command = try HomewardServerCommand.parseAsRoot(
            ["serve", "--host", "0.0.0.0", "--demo-patients", "200", "--demo-seed", "7", "--log-level", "debug"])
        let serve = try #require(command as? Serve)
        #expect(serve.host == "0.0.0.0")
        #expect(serve.demoPatients == 200)
        #expect(serve.demoSeed == 7)
    }

    @Test(arguments: [
        (["--port", "0"], "--port"),
        (["--port", "65536"], "--port"),
        (["--port", "-1"], "port"),
        (["--port", "http"], "port"),
        (["--host", ""], "--host"),
        (["--host", "127.0.0.1 8420"], "--host"),
        (["--demo-patients", "-5"], "--demo-patients"),
        (["--demo-seed", "-1"], "seed"),
        (["--data", ""], "--data"),
        (["--log-level", "loud"], "--log-level"),
        (["--colour"], "colour"),
    ])
    func serveRefusesBadValues(arguments: [String], mentioning option: String) throws {
        let text = try #require(message(["serve"] + arguments))
        #expect(text.contains(option), "\(text)")
    }

    @Test func demoDataTakesItsOptions() throws {
        let command = try HomewardServerCommand.parseAsRoot(
            ["demo-data", "--patients", "50", "--seed", "42", "--data", "/srv/d", "--reference-date", "2026-11-23"])
        let demo = try #require(command as? DemoData)
        #expect(demo.patients == 50)
        #expect(demo.demo.seed == 42)
        #expect(demo.common.resolvedDataDirectory == "/srv/d")
        let hospital = demo.demo.hospital()
        #expect(hospital.seed == 42)
        #expect(hospital.referenceDate.description == "2026-11-23")
    }

    @Test(arguments: [
        (["--patients", "0"], "--patients"),
        (["--patients", "2000000"], "--patients"),
        (["--seed", "seven"], "seed"),
        (["--reference-date", "23/11/2026"], "--reference-date"),
        (["--reference-date", "2026-02-30"], "--reference-date"),
    ])
    func demoDataRefusesBadValues(arguments: [String], mentioning option: String) throws {
        let text = try #require(message(["demo-data"] + arguments))
        #expect(text.contains(option), "\(text)")
    }

    @Test func userAddTakesARoleAndItsScopeButNeverAPassword() throws {
        let command = try HomewardServerCommand.parseAsRoot(
            ["user", "add", "li.na", "--role", "ward-nurse", "--ward", "CARD-1", "--ward", "CARD-2", "--data", "/srv/d"])
        let add = try #require(command as? UserCommand.Add)
        #expect(add.username == "li.na")
        #expect(add.wards == ["CARD-1", "CARD-2"])
        #expect(message(["user", "add", "x", "--role", "ward-nurse", "--password", "secret"]) != nil)
    }

    @Test(arguments: [
        (["user", "add", "x", "--role", "surgeon"], "--role"),
        (["user", "add", "x", "--role", "ward-nurse"], "--ward"),
        (["user", "add", "x", "--role", "home-visit"], "--patient"),
        (["user", "add", "x", "--role", "home-visit", "--patient", "nope"], "--patient"),
        (["user", "add", "x", "--role", "central-office", "--ward", "W1"], "--ward"),
        (["serve", "--tls-cert", "/c.pem"], "--tls-key"),
        (["serve", "--session-hours", "0"], "--session-hours"),
    ])
    func accountAndServeOptionsAreChecked(arguments: [String], mentioning option: String) throws {
        let text = try #require(message(arguments))
        #expect(text.contains(option), "\(text)")
    }

    @Test func reportsItsVersion() {
        #expect(HomewardServerCommand.configuration.version == "0.1.0")
    }
}
