import CGtk
import Dispatch
import GtkKit
import Testing

/// The bridge's promise: while a GLib main loop owns the main thread, work sent to the
/// main queue and `await`s that resume on the main actor still run.
@Suite("Main loop bridge")
@MainActor
struct MainLoopBridgeTests {
    @Test func awaitOnMainActorResumesInsideARunningGLibLoop() throws {
        try MainLoopBridge.install()
        defer { MainLoopBridge.uninstall() }
        let loop = g_main_loop_new(nil, 0)!
        defer { g_main_loop_unref(loop) }
        nonisolated(unsafe) let unsafeLoop = loop
        var steps: [String] = []

        Task { @MainActor in
            steps.append("started")
            let answer = await Task.detached { 6 * 7 }.value  // leave the main actor and come back
            steps.append("resumed \(answer)")
            DispatchQueue.main.async {
                MainActor.assumeIsolated { steps.append("main queue") }
                g_main_loop_quit(unsafeLoop)
            }
        }
        // A deadline so a broken bridge fails the test instead of hanging the suite.
        let timeout = g_timeout_add_seconds_full(G_PRIORITY_DEFAULT, 10, { data in
            g_main_loop_quit(OpaquePointer(data))
            return 0
        }, UnsafeMutableRawPointer(loop), nil)
        g_main_loop_run(loop)
        if steps.count == 3 { g_source_remove(timeout) }
        #expect(steps == ["started", "resumed 42", "main queue"])
    }
}
