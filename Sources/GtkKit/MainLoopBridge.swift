import CGtk
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Lets `DispatchQueue.main` and `@MainActor` tasks run while GTK's main loop runs.
///
/// On Linux nothing drains the main dispatch queue while `g_application_run` blocks the
/// main thread, so an `await` that resumes on the main actor would hang forever. libdispatch
/// exposes the queue's wake-up file descriptor to run loops (the hooks CoreFoundation
/// uses); we watch it with a GLib source and drain the queue when it fires. Install once,
/// before the main loop starts.
@MainActor
public enum MainLoopBridge {
    private typealias HandleFunction = @convention(c) () -> Int32
    private typealias DrainFunction = @convention(c) (UnsafeMutableRawPointer?) -> Void

    private static var sourceID: guint = 0

    public enum BridgeError: Error, CustomStringConvertible {
        case missingDispatchHook(String)
        public var description: String {
            switch self {
            case .missingDispatchHook(let name):
                "libdispatch does not export \(name); the main queue cannot be bridged to GLib"
            }
        }
    }

    /// Whether the bridge is installed.
    public static var isInstalled: Bool { sourceID != 0 }

    public static func install() throws {
        guard sourceID == 0 else { return }
        guard let handleSymbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "_dispatch_get_main_queue_handle_4CF") else {
            throw BridgeError.missingDispatchHook("_dispatch_get_main_queue_handle_4CF")
        }
        guard dlsym(UnsafeMutableRawPointer(bitPattern: 0), "_dispatch_main_queue_callback_4CF") != nil else {
            throw BridgeError.missingDispatchHook("_dispatch_main_queue_callback_4CF")
        }
        let handle = unsafeBitCast(handleSymbol, to: HandleFunction.self)()
        sourceID = g_unix_fd_add_full(G_PRIORITY_DEFAULT, handle, G_IO_IN, { fd, _, _ in
            // The descriptor is an eventfd: consume the wake-up before draining, so work
            // queued while draining wakes us again instead of being missed.
            var counter: UInt64 = 0
            _ = read(fd, &counter, MemoryLayout<UInt64>.size)
            let drain = unsafeBitCast(
                dlsym(UnsafeMutableRawPointer(bitPattern: 0), "_dispatch_main_queue_callback_4CF")!,
                to: DrainFunction.self)
            drain(nil)
            return 1  // G_SOURCE_CONTINUE
        }, nil, nil)
    }

    public static func uninstall() {
        guard sourceID != 0 else { return }
        g_source_remove(sourceID)
        sourceID = 0
    }
}
